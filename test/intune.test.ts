/**
 * Intune Remediations pair (<profile>/intune/Detect-*.ps1, Remediate-*.ps1): which profiles get
 * one and which targets it embeds, the bytes Intune needs (ASCII, CRLF, no BOM: MicrosoftDocs/memdocs
 * intune/fundamentals/remediations.md), and, through Pester 6 with the registry API mocked, the
 * behaviour: test/powershell/intune.Tests.ps1.
 *
 * The files and plans are generated now (test/support/fresh-output.ts: the shipped definitions and
 * every golden case, with its options.json); the committed out/ and goldens are judged by
 * out-is-current.test.ts and golden.test.ts. Only the variants of a plan no definitions describe
 * (Intune switched off on some targets) are rendered here from the fresh plan.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshProfileFolders, freshProfiles, shortFresh } from './support/fresh-output.js';
import { PESTER_VERSION, PWSH_VERSION, ensurePester, runPester, type PesterRun } from './support/pester.js';
import { intuneFileNames, intuneTargets, renderIntuneDetect } from '../src/render/intune.js';
import { renderProfileFiles } from '../src/render/artifacts.js';
import type { RegistryValue } from '../src/model/registry.js';
import type { ProfilePlan, TargetPlan } from '../src/resolve/plan.js';
import { policyTestPlan } from './scripts-policy-plan.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESTS = join(ROOT, 'test', 'powershell', 'intune.Tests.ps1');
const PESTER_TIMEOUT_MS = 600_000;
/** No line of a generated script is longer (the data rows of the embedded plan are the longest). */
const MAX_LINE = 1000;

/** A profile generated now: its folder and plan. Throws (inside a test) when it was not generated. */
function fresh(source: string, profile: string): { folder: string; plan: ProfilePlan } {
  const found = freshProfiles().find((p) => p.label === `${source}/${profile}`);
  if (!found) throw new Error(`no fresh output for ${source}/${profile}: ${freshOutputProblems().join('; ') || 'not generated'}`);
  return found;
}
const azureFresh = () => fresh('definitions', 'azure-backup-tls12');
const everyTypeFresh = () => fresh('every-value-type', 'every-type');

it('generates fresh output from definitions/ and every golden case without errors', () => {
  expect(freshOutputProblems()).toEqual([]);
});

/** The profile with Intune support switched off on some targets (to test "Not applicable"). */
function withoutIntune(profile: ProfilePlan, variantIds: string[]): ProfilePlan {
  const off = (plan: TargetPlan): TargetPlan =>
    variantIds.includes(plan.variantId)
      ? { ...plan, target: { ...plan.target, channels: { ...plan.target.channels, intune: { ...plan.target.channels.intune, supported: false } } } }
      : plan;
  return { ...profile, targets: profile.targets.map(off) };
}

interface ScriptFile {
  name: string;
  text: string;
  bytes: Uint8Array;
}

/** A plan that no definitions describe, rendered from a fresh plan (e.g. Intune switched off on some targets). */
function scriptsOf(profile: ProfilePlan): ScriptFile[] {
  const files = renderProfileFiles(profile).filter((f) => f.format === 'intune');
  return files.map((f) => ({ name: f.path, text: Buffer.from(f.bytes).toString('latin1'), bytes: f.bytes }));
}

/** The intune/ files of a fresh profile folder, named `<profile>/intune/<file>` as generate() names them. */
function freshScripts(folder: string, profile: string): ScriptFile[] {
  const dir = join(folder, 'intune');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return { name: `${profile}/intune/${name}`, text: bytes.toString('latin1'), bytes };
    });
}

describe('Intune pair: which profiles and targets', () => {
  it('azure-backup-tls12 gets Detect-/Remediate-AzureBackupTls12.ps1 under intune/', () => {
    const paths = freshScripts(azureFresh().folder, 'azure-backup-tls12').map((f) => f.name);
    expect(paths).toEqual(['azure-backup-tls12/intune/Detect-AzureBackupTls12.ps1', 'azure-backup-tls12/intune/Remediate-AzureBackupTls12.ps1']);
    expect(intuneFileNames('azure-backup-tls12')).toEqual({ detect: 'Detect-AzureBackupTls12.ps1', remediate: 'Remediate-AzureBackupTls12.ps1' });
  });

  it('embeds exactly the targets whose channels.intune.supported is true', () => {
    const { folder, plan: azure } = azureFresh();
    const supported = azure.targets.filter((t) => t.target.channels.intune.supported).map((t) => t.variantId);
    expect(supported.length).toBeGreaterThan(0);
    expect(intuneTargets(azure).map((t) => t.variantId)).toEqual(supported);
    const files = freshScripts(folder, 'azure-backup-tls12');
    expect(files).toHaveLength(2);
    for (const { text } of files) {
      const table = /\$TlsgenTargets = @\(\r\n([\s\S]*?)\r\n\)/.exec(text)![1]!;
      const embedded = [...table.matchAll(/Target = '([^']+)'/g)].map((m) => m[1]);
      expect(embedded).toEqual(supported);
      const plans = [...text.matchAll(/^ {4}'([a-z0-9-]+)' = @\{$/gm)].map((m) => m[1]);
      expect(plans).toEqual(supported);
    }
  });

  it('a profile with no Intune target gets no pair (and nothing else changes)', () => {
    const azure = azureFresh().plan;
    const none = withoutIntune(
      azure,
      azure.targets.map((t) => t.variantId),
    );
    expect(scriptsOf(none)).toEqual([]);
    expect(() => renderIntuneDetect(none)).toThrow(/no target Intune supports/);
    const others = (p: ProfilePlan) =>
      renderProfileFiles(p)
        .filter((f) => f.format !== 'intune' && f.format !== null)
        .map((f) => f.path);
    expect(others(none)).toEqual(others(azure));
  });
});

describe('Intune pair: bytes', () => {
  // Every Intune script generated now: the shipped profile and every golden case that has one.
  const cases = freshProfileFolders('intune').flatMap(({ folder, plan }) =>
    freshScripts(folder, plan.id).map((f) => ({ ...f, name: shortFresh(join(folder, 'intune', f.name.split('/').at(-1)!)) })),
  );

  it('finds the Intune scripts of the shipped profile and of the every-value-type case', () => {
    const names = cases.map((c) => c.name);
    expect(names).toContain('(fresh)/definitions/azure-backup-tls12/intune/Detect-AzureBackupTls12.ps1');
    expect(names).toContain('(fresh)/every-value-type/every-type/intune/Remediate-EveryType.ps1');
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s is ASCII, CRLF, no BOM, short lines, ends with CRLF', (_name, file) => {
    const bytes = Buffer.from(file.bytes);
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const bad = [...bytes].findIndex((b) => !(b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b <= 0x7e)));
    expect(bad, `non-ASCII or control byte at offset ${bad}`).toBe(-1);
    const text = bytes.toString('ascii');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.endsWith('\r\n')).toBe(true);
    for (const [i, line] of text.split('\r\n').entries()) {
      expect(line.length, `line ${i + 1}`).toBeLessThanOrEqual(MAX_LINE);
      expect(line, `line ${i + 1} has trailing white space`).not.toMatch(/[ \t]$/);
    }
  });

  it('splices non-ASCII definition text in as [char]0xNNNN (data and names), surrogate pairs as two units', () => {
    const { folder } = everyTypeFresh();
    const text = readFileSync(join(folder, 'intune', intuneFileNames('every-type').remediate), 'latin1');
    // "héllo ✓ 日本語 😀" and the value name "Non-ASCII ✓ Grüße"
    expect(text).toContain(
      "('h' + [char]0x00E9 + 'llo ' + [char]0x2713 + ' ' + [char]0x65E5 + [char]0x672C + [char]0x8A9E + ' ' + [char]0xD83D + [char]0xDE00)",
    );
    expect(text).toContain("('Non-ASCII ' + [char]0x2713 + ' Gr' + [char]0x00FC + [char]0x00DF + 'e')");
    // Smart quotes are characters, never quote marks of the literal.
    expect(text).toContain('[char]0x2018');
  });

  it('the UTF-8 scripts/ family of the same profile is unchanged by the ASCII literals', () => {
    const scripts = join(everyTypeFresh().folder, 'scripts');
    const audit = readdirSync(scripts).find((n) => n.startsWith('Test-') && n.endsWith('.ps1'));
    expect(audit, 'the audit script of every-type').toBeDefined();
    expect(readFileSync(join(scripts, audit!), 'utf8')).toContain('héllo ✓ 日本語 😀');
  });
});

// ---- Behaviour under Pester ----

const VALUE_KIND: Record<string, string> = {
  REG_SZ: 'String',
  REG_EXPAND_SZ: 'ExpandString',
  REG_MULTI_SZ: 'MultiString',
  REG_DWORD: 'DWord',
  REG_QWORD: 'QWord',
  REG_BINARY: 'Binary',
};

/** Registry data in JSON: QWORD as a decimal string, binary as hex, a multi-string as a list. */
function jsonData(v: RegistryValue): unknown {
  return v.type === 'REG_QWORD'
    ? v.data.toString()
    : v.type === 'REG_BINARY'
      ? Buffer.from(v.data).toString('hex')
      : v.type === 'REG_MULTI_SZ'
        ? [...v.data]
        : v.data;
}

/** What each embedded target must end up with, straight from the plan (not from the scripts' tables). */
function expectedJson(profile: ProfilePlan) {
  return Object.fromEntries(
    intuneTargets(profile).map((plan) => [
      plan.variantId,
      {
        description: `${plan.target.product}`,
        is64Bit: plan.architecture === 'x64',
        restartRequired: plan.rebootRequired,
        values: plan.apply.flatMap(
          (op): { key: string; name: string; restart: boolean; action: string; kind: string | null; data: unknown; accepted: unknown[] }[] => {
            if (op.action === 'delete-key') return [];
            const base = { key: `${op.hive}\\${op.path}`, name: op.name, restart: op.rebootRequired };
            if (op.action === 'delete-value') return [{ ...base, action: 'Delete', kind: null, data: null, accepted: [] }];
            return [{ ...base, action: 'Set', kind: VALUE_KIND[op.value.type] ?? null, data: jsonData(op.value), accepted: op.alsoAccepted.map(jsonData) }];
          },
        ),
        deletedKeys: plan.apply.filter((op) => op.action === 'delete-key').map((op) => `${op.hive}\\${op.path}`),
      },
    ]),
  );
}

let pester: string | null = null;
let restoreError: unknown = null;
try {
  pester = ensurePester();
} catch (error) {
  restoreError = error;
}

function report(run: PesterRun): string {
  const shown = run.failures.slice(0, 40).map((f) => `- ${f.name}\n    ${f.message.replace(/\n/g, '\n    ')}`);
  return [`${run.failed} failed, ${run.passed} passed`, ...shown].join('\n');
}

if (restoreError) {
  describe('Pester (Intune pair)', () => {
    it('restores Pester from nuget.org', () => {
      throw restoreError;
    });
  });
} else {
  describeConsumer('Pester (Intune pair)', pester !== null, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsgen-intune-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(
      'Detect-/Remediate- scripts behave as Intune needs (test/powershell/intune.Tests.ps1)',
      () => {
        const write = (name: string, bytes: Uint8Array | string) => writeFileSync(join(dir, name), bytes);
        // azure-*: the files generated now. every-*: every-type with Intune off on ws2022 (to test
        // "Not applicable"), a plan no definitions describe, rendered from the fresh plan.
        // policy-*: a value policy and a key name with '/' (test/scripts-policy-plan.ts).
        const azure = azureFresh();
        const everyTypeWin10 = withoutIntune(everyTypeFresh().plan, ['ws2022']);
        const policy = policyTestPlan();
        const pairs: [string, ProfilePlan, ScriptFile[]][] = [
          ['azure', azure.plan, freshScripts(azure.folder, azure.plan.id)],
          ['every', everyTypeWin10, scriptsOf(everyTypeWin10)],
          ['policy', policy, scriptsOf(policy)],
        ];
        for (const [prefix, profile, files] of pairs) {
          const names = intuneFileNames(profile.id);
          write(`${prefix}-Detect.ps1`, files.find((f) => f.name.endsWith(names.detect))!.bytes);
          write(`${prefix}-Remediate.ps1`, files.find((f) => f.name.endsWith(names.remediate))!.bytes);
          write(`${prefix}-expected.json`, JSON.stringify({ profile: profile.id, targets: expectedJson(profile) }, null, 1));
        }
        const run = runPester(TESTS, { TLSGEN_INTUNE_DIR: dir });
        if (run.failed > 0) console.error(`Pester failures in ${TESTS}:\n${report(run)}`);
        expect(run.pesterVersion).toBe(PESTER_VERSION);
        expect(run.psVersion).toBe(PWSH_VERSION);
        expect(run.failed, report(run)).toBe(0);
        const itBlocks = readFileSync(TESTS, 'utf8').match(/^\s*It '/gm)?.length ?? 0;
        expect(itBlocks).toBeGreaterThan(10);
        expect(run.passed).toBeGreaterThanOrEqual(itBlocks);
        expect(run.skipped + run.notRun).toBe(0);
      },
      PESTER_TIMEOUT_MS,
    );
  });
}
