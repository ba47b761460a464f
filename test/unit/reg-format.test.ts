import { describe, expect, it } from 'vitest';
import {
  multiStringBytes,
  qwordBytes,
  quoteRegString,
  regDeleteValueLine,
  regKeyLine,
  regValueLine,
  regValueName,
  utf16leZ,
  wrapHex,
} from '../../src/formats/reg.js';
import { utf16leBomCrlf, utf8Lf } from '../../src/formats/text-encoding.js';

describe('.reg escaping', () => {
  it.each([
    ['plain', '"plain"'],
    ['back\\slash', '"back\\\\slash"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['\\"', '"\\\\\\""'],
    ['ünï ✓', '"ünï ✓"'],
  ])('quotes %j', (text, expected) => expect(quoteRegString(text)).toBe(expected));

  it('writes the default value as @', () => {
    expect(regValueName('')).toBe('@');
    expect(regDeleteValueLine('')).toBe('@=-');
    expect(regDeleteValueLine('a"b')).toBe('"a\\"b"=-');
  });

  it('writes key lines unescaped, with [- for deletion', () => {
    expect(regKeyLine('HKEY_LOCAL_MACHINE', 'SOFTWARE\\A "b"')).toBe('[HKEY_LOCAL_MACHINE\\SOFTWARE\\A "b"]');
    expect(regKeyLine('HKEY_LOCAL_MACHINE', 'SOFTWARE\\Old', true)).toBe('[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]');
  });
});

describe('.reg value lines', () => {
  it.each([
    [0, '"v"=dword:00000000'],
    [42, '"v"=dword:0000002a'],
    [0xffffffff, '"v"=dword:ffffffff'],
  ])('DWORD %d as %%08x', (data, expected) => expect(regValueLine('v', { type: 'REG_DWORD', data })).toBe(expected));

  it('QWORD as 8 little-endian bytes', () => {
    expect(regValueLine('q', { type: 'REG_QWORD', data: 0x0123456789abcdefn })).toBe('"q"=hex(b):ef,cd,ab,89,67,45,23,01');
    expect([...qwordBytes(42n)]).toEqual([42, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('REG_SZ with CR, LF or NUL-like control characters falls back to hex(1)', () => {
    expect(regValueLine('s', { type: 'REG_SZ', data: 'a\nb' })).toBe('"s"=hex(1):61,00,0a,00,62,00,00,00');
    expect(regValueLine('s', { type: 'REG_SZ', data: 'a\tb' })).toBe('"s"="a\tb"');
  });

  it('EXPAND_SZ and MULTI_SZ as UTF-16LE with terminators', () => {
    expect(regValueLine('e', { type: 'REG_EXPAND_SZ', data: '%A%' })).toBe('"e"=hex(2):25,00,41,00,25,00,00,00');
    expect([...multiStringBytes(['a', 'b'])]).toEqual([0x61, 0, 0, 0, 0x62, 0, 0, 0, 0, 0]);
    expect([...utf16leZ('✓')]).toEqual([0x13, 0x27, 0, 0]);
  });

  it('empty binary is hex:', () => {
    expect(regValueLine('b', { type: 'REG_BINARY', data: new Uint8Array() })).toBe('"b"=hex:');
  });

  // The Windows-verified expectation quoted in formats.md §1.6 (Wine's reg export tests).
  it('wraps hex exactly as regedit does', () => {
    const bytes = multiStringBytes(['Line1', 'Line2', 'Line3']);
    expect(regValueLine('Multiple strings', { type: 'REG_MULTI_SZ', data: ['Line1', 'Line2', 'Line3'] })).toBe(
      '"Multiple strings"=hex(7):4c,00,69,00,6e,00,65,00,31,00,00,00,4c,00,69,00,6e,\\\n' + '  00,65,00,32,00,00,00,4c,00,69,00,6e,00,65,00,33,00,00,00,00,00',
    );
    expect(bytes.length).toBe(38);
  });

  it('holds 25 bytes on every continuation line and at least one byte on the first', () => {
    const text = wrapHex('"' + 'n'.repeat(90) + '"=hex:', new Uint8Array(60));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/=hex:00,\\$/);
    expect(lines[1]).toBe('  ' + '00,'.repeat(25) + '\\');
    expect(lines.slice(1).every((l) => l.length <= 78)).toBe(true);
    expect(lines[lines.length - 1]!.endsWith(',')).toBe(false);
  });
});

describe('text encodings', () => {
  it('UTF-16LE with BOM and CRLF', () => {
    expect([...utf16leBomCrlf('a\nb\n')]).toEqual([0xff, 0xfe, 0x61, 0, 0x0d, 0, 0x0a, 0, 0x62, 0, 0x0d, 0, 0x0a, 0]);
  });

  it('refuses text that already has a carriage return', () => {
    expect(() => utf16leBomCrlf('a\r\n')).toThrow(/carriage return/);
    expect(() => utf8Lf('a\r\n')).toThrow(/carriage return/);
  });

  it('UTF-8 without BOM for Markdown and checksums', () => {
    expect([...utf8Lf('é\n')]).toEqual([0xc3, 0xa9, 0x0a]);
  });
});
