/**
 * Behaviour of the generated PowerShell scripts (installer and audit), run for real by Pester 6.2.0
 * under PowerShell 7.6.9 with the Windows-only commands mocked: see test/powershell/scripts.Tests.ps1.
 *
 * The scripts under test are freshly generated from definitions/ (and from the every-value-type golden
 * definitions, and from a plan built in test/scripts-policy-plan.ts: a value policy and a key name with
 * '/') into a temporary folder, so the test checks what the current code produces, not what
 * was last committed (out-is-current.test.ts and golden.test.ts hold the committed copies equal to it).
 *
 * Pester is restored from nuget.org on first use (test/support/pester.ts). Nothing starts a process
 * at collection time: the restore, the builds and every pwsh run happen in beforeAll or in a test.
 * Without pwsh or dotnet the checks are skipped loudly, or fail under CI=true / TLSGEN_REQUIRE_CONSUMERS=1.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { PESTER_VERSION, PWSH_VERSION, ensurePester, pesterAvailable, runPester, type PesterRun } from './support/pester.js';
import { explainJson, policyTestPlan } from './scripts-policy-plan.js';
import { renderProfileFiles } from '../src/render/artifacts.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESTS = join(ROOT, 'test', 'powershell', 'scripts.Tests.ps1');
const PESTER_TIMEOUT_MS = 600_000; // ~60 s alone; much more on a busy 2-core machine

function report(run: PesterRun): string {
  const shown = run.failures.slice(0, 40).map((f) => `- ${f.name}\n    ${f.message.replace(/\n/g, '\n    ')}`);
  const more = run.failures.length > shown.length ? [`… and ${run.failures.length - shown.length} more`] : [];
  return [`${run.failed} failed, ${run.passed} passed`, ...shown, ...more].join('\n');
}

/** `tlsgen build` of a definitions folder into a fresh folder; returns that folder. */
function build(work: string, name: string, definitions: string): string {
  const out = join(work, name);
  execFileSync(process.execPath, [join(ROOT, 'bin', 'tlsgen.cjs'), 'build', '--definitions', definitions, '--out', out], { encoding: 'utf8' });
  return out;
}

describeConsumer('Pester', pesterAvailable(), () => {
  let work = '';
  let env: Record<string, string> = {};

  beforeAll(() => {
    // A failed restore fails here (every test of the block), never looks like "not installed".
    if (!ensurePester()) throw new Error('Pester could not be restored');
    work = mkdtempSync(join(tmpdir(), 'tlsgen-scripts-'));
    const shipped = build(work, 'shipped', join(ROOT, 'definitions'));
    const everyType = build(work, 'every-type', join(ROOT, 'test', 'golden', 'every-value-type', 'definitions'));
    // A plan no definitions describe (a value policy, a key name with '/'), rendered by the code under test.
    const policy = policyTestPlan();
    for (const file of renderProfileFiles(policy)) {
      const path = join(work, 'policy', file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.bytes);
    }
    writeFileSync(join(work, 'policy-plan.json'), explainJson(policy));
    env = {
      TLSGEN_ROOT: ROOT,
      TLSGEN_NODE: process.execPath,
      TLSGEN_PROFILE_DIR: join(shipped, 'azure-backup-tls12'),
      TLSGEN_EVERYTYPE_DIR: join(everyType, 'every-type'),
      TLSGEN_POLICY_DIR: join(work, 'policy', policy.id),
      TLSGEN_POLICY_PLAN: join(work, 'policy-plan.json'),
    };
  }, PESTER_TIMEOUT_MS);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(
    `reports failing tests and failing setup blocks (the harness cannot pass a broken file), in pwsh ${PWSH_VERSION} with Pester ${PESTER_VERSION}`,
    () => {
      const file = join(work, 'harness.Tests.ps1');
      writeFileSync(
        file,
        [
          "Describe 'ok' { It 'passes' { 1 | Should -Be 1 }; It 'fails' { 1 | Should -Be 2 } }",
          "Describe 'broken' { BeforeAll { throw 'setup failed' }; It 'never runs' { } }",
          '',
        ].join('\n'),
      );
      const run = runPester(file);
      // The versions the tests are written for: another Pester or PowerShell may mock differently.
      expect(run.pesterVersion).toBe(PESTER_VERSION);
      expect(run.psVersion).toBe(PWSH_VERSION);
      expect(run.passed).toBe(1);
      expect(run.failed).toBeGreaterThanOrEqual(2);
      const names = run.failures.map((f) => f.name);
      expect(names).toContain('ok.fails');
      expect(run.failures.find((f) => f.name === 'ok.fails')?.message).toMatch(/Expected 2, but got 1/);
      expect(run.failures.some((f) => f.message.includes('setup failed'))).toBe(true);
    },
    PESTER_TIMEOUT_MS,
  );

  it(
    'Install-AzureBackupTls12.ps1 and Test-AzureBackupTls12.ps1 behave as specified',
    () => {
      const run = runPester(TESTS, env);
      if (run.failed > 0) console.error(`Pester failures in ${TESTS}:\n${report(run)}`);
      expect(run.pesterVersion).toBe(PESTER_VERSION);
      expect(run.psVersion).toBe(PWSH_VERSION);
      expect(run.failed, report(run)).toBe(0);
      // Every It ran (a -ForEach It runs once per case, so at least one test per It line).
      const itBlocks = readFileSync(TESTS, 'utf8').match(/^\s*It '/gm)?.length ?? 0;
      expect(itBlocks).toBeGreaterThanOrEqual(60);
      expect(run.passed).toBeGreaterThanOrEqual(itBlocks);
      expect(run.skipped + run.notRun).toBe(0);
    },
    PESTER_TIMEOUT_MS,
  );
});
