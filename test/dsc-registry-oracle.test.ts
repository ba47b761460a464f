/**
 * Every Registry resource of every generated DSC configuration, read the way the Registry resource
 * itself reads it: test/powershell/dsc-registry-oracle.ps1 re-types the ValueData parsing, the
 * registry write and the Test comparison of the in-box PSDesiredStateConfiguration module (WMF 5.0
 * and 5.1 versions) and of PSDscResources 2.12, with their sources cited line by line. For each
 * target, the values that module would write must be exactly those of the target's .reg file
 * (decoded by the test's own strict .reg reader), and Test must then report the node compliant.
 *
 * Output checked: fresh output generated now (test/support/fresh-output.ts) from definitions/ and
 * from every golden case's definitions, with the case's options.json (overlay, profiles, mode: the
 * azure-backup-tls12-minimal case is generated in minimal mode, as its golden is). The committed
 * out/ and goldens are judged by out-is-current.test.ts and golden.test.ts, which hold them equal
 * to this output.
 * A profile that pins PSDscResources may hold values the in-box module cannot write (Binary data
 * with a byte below 0x10, or a key name with '/', which the in-box module's registry-provider path
 * splits); there the in-box results are only required to fail, or land elsewhere, for such values.
 *
 * Removals (Ensure = 'Absent'): the oracle runs PSDscResources' Set-TargetResource on a registry that
 * holds the value, through the provider path resolution its Remove-ItemProperty/Remove-Item -Path
 * $Key take (a Key without a drive is relative to the LCM's C:\Windows\system32), then its Test. Every
 * Absent resource of a configuration that imports PSDscResources must remove exactly its value or key.
 * The in-box module removes through RegistryKey (not modelled here); its Absent resources count as
 * their Key says.
 *
 * Keys whose name holds '/' (Schannel's "Ciphers\RC4 128/128"): the oracle also says which key each
 * module writes to. Where the module's Registry resource cannot carry such a key
 * (src/model/dsc-registry-limits.ts registryResourceCannotOpenKey), the configuration has a Script
 * resource instead; test/powershell/dsc-registry-script.ps1 runs its Get/Test/Set bodies against a
 * registry that splits key names at '\' only, and its outcome joins the Registry resources' here.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshProfileFolders, shortFresh } from './support/fresh-output.js';
import { GOLDEN, REPO, caseFolders } from './support/golden.js';
import { pwshPath, runPwshScript } from './support/powershell.js';
import { deleteKeyOutcome, deleteValueOutcome, regFileOutcomes } from './support/registry-outcomes.js';

interface Resource {
  kind: 'Registry' | 'Script';
  name: string;
  targets: string[] | null;
  properties: Record<string, unknown>;
  problems: string[];
}

interface FileReport {
  path: string;
  resources?: Resource[];
  imports?: string[];
}

interface ModuleResult {
  module: 'inbox-wmf50' | 'inbox-wmf51' | 'PSDscResources';
  key: string | null;
  type: number | null;
  data: string | null;
  /** Ensure = 'Absent' (PSDscResources only): what Set removed, as del|KEY|NAME or delkey|KEY. */
  removed?: string[];
  tests: boolean;
  error: string | null;
}

interface ScriptResult {
  id: string;
  key: string;
  valueName: string;
  testBefore: boolean | null;
  testAfter: boolean | null;
  idempotent: boolean | null;
  outcome: string | null;
  keys: string[];
  error: string | null;
}

const MODULES = ['inbox-wmf50', 'inbox-wmf51', 'PSDscResources'] as const;
const RESTART_SCRIPTS = new Set(['CaptureTlsDrift', 'RestartAfterTlsChange']);
/** A Script resource tlsgen writes instead of a Registry resource (not one of the restart pair). */
const isRegistryScript = (r: Resource) => r.kind === 'Script' && !RESTART_SCRIPTS.has(r.name);
const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-dsc-oracle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hasPwsh = pwshPath() !== null;

describeConsumer('DSC Registry resources, as the in-box module and PSDscResources parse them', hasPwsh, () => {
  const profiles = freshProfileFolders('dsc');
  const configurations = profiles.flatMap(({ folder }) =>
    readdirSync(join(folder, 'dsc'))
      .filter((n) => n.endsWith('.ps1'))
      .map((n) => ({ folder, path: join(folder, 'dsc', n), rollback: n.endsWith('Rollback.ps1') })),
  );
  // pwsh runs in beforeAll, never while tests are collected: if it fails, these tests fail with it.
  const reports = new Map<string, FileReport>();
  let oracle = new Map<string, ModuleResult[]>();
  let scripts = new Map<string, ScriptResult>();
  beforeAll(() => {
    const inspected = JSON.parse(
      runPwshScript(
        join(REPO, 'test/powershell/inspect-dsc.ps1'),
        configurations.map((c) => c.path),
      ),
    ) as { files: FileReport[] };
    for (const f of inspected.files) reports.set(f.path, f);
    oracle = runOracle([...reports.values()]);
    scripts = runScripts([...reports.values()]);
  }, 300_000);

  it('generates fresh output from definitions/ and every golden case without errors', () => {
    expect(freshOutputProblems()).toEqual([]);
  });

  it('covers fresh output of definitions/ and of every golden case, both modules, and every value type in the in-box form', () => {
    const sources = new Set(profiles.map((p) => p.label.split('/')[0]));
    expect([...sources].sort()).toEqual(['definitions', ...caseFolders(GOLDEN)].sort());
    expect(reports.size).toBe(configurations.length);
    const imports = new Set([...reports.values()].map((r) => r.imports?.[0] ?? ''));
    expect([...imports].some((i) => i.includes("'PSDscResources'"))).toBe(true);
    expect([...imports].some((i) => i.includes("'PSDesiredStateConfiguration'"))).toBe(true);
    const types = new Set([...reports.values()].flatMap((r) => r.resources!.map((x) => String(x.properties['ValueType'] ?? ''))));
    for (const type of ['String', 'ExpandString', 'MultiString', 'Binary']) expect(types, type).toContain(type);
    // DWORD/QWORD at and beyond the signed limits, where decimal and hex forms change.
    const numeric = [...reports.values()].flatMap((r) => r.resources!.filter((x) => /word$/i.test(String(x.properties['ValueType']))));
    const data = (x: Resource) =>
      `${String(x.properties['ValueType']).toLowerCase()}|${String(x.properties['ValueData'])}|${String(x.properties['Hex'] ?? false)}`;
    const seen = new Set(numeric.map(data));
    for (const form of [
      'dword|0|false',
      'dword|2147483647|false',
      'dword|80000000|true',
      'dword|FFFFFFFF|true',
      'qword|9223372036854775807|false',
      'qword|8000000000000000|true',
      'qword|FFFFFFFFFFFFFFFF|true',
    ]) {
      expect(seen, form).toContain(form);
    }
  });

  it("covers a key name with '/' both ways: a PSDscResources Registry resource and Script resources", () => {
    const all = [...reports.values()].flatMap((r) => r.resources!.map((x) => ({ report: r, r: x })));
    const slashRegistry = all.filter(({ r }) => r.kind === 'Registry' && String(r.properties['Key']).includes('/'));
    expect(slashRegistry.some(({ r }) => r.properties['Ensure'] === 'Present')).toBe(true);
    expect(all.some(({ r }) => isRegistryScript(r))).toBe(true);
  });

  it("gives no in-box Registry resource a key name with '/', and PSDscResources writes such a key as one key", () => {
    for (const report of reports.values()) {
      const inboxImport = report.imports![0]!.includes("'PSDesiredStateConfiguration'");
      for (const r of report.resources!.filter((x) => x.kind === 'Registry' && String(x.properties['Key']).includes('/'))) {
        expect(inboxImport, `${shortFresh(report.path)} ${r.name}`).toBe(false);
        // Deletions go through the provider in PSDscResources too: Script resources do them.
        expect(r.properties['Ensure'], `${shortFresh(report.path)} ${r.name}`).toBe('Present');
        const result = oracle.get(resourceId(report.path, r))!;
        const key = String(r.properties['Key']);
        expect(result.find((m) => m.module === 'PSDscResources')!.key, r.name).toBe(key);
        // What the in-box module's New-Item would have made of it: the name split at '/'.
        expect(result.find((m) => m.module === 'inbox-wmf51')!.key, r.name).toBe(key.replaceAll('/', '\\'));
      }
    }
  });

  it('models the removal path: a Key without a drive fails PSDscResources, the drive form removes the value or key', () => {
    const input = [
      { id: 'hive-value', Key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\X', ValueName: 'Enabled', Ensure: 'Absent' },
      { id: 'drive-value', Key: 'HKLM:\\SOFTWARE\\Tlsgen\\X', ValueName: 'Enabled', Ensure: 'Absent' },
      { id: 'hive-key', Key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\X', ValueName: '', Ensure: 'Absent', DeleteKey: true },
      { id: 'drive-key', Key: 'HKLM:\\SOFTWARE\\Tlsgen\\X', ValueName: '', Ensure: 'Absent', DeleteKey: true },
      { id: 'drive-slash', Key: 'HKLM:\\SOFTWARE\\Tlsgen\\RC4 128/128', ValueName: 'Enabled', Ensure: 'Absent' },
    ];
    const result = runOracleOn(input, 'oracle-removal.json');
    const one = (id: string) => result.get(id)![0]!;
    for (const id of ['hive-value', 'hive-key']) {
      expect(one(id).error, id).toMatch(/Cannot find path 'C:\\Windows\\system32\\HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\X' because it does not exist/);
      expect([one(id).removed, one(id).tests], id).toEqual([[], false]);
    }
    expect(one('drive-value')).toMatchObject({ error: null, tests: true, removed: ['del|HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\X|Enabled'] });
    expect(one('drive-key')).toMatchObject({ error: null, tests: true, removed: ['delkey|HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\X'] });
    // The provider reads '/' as a separator: why such removals are Script resources.
    expect(one('drive-slash').error).toMatch(/Cannot find path 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Tlsgen\\RC4 128\\128'/);
  });

  it('removes the value or key of every Absent Registry resource in fresh PSDscResources configurations', () => {
    const absent = [...reports.values()]
      .filter((report) => report.imports![0]!.includes("'PSDscResources'"))
      .flatMap((report) => report.resources!.filter((r) => r.kind === 'Registry' && r.properties['Ensure'] === 'Absent').map((r) => ({ report, r })));
    expect(absent.some(({ r }) => r.name.includes('_DeleteKey_'))).toBe(true);
    expect(absent.some(({ r }) => !r.name.includes('_DeleteKey_'))).toBe(true);
    for (const { report, r } of absent) {
      const label = `${shortFresh(report.path)} ${r.name}`;
      const p = r.properties as { Key: string; ValueName: string };
      expect(p.Key, label).toMatch(/^HK(LM|CU|CR|US|CC):\\/);
      const result = oracle.get(resourceId(report.path, r))![0]!;
      expect(result.error, label).toBeNull();
      expect(result.tests, `${label}: Test-TargetResource after Set`).toBe(true);
      const key = hiveForm(p.Key);
      expect(result.removed!.map(upperOutcome), label).toEqual([r.name.includes('_DeleteKey_') ? deleteKeyOutcome(key) : deleteValueOutcome(key, p.ValueName)]);
    }
  });

  it("runs every registry Script resource: Test false, Set, Test true, a second Set changes nothing, one key per name with '/'", () => {
    const all = [...reports.values()].flatMap((report) => report.resources!.filter(isRegistryScript).map((r) => ({ report, r })));
    expect(all.length).toBeGreaterThan(0);
    for (const { report, r } of all) {
      const result = scripts.get(resourceId(report.path, r))!;
      const label = `${shortFresh(report.path)} ${r.name}`;
      expect(result.error, label).toBeNull();
      expect([result.testBefore, result.testAfter, result.idempotent], label).toEqual([false, true, true]);
      const key = result.key.toUpperCase();
      if (key.includes('/')) {
        // The key that was split at '/' by the registry provider must not exist; the key with '/' does (or was deleted).
        const split = key.replaceAll('/', '\\');
        expect(
          result.keys.filter((k) => k === split || k.startsWith(`${split}\\`)),
          label,
        ).toEqual([]);
        if (!result.outcome!.startsWith('delkey|')) expect(result.keys, label).toContain(key);
      }
    }
  });

  for (const config of configurations) {
    describe(shortFresh(config.path), () => {
      const report = () => {
        const found = reports.get(config.path);
        expect(found, 'inspect-dsc.ps1 reported on it').toBeDefined();
        return found!;
      };
      const pinsPSDscResources = () => report().imports![0]!.includes("'PSDscResources'");
      const regDir = join(config.folder, 'reg');
      const regFiles = readdirSync(regDir).filter((n) => n.endsWith('.reg') && n.endsWith('.rollback.reg') === config.rollback);

      for (const regName of regFiles) {
        const target = regName.replace(/(\.rollback)?\.reg$/, '');
        it(`${target}: each module writes exactly the .reg file's values, then tests compliant`, () => {
          const text = readFileSync(config.path, 'utf8');
          const leftOut = new RegExp(`if \\(\\$target -in @\\([^)]*'${target}'[^)]*\\)\\)\\r?\\n\\s*\\{\\r?\\n\\s*throw [^\\n]*DSC cannot run on`);
          if (leftOut.test(text)) return; // a target DSC cannot run on: the configuration refuses a node naming it
          const forTarget = report().resources!.filter((r) => r.targets === null || r.targets.includes(target));
          const resources = forTarget.filter((r) => r.kind === 'Registry');
          const scripted = forTarget.filter(isRegistryScript).map((r) => scripts.get(resourceId(config.path, r))!.outcome ?? `no outcome: ${r.name}`);
          const expected = regFileOutcomes(join(regDir, regName));
          for (const module of MODULES) {
            const inbox = module !== 'PSDscResources';
            const outcomes: string[] = [...scripted];
            for (const r of resources) {
              const p = r.properties as { Key: string; ValueName: string; Ensure: string; ValueType?: string };
              if (p.Ensure === 'Absent') {
                const removal = oracle.get(resourceId(config.path, r))![0]!;
                if (!inbox && pinsPSDscResources()) {
                  expect(removal.error, `${r.name} under ${module}`).toBeNull();
                  expect(removal.tests, `${r.name} under ${module}: Test-TargetResource after Set`).toBe(true);
                  outcomes.push(...removal.removed!.map(upperOutcome));
                  continue;
                }
                if (!inbox) {
                  // An in-box configuration's Key has no drive: PSDscResources could not remove it (its -Path is relative).
                  expect(removal.error, `${r.name} under ${module}`).toMatch(/^ItemNotFoundException: Cannot find path 'C:\\Windows\\system32\\HKEY_/);
                }
                // The in-box module removes through RegistryKey (not modelled): the outcome is what Key names.
                const key = hiveForm(p.Key);
                outcomes.push(r.name.includes('_DeleteKey_') ? deleteKeyOutcome(key) : deleteValueOutcome(key, p.ValueName));
                continue;
              }
              const result = oracle.get(resourceId(config.path, r))!.find((m) => m.module === module)!;
              if (inbox && pinsPSDscResources() && p.Key.includes('/')) {
                // The in-box module would split the key at '/' (registryResourceCannotOpenKey): allowed only where the profile pins PSDscResources.
                expect(result.key, `${r.name} under ${module}`).not.toBe(p.Key);
                outcomes.push(expected.find((e) => e.startsWith(`set|${p.Key.toUpperCase()}|${p.ValueName.toUpperCase()}|`)) ?? 'missing');
                continue;
              }
              if (inbox && pinsPSDscResources() && (result.error !== null || !result.tests)) {
                // Allowed only where the renderer would refuse the in-box module (inboxDscCannotWrite).
                expect(p.ValueType, `${r.name} under ${module}: ${result.error ?? 'Test false'}`).toBe('Binary');
                expect(String(r.properties['ValueData']), r.name).toMatch(/^([0-9A-F]{2})*0[0-9A-F]/i);
                outcomes.push(expected.find((e) => e.startsWith(`set|${p.Key.toUpperCase()}|${p.ValueName.toUpperCase()}|`)) ?? 'missing');
                continue;
              }
              expect(result.error, `${r.name} under ${module}`).toBeNull();
              expect(result.tests, `${r.name} under ${module}: Test-TargetResource after Set`).toBe(true);
              outcomes.push(`set|${result.key!.toUpperCase()}|${p.ValueName.toUpperCase()}|${result.type}|${result.data}`);
            }
            expect(outcomes.sort(), module).toEqual(expected);
          }
        });
      }
    });
  }
});

/** Runs every registry Script resource's Get/Test/Set once (dsc-registry-script.ps1). */
function runScripts(reports: FileReport[]): Map<string, ScriptResult> {
  const input = reports.flatMap((report) =>
    report.resources!.filter(isRegistryScript).map((r) => ({ id: resourceId(report.path, r), kind: r.kind, name: r.name, properties: r.properties })),
  );
  const file = join(scratch, 'script-input.json');
  writeFileSync(file, JSON.stringify(input));
  const output = JSON.parse(runPwshScript(join(REPO, 'test/powershell/dsc-registry-script.ps1'), [file])) as ScriptResult[];
  return new Map(output.map((o) => [o.id, o]));
}

function resourceId(path: string, r: Resource): string {
  return `${path}#${r.name}#${(r.targets ?? []).join(',')}`;
}

/** Runs the oracle once over every Registry resource (sets under each module, removals under PSDscResources). */
function runOracle(reports: FileReport[]): Map<string, ModuleResult[]> {
  const input = reports.flatMap((report) =>
    report
      .resources!.filter((r) => r.kind === 'Registry')
      .map((r) =>
        r.properties['Ensure'] === 'Absent'
          ? {
              id: resourceId(report.path, r),
              Key: r.properties['Key'],
              ValueName: r.properties['ValueName'],
              Ensure: 'Absent',
              DeleteKey: r.name.includes('_DeleteKey_'),
            }
          : {
              id: resourceId(report.path, r),
              Key: r.properties['Key'],
              ValueName: r.properties['ValueName'],
              ValueType: r.properties['ValueType'],
              ValueData: r.properties['ValueData'],
              Hex: r.properties['Hex'] ?? false,
              Ensure: 'Present',
            },
      ),
  );
  return runOracleOn(input, 'oracle-input.json');
}

function runOracleOn(input: readonly object[], name: string): Map<string, ModuleResult[]> {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(input));
  const output = JSON.parse(runPwshScript(join(REPO, 'test/powershell/dsc-registry-oracle.ps1'), [file])) as { id: string; modules: ModuleResult[] }[];
  return new Map(output.map((o) => [o.id, o.modules]));
}

/** PSDscResources' drive names ($script:registryDriveRoots) back to the hive names the .reg files use. */
const HIVE_OF_DRIVE: Readonly<Record<string, string>> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKUS: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};

function hiveForm(key: string): string {
  return key.replace(/^(HK(?:LM|CU|CR|US|CC)):\\/, (_, drive: string) => `${HIVE_OF_DRIVE[drive]}\\`);
}

/** An oracle removal outcome (names in their own case) as registry-outcomes.ts writes it: names upper-cased by JavaScript. */
function upperOutcome(outcome: string): string {
  const [kind, ...rest] = outcome.split('|');
  return [kind, ...rest.map((part) => part.toUpperCase())].join('|');
}
