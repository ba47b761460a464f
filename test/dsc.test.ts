/**
 * DSC output checked by the real PowerShell (7.6.9, asserted): every .ps1/.psd1 generated now
 * (test/support/fresh-output.ts: the shipped definitions and every golden case, with its
 * options.json) is parsed with System.Management.Automation.Language.Parser and inspected through its AST
 * (test/powershell/inspect-dsc.ps1). On Linux no Configuration parses (no DSC schema store: the
 * keyword needs the CIM schemas PSDesiredStateConfiguration brings on Windows), so the test shows
 * that a minimal hand-written configuration gets exactly the same errors, and checks everything
 * else on the same text with `Configuration` read as `function`.
 * Cross-format parity: per target, the DSC resources that apply equal that target's .reg file. A
 * Script resource tlsgen writes instead of a Registry resource (a key name with '/') counts with the
 * outcome its Get/Test/Set bodies have when run (test/powershell/dsc-registry-script.ps1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshProfileFolders, shortFresh } from './support/fresh-output.js';
import { REPO } from './support/golden.js';
import { PWSH_VERSION } from './support/pester.js';
import { pwshPath, runPwshScript } from './support/powershell.js';
import { hiveFormKey, regFileOutcomes } from './support/registry-outcomes.js';

interface ParseError {
  id: string;
  message: string;
  line: number;
}

interface Resource {
  kind: 'Registry' | 'Script';
  name: string;
  targets: string[] | null;
  properties: Record<string, unknown>;
  problems: string[];
}

interface FileReport {
  path: string;
  errors: ParseError[];
  functionShapedErrors: ParseError[];
  ps7Only: string[];
  configurations?: string[];
  resources?: Resource[];
  imports?: string[];
  data?: { AllNodes: Record<string, string>[] };
}

// Output generated now by the code under test; the committed out/ and goldens are judged by
// out-is-current.test.ts and golden.test.ts, which hold them equal to it.
const folders = freshProfileFolders('dsc').map((p) => p.folder);
const dscFiles = folders.flatMap((folder) => readdirSync(join(folder, 'dsc')).map((name) => join(folder, 'dsc', name)));

interface Report {
  minimalConfigurationErrors: ParseError[];
  files: FileReport[];
}

function inspectFiles(paths: readonly string[]): Report {
  return JSON.parse(runPwshScript(join(REPO, 'test/powershell/inspect-dsc.ps1'), paths)) as Report;
}

/**
 * All files in one pwsh run; when that run fails, one run per file, so a file the inspector cannot
 * read fails its own tests (its report is missing) instead of taking every other file's with it.
 */
function inspect(): Report {
  try {
    return inspectFiles(dscFiles);
  } catch {
    const reports = dscFiles.flatMap((path) => {
      try {
        return [inspectFiles([path])];
      } catch {
        return [];
      }
    });
    return { minimalConfigurationErrors: reports[0]?.minimalConfigurationErrors ?? [], files: reports.flatMap((r) => r.files) };
  }
}

/** `$PSVersionTable.PSVersion` of the pwsh the checks run in. */
function pwshVersion(): string {
  return execFileSync(pwshPath()!, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    encoding: 'utf8',
    env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
  }).trim();
}

const withoutLines = (errors: ParseError[]) => errors.map(({ id, message }) => ({ id, message }));

it('generates fresh output from definitions/ and every golden case without errors', () => {
  expect(freshOutputProblems()).toEqual([]);
});

it('finds DSC output for every profile', () => {
  expect(folders.length).toBeGreaterThanOrEqual(3);
  expect(dscFiles.filter((f) => f.endsWith('.psd1')).length).toBe(folders.length);
});

describeConsumer(`PowerShell ${PWSH_VERSION} parser on DSC output`, pwshPath() !== null, () => {
  // pwsh runs in beforeAll, never while tests are collected: if it fails, these tests fail with it.
  let report: Report = { minimalConfigurationErrors: [], files: [] };
  let version = '';
  const byPath = new Map<string, FileReport>();
  const scriptOutcomes = new Map<string, string | null>();
  beforeAll(() => {
    version = pwshVersion();
    report = inspect();
    for (const f of report.files) byPath.set(f.path, f);
    for (const [id, outcome] of runRegistryScripts(report.files)) scriptOutcomes.set(id, outcome);
  }, 300_000);

  it(`runs in PowerShell ${PWSH_VERSION}, the version this block is named after`, () => {
    expect(version).toBe(PWSH_VERSION);
  });

  it('a minimal hand-written configuration fails only for want of a DSC schema store on Linux', () => {
    expect(report.minimalConfigurationErrors[0]?.message).toMatch(/DSC schema store|libmi/);
    expect(report.minimalConfigurationErrors.map((e) => e.id)).toEqual(['ParserError', 'UnexpectedToken', 'UnexpectedToken']);
  });

  for (const path of dscFiles) {
    const name = shortFresh(path);
    describe(name, () => {
      const file = () => {
        const found = byPath.get(path);
        expect(found, 'inspect-dsc.ps1 reported on it').toBeDefined();
        return found!;
      };

      if (path.endsWith('.psd1')) {
        it('parses and loads with Import-PowerShellDataFile: a * node, then one node per target', () => {
          expect(file().errors).toEqual([]);
          const nodes = file().data!.AllNodes;
          expect(nodes[0]).toEqual({ NodeName: '*' });
          const regTargets = readdirSync(join(path, '../../reg'))
            .filter((n) => n.endsWith('.reg') && !n.endsWith('.rollback.reg'))
            .map((n) => n.replace(/\.reg$/, ''));
          // Targets DSC cannot run on (WMF 4.0+ missing, e.g. Server 2008 SP2) are left out, and said so.
          const leftOut = /DSC cannot run on ([^:]+):/.exec(readFileSync(path, 'utf8').replace(/\r?\n# /g, ' '))?.[1]?.split(', ') ?? [];
          expect(
            nodes
              .slice(1)
              .map((n) => n.Target)
              .sort(),
          ).toEqual(regTargets.filter((t) => !leftOut.includes(t)).sort());
          expect(new Set(nodes.map((n) => n.NodeName)).size).toBe(nodes.length);
        });
        return;
      }

      it('has no parse errors but those every configuration gets on Linux', () => {
        expect(withoutLines(file().errors)).toEqual(withoutLines(report.minimalConfigurationErrors));
        expect(file().functionShapedErrors).toEqual([]);
        expect(file().configurations).toHaveLength(1);
      });

      it('uses nothing Windows PowerShell 5.1 lacks and imports one resource module', () => {
        expect(file().ps7Only).toEqual([]);
        expect(file().imports).toHaveLength(1);
        expect(file().imports![0]).toMatch(/^Import-DscResource -ModuleName '(PSDesiredStateConfiguration'|PSDscResources' -ModuleVersion '2\.12\.0\.0')$/);
      });

      it('declares every Registry resource completely, under a unique name', () => {
        const resources = file().resources!;
        expect(resources.length).toBeGreaterThan(0);
        // Unique per node: a name may repeat only under guards whose targets never overlap.
        const targets = new Set(resources.flatMap((r) => r.targets ?? []));
        for (const target of targets.size > 0 ? targets : new Set([''])) {
          const names = resources.filter((r) => r.targets === null || r.targets.includes(target)).map((r) => r.name.toUpperCase());
          expect(new Set(names).size, target).toBe(names.length);
        }
        for (const r of resources.filter(isRegistryScript)) {
          expect(r.problems, r.name).toEqual([]);
          expect(
            Object.keys(r.properties)
              .filter((k) => k !== 'DependsOn')
              .sort(),
            r.name,
          ).toEqual(['GetScript', 'SetScript', 'TestScript']);
          expect(String(r.properties['TestScript']), r.name).toMatch(/\(Get-Item -LiteralPath 'Registry::HKEY_[A-Z_]+'\)\.OpenSubKey\('[^']*\/[^']*'\)/);
          expect(String(r.properties['SetScript']), r.name).not.toMatch(/New-Item|Set-ItemProperty|Remove-Item|-Path /);
        }
        for (const r of resources.filter((x) => x.kind === 'Registry')) {
          expect(r.problems, r.name).toEqual([]);
          const p = r.properties;
          // PSDscResources removes through Remove-ItemProperty/Remove-Item -Path $Key: only the drive form names the registry there.
          if (p.Ensure === 'Absent' && file().imports![0]!.includes("'PSDscResources'")) expect(p.Key, r.name).toMatch(/^HK(LM|CU|CR|US|CC):\\/);
          else expect(p.Key, r.name).toMatch(/^HKEY_(LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)\\/);
          expect(typeof p.ValueName, r.name).toBe('string');
          expect(p.Force, r.name).toBe(true);
          expect(['Present', 'Absent'], r.name).toContain(p.Ensure);
          if (p.Ensure === 'Present') {
            expect(['String', 'ExpandString', 'MultiString', 'Dword', 'Qword', 'DWord', 'QWord', 'Binary'], r.name).toContain(p.ValueType);
            expect(p, r.name).toHaveProperty('ValueData');
            // Both modules' form (issue 8): decimal below 2^31/2^63; beyond, Hex with hex digits that start 8-F
            // (no 0x, no leading zero, so the in-box TrimStart('0x') leaves them alone). Binary: hex digits, no 0x.
            const data = String(p.ValueData);
            if (/^[dq]word$/i.test(String(p.ValueType))) {
              if (p.Hex === true)
                expect(data, r.name).toMatch(p.ValueType === 'Dword' || p.ValueType === 'DWord' ? /^[89A-F][0-9A-F]{7}$/ : /^[89A-F][0-9A-F]{15}$/);
              else expect(data, r.name).toMatch(/^(0|[1-9][0-9]*)$/);
            } else {
              expect(p.Hex, r.name).toBeUndefined();
            }
            if (p.ValueType === 'Binary') expect(data, r.name).toMatch(/^([0-9A-F]{2})*$/);
          } else {
            expect(p, r.name).not.toHaveProperty('ValueData');
          }
        }
      });
    });
  }

  describe('cross-format parity: DSC resources per target equal that target’s .reg file', () => {
    for (const folder of folders) {
      const regDir = join(folder, 'reg');
      for (const regName of readdirSync(regDir).filter((n) => n.endsWith('.reg'))) {
        const rollback = regName.endsWith('.rollback.reg');
        const target = regName.replace(/(\.rollback)?\.reg$/, '');
        it(`${shortFresh(folder)} ${regName}`, () => {
          const config = [...byPath.values()].find(
            (f) => f.path.startsWith(join(folder, 'dsc') + '/') && f.path.endsWith('.ps1') && f.path.endsWith('Rollback.ps1') === rollback,
          )!;
          const text = readFileSync(config.path, 'utf8');
          if (new RegExp(`if \\(\\$target -in @\\([^)]*'${target}'[^)]*\\)\\)\\r?\\n\\s*\\{\\r?\\n\\s*throw [^\\n]*DSC cannot run on`).test(text)) return;
          const forTarget = config.resources!.filter((r) => r.targets === null || r.targets.includes(target));
          const dsc = [
            ...forTarget.filter((r) => r.kind === 'Registry').map(dscOperation),
            ...forTarget
              .filter(isRegistryScript)
              .map((r) => scriptOutcomes.get(`${config.path}#${r.name}#${(r.targets ?? []).join(',')}`) ?? `no outcome: ${r.name}`),
          ].sort();
          expect(dsc).toEqual(regFileOutcomes(join(regDir, regName)));
        });
      }
    }
  });
});

/** A Script resource tlsgen writes instead of a Registry resource (not one of the restart pair). */
function isRegistryScript(r: Resource): boolean {
  return r.kind === 'Script' && r.name !== 'CaptureTlsDrift' && r.name !== 'RestartAfterTlsChange';
}

const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-dsc-scripts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each registry Script resource's outcome (set|KEY|NAME|type|hex, del|…, delkey|…), from running its bodies. */
function runRegistryScripts(files: readonly FileReport[]): Map<string, string | null> {
  const input = files.flatMap((f) =>
    (f.resources ?? [])
      .filter(isRegistryScript)
      .map((r) => ({ id: `${f.path}#${r.name}#${(r.targets ?? []).join(',')}`, kind: r.kind, name: r.name, properties: r.properties })),
  );
  const file = join(scratch, 'scripts.json');
  writeFileSync(file, JSON.stringify(input));
  const output = JSON.parse(runPwshScript(join(REPO, 'test/powershell/dsc-registry-script.ps1'), [file])) as { id: string; outcome: string | null }[];
  return new Map(output.map((o) => [o.id, o.outcome]));
}

const TYPE_NUMBER: Record<string, number> = { string: 1, expandstring: 2, binary: 3, dword: 4, multistring: 7, qword: 11 };

/** One registry outcome as comparable text: `set|KEY|NAME|type|hex bytes`, `del|KEY|NAME`, `delkey|KEY`. */
function dscOperation(r: Resource): string {
  const p = r.properties as { Key: string; ValueName: string; ValueType?: string; ValueData?: unknown; Hex?: boolean; Ensure: string };
  const key = hiveFormKey(p.Key).toUpperCase();
  if (p.Ensure === 'Absent') return p.ValueName === '' && !('ValueType' in p) && isKeyOnly(r) ? `delkey|${key}` : `del|${key}|${p.ValueName.toUpperCase()}`;
  return `set|${key}|${p.ValueName.toUpperCase()}|${TYPE_NUMBER[p.ValueType!.toLowerCase()]}|${dscBytes(p.ValueType!, p.ValueData, p.Hex === true).toString('hex')}`;
}

/** A key deletion: Ensure Absent with an empty ValueName, named *_DeleteKey_* by the generator. */
function isKeyOnly(r: Resource): boolean {
  return r.name.includes('_DeleteKey_');
}

/** ValueData as registry bytes, decoded here (never with the product's encoders): the DSC oracle test covers how each module parses it. */
function dscBytes(type: string, data: unknown, hex: boolean): Buffer {
  const one = Array.isArray(data) ? data : [data];
  switch (type.toLowerCase()) {
    case 'dword':
    case 'qword': {
      const text = String(one[0]);
      const value = hex ? BigInt('0x' + text) : BigInt(text);
      const bytes = Buffer.alloc(type.toLowerCase() === 'dword' ? 4 : 8);
      if (bytes.length === 4) bytes.writeUInt32LE(Number(value));
      else bytes.writeBigUInt64LE(value);
      return bytes;
    }
    case 'binary':
      return Buffer.from(String(one[0] ?? ''), 'hex');
    case 'multistring':
      // REG_MULTI_SZ: each string NUL-terminated in UTF-16LE, then one more NUL.
      return Buffer.from(one.map((s) => `${String(s)}\0`).join('') + '\0', 'utf16le');
    default:
      return Buffer.from(`${String(one[0])}\0`, 'utf16le');
  }
}
