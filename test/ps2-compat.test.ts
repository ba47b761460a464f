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
 *      output; DSC files under dsc/ need WMF 4+/5.1 by design and are not in scope) generated now
 *      (test/support/fresh-output.ts: the shipped definitions and every golden case, with its
 *      options.json): zero violations. The committed out/ and goldens are judged by
 *      out-is-current.test.ts and golden.test.ts, which hold them equal to this output.
 * The checker runs in beforeAll, so one bad file fails its own test instead of hiding the others.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshSources, shortFresh } from './support/fresh-output.js';
import { REPO } from './support/golden.js';
import { PWSH_VERSION } from './support/pester.js';
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

const fixtures = existsSync(FIXTURES)
  ? readdirSync(FIXTURES)
      .filter((n) => n.endsWith('.ps1'))
      .sort()
  : [];
const negative = fixtures.filter((n) => n.startsWith('bad.'));
const positive = fixtures.filter((n) => n.startsWith('good.'));
/** Scripts generated now from definitions/ and every golden case (in-process, no process started). */
const generated = freshSources().flatMap((s) => windowsScripts(s.root));

let checkerVersion = '';
let results = new Map<string, Violation[]>();
let rules: string[] = [];
let setupError: unknown = null;

function resultFor(path: string): Violation[] {
  if (setupError) throw setupError;
  const violations = results.get(path);
  if (!violations) throw new Error(`the checker reported nothing for ${path}`);
  return violations;
}

describeConsumer(`PowerShell ${PWSH_VERSION} (PowerShell 2.0 compatibility checker)`, pwshPath() !== null, () => {
  beforeAll(() => {
    try {
      const list = JSON.parse(runPwshScript(CHECKER, ['-ListRules'])) as RuleList;
      rules = list.rules.map((r) => r.id);
      results = runChecker([...fixtures.map((n) => join(FIXTURES, n)), ...generated]);
    } catch (error) {
      setupError = error;
    }
  });

  it(`runs on pwsh ${PWSH_VERSION}, the parser this test is named after`, () => {
    if (setupError) throw setupError;
    expect(checkerVersion).toBe(PWSH_VERSION);
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

  it('generates fresh output from definitions/ and every golden case, and finds its Windows scripts', () => {
    expect(freshOutputProblems()).toEqual([]);
    expect(generated.length, 'no scripts/ .ps1 in the fresh output').toBeGreaterThan(0);
    const sources = freshSources().filter((s) => generated.some((g) => g.startsWith(s.root + '/')));
    expect(
      sources.map((s) => s.name),
      'the shipped definitions have scripts',
    ).toContain('definitions');
  });

  for (const script of generated) {
    it(`${shortFresh(script)} runs on PowerShell 2.0`, () => {
      expect(describeViolations(resultFor(script))).toEqual([]);
    });
  }
});
