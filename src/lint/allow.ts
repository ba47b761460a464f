/**
 * `lint.allow`: a finding accepted with a stated reason, for one rule and optionally only some
 * targets. An allow that silences nothing is reported (TG009): the finding it accepted is gone, and a
 * stale allow would silently accept the next, different finding of that rule.
 */
import type { LintAllowanceDef } from '../model/compose.js';
import type { TargetPlan } from '../resolve/plan.js';
import type { ProfileContext } from './context.js';
import { RULE_IDS, isRuleId } from './findings.js';
import type { EditionFinding } from './findings.js';

/**
 * The findings the allows do not silence (judged per edition, before findings are grouped), plus one TG009 per allow of this profile that silenced
 * nothing. Allows accumulate down `extends` (a reason given for the parent's settings still holds);
 * an inherited allow that is unused here is the parent's to report, when the parent is linted.
 */
export function applyAllows(context: ProfileContext, findings: readonly EditionFinding[]): EditionFinding[] {
  const allows = context.profile.lintAllow;
  const used = new Set<number>();
  const kept = findings.filter((finding) => {
    const matching = allows.map((allow, index) => ({ allow, index })).filter(({ allow }) => silences(allow.value, finding));
    for (const { index } of matching) used.add(index);
    return matching.length === 0;
  });
  allows.forEach(({ value: allow, profile, file, pointer }, index) => {
    if (used.has(index) || profile !== context.plan.id) return;
    const scope = allow.targets ? ` on ${allow.targets.join(', ')}` : '';
    const why = isRuleId(allow.rule)
      ? `no ${allow.rule} finding is left to accept; remove the entry`
      : `${allow.rule} is not a lint rule (the rules are ${RULE_IDS[0]}–${RULE_IDS.at(-1)}); correct the id or remove the entry`;
    context.report('TG009', { file, pointer }, { message: `lint.allow for ${allow.rule}${scope} in profile ${context.plan.id} silences nothing: ${why}` });
  });
  return kept;
}

function silences(allow: LintAllowanceDef, finding: EditionFinding): boolean {
  // TG009 is about the allows themselves: an allow cannot accept another allow's staleness.
  return allow.rule === finding.rule && finding.rule !== 'TG009' && coversTarget(allow.targets, finding.target);
}

/** An allow without targets covers the whole profile; with targets, the findings on those Windows versions or editions. */
function coversTarget(targets: readonly string[] | undefined, target: TargetPlan | null): boolean {
  if (!targets) return true;
  return target !== null && (targets.includes(target.variantId) || targets.includes(target.target.id));
}
