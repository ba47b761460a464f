/**
 * The library's commands: what `tlsgen build|validate|list|explain|sign` do, as functions that take
 * typed requests and return data. The CLI (src/cli.ts) only parses argv, calls one of these and
 * prints; tests call the same functions. User errors are thrown as UserError.
 */
import type { Diagnostic } from './diagnostics.js';
import { UserError, hasErrors } from './diagnostics.js';
import { emit } from './emit/emit.js';
import type { EmitReport } from './emit/emit.js';
import { variantsOf } from './model/targets.js';
import { checkDefinitions, resolvePlans } from './pipeline.js';
import type { CheckedDefinitions } from './pipeline.js';
import { listData } from './present/list.js';
import type { ListKind } from './present/list.js';
import { renderProfileFiles } from './render/artifacts.js';
import type { FormatId, GeneratedFile } from './render/artifacts.js';
import type { ProfilePlan, TargetPlan } from './resolve/plan.js';
import type { OutputMode } from './definitions/types.js';

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
}

export function build(request: BuildRequest): Outcome<{ report: EmitReport }> {
  return withDefinitions(request.definitionsDir, (checked) => {
    // A profile named twice is built once.
    const profiles = [...new Set(request.profiles ?? [])];
    const targets = targetEditions(checked, request.targets);
    const formats = request.formats ?? [];
    const plans = resolvePlans(checked, { profiles, mode: request.mode });
    if (plans.length === 0) {
      // A mistyped definitions folder must not look like "remove every profile".
      throw new UserError(`${request.definitionsDir} defines no profiles; nothing was built and nothing in ${request.outDir} was removed`, 1);
    }
    const report = emit(plans.flatMap(renderProfileFiles), {
      outDir: request.outDir,
      check: request.check ?? false,
      select: (file: GeneratedFile) =>
        (file.format === null || formats.length === 0 || formats.includes(file.format)) &&
        (file.targetId === null || targets.length === 0 || targets.includes(file.targetId)),
      allProfiles: profiles.length === 0,
      onWait: request.onWait,
    });
    return { report };
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

export function validate(definitionsDir: string): Outcome<{ summary: ValidateSummary }> {
  return withDefinitions(definitionsDir, (checked) => {
    const { catalog } = checked;
    const plans = resolvePlans(checked, {}).reduce((n, p) => n + p.targets.length, 0);
    return {
      summary: { profiles: catalog.profiles.size, targets: catalog.targets.size, settings: catalog.settings.size, sources: catalog.sources.size, plans },
    };
  });
}

export function list(definitionsDir: string, kind: ListKind): Outcome<{ rows: Record<string, unknown>[]; checked: CheckedDefinitions }> {
  return withDefinitions(definitionsDir, (checked) => ({ rows: listData(checked.catalog, kind), checked }));
}

export interface ExplainRequest {
  readonly definitionsDir: string;
  readonly profile: string;
  readonly targets?: readonly string[];
  readonly mode?: OutputMode;
}

export function explain(request: ExplainRequest): Outcome<{ plan: ProfilePlan; targets: TargetPlan[] }> {
  return withDefinitions(request.definitionsDir, (checked) => {
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

export { signOutput as sign } from './sign/sign.js';
export type { SignOptions, SignReport } from './sign/sign.js';

function withDefinitions<T>(definitionsDir: string, work: (checked: CheckedDefinitions) => T): Outcome<T> {
  const checked = checkDefinitions(definitionsDir);
  if (hasErrors(checked.diagnostics)) return { ok: false, diagnostics: checked.diagnostics };
  return { ok: true, diagnostics: checked.diagnostics, ...work(checked) };
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
  if (unknown.length > 0) throw new UserError(`unknown target ${unknown.join(', ')}; known targets: ${[...editions.keys()].join(', ')}`);
  return [...new Set(ids.flatMap((id) => editions.get(id)!))];
}
