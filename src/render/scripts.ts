/**
 * Signed-ready PowerShell: per profile an installer (verifies the matching .reg against the
 * SHA-256 embedded here, backs up, imports, reads every value back) and an audit (compares the
 * registry with the plan; usable as an Intune or ConfigMgr detection script). Both carry the same
 * data and functions, the scripts/data partial: a detection table (Win32_OperatingSystem → target)
 * and, per target, the .reg files and their hashes, the prerequisites with their capability checks,
 * the .NET advisories, the keys touched and every value with its setting and source. All data enters
 * the scripts through formats/powershell.ts literals; templates/scripts/ lays them out.
 *
 * The scripts/data partial is shared with other script families (templates/intune/): they build its
 * context with scriptDataModel(), passing their own literal encoders (e.g. ASCII-only), so the
 * partial's fields are defined in exactly one place.
 */
import { psHex, psPascalIdentifier, psSingleQuoted, psStringArray, psStringExpression } from '../formats/powershell.js';
import { REGISTRY_VALUE_KIND } from '../formats/powershell.js';
import { utf16leBomCrlf } from '../formats/text-encoding.js';
import type { RegistryValue } from '../model/registry.js';
import { windowsUpperInvariant } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { sha256Hex } from './checksums.js';
import { WINDOWS_CURRENT_FOLDER, describeArchitecture } from './describe.js';
import { renderTemplate } from './engine.js';
import { regFileNames, renderRegApply, renderRegRollback } from './reg-file.js';

export function scriptFileNames(profileId: string): { install: string; audit: string } {
  const name = psPascalIdentifier(profileId);
  return { install: `Install-${name}.ps1`, audit: `Test-${name}.ps1` };
}

export function renderInstallScript(profile: ProfilePlan): string {
  return renderTemplate('scripts/install', scriptModel(profile));
}

export function renderAuditScript(profile: ProfilePlan): string {
  return renderTemplate('scripts/audit', scriptModel(profile));
}

/** How text from the definitions becomes PowerShell source: one string, and an array of strings. */
export interface PsLiterals {
  readonly string: (text: string) => string;
  readonly array: (items: readonly string[]) => string;
}

/** The default: UTF-8 literals (the scripts are UTF-8 with BOM). */
export const UTF8_LITERALS: PsLiterals = { string: psStringExpression, array: psStringArray };

/** The installer and the audit carry the same data: build it once per profile. */
const models = new WeakMap<ProfilePlan, ReturnType<typeof buildScriptModel>>();

function scriptModel(profile: ProfilePlan) {
  let model = models.get(profile);
  if (!model) {
    model = buildScriptModel(profile);
    models.set(profile, model);
  }
  return model;
}

function buildScriptModel(profile: ProfilePlan) {
  return {
    ...scriptDataModel(profile, profile.targets, UTF8_LITERALS),
    profile,
    files: scriptFileNames(profile.id),
    here: WINDOWS_CURRENT_FOLDER,
  };
}

/**
 * The context the scripts/data partial needs (and nothing else): `profileId`, `targets` (the
 * detection table), `plans` (per target) and `coveredList`. `targets` limits the table to the
 * targets a script family supports; `literals` encodes every text.
 */
export function scriptDataModel(profile: ProfilePlan, targets: readonly TargetPlan[], literals: PsLiterals) {
  return {
    profileId: literals.string(profile.id),
    targets: targets.map((plan) => detectionRow(plan, literals)),
    plans: targets.map((plan) => targetData(profile, plan, literals)),
    coveredList: literals.string(targets.map((t) => t.variantId).join(', ')),
  };
}

/** Win32_OperatingSystem facts that identify a target: NT version, kind, build range, 64-bit. */
function detectionRow(plan: TargetPlan, literals: PsLiterals) {
  return {
    target: literals.string(plan.variantId),
    description: literals.string(`${plan.target.product}, ${describeArchitecture(plan.architecture)}`),
    kind: literals.string(plan.target.kind),
    version: literals.string(plan.target.ntVersion),
    // ProductType: 1 workstation, 2 domain controller, 3 server.
    productTypes: plan.target.kind === 'server' ? '@(2, 3)' : '@(1)',
    buildMin: String(plan.target.build.min),
    buildMax: plan.target.build.max === null ? '[int]::MaxValue' : String(plan.target.build.max),
    is64Bit: plan.architecture === 'x64' ? '$true' : '$false',
  };
}

function targetData(profile: ProfilePlan, plan: TargetPlan, literals: PsLiterals) {
  const names = regFileNames(plan);
  const digest = (text: string) => psSingleQuoted(sha256Hex(utf16leBomCrlf(text)).toUpperCase());
  const keys = [
    ...new Map([...plan.apply, ...plan.rollback].map((op) => [windowsUpperInvariant(`${op.hive}\\${op.path}`), `${op.hive}\\${op.path}`])).values(),
  ];
  return {
    target: literals.string(plan.variantId),
    applyFile: literals.string(names.apply),
    applySha256: digest(renderRegApply(profile, plan)),
    rollbackFile: literals.string(names.rollback),
    rollbackSha256: digest(renderRegRollback(profile, plan)),
    restartRequired: plan.rebootRequired ? '$true' : '$false',
    prerequisites: plan.prerequisites.map((p) => ({
      id: literals.string(p.id),
      title: literals.string(p.title),
      url: literals.string(p.url),
      requiredBy: literals.array(p.requiredBy),
      files: p.detection.files.map((f) => ({
        path: literals.string(f.path),
        minVersion: literals.string(f.minVersion),
        source: literals.string(f.source.url),
      })),
    })),
    advisories: plan.advisories.map((a) => ({
      kind: literals.string(a.kind),
      requiredBy: literals.array(a.requiredBy),
      minRelease: String(a.minRelease),
      text: literals.string(a.text),
      source: literals.string(a.source.url),
    })),
    keys: literals.array(keys),
    values: plan.apply.filter((op) => op.action !== 'delete-key').map((op) => valueRow(op, literals)),
    deletedKeys: literals.array(plan.apply.filter((op) => op.action === 'delete-key').map((op) => `${op.hive}\\${op.path}`)),
  };
}

/** One value the scripts check: Set (type and data must match) or Delete (must be absent). */
function valueRow(op: Exclude<RegistryOperation, { action: 'delete-key' }>, literals: PsLiterals) {
  const set = op.action === 'set';
  return {
    action: set ? "'Set'" : "'Delete'",
    key: literals.string(`${op.hive}\\${op.path}`),
    name: literals.string(op.name),
    type: set ? psSingleQuoted(REGISTRY_VALUE_KIND[op.value.type]) : "''",
    data: set ? canonicalData(op.value, literals) : "''",
    setting: literals.string(op.setting.id),
    source: literals.string(op.setting.source.url),
    restartRequired: op.rebootRequired ? '$true' : '$false',
  };
}

/** The text ConvertTo-TlsgenText (in the scripts) makes of a registry value, so the scripts compare text. */
function canonicalData(value: RegistryValue, literals: PsLiterals): string {
  switch (value.type) {
    case 'REG_DWORD':
      return psSingleQuoted(psHex(value.data, 8));
    case 'REG_QWORD':
      return psSingleQuoted(psHex(value.data, 16));
    case 'REG_BINARY':
      return psSingleQuoted(Buffer.from(value.data).toString('hex').toUpperCase());
    case 'REG_MULTI_SZ':
      return literals.string(value.data.join('\u0000'));
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return literals.string(value.data);
  }
}
