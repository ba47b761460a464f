/**
 * Real-consumer check of a .reg file with libhivex's hivexregedit (an independent,
 * strict reader: unlike regedit it fails with a parse error instead of skipping lines).
 *
 * No Debian package ships an empty hive and hivex cannot create one, so emptyHive()
 * writes a minimal regf file. The hive root stands for the whole registry ("Computer"):
 * HKEY_LOCAL_MACHINE etc. are its subkeys, so .reg paths need no rewriting and files with
 * several roots work. hivexregedit never creates parent keys, so a prelude file creates
 * every ancestor first, as regedit would implicitly.
 *
 * The real bytes: hivexregedit's manual says it "expects that regedit files have already been
 * re-encoded in the local encoding" (UTF-8), and its --encoding option only chooses how strings
 * are stored in the hive. Instead of re-encoding the file ourselves, the generated file is given
 * as it is, UTF-16LE with its BOM and CRLFs, and Perl decodes it: hivexregedit runs as
 * `perl -Mopen=IN,:raw:encoding(UTF-16) hivexregedit …`, which puts an input layer on every
 * file it opens. Encode's UTF-16 decoder takes the byte order from the BOM and, without one,
 * reads big-endian, so a file without the BOM fails hivexregedit's own parse; Win::Hivex::Regedit
 * strips the CR of each line itself. Perl, not this harness, decides what the bytes mean.
 *
 * Given the plan the file was generated from, the hive must also hold exactly what the plan sets.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REG_V5_HEADER,
  ROOT_KEYS,
  describeValue,
  diffState,
  finalState,
  keyId,
  lookupValue,
  parseRegText,
  readRegBytes,
  setValues,
  type RegParseResult,
  type RegState,
} from '../support/reg-reader.js';
import { asPlanProblem, findOnPath, type ConsumerResult, type PlanExpectation } from './consumer-policy.js';

export function hivexAvailable(): boolean {
  return findOnPath('hivexregedit') !== null;
}

// ---------------------------------------------------------------------------------------
// Minimal regf hive

const PAGE = 0x1000;
const ROOT_CELL = 0x20; // cell offsets are relative to the first hbin, which starts at 0x1000
const NK_NAME = 'ROOT';

/** Self-relative security descriptor: owner Administrators, group SYSTEM, DACL Everyone:KEY_ALL_ACCESS. */
function securityDescriptor(): Buffer {
  const sid = (authority: number, ...subs: number[]): Buffer => {
    const b = Buffer.alloc(8 + 4 * subs.length);
    b[0] = 1; // revision
    b[1] = subs.length;
    b.writeUIntBE(authority, 2, 6);
    subs.forEach((s, i) => b.writeUInt32LE(s, 8 + 4 * i));
    return b;
  };
  const everyone = sid(1, 0);
  const ace = Buffer.concat([Buffer.from([0x00, 0x02]), u16(8 + everyone.length), u32(0x000f003f), everyone]);
  const acl = Buffer.concat([Buffer.from([2, 0]), u16(8 + ace.length), u16(1), u16(0), ace]);
  const owner = sid(5, 32, 544);
  const group = sid(5, 18);
  const header = Buffer.alloc(20);
  header[0] = 1;
  header.writeUInt16LE(0x8004, 2); // SE_SELF_RELATIVE | SE_DACL_PRESENT
  header.writeUInt32LE(20 + acl.length, 4); // owner
  header.writeUInt32LE(20 + acl.length + owner.length, 8); // group
  header.writeUInt32LE(20, 16); // DACL right after the header; no SACL
  return Buffer.concat([header, acl, owner, group]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Wraps a record in an allocated cell: negative size, padded to 8 bytes. */
function cell(record: Buffer): Buffer {
  const size = Math.ceil((4 + record.length) / 8) * 8;
  const out = Buffer.alloc(size);
  out.writeInt32LE(-size, 0);
  record.copy(out, 4);
  return out;
}

function rootKeyRecord(skOffset: number): Buffer {
  const nk = Buffer.alloc(0x4c + NK_NAME.length);
  nk.write('nk', 0, 'latin1');
  nk.writeUInt16LE(0x2c, 2); // KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME
  nk.writeUInt32LE(0xffffffff, 0x10); // parent: none
  for (const off of [0x1c, 0x20, 0x28, 0x30]) nk.writeUInt32LE(0xffffffff, off); // no subkeys, values, class
  nk.writeUInt32LE(skOffset, 0x2c);
  nk.writeUInt16LE(NK_NAME.length, 0x48);
  nk.write(NK_NAME, 0x4c, 'latin1');
  return nk;
}

function securityRecord(selfOffset: number): Buffer {
  const sd = securityDescriptor();
  const sk = Buffer.alloc(0x14);
  sk.write('sk', 0, 'latin1');
  sk.writeUInt32LE(selfOffset, 4); // the only sk: its list links point to itself
  sk.writeUInt32LE(selfOffset, 8);
  sk.writeUInt32LE(1, 0x0c); // referenced by the root key
  sk.writeUInt32LE(sd.length, 0x10);
  return Buffer.concat([sk, sd]);
}

/** An empty regf 1.3 hive: base block, one 4 KiB hbin holding the root nk, its sk and a free cell. */
export function emptyHive(): Buffer {
  const nkSize = cell(rootKeyRecord(0)).length;
  const skOffset = ROOT_CELL + nkSize;
  const cells = Buffer.concat([cell(rootKeyRecord(skOffset)), cell(securityRecord(skOffset))]);
  const hbin = Buffer.alloc(PAGE);
  hbin.write('hbin', 0, 'latin1');
  hbin.writeUInt32LE(0, 4); // offset of this hbin from the first one
  hbin.writeUInt32LE(PAGE, 8);
  cells.copy(hbin, ROOT_CELL);
  hbin.writeInt32LE(PAGE - ROOT_CELL - cells.length, ROOT_CELL + cells.length); // free cell: positive size
  return Buffer.concat([baseBlock(), hbin]);
}

function baseBlock(): Buffer {
  const base = Buffer.alloc(PAGE);
  base.write('regf', 0, 'latin1');
  base.writeUInt32LE(1, 4); // primary and secondary sequence numbers equal: cleanly written
  base.writeUInt32LE(1, 8);
  base.writeUInt32LE(1, 0x14); // major version
  base.writeUInt32LE(3, 0x18); // minor version
  base.writeUInt32LE(0, 0x1c); // primary file
  base.writeUInt32LE(1, 0x20); // direct memory load
  base.writeUInt32LE(ROOT_CELL, 0x24);
  base.writeUInt32LE(PAGE, 0x28); // size of all hbins
  base.writeUInt32LE(1, 0x2c); // clustering factor
  base.write('tlsgen-test.hiv', 0x30, 'utf16le');
  base.writeUInt32LE(headerChecksum(base), 0x1fc);
  return base;
}

/** XOR of the first 127 dwords, with 0 and 0xffffffff mapped away as the format requires. */
function headerChecksum(base: Buffer): number {
  let sum = 0;
  for (let off = 0; off < 0x1fc; off += 4) sum = (sum ^ base.readUInt32LE(off)) >>> 0;
  if (sum === 0xffffffff) return 0xfffffffe;
  return sum === 0 ? 1 : sum;
}

// ---------------------------------------------------------------------------------------
// Running hivexregedit

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every file hivexregedit opens is read through Perl's UTF-16 decoder (byte order from the BOM). */
const READ_UTF16 = '-Mopen=IN,:raw:encoding(UTF-16)';

/** hivexregedit starts no lingering helpers, so pipes are fine here (unlike Wine). */
function runHivex(args: string[], callMs: number[]): Promise<Run> {
  const started = performance.now();
  // PERL_UNICODE=SA: standard streams and arguments are UTF-8 (the export is read as UTF-8).
  const env = { ...process.env, PERL_UNICODE: 'SA' };
  const hivexregedit = findOnPath('hivexregedit') ?? 'hivexregedit';
  return new Promise((resolve, reject) => {
    execFile('perl', [READ_UTF16, hivexregedit, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      callMs.push(performance.now() - started);
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (code === null) reject(err);
      else resolve({ code, stdout, stderr: stderr.trim() });
    });
  });
}

// ---------------------------------------------------------------------------------------
// The check

interface Session {
  work: string;
  hive: string;
  callMs: number[];
  problems: string[];
  notes: string[];
}

/**
 * Merges regPath into a fresh empty hive with hivexregedit and exports it back to check
 * that every value is stored with the same type and bytes; with rollbackPath, then merges
 * that into the same hive and checks every value regPath set is gone.
 */
export async function hivexMerge(regPath: string, rollbackPath?: string, plan?: PlanExpectation): Promise<ConsumerResult> {
  const work = await mkdtemp(join(tmpdir(), 'tlsgen-hivex-'));
  const s: Session = { work, hive: join(work, 'test.hiv'), callMs: [], problems: [], notes: [] };
  try {
    await writeFile(s.hive, emptyHive());
    const apply = await mergeFile(s, regPath, 'apply file', plan?.apply);
    if (apply) {
      await verifyApply(s, apply, plan);
      if (rollbackPath !== undefined) await verifyRollback(s, rollbackPath, apply, plan);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { ok: s.problems.length === 0, problems: s.problems, notes: s.notes, callMs: s.callMs };
}

/** Merges one file as it is on disk; returns its parse, or null when hivexregedit rejected it. */
async function mergeFile(s: Session, path: string, label: string, plan?: RegParseResult): Promise<RegParseResult | null> {
  const parsed = readRegBytes(await readFile(path));
  const base = join(s.work, label.replaceAll(' ', '-'));
  // The prelude is ours, so it is written the way the generated files are: UTF-16LE, BOM, CRLF.
  await writeFile(`${base}.prelude.reg`, Buffer.from(`\ufeff${prelude(parsed, plan)}`, 'utf16le'));
  const res = await runHivex(['--merge', '--encoding', 'UTF-16LE', s.hive, `${base}.prelude.reg`, path], s.callMs);
  const undecodable = parsed.issues.filter((i) => i.line === 0);
  if (res.code !== 0) {
    s.problems.push(`${label}: hivexregedit --merge rejected it (exit ${res.code}): ${firstLines(res.stderr)}`);
    s.problems.push(...undecodable.map((i) => `${label}: ${i.message}`));
    return null;
  }
  if (undecodable.length > 0) {
    s.problems.push(...undecodable.map((i) => `${label}: ${i.message} — hivexregedit accepted the file anyway`));
    return null;
  }
  if (/UTF-16:/.test(res.stderr)) s.problems.push(`${label}: Perl's UTF-16 decoder complained: ${firstLines(res.stderr)}`);
  return parsed;
}

function firstLines(text: string): string {
  // confess() appends a Perl stack trace (tab-indented lines); the rest is the message.
  return text
    .split('\n')
    .filter((l) => !l.startsWith('\t'))
    .join(' | ');
}

/**
 * A .reg creating every proper ancestor of the file's keys. Roots that are not valid
 * HKEY_ names are left out on purpose, so hivexregedit fails on them as regedit would.
 */
function prelude(parsed: RegParseResult, plan?: RegParseResult): string {
  const ancestors = new Map<string, string>();
  for (const { key } of [...parsed.blocks, ...(plan?.blocks ?? [])]) {
    const parts = key.split('\\');
    if (!ROOT_KEYS.some((r) => r === (parts[0] ?? '').toUpperCase())) continue;
    for (let n = 1; n < parts.length; n++) {
      const path = parts.slice(0, n).join('\\');
      if (!ancestors.has(keyId(path))) ancestors.set(keyId(path), path);
    }
  }
  const sorted = [...ancestors.values()].sort((a, b) => a.split('\\').length - b.split('\\').length);
  return [REG_V5_HEADER, '', ...sorted.flatMap((k) => [`[${k}]`, '']), ''].join('\r\n');
}

async function verifyApply(s: Session, apply: RegParseResult, plan: PlanExpectation | undefined): Promise<void> {
  const actual = await exportHive(s, apply, plan?.apply);
  if (!actual) return;
  if (plan) {
    const planned = finalState(plan.apply);
    const vsPlan = diffState(planned, actual, { consumer: 'hivexregedit', exclusiveKeys: new Set(planned.keys.keys()) });
    s.problems.push(...vsPlan.problems.map((p) => `plan: ${asPlanProblem(p)}`));
  }
  const expected = finalState(apply);
  // The hive started empty, so no key the file opens may hold values the file did not set.
  const diff = diffState(expected, actual, {
    consumer: 'hivexregedit',
    exclusiveKeys: new Set(expected.keys.keys()),
    rejected: apply.rejected,
  });
  s.problems.push(...diff.problems);
  s.notes.push(...diff.notes);
  reportReaderIssues(s, 'apply file', apply);
}

async function verifyRollback(s: Session, rollbackPath: string, apply: RegParseResult, plan: PlanExpectation | undefined): Promise<void> {
  const rollback = await mergeFile(s, rollbackPath, 'rollback file', plan?.rollback);
  if (!rollback) return;
  const actual = await exportHive(s, apply, plan?.apply);
  if (!actual) return;
  for (const entry of setValues(finalState(apply))) {
    if (lookupValue(actual, entry.key, entry.name)) {
      s.problems.push(`rollback: ${describeValue(entry.key, entry.name)} is still present after merging the rollback file`);
    }
  }
  for (const entry of plan ? setValues(finalState(plan.apply)) : []) {
    if (lookupValue(actual, entry.key, entry.name)) {
      s.problems.push(`plan: rollback: ${describeValue(entry.key, entry.name)} (set by the plan) is still present after merging the rollback file`);
    }
  }
  reportReaderIssues(s, 'rollback file', rollback);
}

/** Exports each root key the file uses; hivexregedit writes REG_SZ as hex(1), so bytes are exact. */
async function exportHive(s: Session, file: RegParseResult, plan?: RegParseResult): Promise<RegState | null> {
  const actual: RegState = { keys: new Map(), absentKeys: new Map(), values: new Map() };
  const blocks = [...file.blocks, ...(plan?.blocks ?? [])];
  const roots = new Set(blocks.map((b) => (b.key.split('\\')[0] ?? '').toUpperCase()));
  for (const root of roots) {
    const res = await runHivex(['--export', s.hive, `\\${root}`], s.callMs);
    if (res.code !== 0) {
      s.problems.push(`hivexregedit --export \\${root} failed (exit ${res.code}): ${firstLines(res.stderr)}`);
      return null;
    }
    // Exported key lines are relative to the hive root ("[\HKEY_…]"): drop that backslash.
    const parsed = parseRegText(res.stdout.replace(/^\[\\/gm, '['), { newline: 'any' });
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) s.problems.push(`could not read hivexregedit's export: ${parsed.problems.join('; ')}`);
    const state = finalState(parsed);
    for (const [id, key] of state.keys) actual.keys.set(id, key);
    for (const [id, values] of state.values) actual.values.set(id, values);
  }
  return actual;
}

/**
 * hivexregedit rejects most bad lines itself; anything the reader still flags as an error
 * after a successful merge (e.g. hex(7):zz, which hivex accepts) is a problem too.
 */
function reportReaderIssues(s: Session, label: string, file: RegParseResult): void {
  for (const issue of file.issues) {
    const msg = `${label} line ${issue.line}: ${issue.message}`;
    if (issue.severity === 'error') s.problems.push(`${msg} — hivexregedit accepted the file anyway`);
    else s.notes.push(msg);
  }
}
