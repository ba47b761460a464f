/**
 * Tests of the real-consumer harness itself (reg-reader, Wine, hivexregedit) on
 * hand-written .reg fixtures.
 *
 * The fixtures' source text lives below; the files in test/fixtures/reg/ are its exact
 * UTF-16LE encoding (written by code, so no editor can drop the BOM or the CRLFs).
 * Regenerate them with: TLSGEN_UPDATE_FIXTURES=1 npx vitest run test/consumers
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  REG_V5_HEADER,
  RegFormatError,
  decodeRegFile,
  finalState,
  keyId,
  keyPathError,
  lookupValue,
  parseRegText,
  readRegBytes,
  setValues,
  utf16z,
} from '../support/reg-reader.js';
import { describeConsumer, type ConsumerResult } from './consumer-policy.js';
import { hivexAvailable, hivexMerge } from './hivex.js';
import { wineAvailable, wineRoundTrip } from './wine.js';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/reg/', import.meta.url));
const ROOT = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenHarnessTest';
const WINE_TIMEOUT_MS = 180_000; // the first call may have to create the Wine prefix

// ---------------------------------------------------------------------------------------
// Fixture source

/** A hex value line wrapped like regedit's export: `,\` + CRLF + two spaces at column 77. */
function hexLine(prefix: string, bytes: Buffer): string {
  let out = prefix;
  let col = prefix.length;
  bytes.forEach((b, i) => {
    out += b.toString(16).padStart(2, '0');
    if (i === bytes.length - 1) return;
    out += ',';
    col += 3;
    if (col >= 77) {
      out += '\\\r\n  ';
      col = 2;
    }
  });
  return out;
}

function multiSz(items: string[]): Buffer {
  return Buffer.concat([...items.map(utf16z), Buffer.alloc(2)]);
}

function qword(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

/** `\` and `"` escaped, as inside a quoted .reg name or string. */
function q(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function encode(lines: string[], bom = true): Buffer {
  // Every line, including the last blank one, ends with CRLF.
  const text = lines.map((l) => l + '\r\n').join('');
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
}

const STR = 'C:\\Program Files\\Acme "quoted" \\\\server\\share\\';
const TRICKY_NAME = 'Name "with" quotes\\and backslash';
const MULTILINE = 'line one\r\nline two\n';
const BIN = Buffer.from(Array.from({ length: 90 }, (_, i) => (i * 37 + 11) & 0xff));

/** Names the good file leaves set in ROOT\Values; the rollback deletes exactly these. */
const VALUE_NAMES = ['', 'Str', 'Unicode', 'Multiline', 'Expand', 'Multi', 'DwZero', 'DwMax', 'Qw', 'Bin', 'EmptyStr', TRICKY_NAME];

const GOOD = [
  REG_V5_HEADER,
  '',
  '; tlsgen consumer-harness fixture: every value type the generator writes',
  '; whole-line comments sit between the header and the first key block',
  '',
  `[${ROOT}\\Values]`,
  '@="default ✓"',
  `"Str"=${q(STR)}`,
  '"Unicode"="héllo ✓ Ωmega 日本語 😀"',
  hexLine('"Multiline"=hex(1):', utf16z(MULTILINE)),
  hexLine('"Expand"=hex(2):', utf16z('%SystemRoot%\\System32\\schannel.dll')),
  hexLine('"Multi"=hex(7):', multiSz(['TLS 1.2', 'TLS 1.3', 'ünïcødé'])),
  '"DwZero"=dword:00000000',
  '"DwMax"=dword:ffffffff',
  hexLine('"Qw"=hex(b):', qword(0x0123456789abcdefn)),
  hexLine('"Bin"=hex:', BIN),
  '"EmptyStr"=""',
  `${q(TRICKY_NAME)}=dword:0000002a`,
  '"ToDelete"="set, then deleted further down"',
  '',
  `[${ROOT}\\Empty]`,
  '',
  `[${ROOT}\\Nested\\Deep\\Key]`,
  '"Enabled"=dword:00000001',
  '',
  `[${ROOT}\\Gone\\Child]`,
  '"Doomed"=dword:00000001',
  '',
  `[${ROOT}\\Values]`,
  '"ToDelete"=-',
  '',
  `[-${ROOT}\\Gone]`,
  '',
];

const GOOD_ROLLBACK = [
  REG_V5_HEADER,
  '',
  `[${ROOT}\\Values]`,
  ...VALUE_NAMES.map((n) => `${n === '' ? '@' : q(n)}=-`),
  '',
  `[${ROOT}\\Nested\\Deep\\Key]`,
  '"Enabled"=-',
  '',
];

const simple = (sub: string, ...values: string[]): string[] => [REG_V5_HEADER, '', `[${ROOT}\\${sub}]`, ...values, ''];

const FIXTURES: Record<string, Buffer> = {
  'good.reg': encode(GOOD),
  'good-rollback.reg': encode(GOOD_ROLLBACK),
  'no-bom.reg': encode(simple('NoBom', '"Ok"=dword:00000001'), false),
  'bad-dword.reg': encode(simple('BadDword', '"Ok"=dword:00000001', '"Bad"=dword:xyz')),
  'bad-quote.reg': encode(simple('BadQuote', '"Ok"=dword:00000001', '"Bad"="unterminated')),
  'bad-header.reg': encode(['Windows Registry Editor Version 5.0', ...simple('BadHeader', '"Ok"=dword:00000001').slice(1)]),
  'comment-after-header.reg': encode([
    REG_V5_HEADER,
    '; a comment directly on the line after the header',
    '',
    `[${ROOT}\\CommentAfter]`,
    '"Ok"=dword:00000001',
    '',
  ]),
  'comment-before-header.reg': encode(['; a comment before the header', ...simple('CommentBefore', '"Ok"=dword:00000001')]),
};

function fixture(name: string): string {
  return join(FIXTURE_DIR, name);
}

function logResult(label: string, result: ConsumerResult, wallMs: number): void {
  const calls = result.callMs.map((ms) => Math.round(ms)).join(', ');
  console.log(`${label}: ${Math.round(wallMs)} ms wall, ${result.callMs.length} calls [${calls}] ms`);
}

async function timed<T extends ConsumerResult>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  logResult(label, result, performance.now() - started);
  return result;
}

// ---------------------------------------------------------------------------------------

describe('fixtures', () => {
  it('files on disk are the encoding of the source above', () => {
    if (process.env['TLSGEN_UPDATE_FIXTURES'] === '1') {
      mkdirSync(FIXTURE_DIR, { recursive: true });
      for (const [name, bytes] of Object.entries(FIXTURES)) writeFileSync(fixture(name), bytes);
    }
    for (const [name, bytes] of Object.entries(FIXTURES)) {
      expect(existsSync(fixture(name)), `${name} missing; run with TLSGEN_UPDATE_FIXTURES=1`).toBe(true);
      expect(readFileSync(fixture(name)).equals(bytes), `${name} is stale; run with TLSGEN_UPDATE_FIXTURES=1`).toBe(true);
    }
  });

  it('hexLine wraps exactly like the Windows export example in formats.md §1.6', () => {
    const bytes = multiSz(['Line1', 'Line2', 'Line3']);
    expect(hexLine('"Multiple strings"=hex(7):', bytes)).toBe(
      '"Multiple strings"=hex(7):4c,00,69,00,6e,00,65,00,31,00,00,00,4c,00,69,00,6e,\\\r\n' +
        '  00,65,00,32,00,00,00,4c,00,69,00,6e,00,65,00,33,00,00,00,00,00',
    );
  });
});

describe('reg-reader', () => {
  const good = readRegBytes(FIXTURES['good.reg'] as Buffer);
  const values = finalState(good);
  const value = (name: string) => lookupValue(values, `${ROOT}\\Values`, name);

  it('reads the good file without any issue', () => {
    expect(good.problems).toEqual([]);
    expect(good.rejected).toEqual([]);
  });

  it('decodes every value type to the bytes Windows stores', () => {
    expect(value('')?.data).toEqual(utf16z('default ✓'));
    expect(value('Str')).toMatchObject({ type: REG_SZ, data: utf16z(STR) });
    expect(value('Unicode')?.data).toEqual(utf16z('héllo ✓ Ωmega 日本語 😀'));
    expect(value('Multiline')).toMatchObject({ type: REG_SZ, data: utf16z(MULTILINE) });
    expect(value('Expand')).toMatchObject({ type: REG_EXPAND_SZ, data: utf16z('%SystemRoot%\\System32\\schannel.dll') });
    expect(value('Multi')).toMatchObject({ type: REG_MULTI_SZ, data: multiSz(['TLS 1.2', 'TLS 1.3', 'ünïcødé']) });
    expect(value('DwZero')).toMatchObject({ type: REG_DWORD, data: Buffer.from([0, 0, 0, 0]) });
    expect(value('DwMax')).toMatchObject({ type: REG_DWORD, data: Buffer.from([0xff, 0xff, 0xff, 0xff]) });
    expect(value('Qw')).toMatchObject({ type: REG_QWORD, data: Buffer.from('efcdab8967452301', 'hex') });
    expect(value('Bin')).toMatchObject({ type: REG_BINARY, data: BIN });
    expect(value('EmptyStr')?.data).toEqual(Buffer.from([0, 0]));
    expect(value(TRICKY_NAME.toUpperCase())?.data).toEqual(Buffer.from([0x2a, 0, 0, 0]));
  });

  it('applies value and key deletions in file order', () => {
    expect(value('ToDelete')).toBeUndefined();
    expect(values.values.get(keyId(`${ROOT}\\Values`))?.get('todelete')?.entry).toBeNull();
    expect([...values.absentKeys.values()]).toEqual([`${ROOT}\\Gone`]);
    expect(values.keys.has(keyId(`${ROOT}\\Gone\\Child`))).toBe(false);
    expect(values.keys.has(keyId(`${ROOT}\\Empty`))).toBe(true);
    expect(good.deletedKeys).toEqual([`${ROOT}\\Gone`]);
    expect(setValues(values)).toHaveLength(VALUE_NAMES.length + 1);
  });

  it('requires the UTF-16LE BOM', () => {
    expect(() => decodeRegFile(FIXTURES['no-bom.reg'] as Buffer)).toThrow(RegFormatError);
    expect(readRegBytes(FIXTURES['no-bom.reg'] as Buffer).problems).toEqual(['file: missing UTF-16LE byte order mark FF FE at the start of the file']);
  });

  it('rejects a bad dword, an unterminated quote and bad header lines', () => {
    const dword = readRegBytes(FIXTURES['bad-dword.reg'] as Buffer);
    expect(dword.rejected).toMatchObject([{ line: 5, name: 'Bad', key: `${ROOT}\\BadDword` }]);
    expect(dword.problems).toEqual(['line 5: invalid dword "xyz"']);
    const quote = readRegBytes(FIXTURES['bad-quote.reg'] as Buffer);
    expect(quote.rejected).toMatchObject([{ line: 5, name: 'Bad' }]);
    expect(quote.problems[0]).toMatch(/^line 5: string data: unterminated quoted string/);
    expect(readRegBytes(FIXTURES['bad-header.reg'] as Buffer).problems[0]).toMatch(/^line 1: first line must be exactly/);
    expect(readRegBytes(FIXTURES['comment-before-header.reg'] as Buffer).problems[0]).toMatch(/^line 1: first line/);
  });

  it("reads Wine's \\n and \\r escapes only when asked to", () => {
    const text = `${REG_V5_HEADER}\r\n\r\n[${ROOT}]\r\n"nl"="a\\nb\\rc"\r\n\r\n`;
    expect(parseRegText(text, { escapes: 'wine' }).entries[0]?.data).toEqual(utf16z('a\nb\rc'));
    expect(parseRegText(text).problems).toEqual([`line 4: string data: unsupported escape \\n in "\\"a\\\\nb\\\\rc\\""`]);
  });

  it('flags shapes hivexregedit or regedit reject', () => {
    expect(keyPathError('HKLM\\SOFTWARE\\X')).toMatch(/abbreviations/);
    expect(keyPathError(`${ROOT}\\`)).toMatch(/empty path component/);
    const text = [REG_V5_HEADER, '', `[${ROOT}]`, '"a"=dword:1', '; inside', '"b"="x" ;c', `[${ROOT}\\B]`].join('\r\n');
    const issues = parseRegText(text).issues.map((i) => `${i.line} ${i.severity}`);
    expect(issues).toEqual(['7 style', '4 style', '5 style', '6 error', '7 style', '7 style']);
  });
});

// ---------------------------------------------------------------------------------------

describeConsumer('Wine reg.exe', wineAvailable(), () => {
  const run = (name: string, rollback?: string) =>
    timed(`wine ${name}`, () => wineRoundTrip(fixture(name), rollback === undefined ? undefined : fixture(rollback)));

  it('imports the good file exactly, and its rollback removes every value it set', { timeout: WINE_TIMEOUT_MS }, async () => {
    const result = await run('good.reg', 'good-rollback.reg');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('rejects a file without BOM', { timeout: WINE_TIMEOUT_MS }, async () => {
    const result = await run('no-bom.reg');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['apply file: wine reg import rejected it (exit 1)']);
  });

  it('catches the bad dword Wine skips silently', { timeout: WINE_TIMEOUT_MS }, async () => {
    const result = await run('bad-dword.reg');
    expect(result.problems).toEqual([`apply file line 5: invalid dword "xyz" — Wine silently skipped it: [${ROOT}\\BadDword] "Bad" was not imported`]);
  });

  it('catches the unterminated quote Wine skips silently', { timeout: WINE_TIMEOUT_MS }, async () => {
    const result = await run('bad-quote.reg');
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^apply file line 5: .*unterminated.* Wine silently skipped it/);
  });

  it('rejects a bad header', { timeout: WINE_TIMEOUT_MS }, async () => {
    expect((await run('bad-header.reg')).problems).toEqual(['apply file: wine reg import rejected it (exit 1)']);
  });

  it('accepts a comment line directly after the header', { timeout: WINE_TIMEOUT_MS }, async () => {
    const result = await run('comment-after-header.reg');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual(['apply file line 2: the header must be followed by a blank line']);
  });

  it('rejects a comment line before the header', { timeout: WINE_TIMEOUT_MS }, async () => {
    expect((await run('comment-before-header.reg')).problems).toEqual(['apply file: wine reg import rejected it (exit 1)']);
  });
});

describeConsumer('hivexregedit', hivexAvailable(), () => {
  const run = (name: string, rollback?: string) =>
    timed(`hivex ${name}`, () => hivexMerge(fixture(name), rollback === undefined ? undefined : fixture(rollback)));

  it('merges the good file exactly, and its rollback removes every value it set', async () => {
    const result = await run('good.reg', 'good-rollback.reg');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it('merges the rollback file alone into an empty hive', async () => {
    expect((await run('good-rollback.reg')).problems).toEqual([]);
  });

  it('rejects a file without BOM itself: it reads the real bytes, and UTF-16 without a BOM is read big-endian', async () => {
    const { problems } = await run('no-bom.reg');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^apply file: hivexregedit --merge rejected it \(exit \d+\): reg_import: parse error: unexpected text found at line 1/);
    expect(problems[1]).toBe('apply file: missing UTF-16LE byte order mark FF FE at the start of the file');
  });

  it('is given the generated bytes, not a copy: a UTF-8 file with the right text is rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsgen-hivex-utf8-'));
    const utf8 = join(dir, 'utf8.reg');
    writeFileSync(
      utf8,
      `\ufeff${simple('Utf8', '"Ok"=dword:00000001')
        .map((l) => `${l}\r\n`)
        .join('')}`,
      'utf8',
    );
    try {
      const { problems } = await timed('hivex utf8.reg', () => hivexMerge(utf8));
      expect(
        problems.some((p) => /hivexregedit --merge rejected it/.test(p)),
        problems.join('\n'),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['bad-dword.reg', 'bad-quote.reg'])('rejects %s with a parse error', async (name) => {
    const result = await run(name);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^apply file: hivexregedit --merge rejected it \(exit \d+\): reg_import: parse error: at line 5/);
  });

  // hivexregedit skips any line containing "Windows Registry Editor Version" and any
  // comment, so it does not check the header; the reader cross-check catches these.
  it.each(['bad-header.reg', 'comment-before-header.reg'])('accepts %s, but the harness still flags it', async (name) => {
    const result = await run(name);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^apply file line 1: first line must be exactly .* hivexregedit accepted the file anyway$/);
  });

  it('accepts a comment line directly after the header', async () => {
    const result = await run('comment-after-header.reg');
    expect(result.problems).toEqual([]);
  });
});
