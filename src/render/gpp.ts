/**
 * Group Policy Preferences Registry.xml: one file serves every Windows version through
 * item-level targeting. Each distinct operation becomes one Registry item whose Filters select
 * exactly the target variants it applies to; items with the same targets share a Collection
 * (a named folder in GPMC). Shapes the plan; templates/gpp/ lays it out; formats/gpp.ts writes each
 * value and formats/xml.ts escapes.
 *
 * Targeting, per target variant, as a FilterCollection OR'ed with the others:
 *   FilterOs version token ([MS-GPPREF] 2.2.1.22; windows.yaml gppOsVersion)
 *   + FilterWmi on Win32_OperatingSystem, always: several versions share a token
 *     (WINTHRESHOLDSRV is every Server from 2016 on, WINTHRESHOLD both Windows 10 and 11), and a
 *     Windows released after the catalogue must not receive values meant for another build.
 *     BuildNumber is a string and WQL compares it as one ('9600' > '10000'), so a range compares
 *     only with bounds of the build's own length and an exact build uses equality.
 *   + on NT 10.0, Windows 10/11 Enterprise multi-session (Azure Virtual Desktop): it "reports the
 *     ProductType as having a value of 3, the same value as Windows Server" (Microsoft, Windows
 *     Enterprise multi-session FAQ, learn.microsoft.com/azure/virtual-desktop/windows-10-multisession-faq),
 *     and [MS-GPPREF] does not say which FilterOs token such a host matches. Its OperatingSystemSKU
 *     is 175, PRODUCT_SERVERRDSH, "Windows 10 Enterprise for Virtual Desktops" (GetProductInfo,
 *     learn.microsoft.com/windows/win32/api/sysinfoapi/nf-sysinfoapi-getproductinfo, which names
 *     Win32_OperatingSystem.OperatingSystemSKU as the same value; the FAQ gives the edition's
 *     former name, Enterprise for Virtual Desktops). So a client target accepts either token and
 *     asks WMI for ProductType = 1 or that SKU; a server target of the same NT version refuses the
 *     SKU. The conditions share the one Win32_OperatingSystem query: no extra WMI round trip.
 *   + FilterWmi "SELECT AddressWidth FROM Win32_Processor WHERE AddressWidth = 64" (or 32), when
 *     only one edition of a version is selected: "On a 32-bit operating system, the value is 32 and
 *     on a 64-bit operating system it is 64" (Win32_Processor, learn.microsoft.com/windows/win32/
 *     cimwin32prov/win32-processor). A key test on HKLM\SOFTWARE\WOW6432Node is fooled on x86 by
 *     installers that create that key literally (fleet review 3.3).
 *
 * Targeting stays on each item, not on the Collection. [MS-GPPREF] 2.2.1.22 says targeting "can be
 * added to any element", but neither its Collection schema (2.2.1.17.2) nor any of its examples
 * (4.2.9, 4.2.16) puts Filters on a Collection, and no GPMC-written Registry.xml with a targeted
 * Collection was found (searched: public code for Collection {53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}
 * with Filters before or after its items, GPMC gpreport.xml captures, the GPMC targeting help). With
 * neither the position of the element nor the client-side extension's reading of it confirmed, a
 * Collection-level filter could be ignored (every item applies everywhere) or misplaced; each item
 * keeps its own Filters. Lab check: target a Registry folder in GPMC, save, read Registry.xml.
 */
import { gppValue } from '../formats/gpp.js';
import type { RegistryValue } from '../model/registry.js';
import { valueNameIdentity, windowsUpperInvariant } from '../model/registry.js';
import { compareNtVersions } from '../model/targets.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture } from './describe.js';
import { distinctOperations, operationIdentity } from './operation-groups.js';
import { type DeepReadonly, renderTemplate } from './engine.js';
import { stableGuid } from './stable-ids.js';

export interface GppOptions {
  /** "Remove this item when it is no longer applied": items use action R and removePolicy="1". */
  readonly removePolicy: boolean;
  /** Display-only `changed` stamp from the definitions (never the clock); null leaves it out. */
  readonly changed: string | null;
}

/** One Registry item of the gpp/registry template (templates/gpp/item.hbs). */
type GppItem = DeepReadonly<{
  uid: string;
  changed: string | null;
  desc: string;
  removePolicy: boolean;
  hive: string;
  key: string;
  filters: FilterGroup[];
  name: string;
  image: number;
  action: 'U' | 'R' | 'D';
  isDefault: '0' | '1';
  valueName: string;
  type: RegistryValue['type'] | '';
  value: string;
  values: string[] | null;
}>;

/** The gpp/registry template's model: Collections (GPMC folders) of Registry items. */
export type GppRegistryModel = DeepReadonly<{ collections: { name: string; items: GppItem[] }[] }>;

export function renderGppRegistryXml(profile: ProfilePlan, kind: 'apply' | 'rollback', options: GppOptions): string {
  return renderTemplate('gpp/registry', { collections: collections(profile, kind, options) });
}

interface FilterGroup {
  readonly bool: 'AND' | 'OR';
  readonly name: string;
  /** FilterOs version tokens, OR'ed (two for a client version that has a multi-session edition). */
  readonly os: readonly { readonly bool: 'AND' | 'OR'; readonly version: string }[];
  readonly osName: string | null;
  readonly osQuery: string;
  /** A Win32_Processor query selecting one edition, or null for every edition of the version. */
  readonly widthQuery: string | null;
}

/** PRODUCT_SERVERRDSH: Windows 10/11 Enterprise multi-session (GetProductInfo; see the header). */
const MULTI_SESSION_SKU = 175;
/** Win32_OperatingSystem.ProductType of a workstation (1; 2 is a domain controller, 3 a server). */
const WORKSTATION_PRODUCT_TYPE = 1;
/** The server token of the NT version a client token names ([MS-GPPREF] 2.2.1.22, note <18>). */
const SERVER_TOKEN_OF: Readonly<Record<string, string>> = { WINTHRESHOLD: 'WINTHRESHOLDSRV' };
/** Enterprise multi-session exists from NT 10.0 on. */
const MULTI_SESSION_NT = '10.0';

function collections(profile: ProfilePlan, kind: 'apply' | 'rollback', options: GppOptions): GppRegistryModel['collections'] {
  const groups = new Map<string, { variantIds: readonly string[]; ops: RegistryOperation[] }>();
  for (const { op, variantIds } of distinctOperations(profile, kind)) {
    const key = variantIds.join(' ');
    const group = groups.get(key) ?? { variantIds, ops: [] };
    group.ops.push(op);
    groups.set(key, group);
  }
  const appliedTypes = kind === 'rollback' ? appliedValueTypes(profile) : null;
  return [...groups.values()].map(({ variantIds, ops }) => {
    const plans = profile.targets.filter((t) => variantIds.includes(t.variantId));
    const filters = filterGroups(profile, plans);
    return {
      // The folder says which targets its items are for; each item's filters name the products.
      name: `${kind === 'rollback' ? 'Rollback, ' : ''}${variantIds.length === profile.targets.length ? 'every target' : 'targets'}: ${variantIds.join(', ')}`,
      items: ops.map((op) => item(profile, op, variantIds, filters, kind, options, appliedTypes)),
    };
  });
}

function filterGroups(profile: ProfilePlan, plans: readonly TargetPlan[]): FilterGroup[] {
  const byTarget = new Map<string, TargetPlan[]>();
  for (const plan of plans) byTarget.set(plan.target.id, [...(byTarget.get(plan.target.id) ?? []), plan]);
  const allVariantsOf = (targetId: string) => profile.targets.filter((t) => t.target.id === targetId).length;
  return [...byTarget.values()].map((selected, index) => {
    const { target, architecture } = selected[0]!;
    const oneEdition = selected.length < allVariantsOf(target.id);
    const targeting = targetingOf(target);
    return {
      bool: index === 0 ? 'AND' : 'OR',
      name: `${target.product}${oneEdition ? `, ${describeArchitecture(architecture)}` : ''}`,
      os: targeting.osVersions.map((version, i) => ({ bool: i === 0 ? 'AND' : 'OR', version })),
      osName: targeting.osVersions.length > 1 ? `${targeting.osVersions.join(' or ')} (Enterprise multi-session reports as a server)` : null,
      osQuery: targeting.osQuery,
      widthQuery: oneEdition ? addressWidthQuery(architecture === 'x64' ? 64 : 32) : null,
    };
  });
}

/** How GPP recognises a target's Windows version: FilterOs tokens and one Win32_OperatingSystem query. */
function targetingOf(target: TargetPlan['target']): { osVersions: string[]; osQuery: string } {
  const conditions = [buildCondition(target.build)];
  const osVersions = [target.gppOsVersion];
  if (compareNtVersions(target.ntVersion, MULTI_SESSION_NT) >= 0) {
    const serverToken = SERVER_TOKEN_OF[target.gppOsVersion];
    if (target.kind === 'workstation') {
      if (serverToken === undefined) throw new Error(`internal: no server FilterOs token known for ${target.gppOsVersion}`);
      osVersions.push(serverToken);
      conditions.push(`(ProductType = ${WORKSTATION_PRODUCT_TYPE} OR OperatingSystemSKU = ${MULTI_SESSION_SKU})`);
    } else {
      conditions.push(`OperatingSystemSKU <> ${MULTI_SESSION_SKU}`);
    }
  }
  return { osVersions, osQuery: `SELECT BuildNumber FROM Win32_OperatingSystem WHERE ${conditions.join(' AND ')}` };
}

function addressWidthQuery(width: 32 | 64): string {
  return `SELECT AddressWidth FROM Win32_Processor WHERE AddressWidth = ${width}`;
}

/** The targeting of each variant, for the README's mapping table. */
export function gppTargetingRows(
  profile: ProfilePlan,
): { readonly variantId: string; readonly product: string; readonly osVersion: string; readonly build: string; readonly edition: string }[] {
  return profile.targets.map((plan) => {
    const editions = profile.targets.filter((t) => t.target.id === plan.target.id).length;
    const { osVersions, osQuery } = targetingOf(plan.target);
    return {
      variantId: plan.variantId,
      product: `${plan.target.product}, ${describeArchitecture(plan.architecture)}`,
      osVersion: osVersions.join(' or '),
      build: osQuery.replace(/^SELECT BuildNumber FROM Win32_OperatingSystem WHERE /, ''),
      edition: editions > 1 ? `Win32_Processor.AddressWidth = ${plan.architecture === 'x64' ? 64 : 32}` : 'any',
    };
  });
}

function buildCondition(build: TargetPlan['target']['build']): string {
  if (build.max !== null && build.min === build.max) return `BuildNumber = '${build.min}'`;
  // An open range ends at the largest build of the same number of digits: string order is numeric order there.
  const max = build.max ?? Number('9'.repeat(String(build.min).length));
  if (String(build.min).length !== String(max).length) {
    throw new Error(`internal: build range ${build.min}-${max} spans numbers of different lengths; WQL compares BuildNumber as text`);
  }
  return `BuildNumber >= '${build.min}' AND BuildNumber <= '${max}'`;
}

/**
 * The value type each rollback delete undoes: the type the apply operations set at that key and
 * name in the profile (null when variants disagree; absent when apply sets none).
 */
function appliedValueTypes(profile: ProfilePlan): Map<string, RegistryValue['type'] | null> {
  const types = new Map<string, RegistryValue['type'] | null>();
  for (const plan of profile.targets) {
    for (const op of plan.apply) {
      if (op.action !== 'set') continue;
      const key = valueKey(op.hive, op.path, op.name);
      const seen = types.get(key);
      types.set(key, seen === undefined || seen === op.value.type ? op.value.type : null);
    }
  }
  return types;
}

const valueKey = (hive: string, path: string, name: string) => `${windowsUpperInvariant(`${hive}\\${path}`)}|${valueNameIdentity(name)}`;

function item(
  profile: ProfilePlan,
  op: RegistryOperation,
  variantIds: readonly string[],
  filters: FilterGroup[],
  kind: 'apply' | 'rollback',
  options: GppOptions,
  appliedTypes: Map<string, RegistryValue['type'] | null> | null,
): GppItem {
  const replace = kind === 'apply' && options.removePolicy && op.action === 'set';
  const base = {
    uid: stableGuid('tlsgen-gpp', profile.id, kind, operationIdentity(op), variantIds.join(' ')),
    changed: options.changed,
    desc: `tlsgen ${profile.id}: [${op.setting.id}] ${op.setting.title}. Source: ${op.setting.source.url}.${op.rebootRequired ? ` Restart Windows after this changes: ${op.setting.reboot.note ?? 'required'}` : ''}`,
    removePolicy: replace,
    hive: op.hive,
    key: op.path,
    filters,
  };
  if (op.action === 'delete-key') {
    return {
      ...base,
      name: op.path.split('\\').pop()!,
      image: IMAGE_KEY_DELETE,
      action: 'D',
      isDefault: '0',
      valueName: '',
      type: '',
      value: '',
      values: null,
    };
  }
  if (op.action === 'delete-value') {
    // The client deletes the named value whatever its type; type and icon only tell the admin in
    // GPMC what is removed. A delete the plan cannot trace to a set value keeps GPMC's default REG_SZ.
    const type = appliedTypes?.get(valueKey(op.hive, op.path, op.name)) ?? 'REG_SZ';
    return {
      ...base,
      name: op.name || '(Default)',
      image: IMAGE_UPDATE[type] + 1,
      action: 'D',
      isDefault: op.name === '' ? '1' : '0',
      valueName: op.name,
      type,
      value: '',
      values: null,
    };
  }
  const { value, values } = gppValue(op.value);
  return {
    ...base,
    name: op.name || '(Default)',
    image: IMAGE_UPDATE[op.value.type] + (replace ? -1 : 0),
    action: replace ? 'R' : 'U',
    isDefault: op.name === '' ? '1' : '0',
    valueName: op.name,
    type: op.value.type,
    value,
    values,
  };
}

/**
 * Icons. [MS-GPPREF] 2.2.1.1.3: image is "an offset into a bitmap resource that is used to display
 * an icon next to the item when loaded in the management console" (display only). GPMC's bitmap
 * holds four icons per kind of item in the order create, replace, update, delete; seen in GPMC-written
 * files: key update 2 and delete 3, string update 7, DWORD update 12, binary update 17 (formats.md
 * 2.7). So replace is update - 1 and delete update + 1 (DWORD delete 13, string delete 8: the
 * delete icons other than the key's are inferred from that order, not seen in a capture).
 */
const IMAGE_KEY_DELETE = 3;
/** Update icon per value type; see above. */
const IMAGE_UPDATE: Record<RegistryValue['type'], number> = {
  REG_SZ: 7,
  REG_EXPAND_SZ: 7,
  REG_MULTI_SZ: 7,
  REG_DWORD: 12,
  REG_QWORD: 12,
  REG_BINARY: 17,
};
