import { describe, expect, it } from 'vitest';
import { psHex, psPascalIdentifier, psSingleQuoted, psStringArray, psStringExpression } from '../../src/formats/powershell.js';
import { utf8BomCrlf } from '../../src/formats/text-encoding.js';

describe('PowerShell literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['$(Stop-Computer) `n "x"', '\'$(Stop-Computer) `n "x"\''],
    ['‘a’ ‚b‛', "'‘‘a’’ ‚‚b‛‛'"],
    ['', "''"],
  ])('single-quotes %j', (text, expected) => expect(psSingleQuoted(text)).toBe(expected));

  it('refuses a line break inside a single-quoted literal', () => {
    expect(() => psSingleQuoted('a\nb')).toThrow(/line break/);
  });

  it('splices control characters in as [char] codes', () => {
    expect(psStringExpression('a\r\nb')).toBe("('a' + [char]13 + [char]10 + 'b')");
    expect(psStringExpression('\n')).toBe("('' + [char]10)");
    expect(psStringExpression('\tx')).toBe("('' + [char]9 + 'x')");
    expect(psStringExpression('x')).toBe("'x'");
  });

  it('writes string arrays', () => {
    expect(psStringArray(["it's", 'b'])).toBe("@('it''s', 'b')");
  });

  it('makes PascalCase identifiers, never starting with a digit', () => {
    expect(psPascalIdentifier('azure-backup-tls12')).toBe('AzureBackupTls12');
    expect(psPascalIdentifier('2025-baseline')).toBe('Tls2025Baseline');
    expect(psPascalIdentifier('Disabled By Default')).toBe('DisabledByDefault');
  });

  it('writes hex as 0x + upper-case digits', () => {
    expect(psHex(1, 8)).toBe('0x00000001');
    expect(psHex(0xffffffff, 8)).toBe('0xFFFFFFFF');
    expect(psHex(0x0123456789abcdefn, 16)).toBe('0x0123456789ABCDEF');
  });
});

describe('signable script encoding', () => {
  it('is UTF-8 with BOM and CRLF', () => {
    expect([...utf8BomCrlf('é\n')]).toEqual([0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0x0d, 0x0a]);
  });

  it('refuses trailing white space and a missing final line end', () => {
    expect(() => utf8BomCrlf('a \n')).toThrow(/trailing/);
    expect(() => utf8BomCrlf('a')).toThrow(/final line end/);
  });
});
