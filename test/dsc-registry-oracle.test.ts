/**
 * Every Registry resource of every generated DSC configuration, read the way the Registry resource
 * itself reads it: test/powershell/dsc-registry-oracle.ps1 re-types the ValueData parsing, the
 * registry write and the Test comparison of the in-box PSDesiredStateConfiguration module (WMF 5.0
 * and 5.1 versions) and of PSDscResources 2.12, with their sources cited line by line. For each
 * target, the values that module would write must be exactly those of the target's .reg file
 * (decoded by the test's own strict .reg reader), and Test must then report the node compliant.
 *
 * Output checked: the committed out/, the golden expected/ folders, and fresh output generated
 * now from definitions/ and from every golden case's definitions.
 * A profile that pins PSDscResources may hold values the in-box module cannot write (Binary data
 * with a byte below 0x10); there the in-box results are only required to fail for such values.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../src/pipeline.js';
import { describeConsumer } from './consumers/consumer-policy.js';
import { GOLDEN, REPO, caseFolders, definitionsForCase, writeTree } from './support/golden.js';
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
  type: number | null;
  data: string | null;
  tests: boolean;
  error: string | null;
}

const MODULES = ['inbox-wmf50', 'inbox-wmf51', 'PSDscResources'] as const;
const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-dsc-oracle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Definitions folders to generate from now: the repository's, and each golden case's (as golden.test.ts reads them). */
function freshDefinitions(): { name: string; definitions: string; profiles?: string[] }[] {
  const cases = caseFolders(GOLDEN).map((name) => {
    const dir = join(GOLDEN, name);
    const optionsFile = join(dir, 'options.json');
    const options = existsSync(optionsFile)
      ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as { definitions?: string; overlay?: boolean; profiles?: string[] })
      : {};
    const base = options.definitions ? resolve(REPO, options.definitions) : join(dir, 'definitions');
    return { name, definitions: options.overlay ? definitionsForCase(dir, base) : base, profiles: options.profiles };
  });
  return [{ name: 'definitions', definitions: join(REPO, 'definitions') }, ...cases];
}

/** Fresh output of each definitions folder under scratch/<name>/, as profile folders. */
function freshProfileFolders(): string[] {
  return freshDefinitions().flatMap(({ name, definitions, profiles }) => {
    const result = generate({ definitionsDir: definitions, profiles });
    const root = join(scratch, name);
    writeTree(root, new Map(result.files.map((f) => [f.path, f.bytes])));
    return readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'dsc')))
      .map((e) => join(root, e.name));
  });
}

/** Committed profile folders with DSC output: out/<profile> and test/golden/<case>/expected/<profile> (cases not yet generated skipped). */
function committedProfileFolders(): string[] {
  const roots = [join(REPO, 'out'), ...caseFolders(GOLDEN).map((c) => join(GOLDEN, c, 'expected'))].filter((root) => existsSync(root));
  return roots.flatMap((root) =>
    readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'dsc')))
      .map((e) => join(root, e.name)),
  );
}

const hasPwsh = pwshPath() !== null;

describeConsumer('DSC Registry resources, as the in-box module and PSDscResources parse them', hasPwsh, () => {
  const folders = hasPwsh ? [...committedProfileFolders(), ...freshProfileFolders()] : [];
  const configurations = folders.flatMap((folder) =>
    readdirSync(join(folder, 'dsc'))
      .filter((n) => n.endsWith('.ps1'))
      .map((n) => ({ folder, path: join(folder, 'dsc', n), rollback: n.endsWith('Rollback.ps1') })),
  );
  const reports = new Map<string, FileReport>(
    hasPwsh
      ? (JSON.parse(runPwshScript(join(REPO, 'test/powershell/inspect-dsc.ps1'), configurations.map((c) => c.path))) as { files: FileReport[] }).files.map(
          (f) => [f.path, f],
        )
      : [],
  );
  const oracle = hasPwsh ? runOracle([...reports.values()]) : new Map<string, ModuleResult[]>();

  it('covers out/, the goldens, fresh output, both modules, and every value type in the in-box form', () => {
    expect(folders.some((f) => f.startsWith(join(REPO, 'out')))).toBe(true);
    expect(folders.some((f) => f.startsWith(scratch))).toBe(true);
    const imports = new Set([...reports.values()].map((r) => r.imports?.[0] ?? ''));
    expect([...imports].some((i) => i.includes("'PSDscResources'"))).toBe(true);
    expect([...imports].some((i) => i.includes("'PSDesiredStateConfiguration'"))).toBe(true);
    const types = new Set([...reports.values()].flatMap((r) => r.resources!.map((x) => String(x.properties['ValueType'] ?? ''))));
    for (const type of ['String', 'ExpandString', 'MultiString', 'Binary']) expect(types, type).toContain(type);
    // DWORD/QWORD at and beyond the signed limits, where decimal and hex forms change.
    const numeric = [...reports.values()].flatMap((r) => r.resources!.filter((x) => /word$/i.test(String(x.properties['ValueType']))));
    const data = (x: Resource) => `${String(x.properties['ValueType']).toLowerCase()}|${String(x.properties['ValueData'])}|${String(x.properties['Hex'] ?? false)}`;
    const seen = new Set(numeric.map(data));
    for (const form of ['dword|0|false', 'dword|2147483647|false', 'dword|80000000|true', 'dword|FFFFFFFF|true', 'qword|9223372036854775807|false', 'qword|8000000000000000|true', 'qword|FFFFFFFFFFFFFFFF|true']) {
      expect(seen, form).toContain(form);
    }
  });

  for (const config of configurations) {
    const name = config.path.startsWith(scratch) ? `fresh/${config.path.slice(scratch.length + 1)}` : config.path.slice(REPO.length + 1);
    describe(name, () => {
      const report = () => reports.get(config.path)!;
      const pinsPSDscResources = () => report().imports![0]!.includes("'PSDscResources'");
      const regDir = join(config.folder, 'reg');
      const regFiles = readdirSync(regDir).filter((n) => n.endsWith('.reg') && n.endsWith('.rollback.reg') === config.rollback);

      for (const regName of regFiles) {
        const target = regName.replace(/(\.rollback)?\.reg$/, '');
        it(`${target}: each module writes exactly the .reg file's values, then tests compliant`, () => {
          const text = readFileSync(config.path, 'utf8');
          const leftOut = new RegExp(`if \\(\\$target -in @\\([^)]*'${target}'[^)]*\\)\\)\\r?\\n\\s*\\{\\r?\\n\\s*throw [^\\n]*DSC cannot run on`);
          if (leftOut.test(text)) return; // a target DSC cannot run on: the configuration refuses a node naming it
          const resources = report().resources!.filter((r) => r.kind === 'Registry' && (r.targets === null || r.targets.includes(target)));
          const expected = regFileOutcomes(join(regDir, regName));
          for (const module of MODULES) {
            const inbox = module !== 'PSDscResources';
            const outcomes: string[] = [];
            for (const r of resources) {
              const p = r.properties as { Key: string; ValueName: string; Ensure: string; ValueType?: string };
              if (p.Ensure === 'Absent') {
                outcomes.push(r.name.includes('_DeleteKey_') ? deleteKeyOutcome(p.Key) : deleteValueOutcome(p.Key, p.ValueName));
                continue;
              }
              const result = oracle.get(resourceId(config.path, r))!.find((m) => m.module === module)!;
              if (inbox && pinsPSDscResources() && (result.error !== null || !result.tests)) {
                // Allowed only where the renderer would refuse the in-box module (inboxDscCannotWrite).
                expect(p.ValueType, `${r.name} under ${module}: ${result.error ?? 'Test false'}`).toBe('Binary');
                expect(String(r.properties['ValueData']), r.name).toMatch(/^([0-9A-F]{2})*0[0-9A-F]/i);
                outcomes.push(expected.find((e) => e.startsWith(`set|${p.Key.toUpperCase()}|${p.ValueName.toUpperCase()}|`)) ?? 'missing');
                continue;
              }
              expect(result.error, `${r.name} under ${module}`).toBeNull();
              expect(result.tests, `${r.name} under ${module}: Test-TargetResource after Set`).toBe(true);
              outcomes.push(`set|${p.Key.toUpperCase()}|${p.ValueName.toUpperCase()}|${result.type}|${result.data}`);
            }
            expect(outcomes.sort(), module).toEqual(expected);
          }
        });
      }
    });
  }
});

function resourceId(path: string, r: Resource): string {
  return `${path}#${r.name}#${(r.targets ?? []).join(',')}`;
}

/** Runs the oracle once over every Registry resource that sets a value. */
function runOracle(reports: FileReport[]): Map<string, ModuleResult[]> {
  const input = reports.flatMap((report) =>
    report
      .resources!.filter((r) => r.kind === 'Registry' && r.properties['Ensure'] === 'Present')
      .map((r) => ({
        id: resourceId(report.path, r),
        Key: r.properties['Key'],
        ValueName: r.properties['ValueName'],
        ValueType: r.properties['ValueType'],
        ValueData: r.properties['ValueData'],
        Hex: r.properties['Hex'] ?? false,
        Ensure: 'Present',
      })),
  );
  const file = join(scratch, 'oracle-input.json');
  writeFileSync(file, JSON.stringify(input));
  const output = JSON.parse(runPwshScript(join(REPO, 'test/powershell/dsc-registry-oracle.ps1'), [file])) as { id: string; modules: ModuleResult[] }[];
  return new Map(output.map((o) => [o.id, o.modules]));
}
