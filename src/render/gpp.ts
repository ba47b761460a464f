/**
 * Group Policy Preferences Registry.xml: one file serves every Windows version through
 * item-level targeting. Each distinct operation becomes one Registry item whose Filters select
 * exactly the target variants it applies to; items with the same targets share a Collection
 * (a named folder in GPMC). Shapes the plan; templates/gpp/ lays it out; formats/xml.ts escapes.
 *
 * Targeting, per target variant, as a FilterCollection OR'ed with the others:
 *   FilterOs version token ([MS-GPPREF] 2.2.1.22; windows.yaml gppOsVersion)
 *   + FilterWmi on Win32_OperatingSystem.BuildNumber, always: several versions share a token
 *     (WINTHRESHOLDSRV is every Server from 2016 on, WINTHRESHOLD both Windows 10 and 11), and a
 *     Windows released after the catalogue must not receive values meant for another build.
 *     BuildNumber is a string and WQL compares it as one ('9600' > '10000'), so a range compares
 *     only with bounds of the build's own length and an exact build uses equality.
 *   + FilterRegistry KEYEXISTS HKLM\SOFTWARE\WOW6432Node (64-bit Windows) or its negation, when
 *     only one edition of a version is selected.
 */
import type { RegistryValue } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture } from './describe.js';
import { distinctOperations, operationIdentity } from './operation-groups.js';
import { renderTemplate } from './engine.js';
import { stableGuid } from './stable-ids.js';

export interface GppOptions {
  /** "Remove this item when it is no longer applied": items use action R and removePolicy="1". */
  readonly removePolicy: boolean;
  /** Display-only `changed` stamp from the definitions (never the clock); null leaves it out. */
  readonly changed: string | null;
}

export function renderGppRegistryXml(profile: ProfilePlan, kind: 'apply' | 'rollback', options: GppOptions): string {
  return renderTemplate('gpp/registry', { collections: collections(profile, kind, options) });
}

interface FilterGroup {
  readonly bool: 'AND' | 'OR';
  readonly name: string;
  readonly osVersion: string;
  readonly buildQuery: string;
  /** null: any edition; '0': 64-bit only (WOW6432Node exists); '1': 32-bit only (it does not). */
  readonly wowNot: '0' | '1' | null;
}

function collections(profile: ProfilePlan, kind: 'apply' | 'rollback', options: GppOptions) {
  const groups = new Map<string, { variantIds: string[]; ops: RegistryOperation[] }>();
  for (const { op, variantIds } of distinctOperations(profile, kind)) {
    const key = variantIds.join(' ');
    const group = groups.get(key) ?? { variantIds, ops: [] };
    group.ops.push(op);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ variantIds, ops }) => {
    const plans = profile.targets.filter((t) => variantIds.includes(t.variantId));
    const filters = filterGroups(profile, plans);
    return {
      // The folder says which targets its items are for; each item's filters name the products.
      name: `${kind === 'rollback' ? 'Rollback, ' : ''}${variantIds.length === profile.targets.length ? 'every target' : 'targets'}: ${variantIds.join(', ')}`,
      items: ops.map((op) => item(profile, op, variantIds, filters, kind, options)),
    };
  });
}

function filterGroups(profile: ProfilePlan, plans: readonly TargetPlan[]): FilterGroup[] {
  const byTarget = new Map<string, TargetPlan[]>();
  for (const plan of plans) byTarget.set(plan.target.id, [...(byTarget.get(plan.target.id) ?? []), plan]);
  const allVariantsOf = (targetId: string) => profile.targets.filter((t) => t.target.id === targetId).length;
  return [...byTarget.values()].map((selected, index) => {
    const { target } = selected[0]!;
    const oneEdition = selected.length < allVariantsOf(target.id);
    return {
      bool: index === 0 ? 'AND' : 'OR',
      name: `${target.product}${oneEdition ? `, ${describeArchitecture(selected[0]!.architecture)}` : ''}`,
      osVersion: target.gppOsVersion,
      buildQuery: buildQuery(target.build),
      wowNot: oneEdition ? (selected[0]!.architecture === 'x64' ? '0' : '1') : null,
    };
  });
}

/** The targeting of each variant, for the README's mapping table. */
export function gppTargetingRows(profile: ProfilePlan) {
  return profile.targets.map((plan) => {
    const editions = profile.targets.filter((t) => t.target.id === plan.target.id).length;
    return {
      variantId: plan.variantId,
      product: `${plan.target.product}, ${describeArchitecture(plan.architecture)}`,
      osVersion: plan.target.gppOsVersion,
      build: buildQuery(plan.target.build).replace(/^SELECT BuildNumber FROM Win32_OperatingSystem WHERE /, ''),
      edition: editions > 1 ? (plan.architecture === 'x64' ? 'HKLM\\SOFTWARE\\WOW6432Node exists' : 'HKLM\\SOFTWARE\\WOW6432Node does not exist') : 'any',
    };
  });
}

function buildQuery(build: TargetPlan['target']['build']): string {
  const select = 'SELECT BuildNumber FROM Win32_OperatingSystem WHERE';
  if (build.max !== null && build.min === build.max) return `${select} BuildNumber = '${build.min}'`;
  // An open range ends at the largest build of the same number of digits: string order is numeric order there.
  const max = build.max ?? Number('9'.repeat(String(build.min).length));
  if (String(build.min).length !== String(max).length) {
    throw new Error(`internal: build range ${build.min}-${max} spans numbers of different lengths; WQL compares BuildNumber as text`);
  }
  return `${select} BuildNumber >= '${build.min}' AND BuildNumber <= '${max}'`;
}

function item(profile: ProfilePlan, op: RegistryOperation, variantIds: string[], filters: FilterGroup[], kind: 'apply' | 'rollback', options: GppOptions) {
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
    return { ...base, name: op.path.split('\\').pop()!, image: 3, action: 'D', isDefault: '0', valueName: '', type: '', value: '', values: null };
  }
  if (op.action === 'delete-value') {
    return { ...base, name: op.name || '(Default)', image: 8, action: 'D', isDefault: op.name === '' ? '1' : '0', valueName: op.name, type: 'REG_SZ', value: '', values: null };
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

/** Display-only icon indexes GPMC writes for "update" items (formats.md 2.7); replace is one less. */
const IMAGE_UPDATE: Record<RegistryValue['type'], number> = {
  REG_SZ: 7,
  REG_EXPAND_SZ: 7,
  REG_MULTI_SZ: 7,
  REG_DWORD: 12,
  REG_QWORD: 12,
  REG_BINARY: 17,
};

/** `value` as GPMC writes it: DWORD 8 and QWORD 16 upper-case hex digits, MULTI_SZ joined by spaces plus a Values list. */
function gppValue(value: RegistryValue): { value: string; values: string[] | null } {
  switch (value.type) {
    case 'REG_DWORD':
      return { value: value.data.toString(16).toUpperCase().padStart(8, '0'), values: null };
    case 'REG_QWORD':
      return { value: value.data.toString(16).toUpperCase().padStart(16, '0'), values: null };
    case 'REG_BINARY':
      return { value: Buffer.from(value.data).toString('hex').toUpperCase(), values: null };
    case 'REG_MULTI_SZ':
      return { value: value.data.join(' '), values: [...value.data] };
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { value: value.data, values: null };
  }
}
