/**
 * The pipeline, as a table of contents: load → validate → resolve → render (+ encode).
 * Pure with respect to output: it reads definitions and returns files and diagnostics; only the
 * emit phase writes, and only the CLI prints.
 */
import type { Diagnostic } from './diagnostics.js';
import { UserError, hasErrors, quote } from './diagnostics.js';
import { locateIn } from './lint/lint.js';
import type { Locate } from './lint/lint.js';
import type { DiscoverResult } from './load/discover.js';
import { loadDefinitions } from './load/load.js';
import { catalogOf } from './model/catalog.js';
import type { Catalog } from './model/catalog.js';
import { composeProfile } from './model/compose.js';
import type { ComposedProfile } from './model/compose.js';
import { renderProfileFiles } from './render/artifacts.js';
import type { GeneratedFile } from './render/artifacts.js';
import type { ProfilePlan } from './resolve/plan.js';
import { resolveProfile } from './resolve/resolve.js';
import type { DefinitionSet, OutputMode } from './definitions/types.js';
import { validateDefinitions } from './validate/validate.js';

export interface GenerateOptions {
  /** Folder with sources.yaml, windows.yaml, settings/ and profiles/. @default "definitions" */
  readonly definitionsDir: string;
  /** Profile ids to resolve; empty or absent means every profile. */
  readonly profiles?: readonly string[];
  /** Overrides each profile's output mode. */
  readonly mode?: OutputMode;
}

export interface CheckedDefinitions {
  readonly definitions: DefinitionSet;
  readonly catalog: Catalog;
  readonly diagnostics: Diagnostic[];
  /** Line and column of a JSON pointer in a definition file (lint findings point with it). */
  readonly locate: Locate;
}

export interface GenerateResult {
  readonly diagnostics: Diagnostic[];
  readonly plans: ProfilePlan[];
  readonly files: GeneratedFile[];
}

/** Load and validate; `diagnostics` with an error means nothing downstream may run. */
export function checkDefinitions(definitionsDir: string, discovered?: DiscoverResult): CheckedDefinitions {
  const loaded = loadDefinitions(definitionsDir, discovered);
  const validated = validateDefinitions(loaded.documents);
  return {
    definitions: validated.definitions,
    catalog: catalogOf(validated.definitions),
    diagnostics: [...loaded.diagnostics, ...validated.diagnostics],
    locate: locateIn(loaded.documents),
  };
}

export function resolvePlans(checked: CheckedDefinitions, options: Omit<GenerateOptions, 'definitionsDir'>): ProfilePlan[] {
  return profileIds(checked, options.profiles).map((id) => resolveProfile(checked.catalog, composed(checked.catalog, id), { mode: options.mode }));
}

/** The profiles named (every profile when none is), each known; an unknown one is a usage error. */
export function profileIds(checked: CheckedDefinitions, requested: readonly string[] | undefined): readonly string[] {
  const ids = requested?.length ? requested : [...checked.catalog.profiles.keys()];
  for (const id of ids) {
    if (!checked.catalog.profiles.has(id)) {
      throw new UserError(`unknown profile ${quote(id)}; known profiles: ${[...checked.catalog.profiles.keys()].join(', ') || 'none'}`);
    }
  }
  return ids;
}

/** Profiles that passed validation compose (validation reported every loop and unknown parent). */
export function composed(catalog: Catalog, id: string): ComposedProfile {
  const composition = composeProfile(catalog, id);
  if (!composition.ok) throw new Error(`internal: profile "${id}" passed validation but does not compose: ${composition.problem.message}`);
  return composition.profile;
}

export function generate(options: GenerateOptions): GenerateResult {
  const checked = checkDefinitions(options.definitionsDir);
  if (hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics, plans: [], files: [] };
  const plans = resolvePlans(checked, options);
  return { diagnostics: checked.diagnostics, plans, files: plans.flatMap(renderProfileFiles) };
}
