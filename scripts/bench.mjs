#!/usr/bin/env node
/**
 * npm run bench: start-up and scale figures for the notes.
 *  - cold `tlsgen build` of the shipped definitions (a new process, empty output folder each run)
 *    against a bare `node -e ""` and against a script that only imports handlebars, yargs,
 *    js-yaml and ajv (what a naive CLI pays before doing anything);
 *  - a synthetic scale test: 100 and 1,000 generated profiles × all targets, per-artifact cost;
 *  - refusing bad input: `tlsgen validate` on every test/golden/_errors_ case (the alias bomb and
 *    the one-megabyte scalar among them), against the 2 s budget test/bad-input.test.ts used to
 *    assert per case. Wall-clock budgets live here, not in the tests: on a shared 2-core machine a
 *    timing assertion fails for reasons that are not the code's (the tests keep a 30 s hang guard);
 *  - in-process guards moved out of the unit tests (they keep hang detectors and operation guards):
 *    loadYaml refusing the 10^12-node alias bomb of test/unit/yaml-source.test.ts (budget 500 ms)
 *    and quote() of an 8 MB scalar of ESC characters, test/unit/validation-helpers.test.ts (200 ms).
 * Prints medians of several runs; needs `npm run build` first (the npm script does it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'tlsgen.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-bench-'));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function timeOnce(args, options = {}, expectedStatus = 0) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== expectedStatus) throw new Error(`${args.join(' ')} exited ${result.status}, not ${expectedStatus}: ${result.stderr}`);
  return { seconds, stdout: result.stdout.toString() };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function medianOf(runs, makeArgs, expectedStatus = 0) {
  return median(Array.from({ length: runs }, (_, i) => timeOnce(makeArgs(i), {}, expectedStatus).seconds));
}

const importDeps = join(scratch, 'import-deps.mjs');
writeFileSync(importDeps, "import 'handlebars'; import 'yargs'; import 'js-yaml'; import 'ajv';\n");
const importDepsFromRoot = join(root, 'node_modules', '.tlsgen-bench-import-deps.mjs');
cpSync(importDeps, importDepsFromRoot);

const bare = medianOf(RUNS, () => ['-e', '']);
const deps = medianOf(RUNS, () => [importDepsFromRoot]);
const build = medianOf(RUNS, (i) => [cli, 'build', '--out', join(scratch, `cold-${i}`)]);
rmSync(importDepsFromRoot);

console.log(`start-up (median of ${RUNS} runs)`);
console.log(`  bare node -e ""                          ${(bare * 1000).toFixed(0)} ms`);
console.log(`  import handlebars+yargs+js-yaml+ajv      ${(deps * 1000).toFixed(0)} ms  (${(deps / bare).toFixed(2)}x bare)`);
console.log(
  `  tlsgen build, shipped definitions, cold  ${(build * 1000).toFixed(0)} ms  (${(build / bare).toFixed(2)}x bare, ${(build / deps).toFixed(2)}x imports; target <= 2.5x bare)`,
);

/** A definitions folder with `count` copies of every shipped profile under new ids. */
function syntheticDefinitions(count) {
  const dir = join(scratch, `defs-${count}`);
  cpSync(join(root, 'definitions'), dir, { recursive: true });
  const profile = readFileSync(join(root, 'definitions/profiles/azure-backup-tls12.yaml'), 'utf8');
  rmSync(join(dir, 'profiles'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const id = `synthetic-${String(i).padStart(4, '0')}`;
    const file = join(dir, 'profiles', `${id}.yaml`);
    cpSync(join(root, 'definitions/profiles/azure-backup-tls12.yaml'), file);
    writeFileSync(file, profile.replace(/^id: .*$/m, `id: ${id}`));
  }
  return dir;
}

console.log('scale (one cold run each; per artifact = wall time / files written)');
const scale = [];
for (const count of [100, 1000]) {
  const definitions = syntheticDefinitions(count);
  const runs = count >= 1000 ? 3 : 5;
  const samples = Array.from({ length: runs }, (_, i) => {
    const { seconds, stdout } = timeOnce([cli, 'build', '--definitions', definitions, '--out', join(scratch, `scale-${count}-${i}`)]);
    return { seconds, files: Number(/(\d+) file\(s\)/.exec(stdout)?.[1]) };
  });
  const seconds = median(samples.map((s) => s.seconds));
  const files = samples[0].files;
  scale.push({ count, seconds, files });
  console.log(
    `  ${String(count).padStart(5)} profiles x ${files / count} files each: ${files} files in ${seconds.toFixed(2)} s = ${((seconds / files) * 1e6).toFixed(0)} us per artifact`,
  );
}
const [small, large] = scale;
const marginal = (large.seconds - small.seconds) / (large.files - small.files);
console.log(`  marginal cost from 100 to 1,000 profiles: ${(marginal * 1e6).toFixed(0)} us per artifact`);

/**
 * test/golden/_errors_/<case>: the base definitions with the case's files laid over them and
 * remove.txt applied (as test/support/golden.ts definitionsForCase does).
 */
function errorCaseDefinitions(caseDir, name) {
  const dir = join(scratch, 'errors', name, 'definitions');
  cpSync(join(root, 'test/fixtures/base-definitions'), dir, { recursive: true });
  if (existsSync(join(caseDir, 'definitions'))) cpSync(join(caseDir, 'definitions'), dir, { recursive: true });
  const removals = join(caseDir, 'remove.txt');
  if (existsSync(removals)) for (const line of readFileSync(removals, 'utf8').split('\n').filter(Boolean)) rmSync(join(dir, line));
  return dir;
}

const REFUSAL_BUDGET_S = 2;
const errorsRoot = join(root, 'test/golden/_errors_');
const errorRuns = Number(process.env.BENCH_ERROR_RUNS ?? 3);
const refusals = readdirSync(errorsRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => {
    const definitions = errorCaseDefinitions(join(errorsRoot, e.name), e.name);
    const seconds = medianOf(errorRuns, () => [cli, 'validate', '--definitions', definitions], 1);
    return { name: e.name, seconds };
  })
  .sort((a, b) => b.seconds - a.seconds);
console.log(`refusing bad input: tlsgen validate, cold, exit 1 (median of ${errorRuns} runs per case; budget ${REFUSAL_BUDGET_S} s each)`);
for (const { name, seconds } of refusals.slice(0, 5)) console.log(`  ${name.padEnd(44)} ${(seconds * 1000).toFixed(0)} ms`);
console.log(`  … ${refusals.length} cases, median ${(median(refusals.map((r) => r.seconds)) * 1000).toFixed(0)} ms`);
const over = refusals.filter((r) => r.seconds > REFUSAL_BUDGET_S);
console.log(over.length === 0 ? `  every case within ${REFUSAL_BUDGET_S} s` : `  OVER BUDGET: ${over.map((r) => r.name).join(', ')}`);

// In-process guards, timed here rather than asserted in test/unit (the same inputs as the tests).
const { build: bundle } = await import('esbuild');
const guards = join(scratch, 'guards.mjs');
await bundle({
  stdin: { contents: "export { loadYaml } from './src/load/yaml-source.ts'; export { quote } from './src/diagnostics.ts';", resolveDir: root, loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: guards,
  logLevel: 'error',
});
const { loadYaml, quote } = await import(pathToFileURL(guards).href);
const bombLevels = ['a: &a [' + Array(10).fill('"x"').join(',') + ']'];
for (let i = 1; i < 12; i++)
  bombLevels.push(
    `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [` +
      Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',') +
      ']',
  );
const bomb = bombLevels.join('\n') + '\n';
const escapes = '\u001b'.repeat(8 * 1024 * 1024);
function timeInProcess(runs, fn) {
  return median(
    Array.from({ length: runs }, () => {
      const started = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - started) / 1e6;
    }),
  );
}
const inProcess = [
  {
    name: 'loadYaml refuses the alias bomb (10^12 nodes)',
    budgetMs: 500,
    ms: timeInProcess(RUNS, () => {
      if (loadYaml('bomb.yaml', bomb).ok) throw new Error('the alias bomb was accepted');
    }),
  },
  {
    name: 'quote() of an 8 MB scalar of ESC characters',
    budgetMs: 200,
    ms: timeInProcess(RUNS, () => {
      if (quote(escapes).length >= 600) throw new Error('quote() returned the scalar whole');
    }),
  },
];
console.log(`in-process guards (median of ${RUNS} runs, after the first import)`);
for (const { name, budgetMs, ms } of inProcess)
  console.log(`  ${name.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms  (budget ${budgetMs} ms)${ms > budgetMs ? '  OVER BUDGET' : ''}`);

rmSync(scratch, { recursive: true, force: true });
