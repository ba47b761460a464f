/**
 * `lint.allow`: a warning accepted with a stated reason, for one rule and optionally only some
 * targets. An allow that silences nothing is reported (TG009): the finding it accepted is gone, and a
 * stale allow would silently accept the next, different finding of that rule. Errors cannot be
 * allowed: an error rule's cause is fixed (TLS 1.3 left out, Enabled written as 1, the exception
 * given a later `until` with its reason), so an allow naming one is reported and silences nothing.
 */
import type { LintAllowanceDef, Sourced } from '../model/compose.js';
import { coversTarget } from './context.js';
import type { ProfileContext, Where } from './context.js';
import { LINT_RULES, RULE_IDS, isRuleId } from './findings.js';
import type { EditionFinding } from './findings.js';

/**
 * The findings the allows do not silence (judged per edition, before findings are grouped), plus one
 * TG009 per allow of this profile that silenced nothing or names an error rule.
 *
 * Allows accumulate down `extends` (a reason given for the parent's settings still holds), but an
 * allow accepts only findings caused where its author could see them: in the file of the profile
 * that declares it or of a profile it extends. A descendant's own entries (its overrides, removals,
 * exceptions, policy) were written after the reason was given; their findings need the descendant's
 * own allow. An inherited allow that is unused here is the parent's to report, when the parent is linted.
 */
export function applyAllows(context: ProfileContext, findings: readonly EditionFinding[]): EditionFinding[] {
  const allows = context.profile.lintAllow;
  const used = new Set<number>();
  const kept = findings.filter((finding) => {
    const matching = allows.map((allow, index) => ({ allow, index })).filter(({ allow }) => silences(context, allow, finding));
    for (const { index } of matching) used.add(index);
    return matching.length === 0;
  });
  allows.forEach(({ value: allow, profile, file, pointer }, index) => {
    if (used.has(index) || profile !== context.plan.id) return;
    const scope = allow.targets ? ` on ${allow.targets.join(', ')}` : '';
    const why = !isRuleId(allow.rule)
      ? `${allow.rule} is not a lint rule (the rules are ${RULE_IDS[0]}–${RULE_IDS.at(-1)}); correct the id or remove the entry`
      : LINT_RULES[allow.rule].severity === 'error'
        ? `rule ${allow.rule} is an error and cannot be allowed; fix what it reports and remove the entry`
        : `no ${allow.rule} finding is left to accept; remove the entry`;
    context.report('TG009', { file, pointer }, { message: `lint.allow for ${allow.rule}${scope} in profile ${context.plan.id} silences nothing: ${why}` });
  });
  return kept;
}

function silences(context: ProfileContext, allow: Sourced<LintAllowanceDef>, finding: EditionFinding): boolean {
  const { rule, targets } = allow.value;
  // TG009 is about the allows themselves: an allow cannot accept another allow's staleness.
  if (rule !== finding.rule || finding.rule === 'TG009' || LINT_RULES[finding.rule].severity === 'error') return false;
  // An allow without targets covers the whole profile; with targets, the findings on those Windows versions or editions.
  if (targets !== undefined && (finding.target === null || !coversTarget(targets, finding.target))) return false;
  return !causedByDescendantOf(context, allow.profile, finding);
}

/** Is the finding located in the file of a profile nearer in the chain than `declaredBy` (one that extends it)? */
function causedByDescendantOf(context: ProfileContext, declaredBy: string, finding: Where): boolean {
  const { chain } = context.profile;
  return chain.slice(0, chain.indexOf(declaredBy)).some((id) => {
    const profile = context.catalog.profiles.get(id);
    return profile !== undefined && finding.file === profile.file && within(finding.pointer, profile.pointer);
  });
}

/** Is `pointer` the entry at `root` or below it? */
function within(pointer: string, root: string): boolean {
  return root === '' || pointer === root || pointer.startsWith(`${root}/`);
}
