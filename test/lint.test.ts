/**
 * Lint: every rule fires where it should (id, severity, file, line, pointer) and stays quiet on a
 * near miss; lint.allow silences a rule (optionally per target) and an allow that silences nothing
 * is TG009. Each test writes its profiles (inline below, so line numbers are visible) into a copy of
 * test/fixtures/lint/definitions, runs load → validate → resolve as the CLI does, then lints.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import {
  LINT_RULES,
  MAX_NAMED_EDITIONS,
  RULE_IDS,
  lintDiagnostics,
  lintProfiles,
  lintRefuses,
  lintSummary,
  locateIn,
  namedList,
  utcToday,
} from '../src/lint/lint.js';
import type { LintFinding, RuleId } from '../src/lint/lint.js';
import { loadDefinitions } from '../src/load/load.js';
import { catalogOf } from '../src/model/catalog.js';
import { resolvePlans } from '../src/pipeline.js';
import { validateDefinitions } from '../src/validate/validate.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'lint', 'definitions');
const TODAY = '2026-11-30';
const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let cases = 0;

interface Linted {
  readonly findings: LintFinding[];
  /** Findings as `rule severity targets file:line pointer`, file relative to the definitions folder. */
  readonly summary: string[];
}

/** Lints the profiles (file name → YAML) laid over the fixture definitions. */
function lint(profiles: Record<string, string>, options: { today?: string; only?: string[] } = {}): Linted {
  const dir = join(scratch, `case-${++cases}`);
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  for (const [name, text] of Object.entries(profiles)) writeFileSync(join(dir, 'profiles', `${name}.yaml`), text);
  const loaded = loadDefinitions(dir);
  const validated = validateDefinitions(loaded.documents);
  const problems = [...loaded.diagnostics, ...validated.diagnostics].filter((d) => d.severity === 'error');
  expect(problems.map(formatDiagnostic)).toEqual([]);
  const catalog = catalogOf(validated.definitions);
  const plans = resolvePlans({ definitions: validated.definitions, catalog, diagnostics: [], locate: locateIn(loaded.documents) }, { profiles: options.only });
  const findings = lintProfiles({ catalog, plans, today: options.today ?? TODAY, locate: locateIn(loaded.documents) });
  const summary = findings.map((f) => `${f.rule} ${f.severity} ${f.targets.join(',') || '-'} ${relative(dir, f.file)}:${f.line}:${f.column} ${f.pointer}`);
  return { findings, summary };
}

/** A profile file: the header every profile needs, then `body`. */
function profile(id: string, body: string): string {
  return `id: ${id}\ntitle: Lint case ${id}\nsummary: A lint test case.\nsource: doc\n${body}`;
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the test's YAML`);
  return index + 1;
}

const of = (linted: Linted, rule: RuleId) => linted.findings.filter((f) => f.rule === rule);

describe('lint rule table', () => {
  it('has TG001–TG010 with the severities the spec gives', () => {
    expect(RULE_IDS).toEqual(['TG001', 'TG002', 'TG003', 'TG004', 'TG005', 'TG006', 'TG007', 'TG008', 'TG009', 'TG010']);
    const errors = RULE_IDS.filter((id) => LINT_RULES[id].severity === 'error');
    expect(errors).toEqual(['TG001', 'TG006', 'TG007']);
  });
});

describe('TG001 TLS 1.3 where Windows does not support it', () => {
  it('fires on every edition whose Schannel table says unsupported, at the settings entry', () => {
    const text = profile('p', 'targets: [win10, ws2022]\nsettings:\n  - tls13-on\n');
    const linted = lint({ p: text });
    expect(of(linted, 'TG001').map((f) => f.targets)).toEqual([['win10', 'win10-x86']]);
    const [first] = of(linted, 'TG001');
    expect(first).toMatchObject({ severity: 'error', profile: 'p', setting: 'tls13-on', pointer: '/settings/0', line: lineOf(text, '- tls13-on'), column: 5 });
    expect(relative(scratch, first!.file)).toMatch(/^case-\d+\/profiles\/p\.yaml$/);
    expect(first!.message).toContain('TLS 1.3 Client and Server on for win10 and win10-x86 in profile p');
    expect(first!.message).toContain('remove: [{ setting: tls13-on, targets: [win10], reason: ... }]');
    expect(first!.message).toContain('protocolSupported');
  });

  it('points at the override that turns TLS 1.3 on', () => {
    const text = profile(
      'p',
      'targets: [win10]\nsettings: [tls13-off]\noverrides:\n  - { setting: tls13-off, name: Enabled, data: 1, reason: "Test: turn it on." }\n',
    );
    const found = of(lint({ p: text }), 'TG001');
    expect(found.map((f) => [f.targets, f.pointer, f.line])).toEqual([[['win10', 'win10-x86'], '/overrides/0', lineOf(text, '- { setting')]]);
  });

  it('is quiet where TLS 1.3 is supported, where the setting is limited to it, and where it is turned off', () => {
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls13-on]\n') }), 'TG001')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [win10, ws2022]\nsettings: [tls13-on-where-supported]\n') }), 'TG001')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [win10]\nsettings: [tls13-off]\n') }), 'TG001')).toEqual([]);
  });
});

describe('TG001 WinHTTP DefaultSecureProtocols with the TLS 1.3 bit', () => {
  it('fires at the setting whose own data has the bit, on the editions without TLS 1.3', () => {
    const text = profile('p', 'targets: [win10, ws2022]\nsettings:\n  - winhttp-tls13\n');
    const found = of(lint({ p: text }), 'TG001');
    expect(found.map((f) => [f.severity, f.targets, f.setting, f.pointer, f.line])).toEqual([
      ['error', ['win10', 'win10-x86'], 'winhttp-tls13', '/settings/0', lineOf(text, '- winhttp')],
    ]);
    expect(found[0]!.message).toContain('WinHTTP DefaultSecureProtocols');
    expect(found[0]!.message).toContain('0x2800 with the TLS 1.3 bit (0x2000)');
    expect(found[0]!.message).toContain('protocolSupported');
  });

  it('fires at policy.winhttpProtocols when the policy adds tls13 on a target without TLS 1.3', () => {
    const text = profile('p', 'targets: [ws2022, win10]\nsettings: [winhttp-tls12]\npolicy:\n  winhttpProtocols: tls12+tls13\n');
    const found = of(lint({ p: text }), 'TG001');
    expect(found.map((f) => [f.targets, f.pointer, f.line])).toEqual([[['win10', 'win10-x86'], '/policy/winhttpProtocols', lineOf(text, 'winhttpProtocols')]]);
    expect(found[0]!.message).toContain('policy.winhttpProtocols');
  });

  it('fires at the override whose protocols name tls13 where TLS 1.3 is unsupported', () => {
    const text = profile(
      'p',
      'targets: [ws2022, win10]\nsettings: [winhttp-tls12]\noverrides:\n' +
        '  - { setting: winhttp-tls12, name: DefaultSecureProtocols, protocols: tls13, targets: [win10], reason: "Test: TLS 1.3 only." }\n',
    );
    const found = of(lint({ p: text }), 'TG001');
    expect(found.map((f) => [f.targets, f.pointer, f.line])).toEqual([[['win10', 'win10-x86'], '/overrides/0', lineOf(text, '- { setting')]]);
  });

  it('is quiet where TLS 1.3 is supported and for a bitmap without the TLS 1.3 bit', () => {
    const text = profile(
      'p',
      'targets: [ws2022, win10]\nsettings: [winhttp-tls12]\noverrides:\n' +
        '  - { setting: winhttp-tls12, name: DefaultSecureProtocols, protocols: tls12+tls13, targets: [ws2022], reason: "Test: 1.3 on 2022." }\n',
    );
    expect(of(lint({ p: text }), 'TG001')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [winhttp-tls13]\n') }), 'TG001')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [win10]\nsettings: [winhttp-tls12]\npolicy:\n  winhttpProtocols: tls11+tls12\n') }), 'TG001')).toEqual([]);
  });
});

describe('TG002 a .NET value for one bitness only', () => {
  it('fires on the 64-bit edition only, naming the missing WOW6432Node twin', () => {
    const text = profile('p', 'targets: [win10]\nsettings:\n  - dotnet-v4-native\n');
    const found = of(lint({ p: text }), 'TG002');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      targets: ['win10'],
      setting: 'dotnet-v4-native',
      pointer: '/settings/0',
      line: lineOf(text, '- dotnet'),
    });
    expect(found[0]!.message).toContain('for 64-bit .NET only');
    expect(found[0]!.message).toContain('WOW6432Node');
  });

  it('fires for a WOW6432Node value without its 64-bit twin', () => {
    const found = of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [dotnet-v4-wow]\n') }), 'TG002');
    expect(found.map((f) => [f.targets, f.setting])).toEqual([[['ws2022'], 'dotnet-v4-wow']]);
    expect(found[0]!.message).toContain('for 32-bit .NET only');
  });

  it('is quiet when both bitnesses are written (here by two settings; the 32-bit edition has no WOW6432Node)', () => {
    expect(of(lint({ p: profile('p', 'targets: [win10, ws2022]\nsettings: [dotnet-v4-native, dotnet-v4-wow]\n') }), 'TG002')).toEqual([]);
  });
  it("points at the child's remove entry that leaves the other bitness out, not at the parent's settings", () => {
    const parent = profile('p', 'targets: [ws2022]\nsettings: [dotnet-v4-native, dotnet-v4-wow]\n');
    const child = profile('child', 'extends: p\nremove:\n  - { setting: dotnet-v4-wow, targets: [ws2022], reason: "No 32-bit .NET here." }\n');
    const found = of(lint({ p: parent, child }), 'TG002');
    expect(found.map((f) => [f.profile, f.setting, f.pointer, f.line])).toEqual([['child', 'dotnet-v4-native', '/remove/0', lineOf(child, '- { setting')]]);
    expect(found[0]!.file.endsWith(join('profiles', 'child.yaml'))).toBe(true);
  });

  it('stays at the settings entry when what the child removes is not the twin', () => {
    const parent = profile('p', 'targets: [ws2022]\nsettings: [dotnet-v4-native, ws2008r2-only]\n');
    const child = profile('child', 'extends: p\nremove:\n  - { setting: ws2008r2-only, reason: "Not on 2022." }\n');
    const found = of(lint({ p: parent, child }), 'TG002').filter((f) => f.profile === 'child');
    expect(found.map((f) => [f.pointer, f.line])).toEqual([['/settings/0', lineOf(parent, 'settings:')]]);
    expect(found[0]!.file.endsWith(join('profiles', 'p.yaml'))).toBe(true);
  });
});

describe('TG003 Client and Server set differently', () => {
  it('fires when only one side of a protocol is written', () => {
    const text = profile('p', 'targets: [ws2022]\nsettings:\n  - tls12-client\n');
    const found = of(lint({ p: text }), 'TG003');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      targets: ['ws2022'],
      setting: 'tls12-client',
      pointer: '/settings/0',
      line: lineOf(text, '- tls12'),
    });
    expect(found[0]!.message).toContain('TLS 1.2 Client and Server are set differently');
    expect(found[0]!.message).toContain('Client: Enabled=1, DisabledByDefault=0; Server: not set');
  });

  it('fires when both sides are written with different data', () => {
    const text = profile(
      'p',
      'targets: [ws2022]\nsettings: [tls12-client, tls12-server]\noverrides:\n' +
        '  - { setting: tls12-server, name: DisabledByDefault, data: 1, reason: "Test: servers off by default." }\n',
    );
    const found = of(lint({ p: text }), 'TG003');
    expect(found.map((f) => [f.setting, f.pointer])).toEqual([['tls12-server', '/overrides/0']]);
    expect(found[0]!.message).toContain('Server: Enabled=1, DisabledByDefault=1');
  });

  it('is quiet when both sides are written alike', () => {
    expect(of(lint({ p: profile('p', 'targets: [ws2022, win10]\nsettings: [tls12-client, tls12-server]\n') }), 'TG003')).toEqual([]);
  });
  it("points at the child's exception that leaves one side out", () => {
    const parent = profile('p', 'targets: [ws2022]\nsettings: [tls12-client, tls12-server]\n');
    const child = profile(
      'child',
      'extends: p\nexceptions:\n  - { setting: tls12-server, until: 2027-06-30, reason: "Legacy load balancer.", ticket: CHG-1 }\n',
    );
    const found = of(lint({ p: parent, child }), 'TG003');
    expect(found.map((f) => [f.profile, f.setting, f.pointer, f.line])).toEqual([['child', 'tls12-client', '/exceptions/0', lineOf(child, '- { setting')]]);
    expect(found[0]!.file.endsWith(join('profiles', 'child.yaml'))).toBe(true);
  });

  it('stays at the settings entry when nothing left out touches the protocol', () => {
    const parent = profile('p', 'targets: [ws2022]\nsettings: [tls12-client, tls10-off]\n');
    const child = profile('child', 'extends: p\nremove:\n  - { setting: tls10-off, targets: [ws2022], reason: "Keep TLS 1.0." }\n');
    const found = of(lint({ p: parent, child }), 'TG003').filter((f) => f.profile === 'child');
    expect(found.map((f) => [f.setting, f.pointer])).toEqual([['tls12-client', '/settings/0']]);
    expect(found[0]!.file.endsWith(join('profiles', 'p.yaml'))).toBe(true);
  });

  it('points at the override that applies on each target when two overrides share a reason', () => {
    const text = profile(
      'p',
      'targets: [ws2022, win10]\nsettings: [tls12-client, tls12-server]\noverrides:\n' +
        '  - { setting: tls12-server, name: DisabledByDefault, data: 1, targets: [ws2022], reason: "Same reason." }\n' +
        '  - { setting: tls12-server, name: DisabledByDefault, data: 1, targets: [win10], reason: "Same reason." }\n',
    );
    const found = of(lint({ p: text }), 'TG003');
    expect(found.map((f) => [f.targets, f.pointer])).toEqual([
      [['ws2022'], '/overrides/0'],
      [['win10', 'win10-x86'], '/overrides/1'],
    ]);
  });
});

describe('TG004 legacy protocol off where known consumers break', () => {
  it('fires for sql-server and wid on every target', () => {
    const text = profile('p', 'targets: [ws2022]\nsettings:\n  - tls10-off\nworkloads: [sql-server, wid]\n');
    const found = of(lint({ p: text }), 'TG004');
    expect(found).toHaveLength(2);
    expect(found.every((f) => f.severity === 'warning' && f.pointer === '/settings/0' && f.line === lineOf(text, '- tls10-off'))).toBe(true);
    expect(found.map((f) => f.message).join('\n')).toMatch(
      /workload sql-server: SQL Server releases before 2016[\s\S]*workload wid: Windows Internal Database/,
    );
  });

  it('fires for Remote Desktop on NT 6.1 only, for TLS 1.0 only, whatever the workloads list (RDP is part of Windows)', () => {
    const found = of(lint({ p: profile('p', 'targets: [ws2008r2, ws2022]\nsettings: [tls10-off]\n') }), 'TG004');
    expect(found.map((f) => f.targets)).toEqual([['ws2008r2']]);
    expect(found[0]!.message).toContain('KB3080079');
    expect(found[0]!.message).toContain('where rds is part of Windows');
    expect(of(lint({ p: profile('p', 'targets: [ws2008r2]\nsettings: [tls11-off]\n') }), 'TG004')).toEqual([]);
  });

  it('fires for exchange when one side only is turned off', () => {
    const found = of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls10-client-off]\nworkloads: [exchange]\n') }), 'TG004');
    expect(found.map((f) => [f.targets, f.setting])).toEqual([[['ws2022'], 'tls10-client-off']]);
    expect(found[0]!.message).toContain('HealthChecker');
  });

  it('is quiet for exchange with both sides off, for rds on newer Windows, and without such workloads', () => {
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls10-off]\nworkloads: [exchange]\n') }), 'TG004')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [ws2022, win10]\nsettings: [tls10-off]\nworkloads: [rds, iis]\n') }), 'TG004')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [ws2008r2]\nsettings: [tls11-off]\nworkloads: [sql-server]\n') }), 'TG004')).toHaveLength(1);
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls10-off]\n') }), 'TG004')).toEqual([]);
  });
});

describe('TG005 TLS 1.3 for Exchange', () => {
  it('fires where TLS 1.3 is turned on and the workloads list exchange', () => {
    const text = profile('p', 'targets: [ws2022]\nsettings:\n  - tls13-on-where-supported\nworkloads: [exchange]\n');
    const found = of(lint({ p: text }), 'TG005');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      targets: ['ws2022'],
      setting: 'tls13-on-where-supported',
      pointer: '/settings/0',
      line: lineOf(text, '- tls13'),
    });
    expect(found[0]!.message).toContain('only from Exchange 2019 CU15 on Server 2022/2025, never for SMTP');
  });

  it('is quiet for other workloads and when TLS 1.3 is turned off', () => {
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls13-on-where-supported]\nworkloads: [iis]\n') }), 'TG005')).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls13-off]\nworkloads: [exchange]\n') }), 'TG005')).toEqual([]);
  });
});

describe('TG006 Enabled = 0xFFFFFFFF in a STIG profile', () => {
  it('fires once at policy.enabled when the policy writes it', () => {
    const text = profile('p', 'targets: [ws2022, win10]\nsettings: [tls12-client, tls12-server]\ncompliance: [disa-stig]\npolicy:\n  enabled: 0xFFFFFFFF\n');
    const found = of(lint({ p: text }), 'TG006');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', targets: [], setting: null, pointer: '/policy/enabled', line: lineOf(text, 'enabled: 0x') });
    expect(found[0]!.message).toContain('TLS 1.2 Client, TLS 1.2 Server, on ws2022, win10 and win10-x86');
    expect(found[0]!.message).toContain('set policy.enabled to 1');
  });

  it('fires at the setting that writes it as its own data', () => {
    const text = profile('p', 'targets: [ws2022]\nsettings:\n  - tls12-legacy-enabled\ncompliance: [disa-stig]\n');
    const found = of(lint({ p: text }), 'TG006');
    expect(found.map((f) => [f.setting, f.pointer, f.line])).toEqual([['tls12-legacy-enabled', '/settings/0', lineOf(text, '- tls12-legacy')]]);
  });

  it('is quiet without disa-stig, and when the STIG profile writes 1 and only accepts 0xFFFFFFFF', () => {
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls12-legacy-enabled]\ncompliance: [cis]\n') }), 'TG006')).toEqual([]);
    const accepting = profile(
      'p',
      'targets: [ws2022]\nsettings: [tls12-legacy-enabled]\ncompliance: [disa-stig]\npolicy:\n  enabled: 1\n  acceptEnabled: [1, 0xFFFFFFFF]\n',
    );
    expect(of(lint({ p: accepting }), 'TG006')).toEqual([]);
  });
  it('points at the override that writes 0xFFFFFFFF when another override of the value has the same reason', () => {
    const text = profile(
      'p',
      'targets: [ws2022, win10]\nsettings: [tls12-client, tls12-server]\ncompliance: [disa-stig]\noverrides:\n' +
        '  - { setting: tls12-server, name: Enabled, data: 1, targets: [ws2022], reason: "Same reason." }\n' +
        '  - { setting: tls12-server, name: Enabled, data: 0xFFFFFFFF, targets: [win10], reason: "Same reason." }\n',
    );
    const found = of(lint({ p: text }), 'TG006');
    expect(found.map((f) => [f.pointer, f.line])).toEqual([['/overrides/1', lineOf(text, 'data: 0xFFFFFFFF')]]);
    expect(found[0]!.message).toContain('on win10 and win10-x86');
  });
});

describe('TG007 expired exception', () => {
  const text = profile(
    'p',
    'targets: [ws2022]\nsettings: [tls12-client, tls10-off]\nexceptions:\n' +
      '  - setting: tls10-off\n    until: 2026-11-29\n    reason: The old app still speaks TLS 1.0.\n    ticket: CHG-1234\n',
  );

  it('fires the day after until, at until', () => {
    const found = of(lint({ p: text }), 'TG007');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      targets: [],
      setting: 'tls10-off',
      pointer: '/exceptions/0/until',
      line: lineOf(text, 'until:'),
      column: 12,
    });
    expect(found[0]!.message).toContain('expired on 2026-11-29 (today is 2026-11-30, ticket CHG-1234)');
  });

  it('is quiet on the until day itself (it is the last day the exception holds)', () => {
    expect(of(lint({ p: text }, { today: '2026-11-29' }), 'TG007')).toEqual([]);
  });

  it("fires in a profile that extends one with an expired exception, at the parent's entry", () => {
    const child = profile('child', 'extends: p\n');
    const found = of(lint({ p: text, child }), 'TG007');
    expect(found.map((f) => [f.profile, f.pointer])).toEqual([
      ['child', '/exceptions/0/until'],
      ['p', '/exceptions/0/until'],
    ]);
    expect(found.every((f) => f.file.endsWith(join('profiles', 'p.yaml')))).toBe(true);
  });
});

describe('TG008 a setting or prerequisite that applies nowhere', () => {
  it('fires for a setting without values on any target', () => {
    const text = profile(
      'p',
      'targets: [ws2022]\nsettings:\n  - tls12-client\n  - ws2008r2-only\nlint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n',
    );
    const found = of(lint({ p: text }), 'TG008');
    expect(found.map((f) => [f.severity, f.setting, f.pointer, f.line])).toEqual([
      ['warning', 'ws2008r2-only', '/settings/1', lineOf(text, '- ws2008r2-only')],
    ]);
  });

  it('fires for a prerequisite whose settings never apply where it does', () => {
    const text = profile(
      'p',
      'targets: [ws2022, ws2008r2]\nsettings: [tls12-client, ws2008r2-only]\nprerequisites:\n' +
        '  - id: KB0000001\n    title: An update\n    url: https://example.invalid/kb\n    when: { targets: [ws2022] }\n    source: doc\n    requiredBy: [ws2008r2-only]\n' +
        'lint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n',
    );
    const found = of(lint({ p: text }), 'TG008');
    expect(found.map((f) => [f.setting, f.pointer, f.line])).toEqual([[null, '/prerequisites/0', lineOf(text, '- id: KB')]]);
    expect(found[0]!.message).toContain('prerequisite KB0000001');
  });

  it('is quiet when the setting applies on one target and the prerequisite where its setting does, and for a setting left out by an exception', () => {
    const text = profile(
      'p',
      'targets: [ws2022, ws2008r2]\nsettings: [tls12-client, ws2008r2-only]\nprerequisites:\n' +
        '  - id: KB0000001\n    title: An update\n    url: https://example.invalid/kb\n    when: { targets: [ws2008r2] }\n    source: doc\n    requiredBy: [ws2008r2-only]\n' +
        'exceptions:\n  - { setting: tls12-client, until: 2027-01-01, reason: "Later." }\n',
    );
    expect(of(lint({ p: text }), 'TG008')).toEqual([]);
  });

  // Parent p covers ws2022 and ws2008r2; its prerequisite and one setting are for ws2008r2 only.
  const parent = profile(
    'p',
    'targets: [ws2022, ws2008r2]\nsettings: [tls12-client, ws2008r2-only]\nprerequisites:\n' +
      '  - id: KB0000002\n    title: An update for 2008 R2\n    url: https://example.invalid/kb2\n    when: { targets: [ws2008r2] }\n    source: doc\n    requiredBy: [tls12-client]\n' +
      'lint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n',
  );

  it("is quiet for an inherited prerequisite that applies only on a target the child dropped (it is the parent's entry)", () => {
    const child = profile('child', 'extends: p\ntargets: [ws2022]\nremove:\n  - { setting: ws2008r2-only, reason: "Not on 2022." }\n');
    const linted = lint({ p: parent, child });
    expect(linted.findings).toEqual([]);
  });

  it('fires for a prerequisite the child declares itself, at its own entry, and the parent stays quiet', () => {
    const child = profile(
      'child',
      'extends: p\ntargets: [ws2022]\nremove:\n  - { setting: ws2008r2-only, reason: "Not on 2022." }\nprerequisites:\n' +
        '  - id: KB0000003\n    title: Another update\n    url: https://example.invalid/kb3\n    when: { targets: [ws2008r2] }\n    source: doc\n    requiredBy: [tls12-client]\n',
    );
    const found = of(lint({ p: parent, child }), 'TG008');
    expect(found.map((f) => [f.profile, f.pointer, f.line])).toEqual([['child', '/prerequisites/0', lineOf(child, '- id: KB0000003')]]);
    expect(found[0]!.file.endsWith(join('profiles', 'child.yaml'))).toBe(true);
    expect(found[0]!.message).toContain('prerequisite KB0000003 of profile child applies on no target');
  });

  it('fires for an inherited setting that has no values on the targets the child kept, saying where it comes from', () => {
    const child = profile('child', 'extends: p\ntargets: [ws2022]\n');
    const found = of(lint({ p: parent, child }), 'TG008');
    expect(found.map((f) => [f.profile, f.setting, f.pointer, f.line])).toEqual([['child', 'ws2008r2-only', '/settings/1', lineOf(parent, 'settings:')]]);
    expect(found[0]!.file.endsWith(join('profiles', 'p.yaml'))).toBe(true);
    expect(found[0]!.message).toContain('setting ws2008r2-only (inherited from p) has no values on any target of profile child (ws2022)');
    expect(found[0]!.message).toContain('remove: [{ setting: ws2008r2-only, reason: ... }]');
  });

  it("does not say inherited for the profile's own settings", () => {
    const text = profile('p', 'targets: [ws2022]\nsettings: [tls12-client, tls12-server, ws2008r2-only]\n');
    const [finding] = of(lint({ p: text }), 'TG008');
    expect(finding!.message).toContain('setting ws2008r2-only has no values on any target of profile p (ws2022)');
    expect(finding!.message).not.toContain('inherited');
  });
});

describe('TG010 DisabledByDefault=0 omitted where Windows disables the protocol by default', () => {
  it('fires at policy.disabledByDefault on the editions whose Schannel table says disabled', () => {
    const text = profile('p', 'targets: [ws2008r2, ws2022]\nsettings: [tls12-client, tls12-server]\npolicy:\n  disabledByDefault: omit\n');
    const found = of(lint({ p: text }), 'TG010');
    expect(found.map((f) => [f.severity, f.targets, f.setting, f.pointer, f.line])).toEqual([
      ['warning', ['ws2008r2'], null, '/policy/disabledByDefault', lineOf(text, 'disabledByDefault')],
    ]);
    expect(found[0]!.message).toContain(
      'Enabled written without DisabledByDefault=0 where Windows disables the protocol by default (TLS 1.2 Client and Server on ws2008r2',
    );
    expect(found[0]!.message).toContain('it stays off for applications that do not ask for it');
  });

  it("fires in a child that inherits the policy, at the ancestor's policy line", () => {
    const parent = profile('p', 'targets: [ws2022]\nsettings: [tls12-client, tls12-server]\npolicy:\n  disabledByDefault: omit\n');
    const child = profile('child', 'extends: p\ntargets: [ws2008r2]\n');
    const found = of(lint({ p: parent, child }), 'TG010');
    expect(found.map((f) => [f.profile, f.pointer])).toEqual([['child', '/policy/disabledByDefault']]);
    expect(found[0]!.file.endsWith(join('profiles', 'p.yaml'))).toBe(true);
  });

  it('is quiet when DisabledByDefault is written, where Windows enables the protocol by default, and for a protocol turned off', () => {
    expect(
      of(lint({ p: profile('p', 'targets: [ws2008r2]\nsettings: [tls12-client, tls12-server]\npolicy:\n  disabledByDefault: write\n') }), 'TG010'),
    ).toEqual([]);
    expect(of(lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls12-client, tls12-server]\npolicy:\n  disabledByDefault: omit\n') }), 'TG010')).toEqual(
      [],
    );
    expect(of(lint({ p: profile('p', 'targets: [ws2008r2]\nsettings: [tls11-off]\npolicy:\n  disabledByDefault: omit\n') }), 'TG010')).toEqual([]);
  });
});

describe('findings shared by several editions', () => {
  const seven = 'targets: [win10, ws2022, ws2008r2, ws2019, ws2016, ws2012r2]\n';

  it('are one finding listing every edition, in the profile order, the message naming them', () => {
    const text = profile('p', 'targets: [win10, ws2022, ws2008r2]\nsettings:\n  - tls12-client\n');
    const found = of(lint({ p: text }), 'TG003');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      targets: ['win10', 'win10-x86', 'ws2022', 'ws2008r2'],
      setting: 'tls12-client',
      pointer: '/settings/0',
      line: lineOf(text, '- tls12'),
    });
    expect(found[0]!.message).toContain('TLS 1.2 Client and Server are set differently for win10, win10-x86, ws2022 and ws2008r2 in profile p');
  });

  it('name at most six editions in the message, then how many more (targets has them all)', () => {
    const found = of(lint({ p: profile('p', `${seven}settings: [tls12-client]\n`) }), 'TG003');
    expect(found).toHaveLength(1);
    expect(found[0]!.targets).toEqual(['win10', 'win10-x86', 'ws2022', 'ws2008r2', 'ws2019', 'ws2016', 'ws2012r2']);
    expect(found[0]!.message).toContain('for win10, win10-x86, ws2022, ws2008r2, ws2019, ws2016 and 1 more in profile p');
  });

  it('list every Windows version in a YAML hint (TG001 remove)', () => {
    const [finding] = of(lint({ p: profile('p', `${seven}settings: [tls13-on]\n`) }), 'TG001');
    expect(finding!.targets).toEqual(['win10', 'win10-x86', 'ws2008r2', 'ws2019', 'ws2016', 'ws2012r2']);
    expect(finding!.message).toContain('on for win10, win10-x86, ws2008r2, ws2019, ws2016 and ws2012r2 in profile p');
    expect(finding!.message).toContain('targets: [win10, ws2008r2, ws2019, ws2016, ws2012r2]');
  });

  it('stay apart when the message differs apart from the editions, or the place does', () => {
    const text = profile(
      'p',
      'targets: [win10, ws2022]\nsettings: [tls12-client, tls12-server]\noverrides:\n' +
        '  - { setting: tls12-server, name: DisabledByDefault, data: 1, targets: [ws2022], reason: "Test: servers off by default on 2022." }\n',
    );
    expect(of(lint({ p: text }), 'TG003').map((f) => [f.targets, f.pointer])).toEqual([[['ws2022'], '/overrides/0']]);
    const differing = profile(
      'p',
      'targets: [win10, ws2022]\nsettings: [tls12-client]\noverrides:\n' +
        '  - { setting: tls12-client, name: DisabledByDefault, data: 1, targets: [ws2022], reason: "Test: off by default on 2022." }\n',
    );
    const found = of(lint({ p: differing }), 'TG003');
    expect(found.map((f) => [f.targets, f.pointer])).toEqual([
      [['win10', 'win10-x86'], '/settings/0'],
      [['ws2022'], '/overrides/0'],
    ]);
    expect(found[1]!.message).toContain('for ws2022 (Windows Server 2022) in profile p (Client: Enabled=1, DisabledByDefault=1; Server: not set)');
  });

  it('are judged by allows per target before they are grouped (an allow takes the editions of its Windows versions out of the group)', () => {
    const body = 'targets: [win10, ws2022, ws2008r2]\nsettings: [tls12-client]\nlint:\n  allow:\n';
    const one = lint({ p: profile('p', `${body}    - { rule: TG003, reason: "Client only on 2022.", targets: [ws2022] }\n`) });
    expect(one.findings.map((f) => [f.rule, f.targets])).toEqual([['TG003', ['win10', 'win10-x86', 'ws2008r2']]]);
    expect(one.findings[0]!.message).toContain('for win10, win10-x86 and ws2008r2 in profile p');
    const two = lint({ p: profile('p', `${body}    - { rule: TG003, reason: "Client only.", targets: [win10, ws2008r2] }\n`) });
    expect(two.findings.map((f) => [f.rule, f.targets])).toEqual([['TG003', ['ws2022']]]);
    expect(two.findings[0]!.message).toContain('for ws2022 (Windows Server 2022) in profile p');
  });

  it('print in JSON with the documented fields, in order', () => {
    const [finding] = lint({ p: profile('p', 'targets: [win10]\nsettings: [tls12-client]\n') }).findings;
    expect(Object.keys(JSON.parse(JSON.stringify(finding)))).toEqual([
      'rule',
      'severity',
      'profile',
      'targets',
      'setting',
      'message',
      'file',
      'line',
      'column',
      'pointer',
    ]);
  });

  it('namedList names up to MAX_NAMED_EDITIONS items', () => {
    expect(MAX_NAMED_EDITIONS).toBe(6);
    expect(namedList([])).toBe('');
    expect(namedList(['a'])).toBe('a');
    expect(namedList(['a', 'b'])).toBe('a and b');
    expect(namedList(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e and f');
    expect(namedList(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])).toBe('a, b, c, d, e, f and 2 more');
  });
});

describe('lint.allow and TG009', () => {
  const body = 'targets: [ws2022, win10]\nsettings: [tls12-client]\n';

  it('an allow with a reason silences its rule everywhere', () => {
    const linted = lint({ p: profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "The article lists only the client side." }\n`) });
    expect(linted.summary).toEqual([]);
  });

  it('an allow with targets silences only those Windows versions (all their editions)', () => {
    const linted = lint({ p: profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "Client only here.", targets: [win10] }\n`) });
    expect(of(linted, 'TG003').map((f) => f.targets)).toEqual([['ws2022']]);
    expect(of(linted, 'TG009')).toEqual([]);
  });

  it('an allow that silences nothing is TG009, at the allow', () => {
    const text = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n    - { rule: TG001, reason: "Stale." }\n`);
    const linted = lint({ p: text });
    expect(linted.findings.map((f) => [f.rule, f.severity, f.pointer, f.line])).toEqual([['TG009', 'warning', '/lint/allow/1', lineOf(text, 'TG001')]]);
    expect(linted.findings[0]!.message).toContain('lint.allow for TG001 in profile p silences nothing');
  });

  it('an allow naming no rule is TG009 and says so', () => {
    const text = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n    - { rule: TG099, reason: "Typo." }\n`);
    const [finding] = lint({ p: text }).findings;
    expect(finding).toMatchObject({ rule: 'TG009', pointer: '/lint/allow/1' });
    expect(finding!.message).toContain('TG099 is not a lint rule');
  });

  it("a child inherits its parent's allows; an unused inherited allow is the parent's to report", () => {
    const parent = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "Client only." }\n    - { rule: TG002, reason: "Stale." }\n`);
    const child = profile('child', 'extends: p\n');
    const linted = lint({ p: parent, child });
    expect(linted.findings.map((f) => [f.rule, f.profile, f.pointer])).toEqual([['TG009', 'p', '/lint/allow/1']]);
  });

  it('an allow naming an error rule silences nothing: the error stays and the allow is TG009', () => {
    const text = profile(
      'p',
      'targets: [win10]\nsettings: [tls13-on, tls12-legacy-enabled, tls10-off]\ncompliance: [disa-stig]\nexceptions:\n' +
        '  - { setting: tls10-off, until: 2020-01-01, reason: "Old." }\nlint:\n  allow:\n' +
        '    - { rule: TG001, reason: "We know." }\n    - { rule: TG006, reason: "We know." }\n    - { rule: TG007, reason: "We know." }\n',
    );
    const linted = lint({ p: text });
    expect(['TG001', 'TG006', 'TG007'].map((rule) => of(linted, rule as RuleId).length)).toEqual([1, 1, 1]);
    expect(lintRefuses(linted.findings)).toBe(true);
    const stale = of(linted, 'TG009');
    expect(stale.map((f) => [f.pointer, f.line])).toEqual([
      ['/lint/allow/0', lineOf(text, 'rule: TG001')],
      ['/lint/allow/1', lineOf(text, 'rule: TG006')],
      ['/lint/allow/2', lineOf(text, 'rule: TG007')],
    ]);
    expect(stale[2]!.message).toContain('rule TG007 is an error and cannot be allowed');
  });

  it('an allow naming a warning rule still silences it (TG005 is a warning)', () => {
    const text = profile(
      'p',
      'targets: [ws2022]\nsettings: [tls13-on-where-supported]\nworkloads: [exchange]\nlint:\n  allow:\n    - { rule: TG005, reason: "Exchange SE on 2022." }\n',
    );
    expect(lint({ p: text }).findings).toEqual([]);
  });

  it("an inherited allow silences the parent's findings in a child, not a finding the child's own entry causes", () => {
    const parent = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "The article lists only the client side." }\n`);
    const child = profile('child', 'extends: p\nsettings:\n  - tls10-client-off\n');
    const found = lint({ p: parent, child }).findings;
    expect(found.map((f) => [f.rule, f.profile, f.setting, f.pointer])).toEqual([['TG003', 'child', 'tls10-client-off', '/settings/0']]);
    expect(found[0]!.file.endsWith(join('profiles', 'child.yaml'))).toBe(true);
    expect(found[0]!.message).toContain('TLS 1.0 Client and Server are set differently');
  });

  it("a child's own allow silences what its own entries cause", () => {
    const parent = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "The article lists only the client side." }\n`);
    const child = profile('child', 'extends: p\nsettings: [tls10-client-off]\nlint:\n  allow:\n    - { rule: TG003, reason: "Client side only too." }\n');
    expect(lint({ p: parent, child }).findings).toEqual([]);
  });

  it('an allow with targets may name an edition: it silences that edition only', () => {
    const text = profile('p', `${body}lint:\n  allow:\n    - { rule: TG003, reason: "32-bit clients only.", targets: [win10-x86] }\n`);
    const linted = lint({ p: text });
    expect(of(linted, 'TG003').map((f) => f.targets)).toEqual([['ws2022', 'win10']]);
    expect(of(linted, 'TG009')).toEqual([]);
  });
});

describe('findings as diagnostics', () => {
  it('carry the rule id in the message, the severity and the location', () => {
    const linted = lint({ p: profile('p', 'targets: [win10]\nsettings: [tls13-on]\n') });
    const diagnostics = lintDiagnostics(linted.findings);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 6, column: 12, pointer: '/settings/0' });
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(
      /p\.yaml:6:12 error TG001 setting tls13-on turns TLS 1\.3 Client and Server on for win10 .*\(at \/settings\/0\)$/,
    );
  });

  it('refuse on errors, and on warnings only when strict', () => {
    const warnings = lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls12-client]\n') }).findings;
    expect(warnings.map((f) => f.severity)).toEqual(['warning']);
    expect(lintRefuses(warnings)).toBe(false);
    expect(lintRefuses(warnings, { strict: true })).toBe(true);
    expect(lintRefuses(lint({ p: profile('p', 'targets: [win10]\nsettings: [tls13-on-where-supported, tls12-client, tls12-server]\n') }).findings)).toBe(false);
    expect(lintRefuses(lint({ p: profile('p', 'targets: [win10]\nsettings: [tls13-on]\n') }).findings)).toBe(true);
  });

  it('keep their severity under --strict; the summary says the warnings refuse', () => {
    const warnings = lint({ p: profile('p', 'targets: [ws2022]\nsettings: [tls12-client]\n') }).findings;
    expect(lintDiagnostics(warnings).map((d) => d.severity)).toEqual(['warning']);
    expect(lintSummary(warnings, { strict: true })).toBe('0 error(s), 1 warning(s) (refused: --strict)');
    expect(lintSummary(warnings)).toBe('0 error(s), 1 warning(s)');
    const errors = lint({ p: profile('p', 'targets: [win10]\nsettings: [tls13-on, tls12-client, tls12-server]\n') }).findings;
    expect(lintSummary(errors, { strict: true })).toBe('1 error(s), 0 warning(s)');
    expect(lintSummary([], { strict: true })).toBe('no lint findings');
  });

  it('today defaults to the UTC date and must be YYYY-MM-DD', () => {
    expect(utcToday(new Date('2026-12-31T23:30:00-05:00'))).toBe('2027-01-01');
    expect(() => lintProfiles({ catalog: catalogOf({ sources: [], targets: [], settings: [], profiles: [] }), plans: [], today: '30.11.2026' })).toThrow(
      /YYYY-MM-DD/,
    );
  });
});
