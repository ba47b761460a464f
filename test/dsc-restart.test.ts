/**
 * DSC restarts only on a real change (issue 8 point 2): test/powershell/dsc-restart.Tests.ps1 runs the
 * generated CaptureTlsDrift / RestartAfterTlsChange Script resources in the LCM's order against a
 * fake registry, with Pester 6, for several configurations and targets (apply and rollback).
 *
 * The configurations are generated now (test/support/fresh-output.ts: the shipped definitions and
 * the golden case dsc-inbox-values, with its options.json); the committed copies are judged by
 * out-is-current.test.ts and golden.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshSources, shortFresh } from './support/fresh-output.js';
import { REPO } from './support/golden.js';
import { PESTER_VERSION, PWSH_VERSION, ensurePester, runPester } from './support/pester.js';

const TESTS = join(REPO, 'test', 'powershell', 'dsc-restart.Tests.ps1');
const PESTER_TIMEOUT_MS = 600_000;

/** source: `definitions` or a golden case (fresh-output.ts); config: the file below that source's output. */
const CASES: { source: string; config: string; target: string }[] = [
  { source: 'dsc-inbox-values', config: 'dsc-inbox/dsc/DscInbox.ps1', target: 'win10' },
  { source: 'dsc-inbox-values', config: 'dsc-inbox/dsc/DscInboxRollback.ps1', target: 'ws2022' },
  // Key names with '/': Script resources instead of Registry resources (all of them in-box; deletions under PSDscResources).
  { source: 'dsc-slash-key', config: 'slash-inbox/dsc/SlashInbox.ps1', target: 'win10' },
  { source: 'dsc-slash-key', config: 'slash-inbox/dsc/SlashInboxRollback.ps1', target: 'ws2022' },
  { source: 'dsc-slash-key', config: 'slash-psdscresources/dsc/SlashPsdscresources.ps1', target: 'ws2022' },
  { source: 'definitions', config: 'azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'ws2019' },
  { source: 'definitions', config: 'azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'win7' },
  { source: 'definitions', config: 'azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'win10-x86' },
  { source: 'definitions', config: 'azure-backup-tls12/dsc/AzureBackupTls12Rollback.ps1', target: 'ws2012' },
];

/** The configuration file in this run's fresh output (it may be missing: then the test says so). */
function freshConfig(source: string, config: string): string {
  const root = freshSources().find((s) => s.name === source)?.root;
  if (!root) throw new Error(`fresh-output.ts has no source ${source}`);
  return join(root, config);
}

let pester: string | null = null;
let restoreError: unknown = null;
try {
  pester = ensurePester();
} catch (error) {
  restoreError = error;
}

it('generates fresh output from definitions/ and every golden case without errors', () => {
  expect(freshOutputProblems()).toEqual([]);
});

describeConsumer('Pester: DSC restart only on a real change', pester !== null || restoreError !== null, () => {
  for (const { source, config, target } of CASES) {
    it(
      `(fresh)/${source}/${config} for ${target}`,
      () => {
        if (restoreError) throw restoreError;
        const path = freshConfig(source, config);
        expect(existsSync(path), `${shortFresh(path)} was generated`).toBe(true);
        const run = runPester(TESTS, { TLSGEN_DSC_CONFIG: path, TLSGEN_DSC_TARGET: target });
        const failures = run.failures.map((f) => `- ${f.name}\n    ${f.message}`).join('\n');
        expect(run.pesterVersion).toBe(PESTER_VERSION);
        expect(run.psVersion).toBe(PWSH_VERSION);
        expect(run.failed, failures).toBe(0);
        expect(run.passed).toBeGreaterThanOrEqual(7);
      },
      PESTER_TIMEOUT_MS,
    );
  }
});
