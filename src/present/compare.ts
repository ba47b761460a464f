/**
 * `tlsgen explain --compare A B`: what differs between two profiles' plans, per target edition.
 * A value is the same value in both plans when Windows would take it for the same one: hive and
 * key path compared as Windows compares key names, value name as it compares value names
 * (src/model/registry.ts). Pure: plans in, a comparison (and its text or JSON) out.
 */
import { displayData, fullKey, keyIdentity, valueNameIdentity } from '../model/registry.js';
import type { Prerequisite, ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture, describeOperationTarget } from '../render/describe.js';
import type { Architecture } from '../definitions/types.js';

export type Change = 'added' | 'removed' | 'changed';

/** What one profile does to a value (or key), and why. */
export interface ValueSide {
  readonly action: RegistryOperation['action'];
  /** REG_DWORD…, or null for a deletion. */
  readonly type: string | null;
  /** The data as `explain` shows it (`1 (0x00000001)`), `delete value` or `delete key`. */
  readonly data: string;
  /** Other data the audit accepts as compliant, shown the same way. */
  readonly alsoAccepted: string[];
  readonly setting: string;
  readonly source: string;
  /** The profile whose settings list brought the value (the profile itself or one it extends). */
  readonly profile: string;
  /** The reason of the profile override that chose this data, or null. */
  readonly override: string | null;
  /** The value policy that changed the data, or null. */
  readonly policy: string | null;
}

export interface ValueDifference {
  readonly change: Change;
  /** `HKEY_LOCAL_MACHINE\…\Key "Name"`, or the key alone for a key deletion; as profile B writes it when both do. */
  readonly value: string;
  /** Hive and key path, and the value name ('' is the default value; null when the whole key is deleted). */
  readonly key: string;
  readonly name: string | null;
  readonly a: ValueSide | null;
  readonly b: ValueSide | null;
  /** For a value only one profile writes: why the other leaves it out (remove, exception, policy), when it says. */
  readonly leftOut: string | null;
}

export interface PrerequisiteSide {
  readonly url: string;
  readonly requiredBy: string[];
  /** `path >= version` per detection file. */
  readonly detection: string[];
}

export interface PrerequisiteDifference {
  readonly change: Change;
  readonly id: string;
  readonly a: PrerequisiteSide | null;
  readonly b: PrerequisiteSide | null;
}

export interface TargetComparison {
  readonly variantId: string;
  readonly product: string;
  readonly architecture: Architecture;
  /** `both`, or the one profile that covers this edition (then the lists are empty). */
  readonly coveredBy: 'both' | 'a' | 'b';
  /** For a target only one profile covers: why the other leaves it out, when its `leftOut` says. */
  readonly leftOut: { readonly reason: string; readonly source: string } | null;
  readonly values: ValueDifference[];
  readonly prerequisites: PrerequisiteDifference[];
}

export interface ProfileComparison {
  readonly a: { readonly id: string; readonly title: string };
  readonly b: { readonly id: string; readonly title: string };
  readonly mode: { readonly a: string; readonly b: string };
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly prerequisites: number;
    readonly onlyInA: string[];
    readonly onlyInB: string[];
  };
  readonly targets: TargetComparison[];
}

/**
 * Compares two plans on the given target editions (each covered by at least one of them), in
 * that order. Values are compared on what the apply artifacts do (`apply`), so a value minimal
 * mode leaves out counts as not written.
 */
export function comparePlans(a: ProfilePlan, b: ProfilePlan, variantIds: readonly string[]): ProfileComparison {
  const targetsA = new Map(a.targets.map((t) => [t.variantId, t]));
  const targetsB = new Map(b.targets.map((t) => [t.variantId, t]));
  const targets = variantIds.map((id) => compareTarget(a, b, targetsA.get(id), targetsB.get(id)));
  const count = (change: Change) => targets.reduce((n, t) => n + t.values.filter((v) => v.change === change).length, 0);
  return {
    a: { id: a.id, title: a.title },
    b: { id: b.id, title: b.title },
    mode: { a: a.mode, b: b.mode },
    summary: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      prerequisites: targets.reduce((n, t) => n + t.prerequisites.length, 0),
      onlyInA: targets.filter((t) => t.coveredBy === 'a').map((t) => t.variantId),
      onlyInB: targets.filter((t) => t.coveredBy === 'b').map((t) => t.variantId),
    },
    targets,
  };
}

function compareTarget(planA: ProfilePlan, planB: ProfilePlan, a: TargetPlan | undefined, b: TargetPlan | undefined): TargetComparison {
  const target = (b ?? a)!;
  const head = { variantId: target.variantId, product: target.target.product, architecture: target.architecture };
  if (!a || !b) {
    const leftOut = (a ? planB : planA).leftOut.find((l) => l.targets.includes(target.target.id));
    return {
      ...head,
      coveredBy: a ? 'a' : 'b',
      leftOut: leftOut ? { reason: leftOut.reason, source: leftOut.source.url } : null,
      values: [],
      prerequisites: [],
    };
  }
  return { ...head, coveredBy: 'both', leftOut: null, values: compareValues(a, b), prerequisites: comparePrerequisites(a.prerequisites, b.prerequisites) };
}

/** Windows' identity of what an operation acts on: the key, plus the value name unless the whole key goes. */
function identity(op: RegistryOperation): string {
  const key = keyIdentity(op);
  return op.action === 'delete-key' ? `${key}\n` : `${key}\n${valueNameIdentity(op.name)}`;
}

function compareValues(a: TargetPlan, b: TargetPlan): ValueDifference[] {
  // A repeated operation on one value: the last one is what Windows ends up with.
  const inA = new Map(a.apply.map((op) => [identity(op), op]));
  const inB = new Map(b.apply.map((op) => [identity(op), op]));
  const differences: ValueDifference[] = [];
  for (const [id, opA] of inA) {
    const opB = inB.get(id);
    if (!opB) differences.push({ change: 'removed', ...where(opA), a: side(opA), b: null, leftOut: leftOutBy(b, opA) });
    else if (!sameEffect(side(opA), side(opB))) differences.push({ change: 'changed', ...where(opB), a: side(opA), b: side(opB), leftOut: null });
  }
  for (const [id, opB] of inB) if (!inA.has(id)) differences.push({ change: 'added', ...where(opB), a: null, b: side(opB), leftOut: leftOutBy(a, opB) });
  return differences;
}

/** Why a target plan does not write an operation the other plan writes, when the plan records it. */
function leftOutBy(target: TargetPlan, op: RegistryOperation): string | null {
  const exception = target.exceptions.find((e) => e.setting === op.setting.id);
  if (exception) return `exception in ${exception.profile} until ${exception.until}${exception.ticket ? ` (${exception.ticket})` : ''}: ${exception.reason}`;
  const removal = target.removed.find((r) => r.setting === op.setting.id);
  if (removal) return `removed by ${removal.profile}: ${removal.reason}`;
  const omitted = target.omittedByPolicy.find((o) => identity(o) === identity(op));
  if (omitted) return `left out by the value policy${omitted.origin.policy ? ` (${omitted.origin.policy})` : ''}`;
  if (target.skipped.some((o) => identity(o) === identity(op))) return 'left out: already the Windows default (minimal mode)';
  return null;
}

function where(op: RegistryOperation): { value: string; key: string; name: string | null } {
  return { value: describeOperationTarget(op), key: fullKey(op), name: op.action === 'delete-key' ? null : op.name };
}

function side(op: RegistryOperation): ValueSide {
  const { origin } = op;
  const common = {
    setting: op.setting.id,
    source: op.setting.source.url,
    profile: origin.profile,
    override: origin.override?.reason ?? null,
    policy: origin.policy,
  };
  if (op.action !== 'set') return { action: op.action, type: null, data: op.action.replace('-', ' '), alsoAccepted: [], ...common };
  return { action: 'set', type: op.value.type, data: displayData(op.value), alsoAccepted: op.alsoAccepted.map(displayData), ...common };
}

/** Same action, type, data and accepted alternatives; where the setting comes from does not matter. */
function sameEffect(a: ValueSide, b: ValueSide): boolean {
  return a.action === b.action && a.type === b.type && a.data === b.data && a.alsoAccepted.join('\n') === b.alsoAccepted.join('\n');
}

function comparePrerequisites(a: readonly Prerequisite[], b: readonly Prerequisite[]): PrerequisiteDifference[] {
  const inA = new Map(a.map((p) => [p.id, prerequisiteSide(p)]));
  const inB = new Map(b.map((p) => [p.id, prerequisiteSide(p)]));
  const differences: PrerequisiteDifference[] = [];
  for (const [id, sideA] of inA) {
    const sideB = inB.get(id);
    if (!sideB) differences.push({ change: 'removed', id, a: sideA, b: null });
    else if (JSON.stringify(sideA) !== JSON.stringify(sideB)) differences.push({ change: 'changed', id, a: sideA, b: sideB });
  }
  for (const [id, sideB] of inB) if (!inA.has(id)) differences.push({ change: 'added', id, a: null, b: sideB });
  return differences;
}

function prerequisiteSide(p: Prerequisite): PrerequisiteSide {
  return { url: p.url, requiredBy: [...p.requiredBy].sort(), detection: p.detection.files.map((f) => `${f.path} >= ${f.minVersion}`) };
}

/** The comparison for a person: a summary, then per target edition what B adds, removes and changes. */
export function compareText(comparison: ProfileComparison): string {
  const { a, b } = comparison;
  const lines = [
    `A: ${a.id}: ${a.title}`,
    `B: ${b.id}: ${b.title}`,
    ...(comparison.mode.a === comparison.mode.b ? [] : [`Mode: A ${comparison.mode.a}, B ${comparison.mode.b}`]),
    summaryLine(comparison),
  ];
  for (const target of comparison.targets) {
    lines.push('', `== ${target.variantId}: ${target.product}, ${describeArchitecture(target.architecture)}`);
    if (target.coveredBy !== 'both') {
      const [covering, other] = target.coveredBy === 'a' ? [a.id, b.id] : [b.id, a.id];
      const why = target.leftOut ? `: ${oneLine(target.leftOut.reason)} (${target.leftOut.source})` : '.';
      lines.push(`Only ${covering} covers this target; ${other} does not${why}`);
      continue;
    }
    if (target.values.length === 0 && target.prerequisites.length === 0) lines.push('No differences.');
    lines.push(...target.values.flatMap(valueLines), ...target.prerequisites.map(prerequisiteLine));
  }
  return lines.join('\n') + '\n';
}

function summaryLine({ summary, a, b }: ProfileComparison): string {
  const only = [
    ...(summary.onlyInA.length ? [`only ${a.id} covers ${summary.onlyInA.join(', ')}`] : []),
    ...(summary.onlyInB.length ? [`only ${b.id} covers ${summary.onlyInB.join(', ')}`] : []),
  ];
  return (
    `B against A: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed` +
    (summary.prerequisites ? `; ${summary.prerequisites} prerequisite difference(s)` : '') +
    (only.length ? `; ${only.join('; ')}` : '')
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const MARK: Record<Change, string> = { added: '+', removed: '-', changed: '~' };

function valueLines(difference: ValueDifference): string[] {
  const { a, b } = difference;
  if (a && b) {
    const why = a.setting === b.setting && a.source === b.source ? [`    ${sideWhy(b)}`] : [`    A: ${sideWhy(a)}`, `    B: ${sideWhy(b)}`];
    return [`  ~ ${difference.value}: ${sideData(a)} -> ${sideData(b)}`, ...why];
  }
  const only = (a ?? b)!;
  const leftOut = difference.leftOut ? [`    ${a ? 'B' : 'A'} leaves it out: ${oneLine(difference.leftOut)}`] : [];
  return [`  ${MARK[difference.change]} ${difference.value}: ${sideData(only)}`, `    ${sideWhy(only)}`, ...leftOut];
}

function sideData(side: ValueSide): string {
  const type = side.type ? `${side.type} ` : '';
  return type + side.data + (side.alsoAccepted.length ? ` (also accepted: ${side.alsoAccepted.join(', ')})` : '');
}

function sideWhy(side: ValueSide): string {
  const changedBy = [...(side.override ? [`override: ${oneLine(side.override)}`] : []), ...(side.policy ? [`policy ${side.policy}`] : [])];
  return `${side.setting} (${side.source})` + (changedBy.length ? `; ${changedBy.join('; ')}` : '');
}

function prerequisiteLine(difference: PrerequisiteDifference): string {
  const { a, b } = difference;
  const neededBy = (side: PrerequisiteSide) => `needed by ${side.requiredBy.join(', ')}`;
  const url = (b ?? a)!.url;
  if (a && b) {
    const detection =
      a.detection.join('\n') === b.detection.join('\n')
        ? ''
        : `; detected by ${a.detection.join(', ') || 'Get-HotFix'} -> ${b.detection.join(', ') || 'Get-HotFix'}`;
    return `  ~ install first ${difference.id} (${url}): ${neededBy(a)} -> ${neededBy(b)}${detection}`;
  }
  return `  ${MARK[difference.change]} install first ${difference.id} (${url}): ${neededBy((a ?? b)!)}`;
}

/** The comparison as JSON for tools; the shape is ProfileComparison. */
export function compareJson(comparison: ProfileComparison): string {
  return JSON.stringify(comparison, null, 2) + '\n';
}
