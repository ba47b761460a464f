/**
 * PowerShell DSC artifacts: one Configuration for the whole fleet (each node picks its target via
 * ConfigurationData's `Target`), its rollback twin, and ConfigurationData.psd1 with an example
 * node per target. Shapes the plan; templates/dsc/ lays it out; formats/powershell.ts escapes.
 */
import { createHash } from 'node:crypto';
import { psHex, psPascalIdentifier, psSingleQuoted, psStringArray, psStringExpression } from '../formats/powershell.js';
import type { RegistryValue } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { WINDOWS_CURRENT_FOLDER, describeArchitecture } from './describe.js';
import { distinctOperations, operationIdentity } from './operation-groups.js';
import { renderTemplate } from './engine.js';

/** The resource module the configuration imports. PSDscResources is what Azure Machine Configuration needs. */
export type DscResourceModule = ProfilePlan['dscResourceModule'];
export const PSDSCRESOURCES_VERSION = '2.12.0.0';

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
  const resources = registryResources(profile, rollback);
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
    knownTargets: psStringArray(profile.targets.map((t) => t.variantId)),
    resources,
    restart: restartModel(profile, resources, rollback),
  });
}

export function renderDscConfigurationData(profile: ProfilePlan): string {
  return renderTemplate('dsc/configuration-data', {
    profile,
    configurationName: dscConfigurationName(profile.id),
    nodes: profile.targets.map((t) => ({
      description: `${t.target.product}, ${describeArchitecture(t.architecture)}`,
      nodeName: psSingleQuoted(`example-${t.variantId}`),
      target: psSingleQuoted(t.variantId),
    })),
  });
}

interface ResourceModel {
  readonly name: string;
  readonly quotedName: string;
  readonly targets: string;
  readonly allTargets: boolean;
  readonly setting: RegistryOperation['setting'];
  readonly rebootRequired: boolean;
  readonly properties: { label: string; value: string }[];
  readonly variantIds: string[];
}

/** One resource per distinct operation, with the target variants it applies to, in plan order. */
function registryResources(profile: ProfilePlan, rollback: boolean): ResourceModel[] {
  const names = new UniqueNames();
  return distinctOperations(profile, rollback ? 'rollback' : 'apply').map(({ op, variantIds }) => {
    const name = names.claim(resourceName(op));
    return {
      name,
      quotedName: psSingleQuoted(name),
      targets: psStringArray(variantIds),
      allTargets: variantIds.length === profile.targets.length,
      setting: op.setting,
      rebootRequired: op.rebootRequired,
      properties: alignLabels(registryProperties(op)),
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
  private readonly taken = new Set<string>();

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toUpperCase()); n++) candidate = `${name}_${n}`;
    this.taken.add(candidate.toUpperCase());
    return candidate;
  }
}

const DSC_VALUE_TYPE: Record<RegistryValue['type'], string> = {
  REG_SZ: 'String',
  REG_EXPAND_SZ: 'ExpandString',
  REG_MULTI_SZ: 'MultiString',
  REG_DWORD: 'Dword',
  REG_QWORD: 'Qword',
  REG_BINARY: 'Binary',
};

/** The Registry resource's properties, as formats.md §5.2 and the issue prescribe. */
function registryProperties(op: RegistryOperation): { label: string; value: string }[] {
  const key = { label: 'Key', value: psSingleQuoted(`${op.hive}\\${op.path}`) };
  if (op.action === 'delete-key') {
    return [key, { label: 'ValueName', value: "''" }, { label: 'Force', value: '$true' }, { label: 'Ensure', value: "'Absent'" }];
  }
  const name = { label: 'ValueName', value: psSingleQuoted(op.name) };
  if (op.action === 'delete-value') return [key, name, { label: 'Force', value: '$true' }, { label: 'Ensure', value: "'Absent'" }];
  const numeric = op.value.type === 'REG_DWORD' || op.value.type === 'REG_QWORD';
  return [
    key,
    name,
    { label: 'ValueType', value: psSingleQuoted(DSC_VALUE_TYPE[op.value.type]) },
    { label: 'ValueData', value: valueData(op.value) },
    ...(numeric ? [{ label: 'Hex', value: '$true' }] : []),
    { label: 'Force', value: '$true' },
    { label: 'Ensure', value: "'Present'" },
  ];
}

/** ValueData as a PowerShell expression: DWORD/QWORD in hex (with Hex = $true), Binary as 0x + hex. */
function valueData(value: RegistryValue): string {
  switch (value.type) {
    case 'REG_DWORD':
      return psSingleQuoted(psHex(value.data, 8));
    case 'REG_QWORD':
      return psSingleQuoted(psHex(value.data, 16));
    case 'REG_BINARY':
      return psSingleQuoted(value.data.length === 0 ? '' : '0x' + Buffer.from(value.data).toString('hex').toUpperCase());
    case 'REG_MULTI_SZ':
      return psStringArray(value.data);
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return psStringExpression(value.data);
  }
}

function alignLabels(properties: { label: string; value: string }[]): { label: string; value: string }[] {
  const width = Math.max(...properties.map((p) => p.label.length));
  return properties.map((p) => ({ label: p.label.padEnd(width), value: p.value }));
}

/**
 * DSC's Registry resource never asks for a restart. A Script resource that runs after the
 * registry resources does: it keeps a marker (the digest of what was applied to this target) under
 * HKLM\SOFTWARE\tlsgen\<profile>, and when the marker differs it writes it and sets
 * $global:DSCMachineStatus = 1, which the LCM honours when RebootNodeIfNeeded is on.
 */
function restartModel(profile: ProfilePlan, resources: ResourceModel[], rollback: boolean) {
  const plans = profile.targets.filter((t) => t.rebootRequired);
  if (plans.length === 0) return null;
  const markerKey = restartMarkerKey(profile.id);
  return {
    targets: psStringArray(plans.map((t) => t.variantId)),
    markerKey: psSingleQuoted(markerKey),
    digests: plans.map((t) => ({ target: psSingleQuoted(t.variantId), digest: psSingleQuoted(rollback ? 'rolled-back' : planDigest(t)) })),
    dependsOn: plans.map((t) => ({
      target: psSingleQuoted(t.variantId),
      resources: psStringArray(resources.filter((r) => r.rebootRequired && r.variantIds.includes(t.variantId)).map((r) => `[Registry]${r.name}`)),
    })),
  };
}

/** Where the restart Script resource keeps what it last applied (a PowerShell registry path). */
export function restartMarkerKey(profileId: string): string {
  return `HKLM:\\SOFTWARE\\tlsgen\\${profileId}`;
}

function planDigest(plan: TargetPlan): string {
  const canonical = plan.apply.map(operationIdentity).join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
