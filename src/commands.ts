/**
 * The library's commands: what `tlsgen build|validate|list|explain|sign` do, as functions that take
 * typed requests and return data. The CLI (src/cli.ts) only parses argv, calls one of these and
 * prints; tests call the same functions. User errors are thrown as UserError.
 */
import type { Diagnostic } from './diagnostics.js';
import { UserError, hasErrors, quote } from './diagnostics.js';
import { fingerprintOf } from './emit/build-record.js';
import { emitProfiles, unchangedSince } from './emit/emit.js';
import { discoverDefinitions } from './load/discover.js';
import type { DiscoverResult } from './load/discover.js';
import type { EmitReport } from './emit/emit.js';
import { variantsOf } from './model/targets.js';
import { checkDefinitions, composed, profileIds, resolvePlans } from './pipeline.js';
import { resolveProfile } from './resolve/resolve.js';
import type { Catalog } from './model/catalog.js';
import type { CheckedDefinitions } from './pipeline.js';
import { comparePlans } from './present/compare.js';
import type { ProfileComparison } from './present/compare.js';
import { listData } from './present/list.js';
import type { ListKind } from './present/list.js';
import { renderProfileFiles } from './render/artifacts.js';
import type { FormatId, GeneratedFile } from './render/artifacts.js';
import type { ProfilePlan, TargetPlan } from './resolve/plan.js';
import { initProfile } from './scaffold/init.js';
import type { InitRequest, InitResult } from './scaffold/init.js';
import type { OutputMode } from './definitions/types.js';
import { lintDiagnostics, lintProfiles, lintRefuses, utcToday } from './lint/lint.js';
import type { LintFinding } from './lint/lint.js';

/** Definitions that failed validation: nothing ran; the diagnostics say why. */
export interface Refused {
  readonly ok: false;
  readonly diagnostics: Diagnostic[];
}

export type Outcome<T> = Refused | ({ readonly ok: true; readonly diagnostics: Diagnostic[] } & T);

export interface BuildRequest {
  readonly definitionsDir: string;
  readonly outDir: string;
  /** Only these profiles; empty: all, and profiles generated earlier but no longer defined are removed. */
  readonly profiles?: readonly string[];
  /** Windows versions (all their editions) or single editions (`win10-x86`). */
  readonly targets?: readonly string[];
  readonly formats?: readonly FormatId[];
  readonly mode?: OutputMode;
  /** Compare instead of write. */
  readonly check?: boolean;
  /** Told when another build holds the output folder's lock. */
  readonly onWait?: (holder: string) => void;
  readonly lint?: LintOptions;
}

/** How lint judges: `today` (YYYY-MM-DD, default the UTC date) dates exceptions; `strict` refuses on warnings too. */
export interface LintOptions {
  readonly today?: string;
  readonly strict?: boolean;
}

export async function build(request: BuildRequest): Promise<Outcome<{ report: EmitReport }>> {
  // One day for the whole build, so lint and the record agree across midnight.
  const today = request.lint?.today ?? utcToday();
  const discovered = discoverDefinitions(request.definitionsDir);
  const fingerprint = wholeBuildFingerprint(request, today, discovered);
  if (fingerprint !== null) {
    // The folder is what the same inputs made before: report it without making anything (emit/build-record.ts).
    const unchanged = unchangedSince(request.outDir, fingerprint, { onWait: request.onWait });
    if (unchanged !== null) return { ok: true, report: unchanged.report, diagnostics: [...unchanged.diagnostics] };
  }
  const prepared = withDefinitions(request.definitionsDir, discovered, (checked) => {
    // A profile named twice is built once.
    const profiles = [...new Set(request.profiles ?? [])];
    const targets = targetEditions(checked, request.targets);
    const formats = request.formats ?? [];
    const ids = profileIds(checked, profiles);
    if (ids.length === 0) {
      // A mistyped definitions folder must not look like "remove every profile".
      throw new UserError(`${request.definitionsDir} defines no profiles; nothing was built and nothing in ${request.outDir} was removed`, 1);
    }
    const plans = twoPassPlans(checked.catalog, ids, request.mode);
    const lint = lintPlans(checked, plans.forLint(), { ...request.lint, today });
    if (lint.refuses) return refusal(lint.diagnostics);
    const record = fingerprint === null ? null : { fingerprint, diagnostics: [...checked.diagnostics, ...lint.diagnostics] };
    // One profile's files at a time: emit renders each when it reaches it and lets it go after.
    const profileFiles = ids.map((id) => ({ id, files: () => renderProfileFiles(plans.forEmit(id)) }));
    const emitting = emitProfiles(profileFiles, {
      outDir: request.outDir,
      check: request.check ?? false,
      select: (file: GeneratedFile) =>
        (file.format === null || formats.length === 0 || formats.includes(file.format)) &&
        (file.targetId === null || targets.length === 0 || targets.includes(file.targetId)),
      allProfiles: profiles.length === 0,
      onWait: request.onWait,
      record,
    });
    return { emitting, diagnostics: lint.diagnostics };
  });
  if (!prepared.ok) return prepared;
  const { emitting, ...outcome } = prepared;
  return { ...outcome, report: await emitting };
}

/** Plans lint resolved that build keeps for emit (about 2 MB): a build of a few profiles resolves each once. */
const KEPT_PLANS = 16;

/**
 * A build's plans for its two passes, few in memory at a time (a plan is about 120 KB; 1,000 held plans were
 * 120 MB): lint judges every profile before anything is written, then emit renders each. The first
 * KEPT_PLANS plans lint resolved are kept for emit; any further one is resolved again when emit reaches it.
 * Only the catalog is held: the loaded documents (YAML with positions for diagnostics, 24 of the 41 MB that
 * 1,000 profiles take) go once lint has located its findings.
 */
function twoPassPlans(catalog: Catalog, ids: readonly string[], mode: OutputMode | undefined) {
  const resolveOne = (id: string) => resolveProfile(catalog, composed(catalog, id), { mode });
  const kept = new Map<string, ProfilePlan>();
  return {
    *forLint(): Generator<ProfilePlan> {
      for (const id of ids) {
        const plan = resolveOne(id);
        if (kept.size < KEPT_PLANS) kept.set(id, plan);
        yield plan;
      }
    },
    forEmit(id: string): ProfilePlan {
      const plan = kept.get(id) ?? resolveOne(id);
      kept.delete(id);
      return plan;
    },
  };
}

/**
 * The fingerprint a whole build records (every profile, every target and format, written not checked), or
 * null: a filtered build or a check is always made in full, and a folder whose files cannot all be read
 * is left to the build to report.
 */
function wholeBuildFingerprint(request: BuildRequest, today: string, discovered: DiscoverResult): string | null {
  const filtered = (request.profiles?.length ?? 0) > 0 || (request.targets?.length ?? 0) > 0 || (request.formats?.length ?? 0) > 0;
  if (request.check || filtered || discovered.diagnostics.length > 0) return null;
  return fingerprintOf({
    definitionsDir: request.definitionsDir,
    mode: request.mode ?? '',
    strict: request.lint?.strict ?? false,
    today,
    files: discovered.files,
  });
}

export interface ValidateSummary {
  readonly profiles: number;
  readonly targets: number;
  readonly settings: number;
  readonly sources: number;
  /** Profile × target edition plans that resolved. */
  readonly plans: number;
}

export function validate(definitionsDir: string, options: LintOptions = {}): Outcome<{ summary: ValidateSummary }> {
  return withDefinitions(definitionsDir, undefined, (checked) => {
    const { catalog } = checked;
    const resolved = resolvePlans(checked, {});
    const lint = lintPlans(checked, resolved, options);
    if (lint.refuses) return refusal(lint.diagnostics);
    const plans = resolved.reduce((n, p) => n + p.targets.length, 0);
    return {
      summary: { profiles: catalog.profiles.size, targets: catalog.targets.size, settings: catalog.settings.size, sources: catalog.sources.size, plans },
      diagnostics: lint.diagnostics,
    };
  });
}

export interface LintRequest extends LintOptions {
  readonly definitionsDir: string;
  /** Only these profiles; empty: all. */
  readonly profiles?: readonly string[];
}

/** `tlsgen lint`: every finding, and whether they refuse (errors, or warnings under strict). */
export function lint(request: LintRequest): Outcome<{ findings: LintFinding[]; refuses: boolean }> {
  return withDefinitions(request.definitionsDir, undefined, (checked) => {
    const plans = resolvePlans(checked, { profiles: [...new Set(request.profiles ?? [])] });
    const findings = lintProfiles({ catalog: checked.catalog, plans, today: request.today ?? utcToday(), locate: checked.locate });
    return { findings, refuses: lintRefuses(findings, { strict: request.strict }) };
  });
}

/** Lint for build and validate: findings as diagnostics (warnings become errors under strict). */
function lintPlans(checked: CheckedDefinitions, plans: Iterable<ProfilePlan>, options: LintOptions = {}): { diagnostics: Diagnostic[]; refuses: boolean } {
  const findings = lintProfiles({ catalog: checked.catalog, plans, today: options.today ?? utcToday(), locate: checked.locate });
  const diagnostics = lintDiagnostics(findings);
  return { diagnostics, refuses: lintRefuses(findings, { strict: options.strict }) };
}

/** A refusal from a step after validation: the lint diagnostics say why. */
function refusal(diagnostics: Diagnostic[]): Refused & { readonly refusal: true } {
  return { ok: false, diagnostics, refusal: true };
}

export function list(definitionsDir: string, kind: ListKind): Outcome<{ rows: Record<string, unknown>[]; checked: CheckedDefinitions }> {
  return withDefinitions(definitionsDir, undefined, (checked) => ({ rows: listData(checked.catalog, kind), checked }));
}

export interface ExplainRequest {
  readonly definitionsDir: string;
  readonly profile: string;
  readonly targets?: readonly string[];
  readonly mode?: OutputMode;
}

export function explain(request: ExplainRequest): Outcome<{ plan: ProfilePlan; targets: TargetPlan[] }> {
  return withDefinitions(request.definitionsDir, undefined, (checked) => {
    const [plan] = resolvePlans(checked, { profiles: [request.profile], mode: request.mode });
    const editions = targetEditions(checked, request.targets);
    const selected = plan!.targets.filter((t) => editions.length === 0 || editions.includes(t.variantId));
    if (selected.length === 0) {
      throw new UserError(
        `profile ${plan!.id} does not cover ${(request.targets ?? []).join(', ')}; it covers ${plan!.targets.map((t) => t.variantId).join(', ')}`,
      );
    }
    return { plan: plan!, targets: selected };
  });
}

export interface CompareRequest {
  readonly definitionsDir: string;
  /** A and B: the comparison says what B adds, removes and changes against A. */
  readonly profiles: readonly [string, string];
  readonly targets?: readonly string[];
  readonly mode?: OutputMode;
}

export function compare(request: CompareRequest): Outcome<{ comparison: ProfileComparison }> {
  return withDefinitions(request.definitionsDir, undefined, (checked) => {
    // An unknown profile is refused by resolvePlans, as for every command (a usage error).
    const [a, b] = resolvePlans(checked, { profiles: request.profiles, mode: request.mode }) as [ProfilePlan, ProfilePlan];
    const editions = targetEditions(checked, request.targets);
    const covered = new Set([...a.targets, ...b.targets].map((t) => t.variantId));
    // Windows versions in the order windows.yaml lists them, whichever profile covers them.
    const selected = [...checked.catalog.targets.values()]
      .flatMap((t) => variantsOf(t.value).map((v) => v.variantId))
      .filter((id) => covered.has(id) && (editions.length === 0 || editions.includes(id)));
    if (selected.length === 0) {
      throw new UserError(`neither ${a.id} nor ${b.id} covers ${(request.targets ?? []).join(', ')}; they cover ${[...covered].join(', ')}`);
    }
    return { comparison: comparePlans(a, b, selected) };
  });
}

/** `tlsgen init`: writes a profile that extends another (see src/scaffold/init.ts). */
export function init(request: InitRequest): Outcome<InitResult> {
  return withDefinitions(request.definitionsDir, undefined, (checked) => initProfile(checked, request));
}
export type { InitRequest, InitResult } from './scaffold/init.js';

export { signOutput as sign } from './sign/sign.js';
export type { SignOptions, SignReport } from './sign/sign.js';

function withDefinitions<T>(
  definitionsDir: string,
  discovered: DiscoverResult | undefined,
  work: (checked: CheckedDefinitions) => (T & { readonly diagnostics?: Diagnostic[] }) | (Refused & { readonly refusal: true }),
): Outcome<T> {
  const checked = checkDefinitions(definitionsDir, discovered);
  if (hasErrors(checked.diagnostics)) return { ok: false, diagnostics: checked.diagnostics };
  const done = work(checked);
  if ('refusal' in done) return { ok: false, diagnostics: [...checked.diagnostics, ...done.diagnostics] };
  return { ...done, ok: true, diagnostics: [...checked.diagnostics, ...(done.diagnostics ?? [])] };
}

/**
 * The target editions a --target list selects: a Windows version's id selects all its editions
 * (`win10`: win10 and win10-x86), an edition's id only that edition (`win10-x86`).
 */
function targetEditions(checked: CheckedDefinitions, requested: readonly string[] | undefined): string[] {
  const editions = new Map<string, string[]>();
  for (const [id, target] of checked.catalog.targets) {
    const ids = variantsOf(target.value).map((v) => v.variantId);
    editions.set(id, ids);
    for (const variantId of ids) if (!editions.has(variantId)) editions.set(variantId, [variantId]);
  }
  const ids = requested ?? [];
  const unknown = ids.filter((id) => !editions.has(id));
  if (unknown.length > 0) throw new UserError(`unknown target ${unknown.map((id) => quote(id)).join(', ')}; known targets: ${[...editions.keys()].join(', ')}`);
  return [...new Set(ids.flatMap((id) => editions.get(id)!))];
}
