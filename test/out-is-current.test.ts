/**
 * The committed out/ is exactly what definitions/ produces (the golden test of the shipped
 * explicit profile), the pipeline is deterministic, and SHA256SUMS verifies with sha256sum.
 *
 * This is the drift detector for out/: the consumer, parity and README tests judge the output
 * generated now (test/support/fresh-output.ts), never the committed files, so a change in src/
 * reaches Wine, hivexregedit, xmllint and PowerShell in the same run; this file then fails until
 * out/ is regenerated, and a committed out/ that passes here has passed those tests too.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/pipeline.js';
import { REPO, readTree } from './support/golden.js';

const definitionsDir = join(REPO, 'definitions');

describe('out/', () => {
  it('equals what definitions/ produces, byte for byte', () => {
    const result = generate({ definitionsDir });
    expect(result.diagnostics).toEqual([]);
    const committed = readTree(join(REPO, 'out'));
    const manifest = committed.get('.tlsgen/manifest.json');
    committed.delete('.tlsgen/manifest.json');
    expect([...committed.keys()]).toEqual(result.files.map((f) => f.path).sort());
    // The manifest names exactly the generated files, per profile folder (what a build may replace or remove).
    const recorded = JSON.parse(manifest!.toString('utf8')) as { generator: string; profiles: Record<string, string[]> };
    expect(recorded.generator).toBe('tlsgen');
    expect(
      Object.entries(recorded.profiles)
        .flatMap(([id, files]) => files.map((f) => `${id}/${f}`))
        .sort(),
    ).toEqual(result.files.map((f) => f.path).sort());
    for (const file of result.files) {
      expect(Buffer.from(file.bytes).equals(committed.get(file.path)!), `${file.path} is stale: run npm run generate`).toBe(true);
    }
  });

  it('has an .reg apply and rollback file for all twelve targets and their 32-bit editions', () => {
    const files = readdirSync(join(REPO, 'out/azure-backup-tls12/reg')).sort();
    const targets = ['ws2008sp2', 'ws2008r2', 'ws2012', 'ws2012r2', 'ws2016', 'ws2019', 'ws2022', 'ws2025', 'win7', 'win81', 'win10', 'win11'];
    const variants = [...targets, 'ws2008sp2-x86', 'win7-x86', 'win81-x86', 'win10-x86'];
    expect(files).toEqual(variants.flatMap((v) => [`${v}.reg`, `${v}.rollback.reg`]).sort());
  });

  it('x86 files never mention WOW6432Node keys', () => {
    for (const name of readdirSync(join(REPO, 'out/azure-backup-tls12/reg')).filter((n) => n.includes('-x86'))) {
      const text = readFileSync(join(REPO, 'out/azure-backup-tls12/reg', name))
        .subarray(2)
        .toString('utf16le');
      expect(text, name).not.toMatch(/^\[.*WOW6432Node/im);
    }
  });

  it('SHA256SUMS verifies with sha256sum -c', () => {
    const output = execFileSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: join(REPO, 'out/azure-backup-tls12') }).toString();
    expect(
      output
        .trim()
        .split('\n')
        .every((line) => line.endsWith(': OK')),
    ).toBe(true);
  });
});

describe('determinism', () => {
  it('two runs give identical bytes', () => {
    const a = generate({ definitionsDir });
    const b = generate({ definitionsDir });
    expect(a.files.map((f) => Buffer.from(f.bytes).toString('base64'))).toEqual(b.files.map((f) => Buffer.from(f.bytes).toString('base64')));
  });

  it('CRLF definitions give the same output as LF definitions', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'tlsgen-crlf-')), 'definitions');
    cpSync(definitionsDir, copy, { recursive: true });
    for (const [path, bytes] of readTree(copy)) {
      if (path.endsWith('.yaml')) writeFileSync(join(copy, path), bytes.toString('utf8').replace(/\n/g, '\r\n'));
    }
    const lf = generate({ definitionsDir });
    const crlf = generate({ definitionsDir: copy });
    expect(crlf.files.map((f) => f.bytes)).toEqual(lf.files.map((f) => f.bytes));
    rmSync(join(copy, '..'), { recursive: true, force: true });
  });
});
