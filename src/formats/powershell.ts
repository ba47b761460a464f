/**
 * PowerShell byte rules for generated scripts and DSC configurations, in one place. Every text
 * from the definitions enters a script only through these functions: single-quoted literals
 * (never double quotes, never inside script blocks unescaped) and `#` line comments.
 * Reference: about_Quoting_Rules; PowerShell treats U+2018, U+2019, U+201A and U+201B like an
 * apostrophe, so they are doubled too (as CodeGeneration.EscapeSingleQuotedStringContent does).
 */

import type { RegistryValue } from '../model/registry.js';
import { hexBytes, hexNumber } from './hex.js';

const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** A single-quoted literal for one line of text: `'it''s'`. */
export function psSingleQuoted(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error('internal: a single-quoted literal cannot hold a line break; use psStringExpression');
  return "'" + text.replace(SINGLE_QUOTES, (q) => q + q) + "'";
}

/**
 * Any string as a PowerShell expression. Control characters (line breaks, NUL, …) are spliced
 * in as [char] codes, so the script's own CRLF line ends can never change the data.
 */
export function psStringExpression(text: string): string {
  const parts: string[] = [];
  let literal = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) {
      if (literal !== '') parts.push(psSingleQuoted(literal));
      parts.push(`[char]${code}`);
      literal = '';
    } else literal += ch;
  }
  if (literal !== '' || parts.length === 0) parts.push(psSingleQuoted(literal));
  if (parts.length === 1 && !parts[0]!.startsWith('[char]')) return parts[0]!;
  // `[char]10 + 'a'` would be char arithmetic: start from a string so + concatenates.
  if (parts[0]!.startsWith('[char]')) parts.unshift("''");
  return `(${parts.join(' + ')})`;
}

/** `@('a', 'b')` */
export function psStringArray(items: readonly string[]): string {
  return `@(${items.map(psStringExpression).join(', ')})`;
}

/** A PowerShell identifier in PascalCase from an id such as `azure-backup-tls12`. */
export function psPascalIdentifier(id: string, prefixIfDigit = 'Tls'): string {
  const pascal = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return /^[0-9]/.test(pascal) || pascal === '' ? prefixIfDigit + pascal : pascal;
}

export function psHex(value: number | bigint, digits: 8 | 16): string {
  return '0x' + hexNumber(value, digits);
}

// ---- ASCII-only literals ----

/**
 * Any string as an ASCII-only PowerShell expression: printable ASCII in single-quoted literals,
 * every other UTF-16 code unit (controls, non-ASCII, each half of a surrogate pair) as [char]0xNNNN,
 * which PowerShell 2.0 and later evaluate to exactly that character. For scripts that must be pure
 * ASCII (Intune Remediations, formats/text-encoding.ts asciiCrlf).
 * `'caf' + [char]0x00E9` is a string: the expression starts with a literal so + concatenates.
 */
export function psAsciiExpression(text: string): string {
  const parts: string[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) {
      literal += text[i];
      continue;
    }
    if (literal !== '' || parts.length === 0) parts.push(psSingleQuoted(literal));
    parts.push(`[char]0x${hexNumber(unit, 4)}`);
    literal = '';
  }
  if (literal !== '' || parts.length === 0) parts.push(psSingleQuoted(literal));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}

/** `@('a', ('caf' + [char]0x00E9))` */
export function psAsciiStringArray(items: readonly string[]): string {
  return `@(${items.map(psAsciiExpression).join(', ')})`;
}

/** Comment text in ASCII: every non-ASCII code point written as <U+NNNN>. */
export function asciiCommentText(text: string): string {
  return text.replace(/[^\x20-\x7e\n]/gu, (ch) => `<U+${hexNumber(ch.codePointAt(0)!, 4)}>`);
}

// ---- literal sets and value data ----

/** How text from the definitions becomes PowerShell source: one string, and an array of strings. */
export interface PsLiterals {
  readonly string: (text: string) => string;
  readonly array: (items: readonly string[]) => string;
}

/** UTF-8 literals, for scripts saved as UTF-8 with BOM. */
export const UTF8_LITERALS: PsLiterals = { string: psStringExpression, array: psStringArray };

/** ASCII-only literals, for scripts saved as ASCII. */
export const ASCII_LITERALS: PsLiterals = { string: psAsciiExpression, array: psAsciiStringArray };

/**
 * A registry value as the text ConvertTo-TlsgenText (templates/scripts) makes of the value read
 * back, so generated scripts compare text: DWORD/QWORD as 0x + 8/16 upper-case hex digits, Binary as
 * upper-case hex digits, MULTI_SZ joined by NUL, strings as they are; strings through `literals`.
 */
export function psCanonicalData(value: RegistryValue, literals: PsLiterals): string {
  switch (value.type) {
    case 'REG_DWORD':
      return psSingleQuoted(psHex(value.data, 8));
    case 'REG_QWORD':
      return psSingleQuoted(psHex(value.data, 16));
    case 'REG_BINARY':
      return psSingleQuoted(hexBytes(value.data, 'upper'));
    case 'REG_MULTI_SZ':
      return literals.string(value.data.join('\u0000'));
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return literals.string(value.data);
  }
}

/**
 * The Authenticode signature block of a .ps1/.psd1 is `# SIG # Begin signature block`, base64 lines
 * `# …`, `# SIG # End signature block`. osslsigncode (script.c, script_ctx_get) takes the first
 * LF-terminated line that starts with "# " + "SIG # Begin signature block" for the block's start and
 * drops everything after it; the PowerShell SIP wants `\r\n# SIG # Begin signature block\r\n … # SIG #
 * End signature block\r\n` at the end of the file. So no generated line may read like a marker:
 * comment text that starts with `SIG #` (any case or spacing) is quoted as `> SIG #…`. String data
 * never starts a line: psSingleQuoted refuses line breaks and psStringExpression splices them in as
 * [char] codes, so a literal always sits on one line and starts with a quote.
 */
export const PS_SIGNATURE_BEGIN = '# SIG # Begin signature block';
export const PS_SIGNATURE_END = '# SIG # End signature block';

/** A line a signer could take for a signature marker (generous: any case, spacing, indent). */
export function psLooksLikeSignatureMarker(line: string): boolean {
  return /^\s*#\s*SIG\s*#/i.test(line);
}

/** One comment line's text (after `# `), quoted when it would make the line read like a marker. */
export function psCommentText(text: string): string {
  return /^\s*SIG\s*#/i.test(text) ? `> ${text}` : text;
}

/** Names of Microsoft.Win32.RegistryValueKind, as RegistryKey.GetValueKind returns them: what generated scripts compare. */
export const REGISTRY_VALUE_KIND: Readonly<Record<RegistryValue['type'], string>> = {
  REG_SZ: 'String',
  REG_EXPAND_SZ: 'ExpandString',
  REG_MULTI_SZ: 'MultiString',
  REG_DWORD: 'DWord',
  REG_QWORD: 'QWord',
  REG_BINARY: 'Binary',
};
