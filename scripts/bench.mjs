#!/usr/bin/env node
/**
 * npm run bench: every row of issue 12's table, each against its floor measured in the same run on the same
 * file system, then a summary table (row, measured, floor, ratio, goal, met):
 *  - start-up: a cold `tlsgen build` of the shipped definitions (a new process, a new output folder in the
 *    temp folder each run), and of azure-backup-tls12 alone, against a bare `node -e ""`; runs in pairs
 *    (A B A B …) and the ratio is the median of the pairs' ratios, so the machine's drift cancels;
 *  - scale: 1,000 synthetic profiles (copies of definitions/profiles/azure-backup-tls12.yaml under new ids)
 *    built into /dev/shm, against scripts/bench-floor.mjs writing files of the same sizes in the same folders
 *    atomically (temp file, fsync, rename); the same build re-run with nothing changed (the build record
 *    finds the folder up to date: src/emit/build-record.ts), against the floor script reading and hashing the
 *    same files, and once more without the record (not a goal row: every profile rendered and compared); the cold build onto the disk (ext4) against the same writer;
 *    peak memory (max RSS, from scripts/bench-child.cjs preloaded into the child) of the 1,000- and
 *    100-profile builds;
 *  - refusing bad input: `tlsgen validate` on every test/golden/_errors_ case (the alias bomb and
 *    the one-megabyte scalar among them), against the 2 s budget test/bad-input.test.ts used to
 *    assert per case. Wall-clock budgets live here, not in the tests: on a shared 2-core machine a
 *    timing assertion fails for reasons that are not the code's (the tests keep a 30 s hang guard);
 *  - in-process guards moved out of the unit tests (they keep hang detectors and operation guards):
 *    loadYaml refusing the 10^12-node alias bomb of test/unit/yaml-source.test.ts (budget 500 ms)
 *    and quote() of an 8 MB scalar of ESC characters, test/unit/validation-helpers.test.ts (200 ms).
 * Needs `npm run build` first (the npm script does it). BENCH_QUICK=1: a smoke run (100 profiles instead of
 * 1,000, fewer runs; its ratios are not the goals'). BENCH_RUNS: start-up pairs (default 11).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'tlsgen.cjs');
const floor = join(root, 'scripts', 'bench-floor.mjs');
const childReport = join(root, 'scripts', 'bench-child.cjs');
const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 11));
const PROFILES = QUICK ? 100 : 1000;
const SMALL = QUICK ? 10 : 100;
const SCALE_RUNS = QUICK ? 1 : 3;
const DISK_RUNS = QUICK ? 1 : 3;
const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-bench-'));
const shmRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const shm = mkdtempSync(join(shmRoot, 'tlsgen-bench-'));
const started = process.hrtime.bigint();
const rows = [];

/** Runs one process; wall seconds, and (with `measure`) its peak memory and CPU from scripts/bench-child.cjs. */
function timeOnce(args, { expectedStatus = 0, measure = false } = {}) {
  const report = join(scratch, 'child-report.jsonl');
  rmSync(report, { force: true });
  const argv = measure ? ['--require', childReport, ...args] : args;
  const env = measure ? { ...process.env, TLSGEN_BENCH_REPORT: report } : process.env;
  const begun = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - begun) / 1e9;
  if (result.status !== expectedStatus) throw new Error(`${args.join(' ')} exited ${result.status}, not ${expectedStatus}: ${result.stderr}`);
  const usage = measure ? JSON.parse(readFileSync(report, 'utf8').trim().split('\n').at(-1)) : null;
  return {
    seconds,
    stdout: result.stdout.toString(),
    maxRssMiB: usage ? usage.maxRssKiB / 1024 : null,
    cpuSeconds: usage ? (usage.userUs + usage.systemUs) / 1e6 : null,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `runs` pairs A B A B …: medians of each, and the median of the pairs' ratios A/B. */
function paired(runs, runA, runB) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(runA(i));
    b.push(runB(i));
  }
  const ratio = median(a.map((x, i) => x.seconds / b[i].seconds));
  return { a, b, aSeconds: median(a.map((x) => x.seconds)), bSeconds: median(b.map((x) => x.seconds)), ratio };
}

function addRow(row, measured, floorText, ratio, goal, met) {
  rows.push({ row, measured, floor: floorText, ratio: ratio === null ? '' : `${ratio.toFixed(2)}x`, goal, met: met ? 'met' : 'NOT MET' });
}

const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
const s2 = (seconds) => `${seconds.toFixed(2)} s`;

// ---- start-up -------------------------------------------------------------------------------------------
const coldOut = (name, i) => join(scratch, `${name}-${i}`);
const bareRun = () => timeOnce(['-e', '']);
console.log(`start-up: cold tlsgen build against bare node -e "" (${RUNS} pairs, A B A B ..., wall time; outputs in ${tmpdir()})`);
const shipped = paired(RUNS, (i) => timeOnce([cli, 'build', '--out', coldOut('cold', i)]), bareRun);
const shippedFiles = Number(/(\d+) file\(s\)/.exec(shipped.a[0].stdout)?.[1]);
console.log(
  `  shipped definitions (${shippedFiles} files)      ${ms(shipped.aSeconds).padStart(8)}  bare ${ms(shipped.bSeconds)}  ratio ${shipped.ratio.toFixed(2)}x`,
);
const single = paired(RUNS, (i) => timeOnce([cli, 'build', '--profile', 'azure-backup-tls12', '--out', coldOut('single', i)]), bareRun);
const singleFiles = Number(/(\d+) file\(s\)/.exec(single.a[0].stdout)?.[1]);
console.log(
  `  --profile azure-backup-tls12 (${singleFiles} files) ${ms(single.aSeconds).padStart(8)}  bare ${ms(single.bSeconds)}  ratio ${single.ratio.toFixed(2)}x`,
);
addRow(
  `cold tlsgen build, shipped definitions (${shippedFiles} files)`,
  ms(shipped.aSeconds),
  `node -e "": ${ms(shipped.bSeconds)}`,
  shipped.ratio,
  '<= 2.5x',
  shipped.ratio <= 2.5,
);
addRow(
  `cold tlsgen build --profile azure-backup-tls12 (${singleFiles} files)`,
  ms(single.aSeconds),
  `node -e "": ${ms(single.bSeconds)}`,
  single.ratio,
  '<= 2.5x',
  single.ratio <= 2.5,
);

// ---- scale ----------------------------------------------------------------------------------------------
/** A definitions folder with `count` copies of azure-backup-tls12 under new ids (and no other profile). */
function syntheticDefinitions(count) {
  const dir = join(scratch, `defs-${count}`);
  cpSync(join(root, 'definitions'), dir, { recursive: true });
  const profile = readFileSync(join(root, 'definitions/profiles/azure-backup-tls12.yaml'), 'utf8');
  rmSync(join(dir, 'profiles'), { recursive: true });
  cpSync(join(root, 'definitions/profiles'), join(dir, 'profiles'), { recursive: true, filter: (path) => !path.endsWith('.yaml') });
  for (let i = 0; i < count; i++) {
    const id = `synthetic-${String(i).padStart(4, '0')}`;
    writeFileSync(join(dir, 'profiles', `${id}.yaml`), profile.replace(/^id: .*$/m, `id: ${id}`));
  }
  return dir;
}

/** Every file tlsgen generated under `dir` (not its .tlsgen state folder), as [relative path, size]. */
function layoutOf(dir) {
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!(folder === dir && entry.name === '.tlsgen')) walk(path);
      } else files.push([relative(dir, path), statSync(path).size]);
    }
  };
  walk(dir);
  return files.sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

/** The file system type of the mount holding `path` (df -PT), e.g. ext4, tmpfs. */
function fileSystemOf(path) {
  const result = spawnSync('df', ['-PT', path], { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout.trim().split('\n').at(-1)?.split(/\s+/)[1] ?? 'unknown') : 'unknown';
}

const written = (stdout) => /(\d+) file\(s\): (\d+) written, (\d+) unchanged/.exec(stdout);
const buildArgs = (definitions, out) => [cli, 'build', '--definitions', definitions, '--out', out];

/** Cold builds of `definitions` under `base`, paired with the atomic writer writing the same layout there. */
function coldAgainstWriter(definitions, base, runs, label) {
  let layoutFile = null;
  const result = paired(
    runs,
    (i) => {
      const out = join(base, `out-${i}`);
      const run = timeOnce(buildArgs(definitions, out), { measure: true });
      if (layoutFile === null) {
        layoutFile = join(scratch, `layout-${label}.json`);
        writeFileSync(layoutFile, JSON.stringify(layoutOf(out)));
      }
      if (i > 0) rmSync(out, { recursive: true, force: true });
      return run;
    },
    (i) => {
      const target = join(base, `floor-${i}`);
      const run = timeOnce([floor, 'write', layoutFile, target], { measure: true });
      rmSync(target, { recursive: true, force: true });
      return run;
    },
  );
  return { ...result, layoutFile, out: join(base, 'out-0'), files: Number(written(result.a[0].stdout)?.[1]) };
}

const cpu = (runs) => median(runs.map((r) => r.cpuSeconds));
const rss = (runs) => median(runs.map((r) => r.maxRssMiB));

console.log(`scale: ${PROFILES} synthetic profiles (azure-backup-tls12 under new ids)${QUICK ? ' (BENCH_QUICK: not the goals)' : ''}`);
const definitions = syntheticDefinitions(PROFILES);
const shmFs = fileSystemOf(shm);
const cold = coldAgainstWriter(definitions, shm, SCALE_RUNS, 'shm');
console.log(
  `  cold build into ${shmRoot} (${shmFs}): ${cold.files} files in ${s2(cold.aSeconds)} (${s2(cpu(cold.a))} CPU, ${((cold.aSeconds / cold.files) * 1e6).toFixed(0)} us per file); ` +
    `atomic writer ${s2(cold.bSeconds)}; ratio ${cold.ratio.toFixed(2)}x (median of ${SCALE_RUNS})`,
);
addRow(
  `${PROFILES} profiles (${cold.files} files) into ${shmRoot} (${shmFs})`,
  `${s2(cold.aSeconds)} (${s2(cpu(cold.a))} CPU)`,
  `atomic writer: ${s2(cold.bSeconds)}`,
  cold.ratio,
  '<= 2x',
  cold.ratio <= 2,
);

const rerun = paired(
  SCALE_RUNS,
  () => {
    const run = timeOnce(buildArgs(definitions, cold.out), { measure: true });
    const counts = written(run.stdout);
    if (counts?.[2] !== '0') throw new Error(`the re-run wrote files: ${run.stdout}`);
    return run;
  },
  () => timeOnce([floor, 'read', cold.layoutFile, cold.out], { measure: true }),
);
console.log(
  `  re-run, nothing changed: ${s2(rerun.aSeconds)} (${s2(cpu(rerun.a))} CPU); read and hash ${s2(rerun.bSeconds)}; ratio ${rerun.ratio.toFixed(2)}x`,
);
addRow(
  `the same, re-run with nothing changed`,
  `${s2(rerun.aSeconds)} (${s2(cpu(rerun.a))} CPU)`,
  `read + SHA-256: ${s2(rerun.bSeconds)}`,
  rerun.ratio,
  '<= 2x',
  rerun.ratio <= 2,
);
// Not a goal row: the same re-run without the build record (every profile rendered and compared with the disk),
// what a re-run costs when the record cannot be used (another day, a changed tlsgen, a filtered build before).
rmSync(join(cold.out, '.tlsgen', 'build-record.json'));
const unrecorded = timeOnce(buildArgs(definitions, cold.out), { measure: true });
if (written(unrecorded.stdout)?.[2] !== '0') throw new Error(`the re-run without a record wrote files: ${unrecorded.stdout}`);
console.log(
  `  re-run without the build record (renders and compares every file): ${s2(unrecorded.seconds)} (${s2(unrecorded.cpuSeconds)} CPU); ` +
    `${(unrecorded.seconds / rerun.bSeconds).toFixed(2)}x read and hash`,
);
rmSync(cold.out, { recursive: true, force: true });

const smallRun = timeOnce(buildArgs(syntheticDefinitions(SMALL), join(shm, 'small')), { measure: true });
rmSync(join(shm, 'small'), { recursive: true, force: true });
const peak = Math.max(...cold.a.map((r) => r.maxRssMiB));
console.log(
  `  peak memory (max RSS of the build process): ${SMALL} profiles ${smallRun.maxRssMiB.toFixed(0)} MiB, ${PROFILES} profiles ${peak.toFixed(0)} MiB (largest of ${SCALE_RUNS})`,
);
addRow(
  `peak memory, ${PROFILES} profiles (${SMALL}: ${smallRun.maxRssMiB.toFixed(0)} MiB)`,
  `${peak.toFixed(0)} MiB`,
  `bare node -e "": ${rss([timeOnce(['-e', ''], { measure: true })]).toFixed(0)} MiB`,
  null,
  '<= 150 MB, flat',
  peak * 1.048576 <= 150 && peak - smallRun.maxRssMiB <= 0.1 * smallRun.maxRssMiB,
);

/** The disk: the temp folder when it is ext4, else the repository's file system (told either way). */
const tmpFs = fileSystemOf(tmpdir());
const diskParent = tmpFs === 'ext4' ? tmpdir() : root;
const disk = mkdtempSync(join(diskParent, tmpFs === 'ext4' ? 'tlsgen-bench-disk-' : '.tlsgen-bench-disk-'));
const diskFs = fileSystemOf(disk);
const onDisk = coldAgainstWriter(definitions, disk, DISK_RUNS, 'disk');
rmSync(disk, { recursive: true, force: true });
console.log(
  `  cold build onto the disk (${diskParent}, ${diskFs}): ${s2(onDisk.aSeconds)} (${s2(cpu(onDisk.a))} CPU); atomic writer ${s2(onDisk.bSeconds)}; ratio ${onDisk.ratio.toFixed(2)}x (median of ${DISK_RUNS})`,
);
addRow(
  `${PROFILES} profiles onto the disk (${diskParent}, ${diskFs})`,
  `${s2(onDisk.aSeconds)} (${s2(cpu(onDisk.a))} CPU)`,
  `atomic writer: ${s2(onDisk.bSeconds)}`,
  onDisk.ratio,
  '<= 1.2x',
  onDisk.ratio <= 1.2,
);
rmSync(shm, { recursive: true, force: true });

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
const errorRuns = Number(process.env.BENCH_ERROR_RUNS ?? (QUICK ? 1 : 3));
const refusals = readdirSync(errorsRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => {
    const definitions = errorCaseDefinitions(join(errorsRoot, e.name), e.name);
    const seconds = median(Array.from({ length: errorRuns }, () => timeOnce([cli, 'validate', '--definitions', definitions], { expectedStatus: 1 }).seconds));
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

console.log(
  `\nissue 12 (${QUICK ? 'BENCH_QUICK smoke run, not the goals; ' : ''}whole bench ${(Number(process.hrtime.bigint() - started) / 1e9 / 60).toFixed(1)} min)`,
);
const columns = ['row', 'measured', 'floor', 'ratio', 'goal', 'met'];
const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
console.log(line(columns));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(columns.map((c) => r[c])));
