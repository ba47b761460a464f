/**
 * Resolve phase: profile × target variant → TargetPlan. Every decision about what an artifact
 * contains is made here (selection, already-default classification, minimal mode, rollback,
 * prerequisites, warnings, reboot); renderers only lay the plan out.
 * Input must have passed validation: unknown references and unparsable data are bugs here.
 */
import type { Catalog } from '../model/catalog.js';
import type { ComposedPolicy, ComposedProfile } from '../model/compose.js';
import { isWinHttpDefaultSecureProtocols, policyDataText, schannelProtocolValue, winHttpProtocolBitmap } from '../model/tls-values.js';
import { parseKeyPath, parseValueData, sameValue, valueNameIdentity } from '../model/registry.js';
import type { Parsed } from '../model/registry.js';
import { selectOperations } from '../model/selection.js';
import type { SelectedOperation } from '../model/selection.js';
import { conditionMatches, variantsOf } from '../model/targets.js';
import type { TargetVariant } from '../model/targets.js';
import type { ChannelDef, Located, OperationDef, OutputMode, SettingDef } from '../definitions/types.js';
import type {
  ChannelSupport,
  DeleteValueOperation,
  DotNetReleaseAdvisory,
  LeftOutPlan,
  Origin,
  PlannedException,
  PlannedRemoval,
  Prerequisite,
  PlanWarning,
  ProfilePlan,
  RegistryOperation,
  SetValueOperation,
  SettingRef,
  SourceRef,
  TargetPlan,
} from './plan.js';
import type { RegistryValue } from '../model/registry.js';

export interface ResolveOptions {
  /** Overrides the profile's own mode (the CLI's --mode). */
  readonly mode?: OutputMode;
}

export function resolveProfile(catalog: Catalog, profile: ComposedProfile, options: ResolveOptions = {}): ProfilePlan {
  const mode = options.mode ?? profile.mode ?? 'explicit';
  const settings = profile.settings.map((entry) => ({ setting: mustFind(catalog.settings, entry.value, 'setting'), profile: entry.profile }));
  const targets = profile.targets.value
    .map((id) => mustFind(catalog.targets, id, 'target').value)
    .flatMap(variantsOf)
    .map((variant) => resolveTarget(catalog, profile, settings, variant, mode));
  const own = profile.own.value;
  return {
    id: profile.id,
    title: own.title,
    summary: own.summary,
    source: sourceRef(catalog, own.source),
    extends: profile.chain.slice(1),
    mode,
    policy: profile.policy,
    workloads: profile.workloads,
    compliance: profile.compliance,
    leftOut: profile.leftOut.map(
      (entry): LeftOutPlan => ({ targets: entry.value.targets, reason: entry.value.reason, source: sourceRef(catalog, entry.value.source) }),
    ),
    dscResourceModule: profile.dscResourceModule ?? 'PSDesiredStateConfiguration',
    gppRemovePolicy: profile.gppRemovePolicy ?? false,
    updated: own.updated ?? null,
    settings: settings.map((s) => settingRef(catalog, s.setting.value)),
    targets,
  };
}

interface ProfileSetting {
  readonly setting: Located<SettingDef>;
  /** The profile whose settings list names it. */
  readonly profile: string;
}

function resolveTarget(catalog: Catalog, profile: ComposedProfile, settings: readonly ProfileSetting[], variant: TargetVariant, mode: OutputMode): TargetPlan {
  const targetId = variant.target.id;
  const appliesHere = (targets: readonly string[] | undefined) => targets === undefined || targets.includes(targetId);
  const removed: PlannedRemoval[] = profile.removals
    .filter((r) => appliesHere(r.value.targets))
    .map((r) => ({ setting: r.value.setting, reason: r.value.reason, profile: r.profile }));
  const exceptions: PlannedException[] = profile.exceptions
    .filter((e) => appliesHere(e.value.targets))
    .map((e) => ({ setting: e.value.setting, until: e.value.until, reason: e.value.reason, ticket: e.value.ticket ?? null, profile: e.profile }));
  const leftOutHere = new Set([...removed, ...exceptions].map((x) => x.setting));
  const kept = settings.filter((s) => !leftOutHere.has(s.setting.value.id));
  const broughtBy = new Map(kept.map((s) => [s.setting.value.id, s.profile]));
  const resolved = selectOperations(
    kept.map((s) => s.setting),
    variant,
  ).flatMap((selected) => toOperations(catalog, profile, selected, variant, broughtBy.get(selected.setting.value.id)!));
  const operations = resolved.filter((r) => !r.omitted).map((r) => r.operation);
  const omittedByPolicy = resolved.filter((r) => r.omitted).map((r) => r.operation as SetValueOperation);
  const isSkipped = (op: RegistryOperation): boolean => mode === 'minimal' && op.action === 'set' && op.windowsDefault !== null;
  const apply: RegistryOperation[] = operations.filter((op) => !isSkipped(op));
  const skipped = operations.filter((op): op is SetValueOperation => op.action === 'set' && isSkipped(op));
  const plannedSettings = new Set(apply.map((op) => op.setting.id));
  const prerequisites = prerequisitesFor(catalog, profile, variant, plannedSettings);
  const advisories = dotNetAdvisories(
    catalog,
    kept.map((s) => s.setting),
    plannedSettings,
  );
  const warnings: PlanWarning[] = [
    ...profile.warnings.filter((w) => conditionMatches(w.value.when, variant)).map((w) => ({ text: w.value.text, source: sourceRef(catalog, w.value.source) })),
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
      schannel: target.schannel.protocols,
    },
    architecture: variant.architecture,
    apply,
    skipped,
    omittedByPolicy,
    rollback: apply.flatMap(rollbackOf),
    prerequisites,
    advisories,
    warnings,
    removed,
    exceptions,
    rebootRequired: apply.some((op) => op.rebootRequired),
    sources: uniqueSources([
      ...apply.flatMap((op) => [
        op.setting.source,
        ...(op.action === 'set' && op.windowsDefault ? [op.windowsDefault.source] : []),
        ...(op.origin.override?.source ? [op.origin.override.source] : []),
      ]),
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
function prerequisitesFor(catalog: Catalog, profile: ComposedProfile, variant: TargetVariant, plannedSettings: ReadonlySet<string>): Prerequisite[] {
  return profile.prerequisites
    .map((entry) => entry.value)
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

interface Resolved {
  readonly operation: RegistryOperation;
  /** Left out by the value policy (DisabledByDefault: omit). */
  readonly omitted: boolean;
}

function toOperations(catalog: Catalog, profile: ComposedProfile, selected: SelectedOperation, variant: TargetVariant, broughtBy: string): Resolved[] {
  const { operation } = selected;
  const setting = settingRef(catalog, selected.setting.value);
  const { hive, path, ownValue } = parsedOperation(operation);
  const origin: Origin = { profile: broughtBy, override: null, policy: null };
  const base = { hive, path, setting, rebootRequired: setting.reboot.required };
  switch (operation.action ?? 'set') {
    case 'delete-key':
      return [{ operation: { ...base, origin, action: 'delete-key' }, omitted: false }];
    case 'delete-value':
      return [{ operation: { ...base, origin, action: 'delete-value', name: operation.name ?? '' }, omitted: false }];
    case 'set': {
      const name = operation.name ?? '';
      const override = profile.overrides.find(
        (o) =>
          o.value.setting === setting.id &&
          valueNameIdentity(o.value.name) === valueNameIdentity(name) &&
          (o.value.targets === undefined || o.value.targets.includes(variant.target.id)),
      );
      const overridden = override
        ? override.value.protocols !== undefined
          ? ({ type: 'REG_DWORD', data: winHttpProtocolBitmap(override.value.protocols) } as const)
          : unwrap(parseValueData(operation.type!, override.value.data))
        : null;
      // The nearer profile wins: a policy chosen nearer than the override applies to the override's data.
      const policed = applyPolicy(profile, hive, path, name, overridden ?? ownValue, override ? profile.chain.indexOf(override.profile) : null);
      const value = policed?.value ?? overridden ?? ownValue;
      // A changed value is no longer the data the windowsDefault fact was stated for.
      const known = sameValue(value, ownValue) ? operation.windowsDefault : undefined;
      const windowsDefault = known && conditionMatches(known.when, variant) ? { source: sourceRef(catalog, known.source), note: known.note ?? null } : null;
      // An override whose data the policy replaced decided nothing; one the policy left alone did.
      const overrideDecided = override && !(policed && (policed.omit || !sameValue(policed.value, overridden!)));
      const setOrigin: Origin = {
        ...origin,
        override: overrideDecided
          ? {
              profile: override.profile,
              reason: override.value.reason,
              source: override.value.source ? sourceRef(catalog, override.value.source) : null,
              entry: { file: override.file, pointer: override.pointer },
            }
          : null,
        policy: policed?.policy ?? null,
      };
      const op: SetValueOperation = {
        ...base,
        origin: setOrigin,
        action: 'set',
        name,
        value,
        windowsDefault,
        alsoAccepted: acceptedAlternatives(profile, hive, path, name, value),
      };
      return [{ operation: op, omitted: policed?.omit ?? false }];
    }
  }
}

/**
 * The profile's value policy, for the values it is about: Schannel protocol `Enabled` (non-zero written
 * as 1 or 0xFFFFFFFF), `DisabledByDefault` (written or left out) and WinHTTP `DefaultSecureProtocols`
 * (by protocol names). Null when the policy does not touch the value, or when an override written
 * by a profile at least as near (`overrideDistance`, 0 = the profile itself) decides it: the nearer
 * profile wins, and within one profile the override, which names the value, beats its policy.
 */
function applyPolicy(
  profile: ComposedProfile,
  hive: RegistryOperation['hive'],
  path: string,
  name: string,
  value: RegistryValue,
  overrideDistance: number | null,
): { value: RegistryValue; policy: string; omit: boolean } | null {
  const { policy } = profile;
  const nearer = (field: keyof ComposedPolicy['chosenBy']): boolean => {
    const chosenBy = policy.chosenBy[field];
    return chosenBy !== null && (overrideDistance === null || profile.chain.indexOf(chosenBy) < overrideDistance);
  };
  if (value.type !== 'REG_DWORD') return null;
  const schannel = schannelProtocolValue(hive, path, name);
  if (schannel?.name === 'Enabled' && value.data !== 0 && value.data !== policy.enabled && nearer('enabled')) {
    return {
      value: { type: 'REG_DWORD', data: policy.enabled },
      policy: `enabled: ${policyDataText(policy.enabled)} (profile ${policy.chosenBy.enabled})`,
      omit: false,
    };
  }
  if (schannel?.name === 'DisabledByDefault' && policy.disabledByDefault === 'omit' && nearer('disabledByDefault')) {
    return { value, policy: `disabledByDefault: omit (profile ${policy.chosenBy.disabledByDefault})`, omit: true };
  }
  if (policy.winhttpProtocols !== null && isWinHttpDefaultSecureProtocols(hive, path, name) && nearer('winhttpProtocols')) {
    const bitmap = winHttpProtocolBitmap(policy.winhttpProtocols);
    return {
      value: { type: 'REG_DWORD', data: bitmap },
      policy: `winhttpProtocols: ${policy.winhttpProtocols} (profile ${policy.chosenBy.winhttpProtocols})`,
      omit: false,
    };
  }
  return null;
}

/**
 * Other data the checks accept for a non-zero Schannel `Enabled`: only what an explicit
 * policy.acceptEnabled lists. Without one, the written data alone is compliant, whoever chose it
 * (the setting, an override or policy.enabled).
 */
function acceptedAlternatives(profile: ComposedProfile, hive: RegistryOperation['hive'], path: string, name: string, value: RegistryValue): RegistryValue[] {
  if (value.type !== 'REG_DWORD' || value.data === 0 || schannelProtocolValue(hive, path, name)?.name !== 'Enabled') return [];
  if (profile.policy.chosenBy.acceptEnabled === null) return [];
  return profile.policy.acceptEnabled.filter((data) => data !== value.data).map((data) => ({ type: 'REG_DWORD', data }));
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

/**
 * A setting's operations are the same objects on every target and in every profile that names it: their
 * key path and data are parsed once, and each setting's reference is made once. Plans share these
 * (read-only) objects; a profile over 24 editions made them 24 times, twice per build (lint, then emit).
 */
const parsedOperations = new WeakMap<OperationDef, { hive: RegistryOperation['hive']; path: string; ownValue: RegistryValue | null }>();
const settingRefs = new WeakMap<SettingDef, SettingRef>();

function parsedOperation(operation: OperationDef) {
  let parsed = parsedOperations.get(operation);
  if (parsed === undefined) {
    const { hive, path } = unwrap(parseKeyPath(operation.key));
    const setsValue = (operation.action ?? 'set') === 'set';
    parsed = { hive, path, ownValue: setsValue ? unwrap(parseValueData(operation.type!, operation.data)) : null };
    parsedOperations.set(operation, parsed);
  }
  return parsed as { hive: RegistryOperation['hive']; path: string; ownValue: RegistryValue };
}

function settingRef(catalog: Catalog, setting: SettingDef): SettingRef {
  let ref = settingRefs.get(setting);
  if (ref === undefined) {
    ref = {
      id: setting.id,
      title: setting.title,
      rationale: setting.rationale,
      source: sourceRef(catalog, setting.source),
      reboot: { required: setting.reboot.required, source: sourceRef(catalog, setting.reboot.source), note: setting.reboot.note ?? null },
    };
    settingRefs.set(setting, ref);
  }
  return ref;
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
