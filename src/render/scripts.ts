/**
 * Signed-ready PowerShell: per profile an installer (verifies the matching .reg against the
 * SHA-256 embedded here, backs up, imports) and an audit (compares the registry with the plan).
 * Both carry the same data: a detection table (Win32_OperatingSystem → target) and, per target,
 * the prerequisites, the keys touched and every value with its source. All data enters the
 * scripts through formats/powershell.ts literals; templates/scripts/ lays them out.
 */
import { psHex, psPascalIdentifier, psSingleQuoted, psStringArray, psStringExpression } from '../formats/powershell.js';
import { utf16leBomCrlf } from '../formats/text-encoding.js';
import type { RegistryValue } from '../model/registry.js';
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
    profile,
    profileId: psSingleQuoted(profile.id),
    files: scriptFileNames(profile.id),
    here: WINDOWS_CURRENT_FOLDER,
    targets: profile.targets.map(detectionRow),
    plans: profile.targets.map((plan) => targetData(profile, plan)),
    coveredList: psSingleQuoted(profile.targets.map((t) => t.variantId).join(', ')),
  };
}

/** Win32_OperatingSystem facts that identify a target: NT version, product type, build range, 64-bit. */
function detectionRow(plan: TargetPlan) {
  return {
    target: psSingleQuoted(plan.variantId),
    description: psSingleQuoted(`${plan.target.product}, ${describeArchitecture(plan.architecture)}`),
    version: psSingleQuoted(plan.target.ntVersion),
    // ProductType: 1 workstation, 2 domain controller, 3 server.
    productTypes: plan.target.kind === 'server' ? '@(2, 3)' : '@(1)',
    buildMin: String(plan.target.build.min),
    buildMax: plan.target.build.max === null ? '[int]::MaxValue' : String(plan.target.build.max),
    is64Bit: plan.architecture === 'x64' ? '$true' : '$false',
  };
}

function targetData(profile: ProfilePlan, plan: TargetPlan) {
  const names = regFileNames(plan);
  const digest = (text: string) => psSingleQuoted(sha256Hex(utf16leBomCrlf(text)).toUpperCase());
  const keys = [...new Map([...plan.apply, ...plan.rollback].map((op) => [`${op.hive}\\${op.path}`.toUpperCase(), `${op.hive}\\${op.path}`])).values()];
  return {
    target: psSingleQuoted(plan.variantId),
    applyFile: psSingleQuoted(names.apply),
    applySha256: digest(renderRegApply(profile, plan)),
    rollbackFile: psSingleQuoted(names.rollback),
    rollbackSha256: digest(renderRegRollback(profile, plan)),
    restartRequired: plan.rebootRequired ? '$true' : '$false',
    prerequisites: plan.prerequisites.map((p) => ({ id: psSingleQuoted(p.id), title: psSingleQuoted(p.title), url: psSingleQuoted(p.url) })),
    keys: psStringArray(keys),
    values: plan.apply.filter((op) => op.action !== 'delete-key').map(valueRow),
    deletedKeys: psStringArray(plan.apply.filter((op) => op.action === 'delete-key').map((op) => `${op.hive}\\${op.path}`)),
  };
}

/** One value the audit checks: Set (type and data must match) or Delete (must be absent). */
function valueRow(op: Exclude<RegistryOperation, { action: 'delete-key' }>) {
  const set = op.action === 'set';
  return {
    action: set ? "'Set'" : "'Delete'",
    key: psSingleQuoted(`${op.hive}\\${op.path}`),
    name: psSingleQuoted(op.name),
    type: set ? psSingleQuoted(VALUE_KIND[op.value.type]) : "''",
    data: set ? canonicalData(op.value) : "''",
    setting: psSingleQuoted(op.setting.id),
    source: psSingleQuoted(op.setting.source.url),
  };
}

/** Names of Microsoft.Win32.RegistryValueKind, which RegistryKey.GetValueKind returns. */
const VALUE_KIND: Record<RegistryValue['type'], string> = {
  REG_SZ: 'String',
  REG_EXPAND_SZ: 'ExpandString',
  REG_MULTI_SZ: 'MultiString',
  REG_DWORD: 'DWord',
  REG_QWORD: 'QWord',
  REG_BINARY: 'Binary',
};

/** The text ConvertTo-TlsgenText (in the scripts) makes of a registry value, so the audit compares text. */
function canonicalData(value: RegistryValue): string {
  switch (value.type) {
    case 'REG_DWORD':
      return psSingleQuoted(psHex(value.data, 8));
    case 'REG_QWORD':
      return psSingleQuoted(psHex(value.data, 16));
    case 'REG_BINARY':
      return psSingleQuoted(Buffer.from(value.data).toString('hex').toUpperCase());
    case 'REG_MULTI_SZ':
      return psStringExpression(value.data.join('\u0000'));
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return psStringExpression(value.data);
  }
}
