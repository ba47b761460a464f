/**
 * Output generated now, by the code under test, for the consumer and parity tests.
 *
 * Every consumer test (Wine, hivexregedit, xmllint, PowerShell) and every parity or README test
 * must judge what `src/` produces in this run, not what was committed after the last
 * regeneration. This helper runs the pipeline on the shipped definitions/ and on every golden
 * case's definitions (with the case's options.json: overlay, profiles, mode), writes the files
 * into a temporary folder and keeps the plans `generate()` returned beside them.
 *
 * The committed files are not read here: test/out-is-current.test.ts and test/golden.test.ts
 * require them to equal this output byte for byte, which makes them the drift detectors; a
 * consumer verdict on a committed file is then the verdict on the fresh one.
 *
 * It runs once per test file (vitest gives each file its own module registry) and never throws
 * while tests are being collected: a pipeline that throws or reports errors yields an `error`
 * that `freshOutputProblems()` turns into one failing test, instead of a load error that would
 * hide every other test of the file.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '../../src/pipeline.js';
import type { ProfilePlan, TargetPlan } from '../../src/resolve/plan.js';
import type { OutputMode } from '../../src/validate/definitions.js';
import { GOLDEN, REPO, caseFolders, definitionsForCase, writeTree } from './golden.js';

export interface CaseOptions {
  /** A definitions folder, relative to the repository; default: the case's own definitions/. */
  definitions?: string;
  /** Lay the case's own definitions/ over `definitions` (a copy), e.g. one extra profile beside the shipped ones. */
  overlay?: boolean;
  /** Profiles to build; default: all. */
  profiles?: string[];
  mode?: OutputMode;
}

export interface GoldenCase {
  name: string;
  dir: string;
  definitions: string;
  options: CaseOptions;
}

/** The golden cases of test/golden/ (not _errors_), with the definitions folder each one builds. */
export function goldenCases(): GoldenCase[] {
  return caseFolders(GOLDEN).map((name) => {
    const dir = join(GOLDEN, name);
    const optionsFile = join(dir, 'options.json');
    const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {};
    const base = options.definitions ? resolve(REPO, options.definitions) : join(dir, 'definitions');
    const definitions = options.overlay ? definitionsForCase(dir, base) : base;
    return { name, dir, definitions, options };
  });
}

/** One definitions folder, generated now. */
export interface FreshSource {
  /** `definitions` (the shipped ones) or the golden case's name. */
  name: string;
  /** Folder the files were written to: root/<profile>/… */
  root: string;
  plans: ProfilePlan[];
  /** Why this source produced nothing usable (a thrown error or error diagnostics); null when fine. */
  error: string | null;
}

export interface FreshProfile {
  /** `<source>/<profile>`, for test names. */
  label: string;
  folder: string;
  plan: ProfilePlan;
}

let cached: { scratch: string; sources: FreshSource[] } | null = null;

/** Generates every source once per test file (lazily) and returns them. */
export function freshSources(): FreshSource[] {
  if (cached) return cached.sources;
  const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-fresh-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const inputs: { name: string; definitions: () => string; options: CaseOptions }[] = [
    { name: 'definitions', definitions: () => join(REPO, 'definitions'), options: {} },
    ...safeGoldenCases().map((c) => ({ name: c.name, definitions: () => c.definitions, options: c.options })),
  ];
  const sources = inputs.map(({ name, definitions, options }): FreshSource => {
    const root = join(scratch, name);
    try {
      const result = generate({ definitionsDir: definitions(), profiles: options.profiles, mode: options.mode });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      writeTree(root, new Map(result.files.map((f) => [f.path, f.bytes])));
      const error = errors.length > 0 ? errors.map((d) => d.message).join('; ') : result.files.length === 0 ? 'no files generated' : null;
      return { name, root, plans: result.plans, error };
    } catch (err) {
      return { name, root, plans: [], error: `generate() threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` };
    }
  });
  cached = { scratch, sources };
  return sources;
}

function safeGoldenCases(): GoldenCase[] {
  try {
    return goldenCases();
  } catch {
    return []; // reported by golden.test.ts, which reads the same folders
  }
}

/** Problems that make the fresh output unusable: each must be reported by a failing test. */
export function freshOutputProblems(): string[] {
  return freshSources()
    .filter((s) => s.error !== null)
    .map((s) => `${s.name}: ${s.error}`);
}

/** Every generated profile folder with its plan. */
export function freshProfiles(): FreshProfile[] {
  return freshSources().flatMap((source) =>
    source.plans
      .filter((plan) => existsSync(join(source.root, plan.id)))
      .map((plan) => ({ label: `${source.name}/${plan.id}`, folder: join(source.root, plan.id), plan })),
  );
}

/** Profile folders holding a given output folder (reg, dsc, gpp, gpo, scripts, intune). */
export function freshProfileFolders(withSubfolder: string): FreshProfile[] {
  return freshProfiles().filter((p) => existsSync(join(p.folder, withSubfolder)));
}

export interface FreshRegPair {
  /** `<source>/<profile>/reg/<variant>.reg`, for test names. */
  name: string;
  apply: string;
  rollback: string;
  profile: ProfilePlan;
  /** The target plan this file was generated for (its file name is `<variantId>.reg`). */
  target: TargetPlan | undefined;
}

/** Every apply .reg with its rollback twin and the plan of its target. */
export function freshRegPairs(): FreshRegPair[] {
  return freshProfileFolders('reg').flatMap(({ label, folder, plan }) =>
    readdirSync(join(folder, 'reg'))
      .filter((name) => name.endsWith('.reg') && !name.endsWith('.rollback.reg'))
      .sort()
      .map((name) => {
        const variantId = name.slice(0, -'.reg'.length);
        return {
          name: `${label}/reg/${name}`,
          apply: join(folder, 'reg', name),
          rollback: join(folder, 'reg', `${variantId}.rollback.reg`),
          profile: plan,
          target: plan.targets.find((t) => t.variantId === variantId),
        };
      }),
  );
}

/** Shortens a path below a fresh root to `(fresh)/<source>/…` for messages and test names. */
export function shortFresh(path: string): string {
  const scratch = cached?.scratch;
  if (scratch && path.startsWith(scratch)) return `(fresh)${path.slice(scratch.length)}`;
  return path.startsWith(REPO) ? path.slice(REPO.length + 1) : path;
}
