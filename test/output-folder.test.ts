/**
 * The output folder belongs to the user (issue: ownership, all-or-nothing builds). These tests run
 * the real command (bin/tlsgen.cjs, as users do) where processes matter: killed builds, two builds
 * at once. Each profile is judged by `sha256sum --strict -c` (GNU coreutils, not our code) and by
 * the installer's embedded .reg hashes, read from the script text.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DEFINITIONS, REPO } from './support/golden.js';
import { tlsgen } from './support/cli.js';

const BIN = join(REPO, 'bin', 'tlsgen.cjs');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-out-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Definitions with `count` copies of the shipped profile, titles marked with `mark`. */
function manyProfiles(name: string, count: number, mark: string): string {
  const dir = join(work, name);
  cpSync(join(REPO, 'definitions'), dir, { recursive: true });
  const profile = readFileSync(join(dir, 'profiles/azure-backup-tls12.yaml'), 'utf8');
  rmSync(join(dir, 'profiles/azure-backup-tls12.yaml'));
  for (let i = 0; i < count; i++) {
    const id = `p${String(i).padStart(3, '0')}`;
    writeFileSync(join(dir, `profiles/${id}.yaml`), profile.replace('id: azure-backup-tls12', `id: ${id}`).replace(/^title: (.*)$/m, `title: $1 ${mark}`));
  }
  return dir;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').toUpperCase();
}

/** Every profile folder: SHA256SUMS holds, and the installer's embedded hashes are those of the .reg files beside it. */
function assertConsistent(out: string): string[] {
  const profiles = readdirSync(out).filter((n) => /^p\d{3}$/.test(n) || n === 'test');
  for (const id of profiles) {
    const check = spawnSync('sha256sum', ['--strict', '--quiet', '-c', 'SHA256SUMS'], { cwd: join(out, id), encoding: 'utf8' });
    expect(check.status, `${id}: ${check.stdout}${check.stderr}`).toBe(0);
    const installer = readdirSync(join(out, id, 'scripts')).find((n) => n.startsWith('Install-'))!;
    const text = readFileSync(join(out, id, 'scripts', installer), 'utf8');
    for (const match of text.matchAll(/'([\w.-]+\.reg)'[\s\S]{0,200}?'([0-9A-F]{64})'/g)) {
      const reg = join(out, id, 'reg', match[1]!);
      if (existsSync(reg)) expect(sha256(reg), `${id}: ${match[1]} against the installer's hash`).toBe(match[2]);
    }
  }
  return profiles;
}

function leftovers(out: string): string {
  return execFileSync('find', [
    out,
    '(',
    '-name',
    '*.tmp-*',
    '-o',
    '-name',
    'stage-*',
    '-o',
    '-name',
    'trash-*',
    '-o',
    '-name',
    'journal-*',
    '-o',
    '-name',
    'lock',
    ')',
  ]).toString();
}

function runBuild(definitions: string, out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'build', '--definitions', definitions, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('kill -9 in the middle of a build', () => {
  it('the next build finishes or undoes it: every profile consistent, nothing left over, nothing else touched', async () => {
    const v1 = manyProfiles('crash-v1', 30, 'v1');
    const v2 = manyProfiles('crash-v2', 30, 'v2');
    const out = join(work, 'crash-out');
    expect((await runBuild(v1, out)).code).toBe(0);
    mkdirSync(join(out, 'mine'));
    writeFileSync(join(out, 'mine', 'SHA256SUMS'), `${'0'.repeat(64)}  keep.txt\n`);
    writeFileSync(join(out, 'mine', 'keep.txt'), 'keep');
    writeFileSync(join(out, 'p000', 'notes.txt'), 'notes');
    // Crash points spread over the run: from start-up to the last profile switched in. The killed build
    // always has work to do (the other definitions than the folder holds: the same ones would find the
    // folder up to date and end early); the next build alternately finishes that switch and undoes it.
    const delays = [40, 90, 150, 220, 300, 400, 520, 650];
    let current = v1;
    for (const [index, delay] of delays.entries()) {
      const killed = current === v1 ? v2 : v1;
      const child = spawn(process.execPath, [BIN, 'build', '--definitions', killed, '--out', out], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      current = index % 2 ? killed : current;
      const next = await runBuild(current, out);
      expect(next.code, next.stderr).toBe(0);
      expect(leftovers(out)).toBe('');
      expect(assertConsistent(out)).toHaveLength(30);
      expect(readFileSync(join(out, 'mine', 'keep.txt'), 'utf8')).toBe('keep');
      expect(readFileSync(join(out, 'p000', 'notes.txt'), 'utf8')).toBe('notes');
    }
  }, 240_000);
});

describe('two builds into one output folder at once', () => {
  it('the second waits for the first; both succeed; every profile is whole', async () => {
    const v1 = manyProfiles('conc-v1', 20, 'v1');
    const v2 = manyProfiles('conc-v2', 20, 'v2');
    const out = join(work, 'conc-out');
    const [a, b] = await Promise.all([runBuild(v1, out), runBuild(v2, out)]);
    expect([a.code, b.code], `${a.stderr}${b.stderr}`).toEqual([0, 0]);
    // Whether the two overlapped depends on the machine's load; the waiting itself is tested below with a held lock.
    expect(assertConsistent(out)).toHaveLength(20);
    const titles = new Set(
      readdirSync(out)
        .filter((n) => n.startsWith('p'))
        .map((id) => / v[12]$/m.exec(readFileSync(join(out, id, 'README.md'), 'utf8').split('\n')[0]!)?.[0]),
    );
    expect(titles.size).toBe(1); // the whole folder is one build's, not a mix
    expect(leftovers(out)).toBe('');
  }, 120_000);

  it('a build waits for a live holder, says whom it waits for, and goes on when the holder ends', async () => {
    const out = join(work, 'wait-out');
    expect((await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out)).code).toBe(0);
    const holder = spawn('sleep', ['2']);
    writeFileSync(join(out, '.tlsgen/lock'), JSON.stringify({ pid: holder.pid, host: (await import('node:os')).hostname(), started: 'now' }));
    const build = await runBuild(BASE_DEFINITIONS, out);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(new RegExp(`waiting for another build of .* \\(pid ${holder.pid} on `));
    expect(existsSync(join(out, '.tlsgen/lock'))).toBe(false);
  });

  it('a lock left by a killed build is taken over; one held by a live process names it', async () => {
    const out = join(work, 'lock-out');
    mkdirSync(join(out, '.tlsgen'), { recursive: true });
    writeFileSync(join(out, '.tlsgen/lock'), JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname(), started: 'long ago' }));
    expect((await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out)).code).toBe(0);
    const sleeper = spawn('sleep', ['30']);
    writeFileSync(join(out, '.tlsgen/lock'), JSON.stringify({ pid: sleeper.pid, host: (await import('node:os')).hostname(), started: 'now' }));
    const { emit } = await import('../src/emit/emit.js');
    await expect(emit([], { outDir: out, check: false, select: () => true, allProfiles: false, lockWaitMs: 200 })).rejects.toThrow(
      new RegExp(`another tlsgen build \\(pid ${sleeper.pid} on .*\\) is writing`),
    );
    sleeper.kill();
  });
});

describe('what tlsgen never reads or removes', () => {
  it('a named pipe, a folder or a link where a generated file belongs is refused before anything changes', async () => {
    for (const kind of ['fifo', 'folder', 'link'] as const) {
      const out = join(work, `special-${kind}`);
      expect((await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out)).code).toBe(0);
      const path = join(out, 'test/reg/win10.reg');
      rmSync(path);
      if (kind === 'fifo') execFileSync('mkfifo', [path]);
      if (kind === 'folder') mkdirSync(path);
      if (kind === 'link') symlinkSync('/etc/hostname', path);
      const before = readFileSync(join(out, 'test/SHA256SUMS'));
      const build = await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out);
      expect(build.code, build.stderr).toBe(1);
      expect(build.stderr).not.toMatch(/\n\s+at /);
      expect(build.stderr).toMatch(kind === 'link' ? /symbolic link/ : kind === 'fifo' ? /named pipe/ : /a folder/);
      expect(readFileSync(join(out, 'test/SHA256SUMS'))).toEqual(before);
    }
  });

  it('a folder with a profile name that tlsgen did not generate is refused, not adopted or emptied', async () => {
    const out = join(work, 'foreign');
    mkdirSync(join(out, 'test/reg'), { recursive: true });
    writeFileSync(join(out, 'test/reg/win10.reg'), 'somebody else');
    const build = await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('test/reg/win10.reg was not generated by tlsgen');
    expect(readFileSync(join(out, 'test/reg/win10.reg'), 'utf8')).toBe('somebody else');
  });

  it('definitions that yield no profile remove nothing', async () => {
    const out = join(work, 'empty-defs-out');
    expect((await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out)).code).toBe(0);
    const empty = join(work, 'empty-defs');
    cpSync(BASE_DEFINITIONS, empty, { recursive: true });
    rmSync(join(empty, 'profiles'), { recursive: true });
    const build = await tlsgen('build', '--definitions', empty, '--out', out);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('defines no profiles; nothing was built and nothing in');
    expect(existsSync(join(out, 'test/reg/win10.reg'))).toBe(true);
  });

  it('--out naming a file or a dangling link is a one-line error, not a stack trace', async () => {
    writeFileSync(join(work, 'a-file'), 'x');
    symlinkSync(join(work, 'nowhere'), join(work, 'dangling'));
    for (const [out, message] of [
      [join(work, 'a-file'), /is not a folder/],
      [join(work, 'dangling'), /symbolic link to nothing/],
    ] as const) {
      const build = await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out);
      expect(build.code).toBe(1);
      expect(build.stderr).toMatch(message);
      expect(build.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a second in-process build checks links again: a folder swapped for a link is refused', async () => {
    const out = join(work, 'swap');
    expect((await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out)).code).toBe(0);
    const elsewhere = join(work, 'swap-elsewhere');
    mkdirSync(elsewhere);
    rmSync(join(out, 'test/reg'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'test/reg'));
    const build = await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out);
    expect(build.code).toBe(1);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('environment failures are one-line errors', () => {
  // Root reads anything: the permission cases run the command as the unprivileged user nobody (setpriv, util-linux).
  const setpriv = spawnSync('setpriv', ['--version']).status === 0 && process.getuid?.() === 0;
  // nobody may not reach the checkout (CI may clone into a 0700 folder): it runs a copy of the bundled CLI.
  let nobodyBin = '';
  const asNobody = (args: string[]) =>
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, nobodyBin, ...args], { encoding: 'utf8' });

  it.runIf(setpriv)('unreadable definition files and folders, and an output folder nobody may write', () => {
    const base = mkdtempSync(join(tmpdir(), 'tlsgen-perm-'));
    execFileSync('chmod', ['755', base]);
    cpSync(join(REPO, 'bin'), join(base, 'app/bin'), { recursive: true });
    cpSync(join(REPO, 'dist'), join(base, 'app/dist'), { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', join(base, 'app')]);
    nobodyBin = join(base, 'app/bin/tlsgen.cjs');
    const definitions = join(base, 'defs');
    cpSync(BASE_DEFINITIONS, definitions, { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', definitions]);
    execFileSync('chmod', ['000', join(definitions, 'settings/base.yaml')]);
    const unreadableFile = asNobody(['validate', '--definitions', definitions]);
    expect(unreadableFile.status).toBe(1);
    expect(unreadableFile.stderr).toContain('settings/base.yaml:1:1 error the file cannot be read: permission denied');
    expect(unreadableFile.stderr).not.toMatch(/\n\s+at /);
    execFileSync('chmod', ['644', join(definitions, 'settings/base.yaml')]);
    execFileSync('chmod', ['000', join(definitions, 'settings')]);
    const unreadableFolder = asNobody(['validate', '--definitions', definitions]);
    expect(unreadableFolder.status).toBe(1);
    expect(unreadableFolder.stderr).toContain('settings:1:1 error the folder cannot be listed: permission denied');
    execFileSync('chmod', ['755', join(definitions, 'settings')]);
    const readOnly = join(base, 'ro');
    mkdirSync(readOnly);
    const build = asNobody(['build', '--definitions', definitions, '--out', readOnly]);
    expect(build.status).toBe(1);
    expect(build.stderr).toMatch(/^tlsgen: cannot create the folder .*: permission denied\n$/);
    rmSync(base, { recursive: true, force: true });
  });

  it('a profile named twice is built once', async () => {
    const out = join(work, 'twice');
    const build = await tlsgen('build', '--definitions', BASE_DEFINITIONS, '--out', out, '--profile', 'test', '--profile', 'test');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/: (\d+) file\(s\): \1 written, 0 unchanged/);
    expect(build.stdout).toContain('21 file(s)');
  });
});
