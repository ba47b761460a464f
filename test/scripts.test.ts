/**
 * Behaviour of the generated PowerShell scripts (installer and audit), run for real by Pester 6
 * under PowerShell 7 with the Windows-only commands mocked: see test/powershell/scripts.Tests.ps1.
 *
 * Pester is restored from nuget.org on first use (test/support/pester.ts). Without pwsh or dotnet
 * the checks are skipped loudly, or fail under CI=true / TLSGEN_REQUIRE_CONSUMERS=1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { ensurePester, runPester, type PesterRun } from './support/pester.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESTS = join(ROOT, 'test', 'powershell', 'scripts.Tests.ps1');
const PESTER_TIMEOUT_MS = 600_000; // ~20 s alone; much more on a busy 2-core machine

let pester: string | null = null;
let restoreError: unknown = null;
try {
  pester = ensurePester();
} catch (error) {
  restoreError = error; // a failed restore must fail, not skip
}

function report(run: PesterRun): string {
  const shown = run.failures.slice(0, 40).map((f) => `- ${f.name}\n    ${f.message.replace(/\n/g, '\n    ')}`);
  const more = run.failures.length > shown.length ? [`… and ${run.failures.length - shown.length} more`] : [];
  return [`${run.failed} failed, ${run.passed} passed`, ...shown, ...more].join('\n');
}

if (restoreError) {
  describe('Pester', () => {
    it(`restores Pester from nuget.org`, () => {
      throw restoreError;
    });
  });
} else {
  describeConsumer('Pester', pester !== null, () => {
    it('reports failing tests and failing setup blocks (the harness cannot pass a broken file)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'tlsgen-pester-'));
      try {
        const file = join(dir, 'harness.Tests.ps1');
        writeFileSync(
          file,
          [
            "Describe 'ok' { It 'passes' { 1 | Should -Be 1 }; It 'fails' { 1 | Should -Be 2 } }",
            "Describe 'broken' { BeforeAll { throw 'setup failed' }; It 'never runs' { } }",
            '',
          ].join('\n'),
        );
        const run = runPester(file);
        expect(run.passed).toBe(1);
        expect(run.failed).toBeGreaterThanOrEqual(2);
        const names = run.failures.map((f) => f.name);
        expect(names).toContain('ok.fails');
        expect(run.failures.find((f) => f.name === 'ok.fails')?.message).toMatch(/Expected 2, but got 1/);
        expect(run.failures.some((f) => f.message.includes('setup failed'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, PESTER_TIMEOUT_MS);

    it('Install-AzureBackupTls12.ps1 and Test-AzureBackupTls12.ps1 behave as specified', () => {
      const run = runPester(TESTS, { TLSGEN_ROOT: ROOT, TLSGEN_NODE: process.execPath });
      if (run.failed > 0) console.error(`Pester failures in ${TESTS}:\n${report(run)}`);
      expect(run.failed, report(run)).toBe(0);
      // Every It ran (a -ForEach It runs once per case, so at least one test per It line).
      const itBlocks = readFileSync(TESTS, 'utf8').match(/^\s*It '/gm)?.length ?? 0;
      expect(itBlocks).toBeGreaterThan(20);
      expect(run.passed).toBeGreaterThanOrEqual(itBlocks);
      expect(run.skipped + run.notRun).toBe(0);
    }, PESTER_TIMEOUT_MS);
  });
}
