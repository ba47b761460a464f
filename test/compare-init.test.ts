/**
 * `tlsgen explain --compare A B` and `tlsgen init NAME --from PROFILE`, through the CLI (as
 * test/cli.test.ts runs it, plus the bundled bin/tlsgen.cjs once) and through the library.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as commands from '../src/commands.js';
import type { ProfileComparison } from '../src/present/compare.js';
import { BASE_DEFINITIONS, REPO, readTree } from './support/golden.js';
import { tlsgen } from './support/cli.js';

let work: string;
let defs: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-compare-init-'));
  defs = join(work, 'definitions');
  cpSync(BASE_DEFINITIONS, defs, { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

/**
 * alpha (win10, ws2022): TlsgenTest\Client Enabled=1 and TLS10 Enabled=0.
 * beta (win10 only): the same Client value spelled in other letter case with data 0, a Server value,
 * no TLS10 value, and a prerequisite for the Server value.
 */
function writeTwoProfiles(): void {
  writeFileSync(
    join(defs, 'settings/extra.yaml'),
    `settings:
  - id: tls12-client-lower
    title: The client value, other letter case, other data
    rationale: Example rationale.
    source: doc
    reboot: { required: true, source: doc }
    values:
      - { key: 'HKEY_LOCAL_MACHINE\\software\\TLSGENTEST\\client', name: ENABLED, type: REG_DWORD, data: 0 }
  - id: tls12-server
    title: Enable TLS 1.2 server
    rationale: Example rationale.
    source: table
    reboot: { required: true, source: doc }
    values:
      - { key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\Server', name: Enabled, type: REG_DWORD, data: 1 }
  - id: tls10-off
    title: Disable TLS 1.0
    rationale: Example rationale.
    source: doc
    reboot: { required: true, source: doc }
    values:
      - { key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\TLS10', name: Enabled, type: REG_DWORD, data: 0 }
`,
  );
  writeFileSync(
    join(defs, 'profiles/alpha.yaml'),
    'id: alpha\ntitle: Alpha\nsummary: First.\nsource: doc\ntargets: [win10, ws2022]\nsettings: [tls12-client, tls10-off]\n',
  );
  writeFileSync(
    join(defs, 'profiles/beta.yaml'),
    `id: beta
title: Beta
summary: Second.
source: doc
targets: [win10]
settings: [tls12-client-lower, tls12-server]
prerequisites:
  - id: KB1234567
    title: An update
    url: https://example.invalid/kb1234567
    when: { targets: [win10] }
    requiredBy: [tls12-server]
    source: doc
`,
  );
}

function compareOk(request: commands.CompareRequest): ProfileComparison {
  const outcome = commands.compare(request);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  return outcome.comparison;
}

describe('explain --compare', () => {
  it('a profile compared with itself has no differences', async () => {
    const comparison = compareOk({ definitionsDir: BASE_DEFINITIONS, profiles: ['test', 'test'] });
    expect(comparison.summary).toEqual({ added: 0, removed: 0, changed: 0, prerequisites: 0, onlyInA: [], onlyInB: [] });
    expect(comparison.targets.map((t) => [t.variantId, t.coveredBy])).toEqual([
      ['win10', 'both'],
      ['win10-x86', 'both'],
      ['ws2022', 'both'],
    ]);
    const result = await tlsgen('explain', '--compare', 'test', 'test', '--definitions', BASE_DEFINITIONS);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('B against A: 0 added, 0 removed, 0 changed\n');
    expect(result.stdout.match(/^No differences\.$/gm)).toHaveLength(3);
  });

  it('lists added, removed and changed values per target, identified as Windows does, with setting and source', () => {
    writeTwoProfiles();
    const comparison = compareOk({ definitionsDir: defs, profiles: ['alpha', 'beta'] });
    expect(comparison.summary).toEqual({ added: 2, removed: 2, changed: 2, prerequisites: 2, onlyInA: ['ws2022'], onlyInB: [] });
    const win10 = comparison.targets.find((t) => t.variantId === 'win10')!;
    expect(win10.coveredBy).toBe('both');
    expect(win10.values.map((v) => [v.change, v.value])).toEqual([
      ['changed', 'HKEY_LOCAL_MACHINE\\software\\TLSGENTEST\\client "ENABLED"'],
      ['removed', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\TLS10 "Enabled"'],
      ['added', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\Server "Enabled"'],
    ]);
    expect(win10.values[0]).toMatchObject({
      a: { type: 'REG_DWORD', data: '1 (0x00000001)', setting: 'tls12-client', source: 'https://example.invalid/doc' },
      b: { type: 'REG_DWORD', data: '0 (0x00000000)', setting: 'tls12-client-lower', source: 'https://example.invalid/doc' },
    });
    expect(win10.values[2]).toMatchObject({ a: null, b: { setting: 'tls12-server', source: 'https://example.invalid/table' } });
    expect(win10.prerequisites).toEqual([
      { change: 'added', id: 'KB1234567', a: null, b: { url: 'https://example.invalid/kb1234567', requiredBy: ['tls12-server'], detection: [] } },
    ]);
    expect(comparison.targets.find((t) => t.variantId === 'ws2022')).toEqual({
      variantId: 'ws2022',
      product: 'Windows Server 2022',
      architecture: 'x64',
      coveredBy: 'a',
      leftOut: null,
      values: [],
      prerequisites: [],
    });
  });

  it('prints the differences for a person, B against A, both ways of naming the profiles', async () => {
    writeTwoProfiles();
    const result = await tlsgen('explain', 'alpha', '--compare', 'beta', '--definitions', defs, '--target', 'win10-x86', '--target', 'ws2022');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        'A: alpha: Alpha',
        'B: beta: Beta',
        'B against A: 1 added, 1 removed, 1 changed; 1 prerequisite difference(s); only alpha covers ws2022',
        '',
        '== win10-x86: Windows 10, 32-bit (x86)',
        '  ~ HKEY_LOCAL_MACHINE\\software\\TLSGENTEST\\client "ENABLED": REG_DWORD 1 (0x00000001) -> REG_DWORD 0 (0x00000000)',
        '    A: tls12-client (https://example.invalid/doc)',
        '    B: tls12-client-lower (https://example.invalid/doc)',
        '  - HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\TLS10 "Enabled": REG_DWORD 0 (0x00000000)',
        '    tls10-off (https://example.invalid/doc)',
        '  + HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\Server "Enabled": REG_DWORD 1 (0x00000001)',
        '    tls12-server (https://example.invalid/table)',
        '  + install first KB1234567 (https://example.invalid/kb1234567): needed by tls12-server',
        '',
        '== ws2022: Windows Server 2022, 64-bit (x64)',
        'Only alpha covers this target; beta does not.',
        '',
      ].join('\n'),
    );
    const other = await tlsgen('explain', '--compare', 'alpha', 'beta', '--definitions', defs, '--target', 'win10-x86', '--target', 'ws2022');
    expect(other.stdout).toBe(result.stdout);
  });

  it('says why a profile that extends another leaves a value out (remove, exception)', async () => {
    writeTwoProfiles();
    writeFileSync(
      join(defs, 'profiles/child.yaml'),
      `id: child
extends: alpha
title: Child
summary: Alpha without TLS 1.0 off.
source: doc
remove:
  - { setting: tls10-off, reason: Old clients still need TLS 1.0. }
exceptions:
  - { setting: tls12-client, until: 2099-12-31, reason: Waiting for the vendor., ticket: CHG-1234, targets: [ws2022] }
`,
    );
    const result = await tlsgen('explain', '--compare', 'alpha', 'child', '--definitions', defs, '--target', 'ws2022');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('B against A: 0 added, 2 removed, 0 changed\n');
    expect(result.stdout).toContain('    B leaves it out: removed by child: Old clients still need TLS 1.0.\n');
    expect(result.stdout).toContain('    B leaves it out: exception in child until 2099-12-31 (CHG-1234): Waiting for the vendor.\n');
    const comparison = compareOk({ definitionsDir: defs, profiles: ['child', 'alpha'], targets: ['win10'] });
    expect(comparison.targets[0]!.values).toMatchObject([
      { change: 'added', b: { setting: 'tls10-off' }, leftOut: 'removed by child: Old clients still need TLS 1.0.' },
    ]);
  });

  it('--json has a stable shape', async () => {
    writeTwoProfiles();
    const result = await tlsgen('explain', '--compare', 'beta', 'alpha', '--definitions', defs, '--json', '--target', 'win10');
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['a', 'b', 'mode', 'summary', 'targets']);
    expect(json.a).toEqual({ id: 'beta', title: 'Beta' });
    expect(json.summary).toEqual({ added: 2, removed: 2, changed: 2, prerequisites: 2, onlyInA: [], onlyInB: [] });
    expect(json.targets.map((t: { variantId: string }) => t.variantId)).toEqual(['win10', 'win10-x86']);
    const [changed] = json.targets[0].values;
    expect(Object.keys(changed)).toEqual(['change', 'value', 'key', 'name', 'a', 'b', 'leftOut']);
    expect(changed).toMatchObject({ change: 'changed', key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenTest\\Client', name: 'Enabled' });
    expect(Object.keys(changed.a)).toEqual(['action', 'type', 'data', 'alsoAccepted', 'setting', 'source', 'profile', 'override', 'policy']);
    expect(changed.a).toMatchObject({ action: 'set', data: '0 (0x00000000)', profile: 'beta', override: null });
    expect(json.targets[0].prerequisites[0]).toMatchObject({ change: 'removed', id: 'KB1234567' });
  });

  it('--target selects editions; a target neither profile covers is refused', async () => {
    writeTwoProfiles();
    const comparison = compareOk({ definitionsDir: defs, profiles: ['alpha', 'beta'], targets: ['ws2022'] });
    expect(comparison.targets.map((t) => t.variantId)).toEqual(['ws2022']);
    expect(comparison.summary).toMatchObject({ added: 0, removed: 0, changed: 0, onlyInA: ['ws2022'] });
    const beta = await tlsgen('explain', '--compare', 'beta', 'beta', '--definitions', defs, '--target', 'ws2022');
    expect(beta.code).toBe(2);
    expect(beta.stderr).toBe('tlsgen: neither beta nor beta covers ws2022; they cover win10, win10-x86\n');
  });

  it('an unknown profile exits 2 (a usage error, as for every command) with one line naming the known ones', async () => {
    const result = await tlsgen('explain', '--compare', 'test', 'nope', '--definitions', BASE_DEFINITIONS);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'tlsgen: unknown profile "nope"; known profiles: test\n' });
    expect(() => commands.compare({ definitionsDir: BASE_DEFINITIONS, profiles: ['nope', 'test'] })).toThrow(/unknown profile "nope"; known profiles: test/);
  });

  it.each([[['explain', '--compare', 'test']], [['explain', 'test', '--compare']], [['explain', 'test', '--compare', 'test', 'test']], [['explain']]])(
    '%j is a usage error (exit 2)',
    async (args) => {
      const result = await tlsgen(...args, '--definitions', BASE_DEFINITIONS);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tlsgen: (--compare compares two profiles|name the profile to explain)/);
    },
  );
});

describe('init', () => {
  const today = '2026-12-01';

  it('writes a profile that extends its parent, validates, builds, and changes nothing yet', async () => {
    const outcome = commands.init({ definitionsDir: defs, name: 'custom', from: 'test', today });
    expect(outcome.ok, JSON.stringify(outcome.diagnostics)).toBe(true);
    const path = join(defs, 'profiles/custom.yaml');
    expect(outcome).toMatchObject({ path, id: 'custom', parent: 'test' });
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schema/profile.schema.json');
    expect(lines).toEqual(
      expect.arrayContaining([
        'id: "custom"',
        'extends: "test"',
        'source: "doc"',
        `updated: "${today}"`,
        '#   - setting: "tls12-client"',
        '#     until: "2027-12-01"',
      ]),
    );
    expect(text).toMatch(/^# policy:$/m);
    expect(text).toMatch(/^# overrides:\n# {3}- setting: "tls12-client"\n# {5}name: "Enabled"\n# {5}data: 1$/m);

    const validate = await tlsgen('validate', '--definitions', defs);
    expect(validate.code, validate.stderr).toBe(0);
    const out = join(work, 'out');
    expect((await tlsgen('build', '--definitions', defs, '--out', out, '--profile', 'custom')).code).toBe(0);
    const check = await tlsgen('build', '--definitions', defs, '--out', out, '--profile', 'custom', '--check');
    expect(check.code, check.stderr).toBe(0);
    const compared = compareOk({ definitionsDir: defs, profiles: ['test', 'custom'] });
    expect(compared.summary).toEqual({ added: 0, removed: 0, changed: 0, prerequisites: 0, onlyInA: [], onlyInB: [] });
  });

  it('through the CLI prints what it wrote and what to do next', async () => {
    const result = await tlsgen('init', 'my-tls', '--from', 'test', '--definitions', defs);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(defs, 'profiles/my-tls.yaml')}: profile my-tls, extends test\n`);
    expect(result.stdout).toContain(`tlsgen validate --definitions ${defs}\n`);
    expect(result.stdout).toContain(`tlsgen explain --compare test my-tls --definitions ${defs}\n`);
    expect(result.stdout).toContain(`tlsgen build --profile my-tls --definitions ${defs}\n`);
    expect(readFileSync(join(defs, 'profiles/my-tls.yaml'), 'utf8')).toContain(`updated: "${new Date().toISOString().slice(0, 10)}"\n`);
  });

  it('the bundled CLI scaffolds the shipped profile, and the result validates', () => {
    const shipped = join(work, 'shipped');
    cpSync(join(REPO, 'definitions'), shipped, { recursive: true });
    const bin = join(REPO, 'bin', 'tlsgen.cjs');
    const stdout = execFileSync(process.execPath, [bin, 'init', 'x', '--from', 'azure-backup-tls12', '--definitions', shipped]).toString();
    expect(stdout).toContain('extends azure-backup-tls12');
    const text = readFileSync(join(shipped, 'profiles/x.yaml'), 'utf8');
    expect(text).toContain('#     name: "DefaultSecureProtocols"\n#     protocols: "tls12"\n');
    expect(execFileSync(process.execPath, [bin, 'validate', '--definitions', shipped]).toString()).toContain('definitions are valid');
  });

  it.each([
    ['Custom', /"Custom" cannot be a profile id/],
    ['café', /"café" cannot be a profile id/],
    ['a_b', /"a_b" cannot be a profile id/],
    ['../evil', /"..\/evil" cannot be a profile id/],
    ['x'.repeat(64), /cannot be a profile id/],
    ['test', /a profile with id test already exists \(.*test\.yaml\)/],
  ])('refuses %j and writes nothing', async (name, message) => {
    const before = readTree(work);
    const result = await tlsgen('init', name, '--from', 'test', '--definitions', defs);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readTree(work)).toEqual(before);
  });

  it.each(['10', 'null', 'true', '0x1f', '1e3', '0o17'])('writes %j as a string id that validates and builds', async (name) => {
    const outcome = commands.init({ definitionsDir: defs, name, from: 'test', today });
    expect(outcome.ok, JSON.stringify(outcome.diagnostics)).toBe(true);
    expect(readFileSync(join(defs, `profiles/${name}.yaml`), 'utf8')).toContain(`\nid: "${name}"\nextends: "test"\n`);
    const validate = await tlsgen('validate', '--definitions', defs);
    expect(validate.code, validate.stderr).toBe(0);
    const build = await tlsgen('build', '--definitions', defs, '--out', join(work, 'out'), '--profile', name);
    expect(build.code, build.stderr).toBe(0);
  });

  it.each(['con', 'nul', 'aux', 'prn', 'com1', 'lpt9'])('refuses the Windows device name %j as validation does, and writes nothing', async (name) => {
    const before = readTree(work);
    const result = await tlsgen('init', name, '--from', 'test', '--definitions', defs);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `tlsgen: "${name}" cannot be a profile id: it is a reserved Windows device name (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9), so its files could not be opened on Windows\n`,
    );
    expect(readTree(work)).toEqual(before);
  });

  it('shortens a long parent title by code points, never splitting a surrogate pair', async () => {
    const title = `${'a'.repeat(294)}\u{1F600}${'b'.repeat(4)}`;
    expect([...title]).toHaveLength(299);
    writeFileSync(join(defs, 'profiles/emoji.yaml'), `id: emoji\ntitle: "${title}"\nsummary: s\nsource: doc\ntargets: [win10]\nsettings: [tls12-client]\n`);
    const outcome = commands.init({ definitionsDir: defs, name: 'ab', from: 'emoji', today });
    expect(outcome.ok, JSON.stringify(outcome.diagnostics)).toBe(true);
    const written = /^title: (.*)$/m.exec(readFileSync(join(defs, 'profiles/ab.yaml'), 'utf8'))![1]!;
    expect(JSON.parse(written)).toBe(`${'a'.repeat(294)}\u{1F600} (ab)`);
    expect([...JSON.parse(written)]).toHaveLength(300);
    const validate = await tlsgen('validate', '--definitions', defs);
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('refuses a parent whose lint errors the new profile would inherit, naming them, and writes nothing', async () => {
    writeFileSync(
      join(defs, 'profiles/par.yaml'),
      'id: par\nextends: test\ntitle: t\nsummary: s\nsource: doc\nexceptions:\n  - { setting: tls12-client, targets: [ws2022], until: 2020-01-01, reason: old }\n',
    );
    const before = readTree(work);
    const result = await tlsgen('init', 'kid', '--from', 'par', '--definitions', defs);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'tlsgen: profile par has 1 lint error(s) that kid would inherit, so kid would not build; nothing was written. Fix par first (tlsgen lint --profile par):',
    );
    expect(lines[1]).toMatch(/^ {2}.*par\.yaml:7:\d+ error TG007 .*expired on 2020-01-01/);
    expect(lines).toHaveLength(2);
    expect(readTree(work)).toEqual(before);
  });

  it('refuses a name that starts with a dash (the library; the CLI reads it as an option)', () => {
    const before = readTree(work);
    expect(() => commands.init({ definitionsDir: defs, name: '-x', from: 'test' })).toThrow('"-x" cannot be a profile id');
    expect(readTree(work)).toEqual(before);
  });

  it('refuses a file already there under another id or letter case, and writes nothing', async () => {
    writeFileSync(join(defs, 'profiles/Taken.YML'), readFileSync(join(defs, 'profiles/test.yaml'), 'utf8').replace('id: test', 'id: other'));
    const before = readTree(work);
    const result = await tlsgen('init', 'taken', '--from', 'test', '--definitions', defs);
    expect(result).toMatchObject({ code: 1, stderr: `tlsgen: ${join(defs, 'profiles/Taken.YML')} already exists; choose another name or remove it first\n` });
    expect(readTree(work)).toEqual(before);
  });

  it('refuses an unknown parent (a usage error, exit 2, as for every command), naming the known profiles, and writes nothing', async () => {
    const before = readTree(work);
    const result = await tlsgen('init', 'custom', '--from', 'nope', '--definitions', defs);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'tlsgen: unknown profile "nope"; known profiles: test\n' });
    expect(readTree(work)).toEqual(before);
  });

  it('needs --from (usage error)', async () => {
    expect((await tlsgen('init', 'custom', '--definitions', defs)).code).toBe(2);
  });
});
