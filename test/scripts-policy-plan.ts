/**
 * A plan no shipped definitions describe, for the behaviour tests of the generated scripts
 * (test/scripts.test.ts, test/intune.test.ts): the shipped azure-backup-tls12 plan with
 *  - a value policy: TLS 1.2 Client `Enabled` = 1 also accepts the legacy 0xFFFFFFFF
 *    (SetValueOperation.alsoAccepted, issue 11 §2), and
 *  - a key whose name holds '/': SCHANNEL\Ciphers\RC4 128/128 `Enabled` = 0 (KB245030's subkey name),
 * on every target, under the profile id `policy-test` (files Install-PolicyTest.ps1, ...).
 * The plan is built here from the resolved shipped plan, so it is the code under test's own plan shape.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDefinitions, resolvePlans } from '../src/pipeline.js';
import type { DeleteValueOperation, ProfilePlan, SetValueOperation, TargetPlan } from '../src/resolve/plan.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const POLICY_PROFILE_ID = 'policy-test';
export const SCHANNEL = 'SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL';
/** The value whose data the policy accepts besides the planned 1. */
export const ACCEPTED_PATH = `${SCHANNEL}\\Protocols\\TLS 1.2\\Client`;
/** A key whose name holds '/': one key "RC4 128/128" below Ciphers, never "RC4 128" with a subkey "128". */
export const SLASH_PATH = `${SCHANNEL}\\Ciphers\\RC4 128/128`;

function withPolicy(plan: TargetPlan): TargetPlan {
  const template = plan.apply.find((op): op is SetValueOperation => op.action === 'set' && op.path === ACCEPTED_PATH && op.name === 'Enabled');
  if (!template) throw new Error(`test setup: ${plan.variantId} has no ${ACCEPTED_PATH} Enabled`);
  if (template.value.type !== 'REG_DWORD' || template.value.data !== 1) throw new Error('test setup: TLS 1.2 Client Enabled is not DWORD 1');
  const cipher: SetValueOperation = { ...template, path: SLASH_PATH, value: { type: 'REG_DWORD', data: 0 }, windowsDefault: null, alsoAccepted: [] };
  const undo: DeleteValueOperation = {
    hive: cipher.hive,
    path: cipher.path,
    setting: cipher.setting,
    rebootRequired: cipher.rebootRequired,
    origin: cipher.origin,
    action: 'delete-value',
    name: 'Enabled',
  };
  return {
    ...plan,
    apply: [...plan.apply.map((op) => (op === template ? { ...template, alsoAccepted: [{ type: 'REG_DWORD' as const, data: 0xffffffff }] } : op)), cipher],
    rollback: [...plan.rollback, undo],
  };
}

/** The policy-test plan: azure-backup-tls12, resolved from the shipped definitions now, with the changes above. */
export function policyTestPlan(): ProfilePlan {
  const checked = checkDefinitions(join(ROOT, 'definitions'));
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`definitions/ do not validate: ${errors.map((d) => d.message).join('; ')}`);
  const [azure] = resolvePlans(checked, { profiles: ['azure-backup-tls12'] });
  return { ...azure!, id: POLICY_PROFILE_ID, title: 'azure-backup-tls12 with a value policy and a cipher key', targets: azure!.targets.map(withPolicy) };
}

/** The plan in the shape `tlsgen explain --json` gives it (what the Pester tests read): DWORD data as numbers. */
export function explainJson(profile: ProfilePlan): string {
  return JSON.stringify(
    {
      id: profile.id,
      targets: profile.targets.map((t) => ({
        variantId: t.variantId,
        apply: t.apply.map((op) => ({
          action: op.action,
          hive: op.hive,
          path: op.path,
          name: op.action === 'delete-key' ? undefined : op.name,
          value: op.action === 'set' ? op.value : undefined,
          alsoAccepted: op.action === 'set' ? op.alsoAccepted : undefined,
          setting: { id: op.setting.id },
        })),
        prerequisites: t.prerequisites,
        advisories: t.advisories,
      })),
    },
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value),
    1,
  );
}
