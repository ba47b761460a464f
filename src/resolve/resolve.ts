/**
 * Resolve phase: profile × target variant → TargetPlan. Every decision about what an artifact
 * contains is made here (selection, already-default classification, minimal mode, rollback,
 * prerequisites, warnings, reboot); renderers only lay the plan out.
 * Input must have passed validation: unknown references and unparsable data are bugs here.
 */
import type { Catalog } from '../model/catalog.js';
import { parseKeyPath, parseValueData, valueNameIdentity } from '../model/registry.js';
import type { Parsed } from '../model/registry.js';
import { selectOperations } from '../model/selection.js';
import type { SelectedOperation } from '../model/selection.js';
import { conditionMatches, variantsOf } from '../model/targets.js';
import type { TargetVariant } from '../model/targets.js';
import type { ChannelDef, Located, OutputMode, ProfileDef, SettingDef } from '../definitions/types.js';
import type {
  ChannelSupport,
  DeleteValueOperation,
  DotNetReleaseAdvisory,
  Prerequisite,
  PlanWarning,
  ProfilePlan,
  RegistryOperation,
  SetValueOperation,
  SettingRef,
  SourceRef,
  TargetPlan,
} from './plan.js';

export interface ResolveOptions {
  /** Overrides the profile's own mode (the CLI's --mode). */
  readonly mode?: OutputMode;
}

export function resolveProfile(catalog: Catalog, profile: ProfileDef, options: ResolveOptions = {}): ProfilePlan {
  const mode = options.mode ?? profile.mode ?? 'explicit';
  const settings = profile.settings.map((id) => mustFind(catalog.settings, id, 'setting'));
  const targets = profile.targets
    .map((id) => mustFind(catalog.targets, id, 'target').value)
    .flatMap(variantsOf)
    .map((variant) => resolveTarget(catalog, profile, settings, variant, mode));
  return {
    id: profile.id,
    title: profile.title,
    summary: profile.summary,
    source: sourceRef(catalog, profile.source),
    mode,
    dscResourceModule: profile.dsc?.resourceModule ?? 'PSDesiredStateConfiguration',
    gppRemovePolicy: profile.gpp?.removePolicy ?? false,
    updated: profile.updated ?? null,
    settings: settings.map((s) => settingRef(catalog, s.value)),
    targets,
  };
}

function resolveTarget(
  catalog: Catalog,
  profile: ProfileDef,
  settings: Parameters<typeof selectOperations>[0],
  variant: TargetVariant,
  mode: OutputMode,
): TargetPlan {
  const operations = selectOperations(settings, variant).map((selected) => toOperation(catalog, profile, selected, variant));
  const isSkipped = (op: RegistryOperation): boolean => mode === 'minimal' && op.action === 'set' && op.windowsDefault !== null;
  const apply: RegistryOperation[] = operations.filter((op) => !isSkipped(op));
  const skipped = operations.filter((op): op is SetValueOperation => op.action === 'set' && isSkipped(op));
  const plannedSettings = new Set(apply.map((op) => op.setting.id));
  const prerequisites = prerequisitesFor(catalog, profile, variant, plannedSettings);
  const advisories = dotNetAdvisories(catalog, settings, plannedSettings);
  const warnings: PlanWarning[] = [
    ...(profile.warnings ?? []).filter((w) => conditionMatches(w.when, variant)).map((w) => ({ text: w.text, source: sourceRef(catalog, w.source) })),
    ...deletionsRollbackCannotRestore(apply),
  ];
  const { target } = variant;
  const targetSources = target.sources.map((id) => sourceRef(catalog, id));
  return {
    variantId: variant.variantId,
    target: {
      id: target.id,
      product: target.product,
      kind: target.kind,
      ntVersion: target.ntVersion,
      build: { min: target.build.min, max: target.build.max ?? null },
      gppOsVersion: target.gppOsVersion,
      note: target.note ?? null,
      sources: targetSources,
      channels: {
        dsc: channelSupport(catalog, target.channels.dsc),
        scripts: channelSupport(catalog, target.channels.scripts),
        intune: channelSupport(catalog, target.channels.intune),
      },
    },
    architecture: variant.architecture,
    apply,
    skipped,
    rollback: apply.flatMap(rollbackOf),
    prerequisites,
    advisories,
    warnings,
    rebootRequired: apply.some((op) => op.rebootRequired),
    sources: uniqueSources([
      ...apply.flatMap((op) => [op.setting.source, ...(op.action === 'set' && op.windowsDefault ? [op.windowsDefault.source] : [])]),
      ...prerequisites.flatMap((p) => [p.source, ...p.detection.files.map((f) => f.source)]),
      ...advisories.map((a) => a.source),
      ...warnings.map((w) => w.source),
    ]),
  };
}

/**
 * A prerequisite gates only the settings that need it: on a target where none of them has values,
 * it is left out, and requiredBy lists only the settings planned here.
 */
function prerequisitesFor(catalog: Catalog, profile: ProfileDef, variant: TargetVariant, plannedSettings: ReadonlySet<string>): Prerequisite[] {
  return (profile.prerequisites ?? [])
    .filter((p) => conditionMatches(p.when, variant))
    .map((p) => ({
      id: p.id,
      title: p.title,
      url: p.url,
      source: sourceRef(catalog, p.source),
      note: p.note ?? null,
      requiredBy: p.requiredBy.filter((id) => plannedSettings.has(id)),
      detection: {
        files: (p.detection?.files ?? [])
          .filter((f) => conditionMatches(f.when, variant))
          .map((f) => ({ path: f.path, minVersion: f.minVersion, source: sourceRef(catalog, f.source) })),
      },
    }))
    .filter((p) => p.requiredBy.length > 0);
}

/** One advisory per distinct .NET requirement of the settings planned here. */
function dotNetAdvisories(catalog: Catalog, settings: readonly Located<SettingDef>[], plannedSettings: ReadonlySet<string>): DotNetReleaseAdvisory[] {
  const advisories = new Map<string, DotNetReleaseAdvisory & { requiredBy: string[] }>();
  for (const { value: setting } of settings) {
    const needs = setting.requiresDotNet;
    if (!needs || !plannedSettings.has(setting.id)) continue;
    const identity = `${needs.minRelease}|${needs.text}|${needs.source}`;
    const known = advisories.get(identity);
    if (known) known.requiredBy.push(setting.id);
    else
      advisories.set(identity, {
        kind: 'dotnet-release',
        requiredBy: [setting.id],
        minRelease: needs.minRelease,
        text: needs.text,
        source: sourceRef(catalog, needs.source),
      });
  }
  return [...advisories.values()];
}

function channelSupport(catalog: Catalog, channel: ChannelDef): ChannelSupport {
  return { supported: channel.supported, requires: channel.requires ?? null, note: channel.note ?? null, source: sourceRef(catalog, channel.source) };
}

function toOperation(catalog: Catalog, profile: ProfileDef, selected: SelectedOperation, variant: TargetVariant): RegistryOperation {
  const { operation } = selected;
  const setting = settingRef(catalog, selected.setting.value);
  const { hive, path } = unwrap(parseKeyPath(operation.key));
  const base = { hive, path, setting, rebootRequired: setting.reboot.required, origin: { profile: profile.id, override: null, policy: null } };
  switch (operation.action ?? 'set') {
    case 'delete-key':
      return { ...base, action: 'delete-key' };
    case 'delete-value':
      return { ...base, action: 'delete-value', name: operation.name ?? '' };
    case 'set': {
      const name = operation.name ?? '';
      const override = (profile.overrides ?? []).find((o) => o.setting === setting.id && valueNameIdentity(o.name) === valueNameIdentity(name));
      const value = unwrap(parseValueData(operation.type!, override ? override.data : operation.data));
      // An overridden value is no longer the data the windowsDefault fact was stated for.
      const known = override ? undefined : operation.windowsDefault;
      const windowsDefault = known && conditionMatches(known.when, variant) ? { source: sourceRef(catalog, known.source), note: known.note ?? null } : null;
      return { ...base, action: 'set', name, value, windowsDefault, alsoAccepted: [] };
    }
  }
}

function rollbackOf(op: RegistryOperation): DeleteValueOperation[] {
  if (op.action !== 'set') return [];
  return [{ action: 'delete-value', hive: op.hive, path: op.path, name: op.name, setting: op.setting, rebootRequired: op.rebootRequired, origin: op.origin }];
}

/** A rollback only deletes; what apply deleted is gone, and the rollback file must say so. */
function deletionsRollbackCannotRestore(apply: readonly RegistryOperation[]): PlanWarning[] {
  return apply
    .filter((op) => op.action !== 'set')
    .map((op) => ({
      text:
        op.action === 'delete-key'
          ? `Applying deletes the key ${op.hive}\\${op.path} and everything below it; the rollback cannot restore it. Export it first if you may need it back.`
          : `Applying deletes the value "${op.name}" under ${op.hive}\\${op.path}; the rollback cannot restore it. Export the key first if you may need it back.`,
      source: op.setting.source,
    }));
}

function settingRef(catalog: Catalog, setting: SettingDef): SettingRef {
  return {
    id: setting.id,
    title: setting.title,
    rationale: setting.rationale,
    source: sourceRef(catalog, setting.source),
    reboot: { required: setting.reboot.required, source: sourceRef(catalog, setting.reboot.source), note: setting.reboot.note ?? null },
  };
}

function sourceRef(catalog: Catalog, id: string): SourceRef {
  const { value } = mustFind(catalog.sources, id, 'source');
  return { id: value.id, title: value.title, url: value.url };
}

function uniqueSources(sources: readonly SourceRef[]): SourceRef[] {
  return [...new Map(sources.map((s) => [s.id, s])).values()];
}

function mustFind<T>(map: ReadonlyMap<string, T>, id: string, what: string): T {
  const found = map.get(id);
  if (found === undefined) throw new Error(`internal: ${what} "${id}" passed validation but is missing`);
  return found;
}

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`internal: definition passed validation but does not parse: ${parsed.error}`);
  return parsed.value;
}
