/**
 * The README's composed-profile example is what a reader copies: it must validate, lint without a
 * single finding under --strict, and build, laid over the shipped definitions; and it must show
 * what it says it shows (an inherited setting removed on one target, a dated exception, a
 * per-target override beating the policy, the policy's WinHTTP protocols elsewhere).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as commands from '../src/commands.js';
import type { SetValueOperation } from '../src/resolve/plan.js';
import { REPO } from './support/golden.js';
import { tlsgen } from './support/cli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const TODAY = '2026-11-30';
let work: string;
let defs: string;

/** The YAML block that follows the sentence introducing the example. */
function exampleYaml(): string {
  const start = README.indexOf('A profile that starts from another, with its changes');
  expect(start).toBeGreaterThan(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(README.slice(start));
  expect(block).not.toBeNull();
  return block![1]!;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-readme-example-'));
  defs = join(work, 'definitions');
  cpSync(join(REPO, 'definitions'), defs, { recursive: true });
  writeFileSync(join(defs, 'profiles', 'my-backup.yaml'), exampleYaml());
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README: the composed profile example', () => {
  it('validates, lints without findings under --strict, and builds', async () => {
    const lint = await tlsgen('lint', '--definitions', defs, '--profile', 'my-backup', '--strict', '--today', TODAY);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
    const build = await tlsgen('build', '--definitions', defs, '--out', join(work, 'out'), '--profile', 'my-backup', '--strict', '--today', TODAY);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
  });

  it('does what its comments say', () => {
    const outcome = commands.explain({ definitionsDir: defs, profile: 'my-backup' });
    if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
    const target = (id: string) => outcome.targets.find((t) => t.variantId === id)!;
    const winhttp = (id: string) => target(id).apply.filter((op): op is SetValueOperation => op.action === 'set' && op.name === 'DefaultSecureProtocols');
    expect(outcome.plan.extends).toEqual(['azure-backup-tls12']);
    // ws2012: the native value waits for its exception, the 32-bit one is removed.
    expect(winhttp('ws2012')).toEqual([]);
    expect(target('ws2012').exceptions.map((e) => [e.setting, e.until, e.ticket])).toEqual([['winhttp-default-secure-protocols', '2027-06-30', 'CHG-1234']]);
    expect(target('ws2012').removed.map((r) => r.setting)).toEqual(['winhttp-default-secure-protocols-wow64']);
    // ws2008r2: the override (TLS 1.2 only) beats the policy on the native value; the policy sets the 32-bit one.
    expect(winhttp('ws2008r2').map((op) => [op.path, op.value.data, op.origin.override !== null])).toEqual([
      ['SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp', 0x800, true],
      ['SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp', 0xa00, false],
    ]);
    // Client and Server alike everywhere, and the checks accept a legacy 0xFFFFFFFF.
    const enabled = target('ws2019').apply.filter((op): op is SetValueOperation => op.action === 'set' && op.name === 'Enabled');
    expect(enabled.map((op) => [op.path.split('\\').slice(-1)[0], op.value.data, op.alsoAccepted.map((v) => v.data)])).toEqual([
      ['Client', 1, [0xffffffff]],
      ['Server', 1, [0xffffffff]],
    ]);
  });
});
