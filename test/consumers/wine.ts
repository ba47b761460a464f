/**
 * Real-consumer check of a .reg file with Wine's reg.exe: import, export, compare bytes.
 *
 * `reg import` exits 0 even when it silently skips malformed lines, so the exit code alone
 * proves little. The check therefore exports every key the file touches and requires each
 * value to be stored with the same type and identical bytes, each deleted value and key
 * to be gone, and (optionally) a rollback file to remove every value the apply file set.
 *
 * Given the plan the file was generated from (its operations in the reader's vocabulary, encoded
 * by the test: test/support/registry-outcomes.ts), it also requires what Wine exports to be what
 * the plan sets, deletes and (after the rollback file) removes: comparing Wine only with our
 * reader's reading of the same file proves the file well-formed, not that it does what was planned.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  REG_SZ,
  REG_V5_HEADER,
  describeValue,
  diffState,
  finalState,
  keyId,
  keyPathError,
  lookupValue,
  readRegBytes,
  setValues,
  type RegEntry,
  type RegParseResult,
  type RegState,
} from '../support/reg-reader.js';
import { asPlanProblem, findOnPath, type ConsumerResult, type PlanExpectation } from './consumer-policy.js';

const LOCK_TIMEOUT_MS = 180_000;
/** Seconds the wineserver lingers after the last Wine process, so later calls skip its start-up. */
const SERVER_PERSIST_S = 20;

/**
 * Keys Wine itself needs, with their ancestors. The clean-up step never deletes these
 * recursively (it only deletes the values the file sets in them), or the shared prefix
 * would break.
 */
const PROTECTED_KEYS = [
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services',
  'HKEY_CURRENT_USER\\Software\\Wine',
  'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion',
].map(keyId);

export function wineAvailable(): boolean {
  return findOnPath('wine') !== null && findOnPath('wineserver') !== null;
}

/** The one Wine prefix all checks share (creating one takes seconds and ~700 MB). */
export function winePrefix(): string {
  return process.env['TLSGEN_WINEPREFIX'] ?? join(homedir(), '.cache', 'tlsgen-wine-prefix');
}

function wineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: winePrefix(),
    WINEDEBUG: '-all',
    // Without this, prefix creation prompts to install Mono and Gecko.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
  delete env['DISPLAY'];
  delete env['WAYLAND_DISPLAY'];
  return env;
}

// ---------------------------------------------------------------------------------------
// Running Wine

interface WineCall {
  code: number | null;
  output: string;
  ms: number;
}

/**
 * Runs one Wine command. stdout and stderr go to a file, never a pipe: a lingering Wine
 * helper keeps an inherited pipe open, which makes every call take ~2.7 s instead of ~0.1 s.
 */
async function runWine(command: string, args: string[], logPath: string, callMs: number[]): Promise<WineCall> {
  for (let attempt = 1; ; attempt++) {
    const call = await runWineOnce(command, args, logPath, callMs);
    if (!isLauncherFailure(call) || attempt === LAUNCH_ATTEMPTS) return call;
    await sleep(250 * attempt);
  }
}

/**
 * Under load Wine sometimes fails to start (or to end) the program at all ("Application could not be
 * started … ShellExecuteEx failed", or a non-zero exit with no output at all, where reg.exe
 * always explains its own failures), seen when the wineserver is shutting down as a new client
 * connects. That says nothing about the .reg file, so those calls are run again. A retry cannot
 * turn a rejection into acceptance: the same input gets the same verdict.
 */
const LAUNCH_ATTEMPTS = 3;

function isLauncherFailure(call: WineCall): boolean {
  return call.code !== 0 && (call.output === '' || LAUNCHER_FAILURE.test(call.output));
}

/**
 * Also the dynamic loader's own assertion while a Wine process exits ("Inconsistency detected by
 * ld.so: dl-fini.c … _dl_fini: Assertion", exit 127), seen once under load on `reg export`.
 */
const LAUNCHER_FAILURE = /Application could not be started|ShellExecuteEx failed|^Inconsistency detected by ld\.so: /;

async function runWineOnce(command: string, args: string[], logPath: string, callMs: number[]): Promise<WineCall> {
  const fd = openSync(logPath, 'w');
  const started = performance.now();
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, { env: wineEnv(), stdio: ['ignore', fd, fd] });
      child.on('error', reject);
      // 'exit', not 'close': the log file may stay open in Wine's helper processes.
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    return { code, output: readFileSync(logPath, 'utf8').trim(), ms: performance.now() - started };
  } finally {
    closeSync(fd);
    callMs.push(performance.now() - started);
  }
}

/** Wine's reg.exe opens Z:\… paths as the Unix file system root. */
function dosPath(unixPath: string): string {
  return 'Z:' + unixPath.replaceAll('/', '\\');
}

// ---------------------------------------------------------------------------------------
// Serialising: one prefix, several vitest workers

let inProcessQueue: Promise<unknown> = Promise.resolve();

/** Runs fn with exclusive use of the prefix: in-process queue plus a cross-process lock dir. */
function withWine<T>(fn: () => Promise<T>): Promise<T> {
  const run = inProcessQueue.then(async () => {
    const lock = `${winePrefix()}.lock`;
    await acquireLock(lock);
    try {
      return await fn();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  });
  inProcessQueue = run.catch(() => undefined);
  return run;
}

async function acquireLock(lock: string): Promise<void> {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (lockIsStale(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the Wine prefix lock ${lock}`);
    await sleep(50);
  }
}

/** A lock is stale when its owner process is gone (e.g. a test run that was killed). */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (pid > 0) return !processExists(pid);
  } catch {
    // No pid file yet: the owner is between mkdir and writeFile, unless it died right there.
  }
  try {
    return Date.now() - statSync(lock).mtimeMs > 60_000;
  } catch {
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only probes for existence
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let serverStarted = false;

/** Creates the prefix once (guarded by the lock) and starts a lingering wineserver. */
async function prepareWine(work: string, callMs: number[]): Promise<void> {
  const prefix = winePrefix();
  const marker = join(prefix, '.tlsgen-ready');
  if (!existsSync(marker) && !existsSync(join(prefix, 'system.reg'))) {
    mkdirSync(dirname(prefix), { recursive: true });
    const boot = await runWine('wine', ['wineboot', '-i'], join(work, 'wineboot.log'), callMs);
    if (boot.code !== 0) throw new Error(`wineboot -i failed (exit ${boot.code}) for ${prefix}: ${boot.output}`);
  }
  if (!existsSync(marker)) writeFileSync(marker, 'created by tlsgen test/consumers/wine.ts\n');
  if (!serverStarted) {
    // -pN must be one word: Debian's wrapper adds -p0, and "-p 20" would mean "forever".
    await runWine('wineserver', [`-p${SERVER_PERSIST_S}`], join(work, 'wineserver.log'), callMs);
    serverStarted = true;
  }
}

// ---------------------------------------------------------------------------------------
// The round trip

interface Session {
  work: string;
  callMs: number[];
  problems: string[];
  notes: string[];
  counter: number;
}

/**
 * Imports applyPath into the shared Wine prefix and checks that Wine stored exactly what
 * the file says; with rollbackPath, then imports that and checks every value the apply
 * file set is gone.
 */
export async function wineRoundTrip(applyPath: string, rollbackPath?: string, plan?: PlanExpectation): Promise<ConsumerResult> {
  const apply = readRegBytes(await readFile(applyPath));
  const rollback = rollbackPath === undefined ? null : readRegBytes(await readFile(rollbackPath));
  return withWine(async () => {
    const session: Session = {
      work: await mkdtemp(join(tmpdir(), 'tlsgen-wine-')),
      callMs: [],
      problems: [],
      notes: [],
      counter: 0,
    };
    try {
      await prepareWine(session.work, session.callMs);
      await checkApply(session, applyPath, apply, rollback, plan);
      if (rollbackPath !== undefined && rollback) await checkRollback(session, rollbackPath, apply, rollback, plan);
    } finally {
      await rm(session.work, { recursive: true, force: true });
    }
    const { problems, notes, callMs } = session;
    return { ok: problems.length === 0, problems, notes, callMs };
  });
}

async function checkApply(
  s: Session,
  applyPath: string,
  apply: RegParseResult,
  rollback: RegParseResult | null,
  plan: PlanExpectation | undefined,
): Promise<void> {
  // Keys the plan names are emptied too: a value the file fails to set must not be found left
  // over from an earlier import into the shared prefix.
  const cleaned = await cleanUp(s, [apply, rollback, plan?.apply ?? null, plan?.rollback ?? null]);
  if (!(await importFile(s, applyPath, 'apply file'))) return;
  const actual = await exportKeys(s, topmostKeys(apply, plan?.apply));
  const exclusive = (state: RegState) => new Set([...state.keys.keys()].filter((id) => cleaned.some((c) => isSameOrBelow(id, c))));
  const expected = finalState(apply);
  const diff = diffState(expected, actual, { consumer: 'Wine', exclusiveKeys: exclusive(expected), adjust: wineExportLimits, rejected: apply.rejected });
  s.problems.push(...diff.problems);
  s.notes.push(...diff.notes);
  if (plan) {
    const planned = finalState(plan.apply);
    const vsPlan = diffState(planned, actual, { consumer: 'Wine', exclusiveKeys: exclusive(planned), adjust: wineExportLimits });
    s.problems.push(...vsPlan.problems.map((p) => `plan: ${asPlanProblem(p)}`));
  }
  reportReaderIssues(s, 'apply file', apply, actual);
}

async function checkRollback(
  s: Session,
  rollbackPath: string,
  apply: RegParseResult,
  rollback: RegParseResult,
  plan: PlanExpectation | undefined,
): Promise<void> {
  if (!(await importFile(s, rollbackPath, 'rollback file'))) return;
  const actual = await exportKeys(s, topmostKeys(apply, plan?.apply));
  for (const entry of setValues(finalState(apply))) {
    const left = lookupValue(actual, entry.key, entry.name);
    if (left) s.problems.push(`rollback: ${describeValue(entry.key, entry.name)} is still present after importing the rollback file`);
  }
  if (plan) {
    // The plan's rollback deletes exactly what its apply sets: after both, none of it is left.
    for (const entry of setValues(finalState(plan.apply))) {
      if (lookupValue(actual, entry.key, entry.name)) {
        s.problems.push(`plan: rollback: ${describeValue(entry.key, entry.name)} (set by the plan) is still present after importing the rollback file`);
      }
    }
  }
  reportReaderIssues(s, 'rollback file', rollback, actual);
}

/** Imports a file; reg import prints nothing on success, so any output is a problem. */
async function importFile(s: Session, path: string, label: string): Promise<boolean> {
  const res = await runWine('wine', ['reg', 'import', dosPath(path)], logFile(s), s.callMs);
  if (res.code !== 0) {
    s.problems.push(`${label}: wine reg import rejected it (exit ${res.code})${res.output ? `: ${res.output}` : ''}`);
    return false;
  }
  if (res.output !== '') s.problems.push(`${label}: wine reg import printed: ${res.output}`);
  return true;
}

function logFile(s: Session): string {
  return join(s.work, `call-${++s.counter}.log`);
}

// ---------------------------------------------------------------------------------------
// Clean-up before the import

function isSameOrBelow(id: string, ancestorId: string): boolean {
  return id === ancestorId || id.startsWith(ancestorId + '\\');
}

/** Deleting these recursively would damage the prefix or the registry hive itself. */
function mayDeleteRecursively(key: string): boolean {
  const id = keyId(key);
  if (keyPathError(key) !== null || id.split('\\').length < 3) return false;
  return !PROTECTED_KEYS.some((p) => isSameOrBelow(p, id));
}

/**
 * Makes every key the files touch start empty, in ONE import (one reg delete per key would
 * cost a Wine call each): [-key] for ordinary keys, value deletions inside protected ones.
 * Returns the keyIds deleted recursively.
 */
async function cleanUp(s: Session, files: Array<RegParseResult | null>): Promise<string[]> {
  const keys = new Map<string, string>();
  const names = new Map<string, Set<string>>();
  for (const file of files) {
    for (const b of file?.blocks ?? []) keys.set(keyId(b.key), b.key);
    for (const e of file?.entries ?? []) {
      const set = names.get(keyId(e.key)) ?? new Set<string>();
      names.set(keyId(e.key), set.add(e.name));
    }
  }
  const deleted: string[] = [];
  const lines = [REG_V5_HEADER, ''];
  for (const [id, key] of [...keys].sort((a, b) => a[0].split('\\').length - b[0].split('\\').length)) {
    if (deleted.some((d) => isSameOrBelow(id, d))) continue;
    if (mayDeleteRecursively(key)) {
      deleted.push(id);
      lines.push(`[-${key}]`, '');
    } else {
      lines.push(`[${key}]`, ...[...(names.get(id) ?? [])].map((n) => `${quoteName(n)}=-`), '');
    }
  }
  const path = join(s.work, 'cleanup.reg');
  await writeFile(path, Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf16le'));
  const res = await runWine('wine', ['reg', 'import', dosPath(path)], logFile(s), s.callMs);
  if (res.code !== 0) throw new Error(`clean-up import failed (exit ${res.code}): ${res.output}`);
  return deleted;
}

function quoteName(name: string): string {
  return name === '' ? '@' : `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

// ---------------------------------------------------------------------------------------
// Export and read back

/** Keys not below another key of the files: `reg export` is recursive, so these cover all. */
function topmostKeys(...files: Array<RegParseResult | undefined>): string[] {
  const all = new Map(files.flatMap((file) => file?.blocks ?? []).map((b) => [keyId(b.key), b.key] as const));
  const ids = [...all.keys()];
  return [...all].filter(([id]) => !ids.some((other) => other !== id && isSameOrBelow(id, other))).map(([, k]) => k);
}

async function exportKeys(s: Session, keys: string[]): Promise<RegState> {
  const actual: RegState = { keys: new Map(), absentKeys: new Map(), values: new Map() };
  for (const key of keys) {
    const out = join(s.work, `export-${++s.counter}.reg`);
    const res = await runWine('wine', ['reg', 'export', key, dosPath(out), '/y'], logFile(s), s.callMs);
    if (res.code !== 0) {
      // reg export fails for a missing key; that only means the key is absent.
      if (!/unable to find/i.test(res.output)) s.problems.push(`wine reg export ${key} failed (exit ${res.code}): ${res.output}`);
      continue;
    }
    const parsed = readRegBytes(await readFile(out), { escapes: 'wine' });
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) s.problems.push(`could not read Wine's export of ${key}: ${parsed.problems.join('; ')}`);
    mergeInto(actual, finalState(parsed));
  }
  return actual;
}

function mergeInto(target: RegState, source: RegState): void {
  for (const [id, key] of source.keys) target.keys.set(id, key);
  for (const [id, values] of source.values) target.values.set(id, values);
}

/**
 * Wine's reg export writes REG_SZ as a quoted string and stops at the first NUL, so a
 * REG_SZ with an embedded NUL can only be compared up to it.
 */
function wineExportLimits(entry: RegEntry): { data: Buffer; note: string } | null {
  if (entry.type !== REG_SZ) return null;
  for (let i = 0; i + 1 < entry.data.length; i += 2) {
    if (entry.data[i] !== 0 || entry.data[i + 1] !== 0) continue;
    if (i + 2 === entry.data.length) return null;
    return {
      data: entry.data.subarray(0, i + 2),
      note: "REG_SZ contains an embedded NUL; Wine's reg export stops at the first NUL, so only the text before it was compared",
    };
  }
  return null;
}

/**
 * Lines the reader could not parse cannot be verified, so they are problems; for value
 * lines whose key and name are known, say what Wine did with them (regedit's habit is to
 * skip them silently). Style issues only become notes: Wine accepts those lines.
 */
function reportReaderIssues(s: Session, label: string, file: RegParseResult, actual: RegState): void {
  const rejectedByLine = new Map(file.rejected.map((r) => [r.line, r] as const));
  for (const issue of file.issues) {
    const where = issue.line > 0 ? `line ${issue.line}` : 'file';
    if (issue.severity === 'style') {
      s.notes.push(`${label} ${where}: ${issue.message}`);
      continue;
    }
    const r = rejectedByLine.get(issue.line);
    let outcome = '';
    if (r && r.key !== null && r.name !== null) {
      const stored = lookupValue(actual, r.key, r.name);
      outcome = stored
        ? ` — Wine nevertheless stored ${describeValue(r.key, r.name)} as type ${stored.type}`
        : ` — Wine silently skipped it: ${describeValue(r.key, r.name)} was not imported`;
    }
    s.problems.push(`${label} ${where}: ${issue.message}${outcome}`);
  }
}
