import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_DEFINITIONS, REPO, readTree } from './support/golden.js';
import { tlsgen } from './support/cli.js';

let work: string;
let out: string;
const defs = ['--definitions', BASE_DEFINITIONS];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-cli-'));
  out = join(work, 'out');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('tlsgen build', () => {
  it('writes every file, then nothing when nothing changed', async () => {
    const first = await tlsgen('build', ...defs, '--out', out);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('21 file(s): 21 written, 0 unchanged, 0 removed');
    const second = await tlsgen('build', ...defs, '--out', out);
    expect(second.stdout).toContain('0 written, 21 unchanged');
  });

  it('--check reports missing, changed and extra files and writes nothing', async () => {
    await tlsgen('build', ...defs, '--out', out);
    expect((await tlsgen('build', ...defs, '--out', out, '--check')).code).toBe(0);
    rmSync(join(out, 'test/reg/win10.reg'));
    writeFileSync(join(out, 'test/reg/ws2022.reg'), 'tampered');
    writeFileSync(join(out, 'test/reg/added-by-someone.reg'), 'not ours');
    const check = await tlsgen('build', ...defs, '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('missing  test/reg/win10.reg');
    expect(check.stderr).toContain('changed  test/reg/ws2022.reg');
    expect(check.stderr).toContain('extra    test/reg/added-by-someone.reg');
    expect(existsSync(join(out, 'test/reg/win10.reg'))).toBe(false);
    expect(readFileSync(join(out, 'test/reg/ws2022.reg'), 'utf8')).toBe('tampered');
  });

  it('keeps files it did not generate, inside and beside its folders, whatever their SHA256SUMS say', async () => {
    await tlsgen('build', ...defs, '--out', out);
    const sums = join(out, 'test/SHA256SUMS');
    writeFileSync(sums, readFileSync(sums, 'utf8') + `${'0'.repeat(64)}  reg/listed-by-hand.reg\n${'0'.repeat(64)}  ../../escape.txt\n`);
    writeFileSync(join(out, 'test/reg/listed-by-hand.reg'), 'mine');
    writeFileSync(join(out, 'test/reg/notes-by-admin.txt'), 'mine');
    writeFileSync(join(work, 'escape.txt'), 'outside');
    mkdirSync(join(out, 'iso'));
    writeFileSync(join(out, 'iso/disk.iso'), 'iso');
    writeFileSync(join(out, 'iso/SHA256SUMS'), `${'0'.repeat(64)}  disk.iso\n`);
    const build = await tlsgen('build', ...defs, '--out', out);
    expect(build.code).toBe(0);
    expect(build.stdout).toContain('kept 2 item(s)');
    expect(readFileSync(join(out, 'test/reg/listed-by-hand.reg'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'test/reg/notes-by-admin.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(work, 'escape.txt'), 'utf8')).toBe('outside');
    expect(readFileSync(join(out, 'iso/disk.iso'), 'utf8')).toBe('iso');
  });

  it('removes the generated files of a profile that no longer exists, and only those', async () => {
    const definitions = join(work, 'defs');
    cpSync(BASE_DEFINITIONS, definitions, { recursive: true });
    writeFileSync(join(definitions, 'profiles/second.yaml'), readFileSync(join(definitions, 'profiles/test.yaml'), 'utf8').replace('id: test', 'id: second'));
    await tlsgen('build', '--definitions', definitions, '--out', out);
    writeFileSync(join(out, 'second/reg/mine.txt'), 'mine');
    rmSync(join(definitions, 'profiles/second.yaml'));
    const build = await tlsgen('build', '--definitions', definitions, '--out', out);
    expect(build.stdout).toContain('removed second/reg/win10.reg');
    expect(readFileSync(join(out, 'second/reg/mine.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'second/SHA256SUMS'))).toBe(false);
    rmSync(join(out, 'second/reg/mine.txt'));
    await tlsgen('build', '--definitions', definitions, '--out', out);
    expect(existsSync(join(out, 'second'))).toBe(true); // no longer ours: never touched again
  });

  it('--target and --format write only what they select, and keep the profile consistent', async () => {
    // On a populated folder: a selective build must leave every other generated file exactly as it
    // was (on an empty folder "nothing else is removed or changed" could not fail).
    await tlsgen('build', ...defs, '--out', out);
    const before = readTree(out);
    // A filtered build drops the whole build's record (test/up-to-date.test.ts); everything else stays.
    expect(before.delete('.tlsgen/build-record.json')).toBe(true);
    const ws2022 = 'test/reg/ws2022.reg';
    writeFileSync(join(out, ws2022), 'stale'); // the selected file is rewritten
    const build = await tlsgen('build', ...defs, '--out', out, '--target', 'ws2022', '--format', 'reg');
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/ 0 removed\n/);
    expect(build.stdout).not.toContain('removed test/');
    const after = readTree(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect(after.get(ws2022)!.equals(before.get(ws2022)!), `${ws2022} rewritten from the definitions`).toBe(true);
    expect([...before.keys()].filter((p) => p.startsWith('test/dsc/')).length, 'other formats exist').toBeGreaterThan(0);
    for (const [path, bytes] of before) expect(after.get(path)!.equals(bytes), `${path} unchanged`).toBe(true);
    const check = execFileSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: join(out, 'test') }).toString();
    expect(check).toContain('reg/ws2022.reg: OK');
  });

  it('--target names a Windows version (all its editions) or one edition', async () => {
    await tlsgen('build', ...defs, '--out', out, '--target', 'win10-x86', '--format', 'reg');
    expect(existsSync(join(out, 'test/reg/win10-x86.reg'))).toBe(true);
    expect(existsSync(join(out, 'test/reg/win10.reg'))).toBe(false);
    await tlsgen('build', ...defs, '--out', out, '--target', 'win10', '--format', 'reg');
    expect(existsSync(join(out, 'test/reg/win10.reg'))).toBe(true);
    const explained = await tlsgen('explain', 'test', ...defs, '--target', 'win10-x86');
    expect(explained.stdout).toContain('== win10-x86:');
    expect(explained.stdout).not.toContain('== win10:');
  });

  it('refuses to write through a symbolic link inside the output folder', async () => {
    mkdirSync(out);
    mkdirSync(join(work, 'elsewhere'));
    symlinkSync(join(work, 'elsewhere'), join(out, 'test'));
    const build = await tlsgen('build', ...defs, '--out', out);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/refusing to go through the symbolic link/);
    expect(existsSync(join(work, 'elsewhere', 'reg'))).toBe(false);
  });

  it('leaves no temporary or staging files behind', async () => {
    await tlsgen('build', ...defs, '--out', out);
    writeFileSync(join(out, 'test/reg/win10.reg'), 'changed');
    await tlsgen('build', ...defs, '--out', out);
    const listing = execFileSync('find', [
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
    expect(listing).toBe('');
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['frobnicate']],
    [['build', '--no-such-flag']],
    [['build', '--format', 'pdf']],
    [['build', '--out', '']],
    [['build', '--out', 'o1', '--out', 'o2']],
    [['explain', 'test', '--mode', 'minimal', '--mode', 'minimal']],
    [[]],
  ])('%j', async (args) => {
    const result = await tlsgen(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('unknown profile and target name the known ones', async () => {
    const profile = await tlsgen('explain', 'nope', ...defs);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain('unknown profile "nope"; known profiles: test');
    const target = await tlsgen('build', ...defs, '--out', out, '--target', 'win95');
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('unknown target "win95"; known targets: win10, win10-x86, ws2022');
  });
});

describe('validate, list and explain', () => {
  it('validate summarises valid definitions', async () => {
    const result = await tlsgen('validate', ...defs);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('definitions are valid: 1 profile(s), 2 Windows target(s)');
  });

  it('list --json is machine-readable', async () => {
    const result = await tlsgen('list', 'targets', '--json', ...defs);
    expect(JSON.parse(result.stdout).map((t: { id: string; variants: string[] }) => [t.id, t.variants])).toEqual([
      ['win10', ['win10', 'win10-x86']],
      ['ws2022', ['ws2022']],
    ]);
  });

  it('explain shows the difference between explicit and minimal', async () => {
    const shipped = ['--definitions', join(REPO, 'definitions')];
    const explicit = await tlsgen('explain', 'azure-backup-tls12', '--target', 'ws2016', ...shipped);
    expect(explicit.stdout).toMatch(/TLS 1\.2\\Client Enabled .* written anyway/);
    const minimal = await tlsgen('explain', 'azure-backup-tls12', '--target', 'ws2016', '--mode', 'minimal', ...shipped);
    expect(minimal.stdout).toMatch(/TLS 1\.2\\Client Enabled .* left out/);
    const legacy = await tlsgen('explain', 'azure-backup-tls12', '--target', 'win7', '--mode', 'minimal', ...shipped);
    expect(legacy.stdout).not.toMatch(/: left out/);
    expect(legacy.stdout).toContain('Install first: KB3140245');
  });

  it('explain --json carries provenance and classification', async () => {
    const result = await tlsgen('explain', 'azure-backup-tls12', '--target', 'ws2008sp2', '--json', '--definitions', join(REPO, 'definitions'));
    const plan = JSON.parse(result.stdout);
    expect(plan.targets.map((t: { variantId: string }) => t.variantId)).toEqual(['ws2008sp2', 'ws2008sp2-x86']);
    const [x64, x86] = plan.targets;
    expect(x64.apply).toHaveLength(6);
    expect(x86.apply).toHaveLength(4);
    expect(x64.prerequisites[0].id).toBe('KB4019276');
    expect(x64.apply[0]).toMatchObject({
      action: 'set',
      name: 'Enabled',
      value: { type: 'REG_DWORD', data: 1 },
      windowsDefault: null,
      setting: { id: 'schannel-tls12-client', source: { url: 'https://learn.microsoft.com/azure/backup/transport-layer-security' } },
    });
  });

  it('--help and --version print and exit 0', async () => {
    expect((await tlsgen('--help')).stdout).toContain('tlsgen build');
    expect((await tlsgen('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
