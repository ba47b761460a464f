/**
 * Lint through the CLI: `tlsgen lint`, and lint inside `validate` and `build` (errors refuse and
 * nothing is written; `--strict` refuses on warnings; `--today` dates exceptions). The rules
 * themselves, each both ways, are in test/lint.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from './support/golden.js';
import { tlsgen } from './support/cli.js';

let work: string;
let defs: string;
let out: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-lint-cli-'));
  defs = join(work, 'definitions');
  out = join(work, 'out');
  cpSync(join(REPO, 'definitions'), defs, { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A profile extending azure-backup-tls12 with one exception that ends on 2027-06-30. */
function writeProfileWithException(): void {
  writeFileSync(
    join(defs, 'profiles', 'dated.yaml'),
    [
      'id: dated',
      'extends: azure-backup-tls12',
      'title: Azure Backup with a dated exception',
      'summary: The 32-bit WinHTTP value waits for a legacy application.',
      'source: ms-azure-backup-tls',
      'exceptions:',
      '  - { setting: winhttp-default-secure-protocols-wow64, until: 2027-06-30, reason: legacy 32-bit client, ticket: CHG-1234 }',
      '',
    ].join('\n'),
  );
}

/** azure-backup-tls12 without its TG003 allowance: one lint warning (Client set, Server not). */
function dropAzureAllowance(): void {
  const file = join(defs, 'profiles', 'azure-backup-tls12.yaml');
  const text = readFileSync(file, 'utf8');
  const withoutLint = text.replace(/\nlint:\n(?: {2,}.*\n)+/, '\n');
  expect(withoutLint).not.toBe(text);
  writeFileSync(file, withoutLint);
}

describe('tlsgen lint', () => {
  it('finds nothing in the shipped definitions', async () => {
    const result = await tlsgen('lint', '--definitions', join(REPO, 'definitions'), '--today', '2026-11-30');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('tlsgen lint: no lint findings\n');
  });

  it('refuses an expired exception (TG007, error) with its file, line and pointer; accepts it the day before', async () => {
    writeProfileWithException();
    const valid = await tlsgen('lint', '--definitions', defs, '--today', '2027-06-30');
    expect(valid.code).toBe(0);
    const expired = await tlsgen('lint', '--definitions', defs, '--today', '2027-07-01');
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain(`${join(defs, 'profiles', 'dated.yaml')}:7:`);
    expect(expired.stderr).toMatch(
      / error TG007 the exception for setting winhttp-default-secure-protocols-wow64 in profile dated expired on 2027-06-30 .*CHG-1234.*\(at \/exceptions\/0\/until\)/,
    );
    expect(expired.stderr).toContain('tlsgen lint: 1 error(s), 0 warning(s)');
  });

  it('prints findings as JSON with stable fields', async () => {
    writeProfileWithException();
    const result = await tlsgen('lint', '--definitions', defs, '--today', '2027-07-01', '--json');
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(findings).toHaveLength(1);
    expect(Object.keys(findings[0]!)).toEqual(['rule', 'severity', 'profile', 'targets', 'setting', 'message', 'file', 'line', 'column', 'pointer']);
    expect(findings[0]).toMatchObject({
      rule: 'TG007',
      severity: 'error',
      profile: 'dated',
      setting: 'winhttp-default-secure-protocols-wow64',
      pointer: '/exceptions/0/until',
    });
  });

  it('reports a warning without refusing, and refuses it under --strict', async () => {
    dropAzureAllowance();
    const plain = await tlsgen('lint', '--definitions', defs, '--profile', 'azure-backup-tls12', '--today', '2026-11-30');
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/ warning TG003 TLS 1\.2 Client and Server are set differently/);
    expect(plain.stdout).toBe('tlsgen lint: 0 error(s), 1 warning(s)\n');
    const strict = await tlsgen('lint', '--definitions', defs, '--profile', 'azure-backup-tls12', '--today', '2026-11-30', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('tlsgen lint: 0 error(s), 1 warning(s) (refused: --strict)');
  });

  it('refuses a --today that is not a real day (usage error)', async () => {
    for (const day of ['2027-02-30', 'tomorrow', '2027-6-1']) {
      const result = await tlsgen('lint', '--definitions', defs, '--today', day);
      expect(result.code, day).toBe(2);
      expect(result.stderr).toContain('--today must be a date as YYYY-MM-DD');
    }
  });
});

describe('lint inside validate and build', () => {
  it('build refuses an expired exception and writes nothing; the same build before the date writes', async () => {
    writeProfileWithException();
    const refused = await tlsgen('build', '--definitions', defs, '--out', out, '--profile', 'dated', '--today', '2027-07-01');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error TG007');
    expect(refused.stderr).toContain('nothing was written');
    expect(existsSync(out)).toBe(false);
    const built = await tlsgen('build', '--definitions', defs, '--out', out, '--profile', 'dated', '--today', '2027-06-30');
    expect(built.code).toBe(0);
    expect(existsSync(join(out, 'dated', 'README.md'))).toBe(true);
    expect(readFileSync(join(out, 'dated', 'README.md'), 'utf8')).toContain('exception until 2027-06-30 \\(CHG-1234\\)');
  });

  it('validate prints lint warnings and succeeds; --strict turns them into a refusal', async () => {
    dropAzureAllowance();
    const plain = await tlsgen('validate', '--definitions', defs, '--today', '2026-11-30');
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/ warning TG003 /);
    const strict = await tlsgen('validate', '--definitions', defs, '--today', '2026-11-30', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/ warning TG003 /);
    expect(strict.stderr).toContain('lint warning(s) (refused: --strict); nothing was written');
  });

  it('build --strict refuses on a warning and writes nothing', async () => {
    dropAzureAllowance();
    const result = await tlsgen('build', '--definitions', defs, '--out', out, '--profile', 'azure-backup-tls12', '--today', '2026-11-30', '--strict');
    expect(result.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});
