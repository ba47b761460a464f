/**
 * Lint phase: advice about resolved profiles that validation cannot give, because it depends on
 * what the values mean on each Windows version and on the software the profile is for. Runs after
 * resolve, over the plans and the located profile definitions; returns findings, prints nothing.
 * The rule table (ids, severities) is LINT_RULES in findings.ts.
 */
import type { LoadedDocument } from '../load/load.js';
import type { Catalog } from '../model/catalog.js';
import type { ProfilePlan } from '../resolve/plan.js';
import { applyAllows } from './allow.js';
import { profileContext } from './context.js';
import type { Locate, ProfileContext } from './context.js';
import { dotNetValuesForBothBitnesses } from './dotnet-rules.js';
import { groupByEdition, sortFindings } from './findings.js';
import type { EditionFinding, LintFinding } from './findings.js';
import { everyEntryAppliesSomewhere, exceptionsAreStillValid } from './profile-rules.js';
import {
  clientAndServerAlike,
  disabledByDefaultWrittenWhereWindowsNeedsIt,
  legacyProtocolsOffOnlyWhereConsumersCope,
  noTls13ForExchange,
  stigProfilesWriteEnabledAsOne,
  tls13OnlyWhereWindowsSupportsIt,
} from './protocol-rules.js';

export type { Locate } from './context.js';
export { LINT_RULES, MAX_NAMED_EDITIONS, RULE_IDS, lintDiagnostics, lintRefuses, lintSummary, namedList, sortFindings } from './findings.js';
export type { LintFinding, RuleId } from './findings.js';

export interface LintInput {
  /** Checked definitions: the profiles (with file and pointer) the plans were resolved from, and the profiles they extend. */
  readonly catalog: Catalog;
  /**
   * The plans to lint, one per profile (every target edition). Any iterable: build resolves them one at a
   * time as lint reaches them, so a plan is let go before the next is made.
   */
  readonly plans: Iterable<ProfilePlan>;
  /** YYYY-MM-DD: exceptions dated before it have expired. The CLI passes --today or the UTC date; tests pass a fixed day. */
  readonly today: string;
  /** Positions of JSON pointers in definition files; without it every finding is at 1:1 of its file. */
  readonly locate?: Locate;
}

type LintRule = (context: ProfileContext) => void;

/** TG001–TG008 and TG010, one function each; TG009 comes from the allows (allow.ts). */
const RULES: readonly LintRule[] = [
  tls13OnlyWhereWindowsSupportsIt,
  dotNetValuesForBothBitnesses,
  clientAndServerAlike,
  disabledByDefaultWrittenWhereWindowsNeedsIt,
  legacyProtocolsOffOnlyWhereConsumersCope,
  noTls13ForExchange,
  stigProfilesWriteEnabledAsOne,
  exceptionsAreStillValid,
  everyEntryAppliesSomewhere,
];

const TODAY = /^\d{4}-\d{2}-\d{2}$/;

export function lintProfiles(input: LintInput): LintFinding[] {
  if (!TODAY.test(input.today)) throw new Error(`internal: lint needs today as YYYY-MM-DD, got "${input.today}"`);
  const locate = input.locate ?? (() => ({ line: 1, column: 1 }));
  const findings: LintFinding[] = [];
  for (const plan of input.plans) findings.push(...lintProfile(input.catalog, plan, input.today, locate));
  return sortFindings(findings);
}

function lintProfile(catalog: Catalog, plan: ProfilePlan, today: string, locate: Locate): LintFinding[] {
  const reported: EditionFinding[] = [];
  const context = profileContext(catalog, plan, today, locate, reported);
  for (const rule of RULES) rule(context);
  // Take what the rules found out of `reported` before the allows run: they report TG009 into it.
  const found = reported.splice(0);
  // Allows name Windows versions and editions, so they judge each edition's finding; then editions
  // with the same finding share one (a profile over twenty editions would otherwise say it twenty times).
  const kept = applyAllows(context, found);
  return groupByEdition([...kept, ...reported]);
}

/** Positions from the loaded YAML documents (the load phase keeps a pointer → line:column map per file). */
export function locateIn(documents: readonly LoadedDocument[]): Locate {
  const byFile = new Map(documents.map((d) => [d.file, d.document]));
  return (file, pointer) => byFile.get(file)?.locate(pointer) ?? { line: 1, column: 1 };
}

/** Today's date in UTC as YYYY-MM-DD, the default of `--today`. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
