/**
 * Profile composition: a profile that `extends` another is the parent with this profile's changes.
 * The result keeps, for every entry, the profile and the place in its file that put it there, so
 * validation can point at the right line and `explain` can say where each value came from.
 *
 * Lists that describe what is written accumulate down the chain (settings, prerequisites, warnings,
 * overrides, exceptions, lint allowances); lists that describe what the profile is for are replaced by
 * the nearest profile that gives them (targets, workloads, compliance, leftOut), as are single options.
 */
import { joinPointer } from '../diagnostics.js';
import type { DscResourceModule, Located, OutputMode, OverrideDef, PrerequisiteDef, ProfileDef, ValuePolicyDef, WarningDef } from '../definitions/types.js';
import type { Catalog } from './catalog.js';

/** One entry of a composed list, with the profile and the file position it comes from. */
export interface Sourced<T> {
  readonly value: T;
  readonly profile: string;
  readonly file: string;
  readonly pointer: string;
}

type Entry<K extends keyof ProfileDef> = NonNullable<ProfileDef[K]> extends readonly (infer E)[] ? E : never;
export type RemovalDef = Entry<'remove'>;
export type ExceptionDef = Entry<'exceptions'>;
export type LeftOutDef = Entry<'leftOut'>;
export type LintAllowanceDef = NonNullable<NonNullable<ProfileDef['lint']>['allow']>[number];
export type Workload = Entry<'workloads'>;
export type Benchmark = Entry<'compliance'>;

/** The value policy in force, each field with the profile that chose it (null: tlsgen's default). */
export interface ComposedPolicy {
  readonly enabled: 1 | 4294967295;
  /**
   * The profile's acceptEnabled, or (chosenBy.acceptEnabled null) just `enabled`, for display: the
   * checks then accept only the data actually written for each value, nothing else (resolve.ts).
   */
  readonly acceptEnabled: readonly (1 | 4294967295)[];
  readonly disabledByDefault: 'write' | 'omit';
  readonly winhttpProtocols: string | null;
  readonly chosenBy: { readonly [K in keyof ValuePolicyDef]-?: string | null };
}

export interface ComposedProfile {
  readonly id: string;
  /** The profile's own file entry (title, summary, source, updated come from it). */
  readonly own: Located<ProfileDef>;
  /** This profile first, then the profile it extends, and so on. */
  readonly chain: readonly string[];
  readonly targets: Sourced<readonly string[]>;
  /** In order: the furthest ancestor's settings first; settings removed everywhere are left out. */
  readonly settings: readonly Sourced<string>[];
  /**
   * Every removal a nearer profile did not undo by listing the setting again; those without targets
   * are also already applied to `settings`.
   */
  readonly removals: readonly Sourced<RemovalDef>[];
  readonly exceptions: readonly Sourced<ExceptionDef>[];
  /** Nearest profile first: the first override that matches a value and target wins. */
  readonly overrides: readonly Sourced<OverrideDef>[];
  /** A descendant's prerequisite with the same KB id replaces the ancestor's. */
  readonly prerequisites: readonly Sourced<PrerequisiteDef>[];
  readonly warnings: readonly Sourced<WarningDef>[];
  readonly policy: ComposedPolicy;
  readonly mode: OutputMode | null;
  readonly dscResourceModule: DscResourceModule | null;
  readonly gppRemovePolicy: boolean | null;
  readonly workloads: readonly Workload[];
  readonly compliance: readonly Benchmark[];
  readonly leftOut: readonly Sourced<LeftOutDef>[];
  readonly lintAllow: readonly Sourced<LintAllowanceDef>[];
}

export interface CompositionProblem {
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
}

export type Composition = { readonly ok: true; readonly profile: ComposedProfile } | { readonly ok: false; readonly problem: CompositionProblem };

/** Composes a profile with its ancestors; refuses unknown parents and cycles, located at `extends`. */
export function composeProfile(catalog: Catalog, id: string): Composition {
  const chain = ancestry(catalog, id);
  if (!chain.ok) return chain;
  return { ok: true, profile: compose(chain.profiles) };
}

function ancestry(catalog: Catalog, id: string): { ok: true; profiles: Located<ProfileDef>[] } | { ok: false; problem: CompositionProblem } {
  const profiles: Located<ProfileDef>[] = [];
  let current = catalog.profiles.get(id);
  while (current) {
    profiles.push(current);
    const parentId = current.value.extends;
    if (parentId === undefined) return { ok: true, profiles };
    // Reported at the composed profile's own `extends`: that is the line its author can change.
    const at = { file: profiles[0]!.file, pointer: joinPointer(profiles[0]!.pointer, 'extends') };
    const ids = profiles.map((p) => p.value.id);
    const start = ids.indexOf(parentId);
    if (start >= 0) return { ok: false, problem: { ...at, message: loopMessage(ids, start) } };
    current = catalog.profiles.get(parentId);
    if (!current) {
      const known = [...catalog.profiles.keys()].filter((k) => k !== profiles[profiles.length - 1]!.value.id);
      return { ok: false, problem: { ...at, message: `extends unknown profile "${parentId}"; known profiles: ${known.join(', ') || 'none'}` } };
    }
  }
  throw new Error(`internal: profile "${id}" is not in the catalog`);
}

/**
 * `chain` runs from the composed profile to the one whose parent is `chain[start]`. Only the members
 * of the loop are told about the loop itself; a profile that merely extends into it is told once,
 * at its own `extends`, which profile leads there (the loop is reported in its members' files).
 */
function loopMessage(chain: readonly string[], start: number): string {
  const members = chain.slice(start);
  const loop = [...members, members[0]!].join(' → ');
  if (start === 0) return `profiles extend each other in a loop: ${loop}`;
  const parent = chain[1]!;
  return start === 1 ? `extends profile ${parent}, which is in a loop (${loop})` : `extends profile ${parent}, which leads into a loop (${loop})`;
}

function compose(nearestFirst: readonly Located<ProfileDef>[]): ComposedProfile {
  const own = nearestFirst[0]!;
  const furthestFirst = [...nearestFirst].reverse();
  const listed = <K extends keyof ProfileDef>(profiles: readonly Located<ProfileDef>[], key: K): Sourced<Entry<K>>[] =>
    profiles.flatMap((p) =>
      ((p.value[key] ?? []) as readonly Entry<K>[]).map((value, index) => ({
        value,
        profile: p.value.id,
        file: p.file,
        pointer: joinPointer(p.pointer, key, index),
      })),
    );
  const nearest = <T>(pick: (p: ProfileDef) => T | undefined): { value: T; from: Located<ProfileDef> } | null => {
    for (const p of nearestFirst) {
      const value = pick(p.value);
      if (value !== undefined) return { value, from: p };
    }
    return null;
  };

  // The nearer profile wins: a setting an ancestor removed everywhere comes back when a descendant
  // lists it again, and that ancestor's removal no longer applies to it.
  const distance = (profile: string) => nearestFirst.findIndex((p) => p.value.id === profile);
  const listedNearer = (setting: string, than: string) => nearestFirst.slice(0, distance(than)).some((p) => (p.value.settings ?? []).includes(setting));
  const removals = listed(nearestFirst, 'remove').filter((r) => !listedNearer(r.value.setting, r.profile));
  const settings: Sourced<string>[] = [];
  for (const p of furthestFirst) {
    // A setting listed again while still inherited (validation refuses that) counts once.
    for (const entry of listed([p], 'settings')) if (!settings.some((s) => s.value === entry.value)) settings.push(entry);
    for (const { value } of listed([p], 'remove')) {
      const at = value.targets === undefined ? settings.findIndex((s) => s.value === value.setting) : -1;
      if (at >= 0) settings.splice(at, 1);
    }
  }
  const targets = nearest((p) => p.targets)!;
  const prerequisites = replacedById(listed(furthestFirst, 'prerequisites'));

  return {
    id: own.value.id,
    own,
    chain: nearestFirst.map((p) => p.value.id),
    targets: { value: targets.value, profile: targets.from.value.id, file: targets.from.file, pointer: joinPointer(targets.from.pointer, 'targets') },
    settings,
    removals,
    exceptions: listed(nearestFirst, 'exceptions'),
    overrides: listed(nearestFirst, 'overrides'),
    prerequisites,
    warnings: listed(furthestFirst, 'warnings'),
    policy: composedPolicy(nearestFirst),
    mode: nearest((p) => p.mode)?.value ?? null,
    dscResourceModule: nearest((p) => p.dsc?.resourceModule)?.value ?? null,
    gppRemovePolicy: nearest((p) => p.gpp?.removePolicy)?.value ?? null,
    workloads: nearest((p) => p.workloads)?.value ?? [],
    compliance: nearest((p) => p.compliance)?.value ?? [],
    leftOut: leftOutFor(targets.value, nearest((p) => p.leftOut)?.from ?? null, own),
    lintAllow: nearestFirst.flatMap((p) =>
      (p.value.lint?.allow ?? []).map((value, index) => ({
        value,
        profile: p.value.id,
        file: p.file,
        pointer: joinPointer(p.pointer, 'lint', 'allow', index),
      })),
    ),
  };
}

/**
 * The nearest `leftOut`. Inherited entries keep only the Windows versions this profile does not
 * cover (a version the child covers is no longer left out); an entry left with none is dropped.
 * The profile's own entries stay as written (validation refuses a covered version there).
 */
function leftOutFor(covered: readonly string[], from: Located<ProfileDef> | null, own: Located<ProfileDef>): Sourced<LeftOutDef>[] {
  if (!from) return [];
  return (from.value.leftOut ?? []).flatMap((value, index) => {
    const targets = from === own ? value.targets : value.targets.filter((id) => !covered.includes(id));
    if (targets.length === 0) return [];
    return [{ value: { ...value, targets }, profile: from.value.id, file: from.file, pointer: joinPointer(from.pointer, 'leftOut', index) }];
  });
}

/** The nearest profile's choice per policy field; the defaults are what Microsoft documents today. */
function composedPolicy(nearestFirst: readonly Located<ProfileDef>[]): ComposedPolicy {
  const pick = <K extends keyof ValuePolicyDef>(key: K): { value: NonNullable<ValuePolicyDef[K]>; profile: string } | null => {
    for (const p of nearestFirst) {
      const value = p.value.policy?.[key];
      if (value !== undefined && value !== null) return { value: value as NonNullable<ValuePolicyDef[K]>, profile: p.value.id };
    }
    return null;
  };
  const enabled = pick('enabled');
  const acceptEnabled = pick('acceptEnabled');
  const disabledByDefault = pick('disabledByDefault');
  const winhttpProtocols = pick('winhttpProtocols');
  const written = (enabled?.value ?? 1) as 1 | 4294967295;
  return {
    enabled: written,
    acceptEnabled: (acceptEnabled?.value as (1 | 4294967295)[] | undefined) ?? [written],
    disabledByDefault: disabledByDefault?.value ?? 'write',
    winhttpProtocols: winhttpProtocols?.value ?? null,
    chosenBy: {
      enabled: enabled?.profile ?? null,
      acceptEnabled: acceptEnabled?.profile ?? null,
      disabledByDefault: disabledByDefault?.profile ?? null,
      winhttpProtocols: winhttpProtocols?.profile ?? null,
    },
  };
}

/** Prerequisites by KB id, furthest ancestor's order kept; a nearer profile's entry replaces it in place. */
function replacedById(furthestFirst: readonly Sourced<PrerequisiteDef>[]): Sourced<PrerequisiteDef>[] {
  const byId = new Map<string, Sourced<PrerequisiteDef>>();
  for (const entry of furthestFirst) byId.set(entry.value.id, entry);
  return [...byId.values()];
}
