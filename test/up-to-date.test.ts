/**
 * A whole build records what it was made from and what it left (src/emit/build-record.ts); the next
 * whole build of the same inputs finds the folder up to date without making anything (issue 12: "a
 * no-change re-run should cost little more than reading the existing files"). The record may only save
 * work: every way the folder or the inputs can differ must lead to an ordinary build.
 *
 * How a test tells which path ran: after a build, the test adds a warning to the record's diagnostics
 * (the fingerprint does not cover them). A build that trusts the record reports that warning; one that
 * makes the output reports only what lint finds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../src/emit/build-record.js';
import type { BuildInputs } from '../src/emit/build-record.js';
import { REPO } from './support/golden.js';
import { tlsgen } from './support/cli.js';

const MARK = 'FROM THE RECORD';
const TODAY = ['--today', '2026-12-01'];
let work: string;
let serial = 0;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-record-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The shipped definitions with azure-backup-tls12 only, one dated exception (until 2026-12-15) and one
 * lint allowance that silences nothing (warning TG009), so a build has a warning to report and a day
 * after which lint refuses.
 */
function definitions(): string {
  const dir = join(work, `definitions-${++serial}`);
  cpSync(join(REPO, 'definitions'), dir, { recursive: true });
  for (const name of readdirSync(join(dir, 'profiles'))) if (name !== 'azure-backup-tls12.yaml') rmSync(join(dir, 'profiles', name));
  const path = join(dir, 'profiles', 'azure-backup-tls12.yaml');
  const text = readFileSync(path, 'utf8').replace(
    /^lint:\n {2}allow:\n/m,
    'lint:\n  allow:\n    - { rule: TG002, reason: "Kept from an older version of the profile." }\n',
  );
  expect(text).toContain('TG002');
  writeFileSync(
    path,
    text +
      'exceptions:\n  - { setting: winhttp-default-secure-protocols-wow64, until: 2026-12-15, reason: "A 32-bit agent is being replaced.", ticket: CHG-1 }\n',
  );
  return dir;
}

function recordOf(out: string): { diagnostics: { message: string }[]; manifest: string; profiles: [string, Record<string, string>][] } {
  return JSON.parse(readFileSync(join(out, '.tlsgen', 'build-record.json'), 'utf8'));
}

/** Adds the marker warning to the record (see the file comment). */
function mark(out: string): void {
  const record = recordOf(out);
  record.diagnostics.push({ file: 'marker', line: 1, column: 1, severity: 'warning', message: MARK, pointer: '' } as never);
  writeFileSync(join(out, '.tlsgen', 'build-record.json'), JSON.stringify(record));
}

/** A built and marked folder of a fresh copy of the definitions. */
async function builtAndMarked(): Promise<{ defs: string; out: string; first: Awaited<ReturnType<typeof tlsgen>> }> {
  const defs = definitions();
  const out = join(work, `out-${++serial}`);
  const first = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
  expect(first.code, first.stderr).toBe(0);
  mark(out);
  return { defs, out, first };
}

/** The same whole build again (on the same day). */
async function rebuild(out: string, defs: string, ...extra: string[]) {
  return tlsgen('build', '--definitions', defs, '--out', out, ...TODAY, ...extra);
}

/** Appends a word to the profile's title: a changed definition (the README's first line shows it). */
function retitle(defs: string, word: string): void {
  const path = join(defs, 'profiles', 'azure-backup-tls12.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^title: (.*)$/m, `title: $1 ${word}`));
}

function counts(stdout: string): { written: number; unchanged: number } {
  const match = /(\d+) written, (\d+) unchanged/.exec(stdout);
  return { written: Number(match?.[1]), unchanged: Number(match?.[2]) };
}

/** Every file of the folder, outside .tlsgen, with its inode and modification time. */
function identities(out: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (prefix === '' && entry.name === '.tlsgen') continue;
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(join(folder, entry.name), rel);
      else {
        const stats = statSync(join(folder, entry.name));
        files.set(rel, `${stats.ino}:${stats.mtimeMs}`);
      }
    }
  };
  walk(out, '');
  return files;
}

function checksumsHold(out: string): void {
  const check = spawnSync('sha256sum', ['--strict', '--quiet', '-c', 'SHA256SUMS'], { cwd: join(out, 'azure-backup-tls12'), encoding: 'utf8' });
  expect(check.status, check.stdout + check.stderr).toBe(0);
}

describe('a whole build records what it made from what', () => {
  it('records every file the folder holds, with its SHA-256, and the diagnostics the build reported', async () => {
    const defs = definitions();
    const out = join(work, 'recorded');
    const result = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('TG009');
    const record = recordOf(out);
    const manifestBytes = readFileSync(join(out, '.tlsgen', 'manifest.json'));
    expect(record.manifest).toBe(createHash('sha256').update(manifestBytes).digest('hex'));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { profiles: Record<string, string[]> };
    const recorded = new Map(record.profiles);
    expect([...recorded.keys()]).toEqual(Object.keys(manifest.profiles));
    for (const [id, files] of Object.entries(manifest.profiles)) {
      expect(Object.keys(recorded.get(id)!).sort()).toEqual([...files].sort());
      // The recorded hashes are those sha256sum computes (GNU coreutils, not our code) for the files on disk.
      const listing = spawnSync('sha256sum', files, { cwd: join(out, id), encoding: 'utf8' }).stdout;
      for (const line of listing.trim().split('\n')) {
        const [hash, path] = line.split(/ {2}/) as [string, string];
        expect(recorded.get(id)![path], path).toBe(hash);
      }
    }
    expect(record.diagnostics.map((d) => d.message).join('\n')).toContain('TG009');
  });
});

describe('the same inputs again: nothing is made', () => {
  it('every file is reported unchanged and left as it is; the diagnostics are the first build’s', async () => {
    const { defs, out, first } = await builtAndMarked();
    const before = identities(out);
    const again = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(MARK);
    // Apart from the marker, what the build reports is what the first reported.
    expect(again.stderr.split('\n').filter((line) => !line.includes(MARK) && !line.startsWith('marker'))).toEqual(first.stderr.split('\n'));
    expect(counts(again.stdout)).toEqual({ written: 0, unchanged: counts(first.stdout).written });
    expect(identities(out)).toEqual(before);
    expect(readdirSync(join(out, '.tlsgen')).sort()).toEqual(['build-record.json', 'manifest.json']);
  });

  it('a file the user added inside a profile folder is reported as kept, as a build reports it', async () => {
    const { defs, out } = await builtAndMarked();
    writeFileSync(join(out, 'azure-backup-tls12', 'NOTES.txt'), 'mine\n');
    const again = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
    expect(again.stderr).toContain(MARK);
    expect(again.stdout).toContain('kept 1 item(s)');
    expect(again.stdout).toContain('azure-backup-tls12/NOTES.txt');
  });
});

describe('anything that differs makes an ordinary build', () => {
  it('a changed definition', async () => {
    const { defs, out } = await builtAndMarked();
    retitle(defs, 'EDITED');
    const again = await rebuild(out, defs);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain(MARK);
    expect(counts(again.stdout).written).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'azure-backup-tls12', 'README.md'), 'utf8')).toContain('EDITED');
    checksumsHold(out);
  });

  it('a generated file edited, or deleted, by hand: the build puts it back', async () => {
    const { defs, out } = await builtAndMarked();
    const reg = join(out, 'azure-backup-tls12', 'reg', 'ws2022.reg');
    const original = readFileSync(reg);
    writeFileSync(reg, Buffer.concat([original, Buffer.from('x')]));
    const edited = await rebuild(out, defs);
    expect(edited.stderr).not.toContain(MARK);
    expect(counts(edited.stdout).written).toBe(1);
    expect(readFileSync(reg)).toEqual(original);
    mark(out);
    rmSync(reg);
    const deleted = await rebuild(out, defs);
    expect(deleted.stderr).not.toContain(MARK);
    expect(counts(deleted.stdout).written).toBe(1);
    expect(readFileSync(reg)).toEqual(original);
    checksumsHold(out);
  });

  it('another day: lint judges the exception again, and past its date refuses', async () => {
    const { defs, out } = await builtAndMarked();
    const later = await tlsgen('build', '--definitions', defs, '--out', out, '--today', '2026-12-16');
    expect(later.code).toBe(1);
    expect(later.stderr).not.toContain(MARK);
    expect(later.stderr).toContain('TG007');
  });

  it('--strict: the warning the record holds refuses', async () => {
    const { defs, out } = await builtAndMarked();
    const strict = await rebuild(out, defs, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).not.toContain(MARK);
    expect(strict.stderr).toContain('TG009');
  });

  it('--mode minimal writes the minimal files', async () => {
    const { defs, out } = await builtAndMarked();
    const minimal = await rebuild(out, defs, '--mode', 'minimal');
    expect(minimal.code, minimal.stderr).toBe(0);
    expect(minimal.stderr).not.toContain(MARK);
    expect(counts(minimal.stdout).written).toBeGreaterThan(0);
  });

  it('the same files in another definitions folder (diagnostics name the folder)', async () => {
    const { defs, out } = await builtAndMarked();
    const copy = join(work, `copy-${++serial}`);
    cpSync(defs, copy, { recursive: true });
    const again = await rebuild(out, copy);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain(MARK);
    expect(again.stderr).toContain(copy);
  });

  it('what a killed build left in .tlsgen (a stage, a journal): the build finishes or removes it', async () => {
    const { defs, out } = await builtAndMarked();
    mkdirSync(join(out, '.tlsgen', 'stage-azure-backup-tls12-1-00000000'));
    const again = await rebuild(out, defs);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain(MARK);
    expect(readdirSync(join(out, '.tlsgen')).sort()).toEqual(['build-record.json', 'manifest.json']);
  });

  it('a filtered build makes what it selects and drops the record; --check never trusts it', async () => {
    const { defs, out } = await builtAndMarked();
    const check = await rebuild(out, defs, '--check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stderr).not.toContain(MARK);
    const filtered = await rebuild(out, defs, '--target', 'ws2022');
    expect(filtered.code, filtered.stderr).toBe(0);
    expect(filtered.stderr).not.toContain(MARK);
    expect(existsSync(join(out, '.tlsgen', 'build-record.json'))).toBe(false);
    // The next whole build is made in full and records again.
    const whole = await rebuild(out, defs);
    expect(whole.code, whole.stderr).toBe(0);
    expect(existsSync(join(out, '.tlsgen', 'build-record.json'))).toBe(true);
  });

  it('a record that is not one (not JSON, another format, an error among its diagnostics) is ignored, not an error', async () => {
    const { defs, out } = await builtAndMarked();
    const recordPath = join(out, '.tlsgen', 'build-record.json');
    const marked = readFileSync(recordPath, 'utf8');
    for (const broken of [
      '{ not json',
      marked.replace('"format":1', '"format":2'),
      marked.replace(`"severity":"warning","message":"${MARK}"`, `"severity":"error","message":"${MARK}"`),
      marked.replace(/"fingerprint":"[0-9a-f]{64}"/, `"fingerprint":"${'0'.repeat(64)}"`),
    ]) {
      writeFileSync(recordPath, broken);
      const again = await rebuild(out, defs);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toContain(MARK);
      expect(counts(again.stdout).written).toBe(0);
      mark(out);
    }
  });
});

describe('what a hostile or careless hand leaves in the output folder (attack review)', () => {
  it('a manifest edited by hand (reformatted, or listing a file twice) is rewritten by an ordinary build', async () => {
    const { defs, out } = await builtAndMarked();
    const path = join(out, '.tlsgen', 'manifest.json');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, JSON.stringify(JSON.parse(original)));
    const reformatted = await rebuild(out, defs);
    expect(reformatted.stderr).not.toContain(MARK);
    expect(readFileSync(path, 'utf8')).toBe(original);
    // A file listed twice in place of another: the one left out is missing, and must come back.
    mark(out);
    const manifest = JSON.parse(original) as { profiles: Record<string, string[]> };
    const files = manifest.profiles['azure-backup-tls12']!;
    files[files.indexOf('reg/ws2022.reg')] = 'README.md';
    writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
    rmSync(join(out, 'azure-backup-tls12', 'reg', 'ws2022.reg'));
    const duplicated = await rebuild(out, defs);
    expect(duplicated.code, duplicated.stderr).toBe(0);
    expect(duplicated.stderr).not.toContain(MARK);
    expect(existsSync(join(out, 'azure-backup-tls12', 'reg', 'ws2022.reg'))).toBe(true);
    checksumsHold(out);
  });

  it('items the user added are reported in the order a build reports them (the definitions’, not the manifest’s)', async () => {
    const defs = definitions();
    // A second profile whose id sorts first but whose file sorts last.
    const text = readFileSync(join(defs, 'profiles', 'azure-backup-tls12.yaml'), 'utf8');
    writeFileSync(join(defs, 'profiles', 'zz-second.yaml'), text.replace('id: azure-backup-tls12', 'id: aaa-second'));
    const out = join(work, `order-${++serial}`);
    expect((await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY)).code).toBe(0);
    for (const id of ['azure-backup-tls12', 'aaa-second']) writeFileSync(join(out, id, 'NOTES.txt'), 'mine\n');
    rmSync(join(out, '.tlsgen', 'build-record.json'));
    const made = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
    mark(out);
    const skipped = await tlsgen('build', '--definitions', defs, '--out', out, ...TODAY);
    expect(skipped.stderr).toContain(MARK);
    expect(skipped.stdout).toBe(made.stdout);
  });

  it('a folder where the record belongs is refused before anything is written', async () => {
    const { defs, out } = await builtAndMarked();
    const path = join(out, '.tlsgen', 'build-record.json');
    rmSync(path);
    mkdirSync(path);
    retitle(defs, 'EDITED');
    const before = identities(out);
    const refused = await rebuild(out, defs);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`tlsgen: ${path} is a folder, where tlsgen keeps its build record; move it away and build again\n`);
    expect(identities(out)).toEqual(before);
  });

  it('a folder where the lock belongs is a one-line error, not an endless wait', async () => {
    const { defs, out } = await builtAndMarked();
    mkdirSync(join(out, '.tlsgen', 'lock'));
    const refused = await rebuild(out, defs);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`tlsgen: ${join(out, '.tlsgen', 'lock')} is not a lock file tlsgen made; move it away and build again\n`);
  });

  it('a waiting build’s lock draft is not taken for a killed build’s leftover', async () => {
    const { defs, out } = await builtAndMarked();
    // This process is alive: its draft must stay (and does not stop the folder from being up to date).
    const draft = join(out, '.tlsgen', `lock.${process.pid}-0123abcd`);
    writeFileSync(draft, '{}\n');
    const again = await rebuild(out, defs);
    expect(again.stderr).toContain(MARK);
    retitle(defs, 'EDITED');
    expect((await rebuild(out, defs)).code).toBe(0);
    expect(existsSync(draft)).toBe(true);
    // A draft whose process is gone is removed.
    const gone = join(out, '.tlsgen', 'lock.99999999-0123abcd');
    writeFileSync(gone, '{}\n');
    retitle(defs, 'AGAIN');
    expect((await rebuild(out, defs)).code).toBe(0);
    expect(existsSync(gone)).toBe(false);
    rmSync(draft);
  });
});

describe('the fingerprint', () => {
  const base: BuildInputs = {
    definitionsDir: 'definitions',
    mode: '',
    strict: false,
    today: '2026-12-01',
    files: [
      { kind: 'sources', file: 'definitions/sources.yaml', text: 'a' },
      { kind: 'profile', file: 'definitions/profiles/p.yaml', text: 'b' },
    ],
  };

  it('changes with every input, and with where one file ends and the next begins', () => {
    const variants: BuildInputs[] = [
      { ...base, definitionsDir: 'definitions/' },
      { ...base, mode: 'minimal' },
      { ...base, strict: true },
      { ...base, today: '2026-12-02' },
      { ...base, files: base.files.slice(0, 1) },
      { ...base, files: [base.files[0]!, { ...base.files[1]!, text: 'b ' }] },
      {
        ...base,
        files: [
          { ...base.files[0]!, text: 'ab' },
          { ...base.files[1]!, text: '' },
        ],
      },
      { ...base, files: [base.files[0]!, { ...base.files[1]!, kind: 'settings' }] },
      { ...base, files: [...base.files].reverse() },
    ];
    const prints = new Set([fingerprintOf(base), ...variants.map(fingerprintOf)]);
    expect(prints.size).toBe(variants.length + 1);
    expect(fingerprintOf({ ...base })).toBe(fingerprintOf(base));
  });
});
