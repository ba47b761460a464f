/**
 * Issue 8, point 4: the installer, the audit and any other generated script meant to run on Windows
 * must run on Windows PowerShell 2.0 (stock Windows 7 / Server 2008 R2, .NET 2.0/3.5).
 *
 * test/powershell/ps2-compat.ps1 walks the AST that PowerShell 7.6.9's own parser builds and reports
 * every command, parameter, type, .NET member, variable, operator and syntax that PowerShell 2.0 or
 * .NET 3.5 lacks (data and sources: test/powershell/ps2-allowlist.psd1). This test holds it to:
 *  (a) one negative fixture per rule, test/fixtures/ps2/bad.<RULE-ID>[.<variant>].ps1, each caught
 *      with exactly that rule id and nothing else;
 *  (b) a positive fixture full of 2.0-valid constructs, which must pass;
 *  (c) every generated Windows script (any .ps1 in a `scripts/` or `intune/` folder of a profile
 *      output; DSC files under dsc/ need WMF 4+/5.1 by design and are not in scope) in out/, in the
 *      goldens, and in freshly generated output of the shipped definitions: zero violations.
 * The checker runs in beforeAll, so one bad file fails its own test instead of hiding the others.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { GOLDEN, REPO, caseFolders } from './support/golden.js';
import { pwshPath, runPwshScript } from './support/powershell.js';

const CHECKER = join(REPO, 'test', 'powershell', 'ps2-compat.ps1');
const FIXTURES = join(REPO, 'test', 'fixtures', 'ps2');
/**
 * The installer and audit (scripts/) run on stock Windows 7 and Server 2008 R2: PowerShell 2.0.
 * Intune's scripts (intune/) are not held to it: Intune Remediations run them in Windows PowerShell
 * 5.1 only (shared reference channels.md §5a), and they open the 64-bit registry view with .NET 4's
 * RegistryKey.OpenBaseKey; test/intune.test.ts checks them.
 */
const SCRIPT_FOLDERS = new Set(['scripts']);

interface Violation {
  rule: string;
  line: number;
  column: number;
  text: string;
  reason: string;
  source: string;
}
interface Report {
  pwshVersion: string;
  files: { path: string; violations: Violation[] }[];
}
interface RuleList {
  pwshVersion: string;
  rules: { id: string; reason: string; source: string }[];
}

/** Every .ps1 directly inside a scripts/ or intune/ folder below root, never below a dsc/ folder. */
function windowsScripts(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.toLowerCase() !== 'dsc') walk(path);
      } else if (entry.name.toLowerCase().endsWith('.ps1') && SCRIPT_FOLDERS.has(basename(dir).toLowerCase())) {
        found.push(path);
      }
    }
  };
  if (existsSync(root)) walk(root);
  return found.sort();
}

function runChecker(files: string[]): Map<string, Violation[]> {
  const report = JSON.parse(runPwshScript(CHECKER, files)) as Report;
  checkerVersion = report.pwshVersion;
  return new Map(report.files.map((f) => [f.path, f.violations]));
}

function describeViolations(violations: Violation[]): string[] {
  return violations.map((v) => `${v.rule} ${v.line}:${v.column} ${v.text} — ${v.reason} (${v.source})`);
}

const rel = (path: string) => relative(REPO, path).split(sep).join('/');
const fixtures = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((n) => n.endsWith('.ps1')).sort() : [];
const negative = fixtures.filter((n) => n.startsWith('bad.'));
const positive = fixtures.filter((n) => n.startsWith('good.'));
const checkedIn = [join(REPO, 'out'), ...caseFolders(GOLDEN).map((c) => join(GOLDEN, c, 'expected'))].flatMap(windowsScripts);

let checkerVersion = '';
let results = new Map<string, Violation[]>();
let rules: string[] = [];
let fresh: { root: string; results: Map<string, Violation[]> } | null = null;
let setupError: unknown = null;
let freshError: unknown = null;

function resultFor(path: string): Violation[] {
  if (setupError) throw setupError;
  const violations = results.get(path);
  if (!violations) throw new Error(`the checker reported nothing for ${path}`);
  return violations;
}

describeConsumer('PowerShell 7.6.9 (PowerShell 2.0 compatibility checker)', pwshPath() !== null, () => {
  beforeAll(() => {
    try {
      const list = JSON.parse(runPwshScript(CHECKER, ['-ListRules'])) as RuleList;
      rules = list.rules.map((r) => r.id);
      results = runChecker([...fixtures.map((n) => join(FIXTURES, n)), ...checkedIn]);
    } catch (error) {
      setupError = error;
    }
    try {
      const root = mkdtempSync(join(tmpdir(), 'tlsgen-ps2-'));
      execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'pipe' });
      execFileSync(process.execPath, [join(REPO, 'bin', 'tlsgen.cjs'), 'build', '--out', root], { cwd: REPO, stdio: 'pipe' });
      const scripts = windowsScripts(root);
      fresh = { root, results: scripts.length ? runChecker(scripts) : new Map() };
    } catch (error) {
      freshError = error;
    }
  });

  afterAll(() => {
    if (fresh) rmSync(fresh.root, { recursive: true, force: true });
  });

  it('runs on pwsh 7.6.9, the parser this test is named after', () => {
    if (setupError) throw setupError;
    expect(checkerVersion).toBe('7.6.9');
  });

  it('has a negative fixture for every rule, and no fixture for an unknown rule', () => {
    if (setupError) throw setupError;
    const fixtureRules = new Set(negative.map((n) => n.split('.')[1]!));
    expect(rules.filter((r) => !fixtureRules.has(r))).toEqual([]);
    expect([...fixtureRules].filter((r) => !rules.includes(r))).toEqual([]);
  });

  for (const name of negative) {
    const rule = name.split('.')[1]!;
    it(`catches ${rule} in fixtures/ps2/${name}`, () => {
      const violations = resultFor(join(FIXTURES, name));
      expect(violations.length, 'no violation reported').toBeGreaterThan(0);
      expect([...new Set(violations.map((v) => v.rule))], describeViolations(violations).join('\n')).toEqual([rule]);
      for (const v of violations) {
        expect(v.line).toBeGreaterThan(0);
        expect(v.reason).not.toBe('');
        expect(v.source).toMatch(/^https:\/\//);
      }
    });
  }

  for (const name of positive) {
    it(`passes the PowerShell 2.0 constructs in fixtures/ps2/${name}`, () => {
      expect(describeViolations(resultFor(join(FIXTURES, name)))).toEqual([]);
    });
  }

  it('finds the generated Windows scripts (out/ and goldens)', () => {
    expect(checkedIn.length).toBeGreaterThan(0);
  });

  for (const script of checkedIn) {
    it(`${rel(script)} runs on PowerShell 2.0`, () => {
      expect(describeViolations(resultFor(script))).toEqual([]);
    });
  }

  it('freshly generated scripts of the shipped definitions run on PowerShell 2.0', () => {
    if (freshError) throw freshError;
    expect(fresh, 'tlsgen build did not run').not.toBeNull();
    expect(fresh!.results.size, 'no scripts/ or intune/ .ps1 in the fresh output').toBeGreaterThan(0);
    for (const [path, violations] of fresh!.results) {
      expect.soft(describeViolations(violations), relative(fresh!.root, path)).toEqual([]);
    }
  });
});
