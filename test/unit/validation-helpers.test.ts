/**
 * Validation building blocks: Windows key identity, device names, key segments, characters no
 * format can carry, and how diagnostics quote input.
 */
import { constants } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { MAX_QUOTED, formatDiagnostic, quote, shown } from '../../src/diagnostics.js';
import { loadYaml } from '../../src/load/yaml-source.js';
import {
  keyIdentity,
  parseKeyPath,
  parseValueData,
  sameKeyName,
  valueNameIdentity,
  valueNameProblem,
  windowsUpperInvariant,
} from '../../src/model/registry.js';
import { windowsDeviceName } from '../../src/model/targets.js';

const { MAX_STRING_LENGTH } = constants;
import { characterProblems } from '../../src/validate/characters.js';

describe('windowsUpperInvariant: simple one-to-one upper-casing per UTF-16 code unit, as the registry compares names', () => {
  it('never expands a character (JavaScript: "ß".toUpperCase() === "SS")', () => {
    expect(windowsUpperInvariant('Straße')).toBe('STRAßE');
    expect(windowsUpperInvariant('STRASSE')).toBe('STRASSE');
    expect(windowsUpperInvariant('Maß')).not.toBe(windowsUpperInvariant('MASS'));
    expect(windowsUpperInvariant('ﬀ ŉ ǰ ΐ')).toBe('ﬀ ŉ ǰ ΐ');
  });

  it('uses the simple mapping where the full one has several characters (Greek ypogegrammeni)', () => {
    expect(windowsUpperInvariant('ᾳ')).toBe('ᾼ'); // full mapping: 'ΑΙ'
    expect(windowsUpperInvariant('\u1f80\u1f97\u1fa7\u1fc3\u1ff3')).toBe('\u1f88\u1f9f\u1faf\u1fcc\u1ffc');
    expect(windowsUpperInvariant('\u1f88\u1fbc')).toBe('\u1f88\u1fbc'); // already capitals (title case): unchanged
  });

  it('maps letters with a one-to-one upper case, and leaves ASCII punctuation, digits and capitals alone', () => {
    expect(windowsUpperInvariant('abc xyz 0-9 _\\[]')).toBe('ABC XYZ 0-9 _\\[]');
    expect(windowsUpperInvariant('ıſǅé')).toBe('ISǄÉ'); // dotless i → I, long s → S, title case Dž → DŽ
    expect(windowsUpperInvariant('İK')).toBe('İK'); // capital dotted I and the Kelvin sign stay
  });

  it('leaves surrogates, so every character outside the BMP, unchanged (the table is per UTF-16 code unit)', () => {
    expect(windowsUpperInvariant('𐐨')).toBe('𐐨'); // JavaScript: '𐐀'
    expect(windowsUpperInvariant('a\ud800b\udc00')).toBe('A\ud800B\udc00');
  });

  it('maps every BMP code unit to exactly one code unit (identity keeps lengths)', () => {
    const bad: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) {
      const upper = windowsUpperInvariant(String.fromCharCode(unit));
      if (upper.length !== 1) bad.push(unit.toString(16));
    }
    expect(bad).toEqual([]);
  });

  it('gives key and value-name identity: Straße and STRASSE are two keys, Straße and STRAßE one', () => {
    const key = (text: string) => {
      const parsed = parseKeyPath(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return keyIdentity(parsed.value);
    };
    expect(key('HKEY_LOCAL_MACHINE\\SOFTWARE\\Straße')).not.toBe(key('HKEY_LOCAL_MACHINE\\SOFTWARE\\STRASSE'));
    expect(key('HKEY_LOCAL_MACHINE\\SOFTWARE\\Straße')).toBe(key('HKEY_LOCAL_MACHINE\\software\\STRAßE'));
    expect(valueNameIdentity('Maß')).not.toBe(valueNameIdentity('MASS'));
    expect(valueNameIdentity('enabled')).toBe(valueNameIdentity('Enabled'));
    expect(sameKeyName('SOFTWARE\\Straße', 'software\\straße')).toBe(true);
    expect(sameKeyName('SOFTWARE\\Straße', 'SOFTWARE\\STRASSE')).toBe(false);
  });
});

describe('windowsDeviceName', () => {
  it('recognises device names in any case, alone or with an extension', () => {
    for (const name of [
      'con',
      'CON',
      'Nul',
      'aux',
      'prn',
      'com1',
      'COM9',
      'lpt1',
      'lpt9',
      'com0',
      'lpt0',
      'nul.txt',
      'con.rollback.reg',
      'NUL.tar.gz',
      'com¹',
      'aux ',
      'con.',
    ]) {
      expect(windowsDeviceName(name), name).toBe(true);
    }
  });

  it('accepts names that only start like one', () => {
    for (const name of ['conin', 'conout', 'console', 'com10', 'lpt', 'com', 'nul-x86', 'con-x86.reg', 'aux2', 'xcon', 'prn1', 'ws2022']) {
      expect(windowsDeviceName(name), name).toBe(false);
    }
  });
});

describe('registry names and data', () => {
  it('refuses "." and ".." key segments, accepts other dotted names', () => {
    for (const key of ['HKEY_LOCAL_MACHINE\\SOFTWARE\\..', 'HKEY_LOCAL_MACHINE\\.\\SOFTWARE', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\..\\SYSTEM\\X']) {
      const parsed = parseKeyPath(key);
      expect(parsed.ok, key).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^key name "\.\.?" is refused: PowerShell reads it as/);
    }
    for (const key of [
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\...',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\.x',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\x.',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\v4.0.30319',
    ]) {
      expect(parseKeyPath(key).ok, key).toBe(true);
    }
  });

  it('refuses U+FFFE, U+FFFF and lone surrogates in key names, value names and string data', () => {
    expect(parseKeyPath('HKEY_LOCAL_MACHINE\\SOFTWARE\\A\ufffeB').ok).toBe(false);
    expect(parseKeyPath('HKEY_LOCAL_MACHINE\\SOFTWARE\\A\ud800B').ok).toBe(false);
    expect(valueNameProblem('a\uffffb')).toMatch(/U\+FFFE, U\+FFFF or a lone surrogate/);
    expect(valueNameProblem('\udc00')).toMatch(/lone surrogate/);
    expect(parseValueData('REG_SZ', 'a\ud800b')).toEqual({ ok: false, error: 'REG_SZ data contains a lone surrogate, which UTF-8 cannot carry' });
    expect(parseValueData('REG_EXPAND_SZ', '\udfff\ud800').ok).toBe(false);
    expect(parseValueData('REG_MULTI_SZ', ['ok', 'x\udbff']).ok).toBe(false);
    expect(parseValueData('REG_SZ', 'a\uffffb').ok).toBe(false);
    // A surrogate pair is one character; U+FDD0 and U+1FFFE are noncharacters that XML 1.0 carries.
    expect(parseValueData('REG_SZ', '😀\ufdd0\u{1fffe}\ufffd').ok).toBe(true);
    expect(parseKeyPath('HKEY_LOCAL_MACHINE\\SOFTWARE\\😀').ok).toBe(true);
    expect(valueNameProblem('\u0085 NEL and \u2028')).toBeNull();
  });
});

describe('characterProblems: every string of a file, values and property names', () => {
  const problems = (text: string) => {
    const result = loadYaml('f.yaml', text);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    return characterProblems(result.document).map((d) => `${d.line}:${d.column} ${d.message} (at ${d.pointer})`);
  };

  it('locates each offending string once, with its pointer', () => {
    expect(problems('a: "x\\uFFFE"\nb: [ok, "\\uD800"]\n"k\\uFFFF": 1\nc: {d: "\\uDC00"}\n')).toEqual([
      '1:5 "a" contains U+FFFE, a noncharacter that XML 1.0 cannot carry (Group Policy\'s Registry.xml and the GPO backup could not hold it) (at /a)',
      '2:10 item 1 of "b" contains a lone surrogate (U+D800): half of a character, which UTF-8 (DSC, Group Policy, scripts, README) cannot encode and would write as U+FFFD (at /b/1)',
      '3:2 property name "k\\uffff" contains U+FFFF, a noncharacter that XML 1.0 cannot carry (Group Policy\'s Registry.xml and the GPO backup could not hold it) (at /k\uffff)',
      '4:9 "d" contains a lone surrogate (U+DC00): half of a character, which UTF-8 (DSC, Group Policy, scripts, README) cannot encode and would write as U+FFFD (at /c/d)',
    ]);
  });

  it('accepts what every format carries: pairs, U+FFFD, other noncharacters, BOM, C1 (left to the schema per field)', () => {
    expect(problems('a: "😀 \\uFFFD \\uFDD0 \\U0001FFFE \\uFEFF \\u0085"\n')).toEqual([]);
  });

  it('reports a shared (aliased) node once, and at most 20 problems per file', () => {
    expect(problems('a: &x ["\\uFFFE"]\nb: *x\nc: *x\n')).toHaveLength(1);
    expect(problems('a: [' + Array(50).fill('"\\uFFFF"').join(', ') + ']\n')).toHaveLength(20);
  });
});

describe('diagnostics quote input safely', () => {
  it('escapes control characters, C1, bidi controls, separators and lone surrogates', () => {
    expect(quote('\u001b[2K\rdefinitions are valid\u001b[8m')).toBe('"\\u001b[2K\\rdefinitions are valid\\u001b[8m"');
    expect(quote('a\u009bb\u202ec\u2028d\u2066e\ufeff\ud800')).toBe('"a\\u009bb\\u202ec\\u2028d\\u2066e\\ufeff\\ud800"');
    expect(quote('tab\tnew\nquote" back\\')).toBe('"tab\\tnew\\nquote\\" back\\\\"');
    expect(quote('Straße 😀 é')).toBe('"Straße 😀 é"');
  });

  it(`shortens to ${MAX_QUOTED} characters with an ellipsis, without splitting a surrogate pair`, () => {
    expect(quote('x'.repeat(MAX_QUOTED))).toBe(`"${'x'.repeat(MAX_QUOTED)}"`);
    expect(quote('x'.repeat(MAX_QUOTED + 1))).toBe(`"${'x'.repeat(MAX_QUOTED)}…"`);
    expect(quote('😀'.repeat(100))).toBe(`"${'😀'.repeat(MAX_QUOTED)}…"`);
    expect(quote('x'.repeat(39) + '😀😀', 40)).toBe(`"${'x'.repeat(39)}😀…"`);
  });

  it('quotes a huge scalar without processing it whole', () => {
    // An operation guard, not a timing: escaped whole, each ESC becomes the six characters \u001b, so
    // a quote() that escapes (JSON.stringify, replace) the whole input before cutting it would build a
    // string longer than V8 can hold and throw RangeError, however fast or slow the machine is.
    const huge = '\u001b'.repeat(Math.floor(MAX_STRING_LENGTH / 6) + 1);
    expect(6 * huge.length).toBeGreaterThan(MAX_STRING_LENGTH);
    const started = performance.now();
    const text = quote(huge);
    // A hang detector, not a budget: it only turns a quote() that does not return into a clear
    // failure. How fast an 8 MB scalar is quoted (budget 200 ms) is measured by `npm run bench`.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(text.length).toBeLessThan(600);
    expect(text).toBe(`"${'\\u001b'.repeat(MAX_QUOTED)}…"`);
  });

  it('shows non-strings as short JSON, and survives cyclic or BigInt values', () => {
    expect(quote(42)).toBe('42');
    expect(quote([1, 'a'])).toBe('[1,"a"]');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(quote(cyclic)).toBe('object');
    expect(quote(1n)).toBe('bigint');
    expect(quote(Array(100).fill(1234)).length).toBeLessThanOrEqual(MAX_QUOTED + 1);
  });

  it('shows unquoted input (a registry path) with <U+XXXX> and a middle ellipsis', () => {
    expect(shown('HKEY_LOCAL_MACHINE\\SOFTWARE\\A\u0085B')).toBe('HKEY_LOCAL_MACHINE\\SOFTWARE\\A<U+0085>B');
    expect(shown('HKEY_LOCAL_MACHINE\\' + 'x'.repeat(200) + '\\Last', 40)).toBe('HKEY_LOCAL_MACHINE\\x…' + 'x'.repeat(15) + '\\Last');
  });

  it('keeps a formatted diagnostic on one line whatever reached its message, file or pointer', () => {
    const line = formatDiagnostic({
      file: 'defs/\u001b[31mx.yaml',
      line: 3,
      column: 4,
      severity: 'error',
      message: 'raw \u001b]0;t\u0007 and\nnext',
      pointer: '/a\rb',
    });
    expect(line).toBe('defs/<U+001B>[31mx.yaml:3:4 error raw <U+001B>]0;t<U+0007> and<U+000A>next (at /a<U+000D>b)');
  });
});

describe('registry limits and data forms found by the hostile corpus', () => {
  const lock = '\u{1f512}';

  it('measures value names in UTF-16 code units, as Windows does (16,383), not in code points', () => {
    expect(valueNameProblem('N'.repeat(16_383))).toBeNull();
    expect(valueNameProblem(lock.repeat(8191) + 'N')).toBeNull(); // 16,383 units
    expect(valueNameProblem(lock.repeat(8192))).toMatch(/is 16384 UTF-16 code units long; Windows allows 16383/); // 8,192 code points
    expect(valueNameProblem('N'.repeat(16_384))).toMatch(/16384 UTF-16 code units/);
  });

  it('measures key names in UTF-16 code units too (255)', () => {
    expect(parseKeyPath(`HKEY_LOCAL_MACHINE\\SOFTWARE\\${lock.repeat(127)}k`).ok).toBe(true);
    expect(parseKeyPath(`HKEY_LOCAL_MACHINE\\SOFTWARE\\${lock.repeat(128)}`)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/256 UTF-16 code units/),
    });
  });

  it('refuses bidirectional formatting characters in key and value names, which would make them read as other names', () => {
    for (const c of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069']) {
      expect(valueNameProblem(`Enabled${c}`), c).toMatch(/bidirectional formatting character/);
      expect(parseKeyPath(`HKEY_LOCAL_MACHINE\\SOFTWARE\\A${c}B`).ok, c).toBe(false);
    }
    expect(valueNameProblem('\u05e9\u05dc\u05d5\u05dd')).toBeNull(); // right-to-left letters themselves are fine
    expect(parseValueData('REG_SZ', '\u05e9\u05dc\u05d5\u05dd\u200f').ok).toBe(true); // data is data
  });

  it('REG_BINARY: separators only between whole bytes, the position named', () => {
    const bytes = (text: string) => {
      const parsed = parseValueData('REG_BINARY', text);
      return parsed.ok && parsed.value.type === 'REG_BINARY' ? Array.from(parsed.value.data) : parsed.ok ? null : parsed.error;
    };
    expect(bytes('de ad')).toEqual([0xde, 0xad]);
    expect(bytes('dead')).toEqual([0xde, 0xad]);
    expect(bytes('de,ad be')).toEqual([0xde, 0xad, 0xbe]);
    expect(bytes('0d 0e 0a 0d')).toEqual([0x0d, 0x0e, 0x0a, 0x0d]);
    expect(bytes('')).toEqual([]);
    expect(bytes('d e a d')).toMatch(/single hex digit "d" at character 1.*\("0d", not "d"\)/);
    expect(bytes('dea d')).toMatch(/3 hex digits together \("dea"\) at character 1/);
    expect(bytes('d,e')).toMatch(/single hex digit "d" at character 1/);
    expect(bytes('de a d')).toMatch(/single hex digit "a" at character 4/);
    expect(bytes('de:ad')).toMatch(/":" at character 3, which is not a hex digit/);
  });

  it('REG_QWORD and REG_DWORD quote a number as written and state the limits exactly', () => {
    // YAML read 18446744073709551616 as the double 18446744073709552000: the loss is the point of this test.
    // biome-ignore lint/correctness/noPrecisionLoss: the literal stands for what YAML hands over
    expect(parseValueData('REG_QWORD', 18446744073709551616, '18446744073709551616')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^REG_QWORD data 18446744073709551616 is out of range \(0 to 18446744073709551615/),
    });
    expect(parseValueData('REG_QWORD', 2 ** 53, '9007199254740992')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not below 2\^53.*write it as "0x20000000000000"/),
    });
    expect(parseValueData('REG_QWORD', 2 ** 53 - 1).ok).toBe(true);
    expect(parseValueData('REG_QWORD', 2 ** 64)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/\(a number too large to represent exactly\).*write larger values as "0x…"/),
    });
    expect(parseValueData('REG_QWORD', 'x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/from 0 to 9007199254740991 \(below 2\^53\) or a string "0x"/),
    });
    expect(parseValueData('REG_DWORD', 1e20, '99999999999999999999')).toMatchObject({
      ok: false,
      error: 'REG_DWORD data 99999999999999999999 is out of range (0 to 4294967295, 0xFFFFFFFF)',
    });
    expect(parseValueData('REG_DWORD', 2 ** 32)).toMatchObject({ ok: false, error: 'REG_DWORD data 4294967296 is out of range (0 to 4294967295, 0xFFFFFFFF)' });
  });

  it('REG_MULTI_SZ names the item at fault (a pointer suffix in `at`)', () => {
    expect(parseValueData('REG_MULTI_SZ', ['a', 1])).toEqual({ ok: false, error: 'item 1 of REG_MULTI_SZ data must be a string, found an integer', at: [1] });
    expect(parseValueData('REG_MULTI_SZ', ['a', ''])).toMatchObject({ ok: false, at: [1] });
    expect(parseValueData('REG_MULTI_SZ', [null])).toMatchObject({ ok: false, error: expect.stringMatching(/found nothing/), at: [0] });
  });
});
