/**
 * What lint reports: findings with a stable rule id and a fixed severity, located at the profile
 * YAML entry (or setting) that causes them, and their conversion to Diagnostics so that commands
 * print and refuse them like every other problem.
 */
import type { Diagnostic, Severity } from '../diagnostics.js';
import type { TargetPlan } from '../resolve/plan.js';

/** The rules, in the order the spec lists them. Ids are stable: profiles name them in `lint.allow`. */
export const LINT_RULES = {
  TG001: { severity: 'error', summary: 'TLS 1.3 enabled on a Windows version whose Schannel does not support it' },
  TG002: { severity: 'warning', summary: 'a .NET Framework value set for one bitness only on a 64-bit target' },
  TG003: { severity: 'warning', summary: "one protocol's Client and Server set differently" },
  TG004: { severity: 'warning', summary: 'TLS 1.0/1.1 disabled where a known consumer breaks' },
  TG005: { severity: 'warning', summary: 'TLS 1.3 enabled for Exchange, which supports it only from Exchange 2019 CU15 on Server 2022/2025 and not for SMTP' },
  TG006: { severity: 'error', summary: 'Enabled written as 0xFFFFFFFF in a DISA STIG profile' },
  TG007: { severity: 'error', summary: 'an exception whose date has passed' },
  TG008: { severity: 'warning', summary: 'a setting or prerequisite that applies on none of the targets' },
  TG009: { severity: 'warning', summary: 'a lint.allow entry that silences nothing (it names no rule, an error rule, or a finding that is gone)' },
  TG010: {
    severity: 'warning',
    summary: 'Enabled written without DisabledByDefault=0 (policy.disabledByDefault: omit) where Windows disables the protocol by default',
  },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleId = keyof typeof LINT_RULES;

export const RULE_IDS = Object.keys(LINT_RULES) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(LINT_RULES, id);
}

/**
 * One lint finding, as `tlsgen lint --json` prints it (an array of these, in sortFindings order).
 * The fields and their meaning are stable; new fields may be added.
 */
export interface LintFinding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** The profile being linted (a profile that extends another gets its own findings). */
  readonly profile: string;
  /**
   * The target editions (variant ids: `win10`, `win10-x86`) the finding is on, in the profile's
   * target order; empty when the finding is about the whole profile. Editions with the same finding
   * (rule, severity, place, setting, and the message but for the editions it names) share one finding,
   * whose message names them (at most MAX_NAMED_EDITIONS, then "and N more"); this list has them all.
   */
  readonly targets: readonly string[];
  readonly setting: string | null;
  readonly message: string;
  /** Where the cause is written: the profile file (or the file of a profile it extends). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
}

/** How a message names the editions its finding is on. */
export interface Editions {
  /** For prose: `win10 (Windows 10)` for one edition; `win10, win10-x86 and ws2022` for several (see namedList). */
  readonly text: string;
  /** Every Windows version (target id) of the editions, comma-separated, for a YAML hint such as `targets: [win10, ws2012]`. */
  readonly versions: string;
}

/**
 * A finding as a rule reports it, before the allows and the grouping: on one edition (or, with
 * target null, about the whole profile), its message still open for the editions it ends up sharing.
 */
export interface EditionFinding extends Omit<LintFinding, 'targets' | 'message'> {
  readonly target: TargetPlan | null;
  readonly message: (on: Editions) => string;
}

/** How many editions a message names before "and N more". */
export const MAX_NAMED_EDITIONS = 6;

/** `a`, `a and b`, `a, b and c`; past `max` items, the first `max` then `and N more`. */
export function namedList(items: readonly string[], max: number = MAX_NAMED_EDITIONS): string {
  if (items.length <= 1) return items.join('');
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function labelOf(target: TargetPlan): string {
  return `${target.variantId} (${target.target.product}${target.architecture === 'x86' ? ', 32-bit' : ''})`;
}

export function editionsOf(targets: readonly TargetPlan[]): Editions {
  const text = targets.length === 1 ? labelOf(targets[0]!) : namedList(targets.map((t) => t.variantId));
  return { text, versions: [...new Set(targets.map((t) => t.target.id))].join(', ') };
}

/** Stands for the editions while findings are compared: a message that differs only there is the same finding. */
const ANY_EDITIONS: Editions = { text: '\u0000editions\u0000', versions: '\u0000versions\u0000' };

/**
 * One finding per group of editions with the same finding (see LintFinding.targets), at the place
 * of the group's first; findings about the whole profile stay as they are.
 */
export function groupByEdition(findings: readonly EditionFinding[]): LintFinding[] {
  const groups = new Map<string, { first: EditionFinding; targets: TargetPlan[] }>();
  findings.forEach((finding, index) => {
    const key =
      finding.target === null
        ? `whole profile ${index}`
        : JSON.stringify([finding.rule, finding.severity, finding.profile, finding.file, finding.pointer, finding.setting, finding.message(ANY_EDITIONS)]);
    const group = groups.get(key) ?? { first: finding, targets: [] };
    if (finding.target !== null && !group.targets.some((t) => t.variantId === finding.target!.variantId)) group.targets.push(finding.target);
    groups.set(key, group);
  });
  // Fields in LintFinding's order: the JSON output prints them so.
  return [...groups.values()].map(({ first: f, targets }) => ({
    rule: f.rule,
    severity: f.severity,
    profile: f.profile,
    targets: targets.map((t) => t.variantId),
    setting: f.setting,
    message: f.message(editionsOf(targets)),
    file: f.file,
    line: f.line,
    column: f.column,
    pointer: f.pointer,
  }));
}

/** Findings as diagnostics: the message starts with the rule id, so that a reader can allow it by name. */
export function lintDiagnostics(findings: readonly LintFinding[]): Diagnostic[] {
  return findings.map((f) => ({ file: f.file, line: f.line, column: f.column, severity: f.severity, message: `${f.rule} ${f.message}`, pointer: f.pointer }));
}

/** Do the findings refuse a build? Errors always; warnings too under `--strict`. */
export function lintRefuses(findings: readonly LintFinding[], options: { readonly strict?: boolean } = {}): boolean {
  return findings.some((f) => f.severity === 'error' || options.strict === true);
}

/**
 * The closing line of `tlsgen lint`: how many errors and warnings, and, under `--strict`, that the
 * warnings refuse. Severities stay what the rule table says in every output (a warning is printed
 * as a warning under --strict too); only the outcome changes.
 */
export function lintSummary(findings: readonly LintFinding[], options: { readonly strict?: boolean } = {}): string {
  if (findings.length === 0) return 'no lint findings';
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  return `${errors} error(s), ${warnings} warning(s)${options.strict === true && warnings > 0 ? ' (refused: --strict)' : ''}`;
}

/** Stable order for printing and tests: by file, position, rule, then targets. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule) ||
      a.targets.join(',').localeCompare(b.targets.join(',')) ||
      a.message.localeCompare(b.message),
  );
}
