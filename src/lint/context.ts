/**
 * What every lint rule needs about one profile: its plan, its composition (every entry with the
 * profile file and pointer that wrote it, the profiles it extends included), and a way to make
 * findings located at the YAML entry that causes them.
 */
import { joinPointer } from '../diagnostics.js';
import type { Catalog } from '../model/catalog.js';
import { composeProfile } from '../model/compose.js';
import type { ComposedPolicy, ComposedProfile, Sourced } from '../model/compose.js';
import { parseKeyPath } from '../model/registry.js';
import type { Hive } from '../model/registry.js';
import { selectOperations } from '../model/selection.js';
import { variantsOf } from '../model/targets.js';
import type { TargetVariant } from '../model/targets.js';
import type { ProfilePlan, SetValueOperation, TargetPlan } from '../resolve/plan.js';
import { LINT_RULES } from './findings.js';
import type { EditionFinding, Editions, RuleId } from './findings.js';

/** Line and column of a JSON pointer in a definition file (the YAML documents know them). */
export type Locate = (file: string, pointer: string) => { readonly line: number; readonly column: number };

/** A place in a definition file. */
export interface Where {
  readonly file: string;
  readonly pointer: string;
}

/** A finding about the whole profile. */
export interface FindingDraft {
  readonly setting?: string | null;
  readonly message: string;
}

/** A finding on one target edition; `message` names the editions through `on`, so that editions with the same finding share one. */
export interface EditionDraft {
  readonly setting?: string | null;
  readonly message: (on: Editions) => string;
}

export interface ProfileContext {
  readonly plan: ProfilePlan;
  /** The profile as resolve saw it: its own entries and those of the profiles it extends, each located. */
  readonly profile: ComposedProfile;
  readonly catalog: Catalog;
  readonly today: string;
  readonly report: (rule: RuleId, where: Where, draft: FindingDraft) => void;
  readonly reportOn: (rule: RuleId, where: Where, target: TargetPlan, draft: EditionDraft) => void;
}

export function profileContext(catalog: Catalog, plan: ProfilePlan, today: string, locate: Locate, findings: EditionFinding[]): ProfileContext {
  const composition = composeProfile(catalog, plan.id);
  // Plans exist only for profiles that passed validation, which refuses loops and unknown parents.
  if (!composition.ok) throw new Error(`internal: profile "${plan.id}" was resolved but does not compose: ${composition.problem.message}`);
  const push = (rule: RuleId, where: Where, target: TargetPlan | null, setting: string | null | undefined, message: (on: Editions) => string) => {
    findings.push({
      rule,
      severity: LINT_RULES[rule].severity,
      profile: plan.id,
      target,
      setting: setting ?? null,
      message,
      file: where.file,
      ...locate(where.file, where.pointer),
      pointer: where.pointer,
    });
  };
  const report = (rule: RuleId, where: Where, draft: FindingDraft) => push(rule, where, null, draft.setting, () => draft.message);
  const reportOn = (rule: RuleId, where: Where, target: TargetPlan, draft: EditionDraft) => push(rule, where, target, draft.setting, draft.message);
  return { plan, profile: composition.profile, catalog, today, report, reportOn };
}

/** The profile's own file, at `segments`. */
export function ownEntry(context: ProfileContext, ...segments: (string | number)[]): Where {
  const { own } = context.profile;
  return { file: own.file, pointer: joinPointer(own.pointer, ...segments) };
}

/** The `settings` entry that lists the setting, preferably in the profile that brought it (the plan's origin). */
export function settingEntry(context: ProfileContext, setting: string, broughtBy?: string): Where {
  const listed = context.profile.settings.filter((s) => s.value === setting);
  return listed.find((s) => s.profile === broughtBy) ?? listed[0] ?? ownEntry(context);
}

/**
 * Where an operation's data is decided: the override that replaced it, else the settings
 * entry of the profile that brought the setting (the data is the setting's own).
 */
export function operationCause(context: ProfileContext, op: SetValueOperation): Where {
  return appliedOverride(op) ?? settingEntry(context, op.setting.id, op.origin.profile);
}

/** The override entry resolve applied to the operation (recorded in its origin). */
function appliedOverride(op: SetValueOperation): Where | undefined {
  return op.origin.override?.entry;
}

/** An entry without targets applies everywhere; with targets, on those Windows versions or editions. */
export function coversTarget(targets: readonly string[] | undefined, target: TargetPlan): boolean {
  return targets === undefined || targets.includes(target.target.id) || targets.includes(target.variantId);
}

/**
 * The `remove` or `exceptions` entry that leaves out, on `target`, a setting that would have written
 * a value `wanted` accepts: when a finding exists because something is missing, that entry (with its
 * reason) is what changed the outcome, in whichever profile of the chain wrote it.
 */
export function leftOutCause(context: ProfileContext, target: TargetPlan, wanted: (value: WrittenValue) => boolean): Where | undefined {
  const variant = variantOf(context, target);
  if (!variant) return undefined;
  const leftOut = [
    ...target.removed.map((r) => ({ setting: r.setting, entry: context.profile.removals.find((e) => sameEntry(e, r, target)) })),
    ...target.exceptions.map((x) => ({ setting: x.setting, entry: context.profile.exceptions.find((e) => sameEntry(e, x, target)) })),
  ];
  for (const { setting, entry } of leftOut) {
    const definition = context.catalog.settings.get(setting);
    if (!entry || !definition) continue;
    const writes = selectOperations([definition], variant).some(({ operation }) => {
      if ((operation.action ?? 'set') !== 'set') return false;
      const key = parseKeyPath(operation.key);
      return key.ok && wanted({ hive: key.value.hive, path: key.value.path, name: operation.name ?? '' });
    });
    if (writes) return { file: entry.file, pointer: entry.pointer };
  }
  return undefined;
}

/** A value a setting writes, as a rule compares it. */
export interface WrittenValue {
  readonly hive: Hive;
  readonly path: string;
  readonly name: string;
}

function sameEntry(
  entry: Sourced<{ readonly setting: string; readonly targets?: readonly string[] }>,
  planned: { setting: string; profile: string },
  target: TargetPlan,
): boolean {
  return entry.profile === planned.profile && entry.value.setting === planned.setting && coversTarget(entry.value.targets, target);
}

function variantOf(context: ProfileContext, target: TargetPlan): TargetVariant | undefined {
  const definition = context.catalog.targets.get(target.target.id);
  return definition && variantsOf(definition.value).find((v) => v.variantId === target.variantId);
}

/** Where the value policy field in force is written: in the nearest profile of the chain that sets it. */
export function policyEntry(context: ProfileContext, field: keyof ComposedPolicy['chosenBy']): Where {
  const chosenBy = context.plan.policy.chosenBy[field];
  const profile = chosenBy === null ? undefined : context.catalog.profiles.get(chosenBy);
  return profile ? { file: profile.file, pointer: joinPointer(profile.pointer, 'policy', field) } : ownEntry(context);
}
