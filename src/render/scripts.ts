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
import { type PsLiterals, REGISTRY_VALUE_KIND, UTF8_LITERALS, psCanonicalData, psPascalIdentifier, psSingleQuoted } from '../formats/powershell.js';
import { windowsUpperInvariant } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation, SetValueOperation, TargetPlan } from '../resolve/plan.js';
import { sha256Hex } from './checksums.js';
import { type RenderContext, regFilesOf } from './context.js';
import { WINDOWS_CURRENT_FOLDER, describeArchitecture } from './describe.js';
import { type DeepReadonly, renderTemplatesSharing } from './engine.js';

/** The scripts/data partial's context: every field is PowerShell source (a literal or an expression). */
export type ScriptDataModel = DeepReadonly<{
  profileId: string;
  /** The detection table: Win32_OperatingSystem facts per target. */
  targets: {
    target: string;
    description: string;
    kind: string;
    version: string;
    productTypes: string;
    buildMin: string;
    buildMax: string;
    is64Bit: string;
  }[];
  plans: {
    target: string;
    applyFile: string;
    applySha256: string;
    rollbackFile: string;
    rollbackSha256: string;
    restartRequired: string;
    prerequisites: { id: string; title: string; url: string; requiredBy: string; files: { path: string; minVersion: string; source: string }[] }[];
    advisories: { kind: string; requiredBy: string; minRelease: string; text: string; source: string }[];
    /** One literal per key, one per line in the scripts (a profile can touch dozens of keys). */
    keys: string[];
    values: {
      action: string;
      key: string;
      name: string;
      type: string;
      data: string;
      /** `@(...)` of the other data the value policy accepts as compliant (same type); `@()` for most values. */
      accepted: string;
      setting: string;
      source: string;
      restartRequired: string;
    }[];
    deletedKeys: string[];
  }[];
  coveredList: string;
}>;

/** The scripts/install and scripts/audit templates' model: the same data in both. */
export type ScriptModel = ScriptDataModel & DeepReadonly<{ profile: ProfilePlan; files: { install: string; audit: string }; here: string }>;

export function scriptFileNames(profileId: string): { readonly install: string; readonly audit: string } {
  const name = psPascalIdentifier(profileId);
  return { install: `Install-${name}.ps1`, audit: `Test-${name}.ps1` };
}

/** The installer and the audit, from one model: they carry the same data. */
export function renderScripts(profile: ProfilePlan, context: RenderContext): { readonly install: string; readonly audit: string } {
  const model: ScriptModel = {
    ...scriptDataModel(profile, profile.targets, UTF8_LITERALS, context),
    profile,
    files: scriptFileNames(profile.id),
    here: WINDOWS_CURRENT_FOLDER,
  };
  // Both include the same scripts/data text: rendered once.
  const [install, audit] = renderTemplatesSharing(['scripts/install', 'scripts/audit'], model, 'scripts/data') as [string, string];
  return { install, audit };
}

/**
 * The context the scripts/data partial needs (and nothing else): `profileId`, `targets` (the
 * detection table), `plans` (per target) and `coveredList`. `targets` limits the table to the
 * targets a script family supports; `literals` encodes every text.
 */
export function scriptDataModel(profile: ProfilePlan, targets: readonly TargetPlan[], literals: PsLiterals, context: RenderContext): ScriptDataModel {
  return {
    profileId: literals.string(profile.id),
    targets: targets.map((plan) => detectionRow(plan, literals)),
    plans: targets.map((plan) => targetData(plan, literals, context)),
    coveredList: literals.string(targets.map((t) => t.variantId).join(', ')),
  };
}

/** Win32_OperatingSystem facts that identify a target: NT version, kind, build range, 64-bit. */
function detectionRow(plan: TargetPlan, literals: PsLiterals): ScriptDataModel['targets'][number] {
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

function targetData(plan: TargetPlan, literals: PsLiterals, context: RenderContext): ScriptDataModel['plans'][number] {
  // The SHA-256 of the very bytes the reg format writes.
  const files = regFilesOf(context, plan);
  const digest = (bytes: Uint8Array) => psSingleQuoted(sha256Hex(bytes).toUpperCase());
  const keys = [
    ...new Map([...plan.apply, ...plan.rollback].map((op) => [windowsUpperInvariant(`${op.hive}\\${op.path}`), `${op.hive}\\${op.path}`])).values(),
  ];
  return {
    target: literals.string(plan.variantId),
    applyFile: literals.string(files.apply.name),
    applySha256: digest(files.apply.bytes),
    rollbackFile: literals.string(files.rollback.name),
    rollbackSha256: digest(files.rollback.bytes),
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
    keys: keys.map(literals.string),
    values: plan.apply.filter((op) => op.action !== 'delete-key').map((op) => valueRow(op, literals)),
    deletedKeys: plan.apply.filter((op) => op.action === 'delete-key').map((op) => literals.string(`${op.hive}\\${op.path}`)),
  };
}

/**
 * One value the scripts check: Set (type and data must match; the data may also be one the value
 * policy accepts) or Delete (must be absent).
 */
function valueRow(op: Exclude<RegistryOperation, { action: 'delete-key' }>, literals: PsLiterals): ScriptDataModel['plans'][number]['values'][number] {
  const set = op.action === 'set';
  return {
    action: set ? "'Set'" : "'Delete'",
    key: literals.string(`${op.hive}\\${op.path}`),
    name: literals.string(op.name),
    type: set ? psSingleQuoted(REGISTRY_VALUE_KIND[op.value.type]) : "''",
    data: set ? psCanonicalData(op.value, literals) : "''",
    accepted: set ? acceptedData(op, literals) : '@()',
    setting: literals.string(op.setting.id),
    source: literals.string(op.setting.source.url),
    restartRequired: op.rebootRequired ? '$true' : '$false',
  };
}

/** `@('0xFFFFFFFF')`: the alternatives in the text the scripts compare (psCanonicalData), each of the planned type. */
function acceptedData(op: SetValueOperation, literals: PsLiterals): string {
  for (const alternative of op.alsoAccepted) {
    if (alternative.type !== op.value.type) {
      throw new Error(`internal: ${op.hive}\\${op.path} "${op.name}" accepts ${alternative.type} data, but the plan writes ${op.value.type}`);
    }
  }
  return `@(${op.alsoAccepted.map((alternative) => psCanonicalData(alternative, literals)).join(', ')})`;
}
