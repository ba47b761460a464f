import { describe, expect, it } from 'vitest';
import { asciiCrlf } from '../../src/formats/text-encoding.js';
import { asciiCommentText, psAsciiExpression, psAsciiStringArray } from '../../src/formats/powershell.js';

describe('asciiCrlf (Intune scripts: ASCII, CRLF, no BOM)', () => {
  it('writes ASCII bytes with CRLF and no BOM', () => {
    expect([...asciiCrlf("a 'b'\n\tc\n")]).toEqual([0x61, 0x20, 0x27, 0x62, 0x27, 0x0d, 0x0a, 0x09, 0x63, 0x0d, 0x0a]);
  });

  it.each([
    ['é', 'U+00E9', 1],
    ['x\ny ✓', 'U+2713', 2],
    ['\u0000', 'U+0000', 1],
    ['\u007f', 'U+007F', 1],
    ['😀', 'U+D83D', 1],
  ])('refuses %j (%s on line %i)', (text, code, line) => {
    expect(() => asciiCrlf(`${text}\n`)).toThrow(new RegExp(`${code.replace('+', '\\+')} on line ${line}`));
  });

  it('refuses CR, trailing white space and a missing final line end', () => {
    expect(() => asciiCrlf('a\r\n')).toThrow(/carriage return/);
    expect(() => asciiCrlf('a \n')).toThrow(/trailing white space/);
    expect(() => asciiCrlf('a')).toThrow(/final line end/);
  });
});

describe('ASCII-only PowerShell literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['', "''"],
    ['é', "('' + [char]0x00E9)"],
    ['café', "('caf' + [char]0x00E9)"],
    ['‘a’', "('' + [char]0x2018 + 'a' + [char]0x2019)"],
    ['a\r\nb', "('a' + [char]0x000D + [char]0x000A + 'b')"],
    ['😀', "('' + [char]0xD83D + [char]0xDE00)"],
    ['$(x) `n', "'$(x) `n'"],
  ])('%j -> %s', (text, expected) => {
    expect(psAsciiExpression(text)).toBe(expected);
    expect(psAsciiExpression(text)).toMatch(/^[\x20-\x7e]*$/);
  });

  it('writes arrays with each element its own expression', () => {
    expect(psAsciiStringArray(['a', 'é'])).toBe("@('a', ('' + [char]0x00E9))");
  });

  it('writes comment text as ASCII with <U+NNNN> for other characters', () => {
    expect(asciiCommentText('Grüße 😀')).toBe('Gr<U+00FC><U+00DF>e <U+1F600>');
  });
});
