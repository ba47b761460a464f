/**
 * DSC restarts only on a real change (issue 8 point 2): test/powershell/dsc-restart.Tests.ps1 runs the
 * generated CaptureTlsDrift / RestartAfterTlsChange Script resources in the LCM's order against a
 * fake registry, with Pester 6, for several configurations and targets (apply and rollback).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { REPO } from './support/golden.js';
import { ensurePester, runPester } from './support/pester.js';

const TESTS = join(REPO, 'test', 'powershell', 'dsc-restart.Tests.ps1');
const PESTER_TIMEOUT_MS = 600_000;

const CASES: { config: string; target: string }[] = [
  { config: 'test/golden/dsc-inbox-values/expected/dsc-inbox/dsc/DscInbox.ps1', target: 'win10' },
  { config: 'test/golden/dsc-inbox-values/expected/dsc-inbox/dsc/DscInboxRollback.ps1', target: 'ws2022' },
  { config: 'out/azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'ws2019' },
  { config: 'out/azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'win7' },
  { config: 'out/azure-backup-tls12/dsc/AzureBackupTls12.ps1', target: 'win10-x86' },
  { config: 'out/azure-backup-tls12/dsc/AzureBackupTls12Rollback.ps1', target: 'ws2012' },
];

let pester: string | null = null;
let restoreError: unknown = null;
try {
  pester = ensurePester();
} catch (error) {
  restoreError = error;
}

describeConsumer('Pester: DSC restart only on a real change', pester !== null || restoreError !== null, () => {
  for (const { config, target } of CASES) {
    it(`${config} for ${target}`, () => {
      if (restoreError) throw restoreError;
      const run = runPester(TESTS, { TLSGEN_DSC_CONFIG: join(REPO, config), TLSGEN_DSC_TARGET: target });
      const failures = run.failures.map((f) => `- ${f.name}\n    ${f.message}`).join('\n');
      expect(run.failed, failures).toBe(0);
      expect(run.passed).toBeGreaterThanOrEqual(7);
    }, PESTER_TIMEOUT_MS);
  }
});
