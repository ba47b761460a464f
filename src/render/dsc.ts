/**
 * PowerShell DSC artifacts: one Configuration for the whole fleet (each node picks its target via
 * ConfigurationData's `Target`), its rollback twin, and ConfigurationData.psd1 with an example
 * node per target. Shapes the plan; templates/dsc/ lays it out; formats/dsc.ts writes each value
 * (ValueType, ValueData, Hex) and formats/powershell.ts escapes.
 *
 * Targets where DSC cannot run (TargetInfo.channels.dsc.supported false, e.g. Server 2008 SP2,
 * which tops out at WMF 3.0) are left out of both configurations and ConfigurationData; a node
 * that names one is refused with a message pointing to the .reg files, GPP and scripts.
 */
import { dscPlannedData, dscValueData, dscValueType } from '../formats/dsc.js';
import { REGISTRY_VALUE_KIND, psPascalIdentifier, psSingleQuoted, psStringArray, psStringExpression } from '../formats/powershell.js';
import { inboxDscCannotWrite, psDscResourcesCannotWrite, psDscResourcesRemovalKey, registryResourceCannotOpenKey } from '../model/dsc-registry-limits.js';
import type { RegistryValue } from '../model/registry.js';
import type { ChannelSupport, ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { WINDOWS_CURRENT_FOLDER, describeArchitecture } from './describe.js';
import { type DeepReadonly, renderTemplate } from './engine.js';
import { distinctOperations } from './operation-groups.js';

/** The resource module the configuration imports. PSDscResources is what Azure Machine Configuration needs. */
export type DscResourceModule = ProfilePlan['dscResourceModule'];
export const PSDSCRESOURCES_VERSION = '2.12.0.0';

/** Names of the two Script resources that turn "a value that needs a restart changed" into one restart. */
export const CAPTURE_DRIFT_RESOURCE = 'CaptureTlsDrift';
export const RESTART_RESOURCE = 'RestartAfterTlsChange';
/** The value under restartMarkerKey that records a pending restart (REG_SZ; present = pending). */
export const RESTART_PENDING_VALUE = 'RestartPending';

/** Targets left out of DSC: header lines, and the message (and its literal) a node naming one is refused with. */
type LeftOutModel = { lines: string[]; message: string; quotedMessage: string; targets: string } | null;
type WmfPrerequisite = { requires: string; targets: string; source: string };

/** The dsc/configuration template's model (apply or rollback). */
export type DscConfigurationModel = DeepReadonly<{
  profile: ProfilePlan;
  rollback: boolean;
  configurationName: string;
  here: string;
  files: { apply: string; rollback: string; data: string };
  importLine: string;
  knownTargets: string;
  prerequisites: WmfPrerequisite[];
  leftOut: LeftOutModel;
  resources: ResourceModel[];
  /** Why some operations are Script resources instead of Registry resources (one line per reason), or empty. */
  scriptReasons: string[];
  restart: RestartModel | null;
}>;

/** The dsc/configuration-data template's model. */
export type DscConfigurationDataModel = DeepReadonly<{
  profile: ProfilePlan;
  configurationName: string;
  prerequisites: WmfPrerequisite[];
  leftOut: LeftOutModel;
  nodes: { description: string; nodeName: string; target: string }[];
}>;

export function dscConfigurationName(profileId: string): string {
  return psPascalIdentifier(profileId);
}

export function dscFileNames(profileId: string): { apply: string; rollback: string; data: string } {
  const name = dscConfigurationName(profileId);
  return { apply: `${name}.ps1`, rollback: `${name}Rollback.ps1`, data: 'ConfigurationData.psd1' };
}

export function renderDscConfiguration(profile: ProfilePlan, kind: 'apply' | 'rollback'): string {
  const module: DscResourceModule = profile.dscResourceModule;
  const rollback = kind === 'rollback';
  const dscProfile = dscTargetsOnly(profile);
  const resources = registryResources(dscProfile, rollback);
  return renderTemplate('dsc/configuration', {
    profile,
    rollback,
    configurationName: dscConfigurationName(profile.id) + (rollback ? 'Rollback' : ''),
    here: WINDOWS_CURRENT_FOLDER,
    files: dscFileNames(profile.id),
    importLine:
      module === 'PSDscResources'
        ? `Import-DscResource -ModuleName 'PSDscResources' -ModuleVersion '${PSDSCRESOURCES_VERSION}'`
        : "Import-DscResource -ModuleName 'PSDesiredStateConfiguration'",
    knownTargets: psStringArray(dscProfile.targets.map((t) => t.variantId)),
    prerequisites: wmfPrerequisites(dscProfile),
    leftOut: leftOutModel(profile),
    resources,
    scriptReasons: scriptReasons(resources),
    restart: restartModel(dscProfile, resources, rollback),
  });
}

export function renderDscConfigurationData(profile: ProfilePlan): string {
  const dscProfile = dscTargetsOnly(profile);
  return renderTemplate('dsc/configuration-data', {
    profile,
    configurationName: dscConfigurationName(profile.id),
    prerequisites: wmfPrerequisites(dscProfile),
    leftOut: leftOutModel(profile),
    nodes: dscProfile.targets.map((t) => ({
      description: `${t.target.product}, ${describeArchitecture(t.architecture)}${dscSupport(t).requires ? `: install ${dscSupport(t).requires} first` : ''}`,
      nodeName: psSingleQuoted(`example-${t.variantId}`),
      target: psSingleQuoted(t.variantId),
    })),
  });
}

/** Whether DSC can run on this target variant (the Windows catalogue's channels.dsc). */
function dscSupport(plan: TargetPlan): ChannelSupport {
  return plan.target.channels.dsc;
}

/** The profile as DSC sees it: only the targets where DSC can run. */
function dscTargetsOnly(profile: ProfilePlan): ProfilePlan {
  return { ...profile, targets: profile.targets.filter((t) => dscSupport(t).supported) };
}

/** "Install X first" lines for the header, one per prerequisite with the target variants needing it. */
function wmfPrerequisites(profile: ProfilePlan): WmfPrerequisite[] {
  const groups = new Map<string, { requires: string; variantIds: string[]; source: string }>();
  for (const plan of profile.targets) {
    const support = dscSupport(plan);
    if (support.requires === null) continue;
    const group = groups.get(support.requires) ?? { requires: support.requires, variantIds: [], source: support.source.url };
    group.variantIds.push(plan.variantId);
    groups.set(support.requires, group);
  }
  return [...groups.values()].map((g) => ({ requires: g.requires, targets: g.variantIds.join(', '), source: g.source }));
}

/** Targets left out of DSC, with the message a node naming one of them is refused with. */
function leftOutModel(profile: ProfilePlan): LeftOutModel {
  const leftOut = profile.targets.filter((t) => !dscSupport(t).supported);
  if (leftOut.length === 0) return null;
  // One line per distinct reason, naming the variants it covers (x64 and x86 share one).
  const reasons = new Map<string, string[]>();
  for (const t of leftOut) {
    const support = dscSupport(t);
    const reason = `${support.note ?? 'DSC cannot run there.'} (${support.source.url})`;
    reasons.set(reason, [...(reasons.get(reason) ?? []), t.variantId]);
  }
  const lines = [...reasons].map(([reason, variantIds]) => `${variantIds.join(', ')}: ${reason}`);
  const message = `DSC cannot run on ${leftOut.map((t) => t.variantId).join(', ')}: use reg\\<target>.reg, gpp\\Registry.xml (or the GPO backup) or scripts\\ of this profile instead.`;
  return { lines, message, quotedMessage: psSingleQuoted(message), targets: psStringArray(leftOut.map((t) => t.variantId)) };
}

interface ResourceModel {
  /** Registry, or Script where the module's Registry resource cannot open the key (registryScript). */
  readonly kind: 'Registry' | 'Script';
  readonly name: string;
  readonly quotedName: string;
  readonly targets: string;
  readonly allTargets: boolean;
  readonly setting: RegistryOperation['setting'];
  readonly rebootRequired: boolean;
  readonly properties: readonly { readonly label: string; readonly value: string }[];
  readonly script: ScriptModel | null;
  readonly variantIds: readonly string[];
}

/** One resource per distinct operation, with the target variants it applies to, in plan order. */
function registryResources(profile: ProfilePlan, rollback: boolean): ResourceModel[] {
  const names = new UniqueNames();
  return distinctOperations(profile, rollback ? 'rollback' : 'apply').map(({ op, variantIds }) => {
    const name = names.claim(resourceName(op));
    const scriptReason = registryResourceCannotOpenKey(op.path, op.action, profile.dscResourceModule);
    return {
      kind: scriptReason ? 'Script' : 'Registry',
      name,
      quotedName: psSingleQuoted(name),
      targets: psStringArray(variantIds),
      allTargets: variantIds.length === profile.targets.length,
      setting: op.setting,
      rebootRequired: op.rebootRequired,
      properties: scriptReason ? [] : alignLabels(registryProperties(op, profile.dscResourceModule)),
      script: scriptReason ? registryScript(op, scriptReason) : null,
      variantIds,
    };
  });
}

/** Readable and stable: `<Setting>_<ValueName>`, from ids and names only (never from order). */
function resourceName(op: RegistryOperation): string {
  const setting = psPascalIdentifier(op.setting.id);
  if (op.action === 'delete-key') return `${setting}_DeleteKey_${psPascalIdentifier(op.path.split('\\').pop() ?? 'Key', 'K')}`;
  const value = op.name === '' ? 'Default' : psPascalIdentifier(op.name, 'V');
  return op.action === 'delete-value' ? `${setting}_Delete_${value}` : `${setting}_${value}`;
}

class UniqueNames {
  private readonly taken = new Set<string>([CAPTURE_DRIFT_RESOURCE.toUpperCase(), RESTART_RESOURCE.toUpperCase()]);

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toUpperCase()); n++) candidate = `${name}_${n}`;
    this.taken.add(candidate.toUpperCase());
    return candidate;
  }
}

/**
 * The Registry resource's properties; ValueData and Hex in the form both resource modules parse.
 * Key is `HKEY_LOCAL_MACHINE\...`, except where PSDscResources removes: it hands Key to
 * Remove-ItemProperty/Remove-Item -Path, which need the drive form `HKLM:\...` (psDscResourcesRemovalKey).
 */
function registryProperties(op: RegistryOperation, module: DscResourceModule): { label: string; value: string }[] {
  const removal = op.action !== 'set' && module === 'PSDscResources';
  const key = { label: 'Key', value: psSingleQuoted(removal ? psDscResourcesRemovalKey(op.hive, op.path) : `${op.hive}\\${op.path}`) };
  const after = op.rebootRequired ? [{ label: 'DependsOn', value: psSingleQuoted(`[Script]${CAPTURE_DRIFT_RESOURCE}`) }] : [];
  if (op.action === 'delete-key') {
    return [key, { label: 'ValueName', value: "''" }, { label: 'Force', value: '$true' }, { label: 'Ensure', value: "'Absent'" }, ...after];
  }
  const name = { label: 'ValueName', value: psSingleQuoted(op.name) };
  if (op.action === 'delete-value') return [key, name, { label: 'Force', value: '$true' }, { label: 'Ensure', value: "'Absent'" }, ...after];
  const refusal = (module === 'PSDesiredStateConfiguration' ? inboxDscCannotWrite(op.value) : null) ?? psDscResourcesCannotWrite(op.value);
  if (refusal) throw new Error(`internal: validation should have refused ${op.hive}\\${op.path} "${op.name}" for the in-box DSC module: ${refusal}`);
  const data = dscValueData(op.value);
  return [
    key,
    name,
    { label: 'ValueType', value: psSingleQuoted(dscValueType(op.value.type, module)) },
    { label: 'ValueData', value: data.expression },
    ...(data.hex ? [{ label: 'Hex', value: '$true' }] : []),
    { label: 'Force', value: '$true' },
    { label: 'Ensure', value: "'Present'" },
    ...after,
  ];
}

/** A Script resource that does one registry operation through .NET's RegistryKey (templates/dsc/registry-script.hbs). */
type ScriptModel = DeepReadonly<{
  deleteKey: boolean;
  deleteValue: boolean;
  reason: string;
  key: string;
  hive: string;
  path: string;
  valueName: string;
  kind: string;
  data: string;
  dependsOn: string | null;
}>;

/**
 * The Script resource that does what a Registry resource cannot for this key (a name with '/', see
 * registryResourceCannotOpenKey). Every key is opened or created with RegistryKey.OpenSubKey /
 * CreateSubKey / DeleteSubKeyTree on the hive's own key: `Get-Item -LiteralPath 'Registry::HIVE'`
 * returns the static Registry.LocalMachine (PowerShell/PowerShell@929903692e, RegistryProvider.cs
 * lines 3307-3311 and 3649-3656), and Win32 splits the subkey path at '\' only, so 'RC4 128/128' is
 * one key. Test compares kind and data exactly as the registry returns them; Set writes the planned
 * data with the planned kind (RegistryKey.SetValue), so a node that has the value is left alone.
 */
function registryScript(op: RegistryOperation, reason: string): ScriptModel {
  const common = {
    deleteKey: op.action === 'delete-key',
    deleteValue: op.action === 'delete-value',
    reason,
    key: `${op.hive}\\${op.path}`,
    hive: psSingleQuoted(`Registry::${op.hive}`),
    path: psSingleQuoted(op.path),
    dependsOn: op.rebootRequired ? psSingleQuoted(`[Script]${CAPTURE_DRIFT_RESOURCE}`) : null,
  };
  if (op.action === 'delete-key') return { ...common, valueName: "''", kind: '', data: '' };
  if (op.action === 'delete-value') return { ...common, valueName: psSingleQuoted(op.name), kind: '', data: '' };
  return { ...common, valueName: psSingleQuoted(op.name), kind: psSingleQuoted(REGISTRY_VALUE_KIND[op.value.type]), data: typedData(op.value) };
}

/** Header lines: each reason a Registry resource was not used, with the keys it applies to. */
function scriptReasons(resources: readonly ResourceModel[]): string[] {
  const keys = new Map<string, Set<string>>();
  for (const r of resources) if (r.script) keys.set(r.script.reason, (keys.get(r.script.reason) ?? new Set()).add(r.script.key));
  return [...keys].map(([reason, set]) => `${[...set].join('; ')}: ${reason}.`);
}

/** The planned data as the typed object RegistryKey.SetValue takes and GetValue returns (DWORD/QWORD signed). */
function typedData(value: RegistryValue): string {
  switch (value.type) {
    case 'REG_DWORD':
      return `[int]'${BigInt.asIntN(32, BigInt(value.data)).toString(10)}'`;
    case 'REG_QWORD':
      return `[long]'${BigInt.asIntN(64, value.data).toString(10)}'`;
    case 'REG_BINARY':
      return `[byte[]]@(${[...value.data].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(', ')})`;
    case 'REG_MULTI_SZ':
      return `[string[]]${psStringArray(value.data)}`;
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return psStringExpression(value.data);
  }
}

function alignLabels(properties: { label: string; value: string }[]): { label: string; value: string }[] {
  const width = Math.max(...properties.map((p) => p.label.length));
  return properties.map((p) => ({ label: p.label.padEnd(width), value: p.value }));
}

/** The restart Script resources' part of the dsc/configuration model (null when no value needs a restart). */
type RestartModel = DeepReadonly<{
  allTargets: boolean;
  targets: string;
  markerKey: string;
  markerSubkey: string;
  markerChild: string;
  pendingValue: string;
  captureName: string;
  restartName: string;
  pendingText: string;
  captureGroups: { allTargets: boolean; targets: string; entries: string[] }[];
  dependsOn: { target: string; resources: string }[];
}>;

/**
 * DSC's Registry resource never asks for a restart. Two Script resources do, only when a value
 * that needs one actually changes on this node:
 *  - CaptureTlsDrift (no DependsOn; every restart-requiring Registry resource depends on it) tests
 *    the planned restart-requiring values of the node's target against the registry before the
 *    Registry resources run; when one differs, its SetScript records RestartPending under the
 *    marker key. Its test is true when nothing differs or a record is already pending.
 *  - RestartAfterTlsChange (after those Registry resources) tests "no record pending"; its SetScript
 *    clears the record and sets $global:DSCMachineStatus = 1, which the LCM honours with
 *    RebootNodeIfNeeded = $true.
 * The script blocks hold their data as literals, never $using: (which the Script resource of WMF
 * 4.0 does not expand), so each group of targets with the same restart-requiring values gets its
 * own CaptureTlsDrift, guarded by `if ($target -in ...)`.
 */
function restartModel(profile: ProfilePlan, resources: readonly ResourceModel[], rollback: boolean): RestartModel | null {
  const plans = profile.targets.filter((t) => (rollback ? t.rollback : t.apply).some((op) => op.rebootRequired));
  if (plans.length === 0) return null;
  const groups = new Map<string, { variantIds: string[]; entries: string[] }>();
  for (const plan of plans) {
    const entries = (rollback ? plan.rollback : plan.apply).filter((op) => op.rebootRequired).map(plannedEntry);
    const identity = entries.join('\n');
    const group = groups.get(identity) ?? { variantIds: [], entries };
    group.variantIds.push(plan.variantId);
    groups.set(identity, group);
  }
  const markerKey = restartMarkerKey(profile.id);
  return {
    allTargets: plans.length === profile.targets.length,
    targets: psStringArray(plans.map((t) => t.variantId)),
    markerKey: psSingleQuoted(markerKey),
    markerSubkey: psSingleQuoted(markerKey.replace(/^HKLM:\\/, '')),
    markerChild: psSingleQuoted(markerKey.replace(/^HKLM:\\SOFTWARE\\/, '')),
    pendingValue: psSingleQuoted(RESTART_PENDING_VALUE),
    captureName: psSingleQuoted(CAPTURE_DRIFT_RESOURCE),
    restartName: psSingleQuoted(RESTART_RESOURCE),
    pendingText: psSingleQuoted(
      rollback
        ? `A value that needs a restart was still there before ${dscConfigurationName(profile.id)}Rollback removed it.`
        : `A value that needs a restart differed from ${dscConfigurationName(profile.id)} before its Registry resources ran.`,
    ),
    captureGroups: [...groups.values()].map((g) => ({
      allTargets: g.variantIds.length === profile.targets.length,
      targets: psStringArray(g.variantIds),
      entries: g.entries,
    })),
    dependsOn: plans.map((t) => ({
      target: psSingleQuoted(t.variantId),
      resources: psStringArray(resources.filter((r) => r.rebootRequired && r.variantIds.includes(t.variantId)).map((r) => `[${r.kind}]${r.name}`)),
    })),
  };
}

/**
 * One planned value as a PowerShell array literal for CaptureTlsDrift: what, hive, key, value name,
 * kind (RegistryKey.GetValueKind's name), data (DWORD/QWORD as unsigned decimal, Binary as hex).
 */
function plannedEntry(op: RegistryOperation): string {
  const where = [psSingleQuoted(op.hive), psSingleQuoted(op.path)];
  if (op.action === 'delete-key') return `@('absentkey', ${where.join(', ')})`;
  if (op.action === 'delete-value') return `@('absent', ${where.join(', ')}, ${psSingleQuoted(op.name)})`;
  return `@('set', ${where.join(', ')}, ${psSingleQuoted(op.name)}, ${psSingleQuoted(REGISTRY_VALUE_KIND[op.value.type])}, ${dscPlannedData(op.value)})`;
}

/** Where the restart Script resources keep the pending-restart record (a PowerShell registry path). */
export function restartMarkerKey(profileId: string): string {
  return `HKLM:\\SOFTWARE\\tlsgen\\${profileId}`;
}
