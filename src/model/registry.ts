/**
 * The registry vocabulary every phase shares: hives, key paths, typed value data.
 * Parsing here is the single place where definition text becomes registry facts, so the
 * semantic rules (which report problems) and resolve (which uses the result) cannot disagree.
 */
import { quote } from '../diagnostics.js';
import type { ValueTypeName } from '../validate/definitions.js';

export const HIVES = ['HKEY_LOCAL_MACHINE', 'HKEY_CURRENT_USER', 'HKEY_CLASSES_ROOT', 'HKEY_USERS', 'HKEY_CURRENT_CONFIG'] as const;
export type Hive = (typeof HIVES)[number];

export interface KeyPath {
  readonly hive: Hive;
  /** Path below the hive, without leading or trailing backslash; '' is the hive itself. */
  readonly path: string;
}

export type RegistryValue =
  | { readonly type: 'REG_SZ'; readonly data: string }
  | { readonly type: 'REG_EXPAND_SZ'; readonly data: string }
  | { readonly type: 'REG_MULTI_SZ'; readonly data: readonly string[] }
  | { readonly type: 'REG_DWORD'; readonly data: number }
  | { readonly type: 'REG_QWORD'; readonly data: bigint }
  | { readonly type: 'REG_BINARY'; readonly data: Uint8Array };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

// Windows limits: 255 characters per key name, 16,383 per value name (Registry element size limits).
const MAX_KEY_SEGMENT = 255;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** XML 1.0 has no way to write these (GPP Registry.xml): reject them in data for every format. */
const XML_UNREPRESENTABLE = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
/**
 * Not a character at all: UTF-8 (DSC, scripts, Group Policy) cannot encode a lone surrogate and
 * would write U+FFFD, while the UTF-16 .reg would carry it; XML 1.0 cannot carry U+FFFE/U+FFFF.
 * validate/characters.ts refuses both in every string of a definition file; registry names and
 * data are checked here as well so that library callers get the same answer.
 */
export const NOT_CARRIED_BY_EVERY_FORMAT = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function fullKey(key: KeyPath): string {
  return key.path === '' ? key.hive : `${key.hive}\\${key.path}`;
}

/**
 * Upper-cases text the way Windows does when it compares registry key and value names: one UTF-16
 * code unit at a time, each through its simple (one-to-one) upper-case mapping, and unchanged when
 * it has none. Never JavaScript's full case mapping, which turns 'ß' into 'SS' and so would make
 * 'Straße' and 'STRASSE' one key, while Windows keeps them apart.
 *
 * Sources: "Key names are not case sensitive" (Microsoft, Structure of the Registry,
 * https://learn.microsoft.com/windows/win32/sysinfo/structure-of-the-registry). The configuration
 * manager compares names code unit by code unit through RtlUpcaseUnicodeChar (ReactOS
 * sdk/lib/cmlib/cmname.c, CmpCompareCompressedName), whose table holds UnicodeData.txt's simple
 * BMP mappings and nothing from SpecialCasing.txt (the nt-hive crate's BMP_UPPERCASE_TABLE,
 * src/string.rs, "what Windows registry hives use to perform case-insensitive comparisons").
 * Surrogates (so every character outside the BMP) stay as they are.
 *
 * The mapping comes from the JavaScript engine's Unicode tables, which may be newer than the
 * tables of an old Windows release: a letter added to Unicode since may compare differently there.
 */
export function windowsUpperInvariant(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += upcaseUnit(text.charCodeAt(i));
  return out;
}

const upcaseCache = new Map<number, string>();

function upcaseUnit(unit: number): string {
  if (unit < 0x80) return String.fromCharCode(unit >= 0x61 && unit <= 0x7a ? unit - 0x20 : unit);
  if (unit >= 0xd800 && unit <= 0xdfff) return String.fromCharCode(unit);
  let upper = upcaseCache.get(unit);
  if (upper === undefined) {
    const full = String.fromCharCode(unit).toUpperCase();
    upper = full.length === 1 ? full : String.fromCharCode(simpleUpperWhereFullExpands(unit) ?? unit);
    upcaseCache.set(unit, upper);
  }
  return upper;
}

/**
 * The only letters whose full upper case has several characters but whose simple upper case is
 * one other character (UnicodeData.txt): Greek small letters with ypogegrammeni map to the
 * prosgegrammeni capitals, e.g. U+1FB3 → U+1FBC, while the full mapping gives 'ΑΙ'. Every other
 * letter with a multi-character full mapping ('ß', 'ŉ', the 'ﬀ' ligatures…) has no simple one.
 */
function simpleUpperWhereFullExpands(unit: number): number | undefined {
  if ((unit >= 0x1f80 && unit <= 0x1f87) || (unit >= 0x1f90 && unit <= 0x1f97) || (unit >= 0x1fa0 && unit <= 0x1fa7)) return unit + 8;
  if (unit === 0x1fb3 || unit === 0x1fc3 || unit === 0x1ff3) return unit + 9;
  return undefined;
}

/** Case-insensitive identity of a key, as Windows compares key names (see windowsUpperInvariant). */
export function keyIdentity(key: KeyPath): string {
  return windowsUpperInvariant(fullKey(key));
}

/** Case-insensitive identity of a value name within its key, as Windows compares value names. */
export function valueNameIdentity(name: string): string {
  return windowsUpperInvariant(name);
}

/** Do two key paths (hive\\path text, or parsed) name the same key on Windows? */
export function sameKeyName(a: string, b: string): boolean {
  return a.length === b.length && windowsUpperInvariant(a) === windowsUpperInvariant(b);
}

export function parseKeyPath(text: string): Parsed<KeyPath> {
  const [hiveText = '', ...segments] = text.split('\\');
  const hive = HIVES.find((h) => h === hiveText.toUpperCase());
  if (!hive) {
    return fail(`key must start with a full hive name (${HIVES.join(', ')}), found ${quote(hiveText)}`);
  }
  if (hive !== hiveText) return fail(`write the hive in capitals as Windows does: ${hive}`);
  if (segments.length === 0) return fail('key names only a hive; give a key below it');
  for (const segment of segments) {
    const problem = keySegmentProblem(segment);
    if (problem) return fail(problem);
  }
  return ok({ hive, path: segments.join('\\') });
}

function keySegmentProblem(segment: string): string | null {
  // .reg has no escaping for key names: a newline would end the line, "]" would end the key.
  if (segment === '') return 'key has an empty name between backslashes (a doubled, leading or trailing "\\")';
  if (CONTROL_CHARACTER.test(segment)) return 'key name contains a line break or another control character';
  if (NOT_CARRIED_BY_EVERY_FORMAT.test(segment)) return 'key name contains U+FFFE, U+FFFF or a lone surrogate, which XML and UTF-8 cannot carry';
  if (segment.includes(']')) return 'key name contains "]", which no .reg file can carry';
  // '.' and '..' are literal key names to regedit and reg.exe, but PowerShell (-LiteralPath, so the
  // installer, the audit and DSC) resolves them to the key itself or its parent: one definition,
  // two different keys.
  if (segment === '.' || segment === '..') return `key name ${quote(segment)} is refused: PowerShell reads it as ${segment === '.' ? 'the key itself' : 'the parent key'} while regedit creates a key with that name`;
  if (segment.length > MAX_KEY_SEGMENT) return `key name ${quote(segment, 20)} is longer than ${MAX_KEY_SEGMENT} characters`;
  if (segment !== segment.trim()) return `key name ${quote(segment)} starts or ends with a space`;
  return null;
}

export function valueNameProblem(name: string): string | null {
  // Quotes and backslashes are fine (every format escapes them); line breaks are not representable in .reg.
  if (CONTROL_CHARACTER.test(name)) return 'value name contains a line break or another control character';
  if (NOT_CARRIED_BY_EVERY_FORMAT.test(name)) return 'value name contains U+FFFE, U+FFFF or a lone surrogate, which XML and UTF-8 cannot carry';
  return null;
}

const DWORD_MAX = 0xffff_ffff;
const QWORD_MAX = (1n << 64n) - 1n;

export function parseValueData(type: ValueTypeName, data: unknown): Parsed<RegistryValue> {
  switch (type) {
    case 'REG_DWORD':
      if (typeof data !== 'number' || !Number.isInteger(data)) return fail(`REG_DWORD data must be an integer, found ${describe(data)}`);
      if (data < 0 || data > DWORD_MAX) return fail(`REG_DWORD data ${data} is out of range (0 to 4294967295, 0xFFFFFFFF)`);
      return ok({ type, data });
    case 'REG_QWORD':
      return parseQword(data);
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      if (typeof data !== 'string') return fail(`${type} data must be a string, found ${describe(data)}`);
      if (data.includes('\u0000')) return fail(`${type} data contains a NUL character, which would cut the string short`);
      if (XML_UNREPRESENTABLE.test(data)) return fail(`${type} data contains a control character that Group Policy's XML cannot carry (only tab, CR and LF are possible)`);
      if (NOT_CARRIED_BY_EVERY_FORMAT.test(data)) return fail(`${type} data contains a lone surrogate, which UTF-8 cannot carry`);
      return ok({ type, data });
    case 'REG_MULTI_SZ':
      return parseMultiString(data);
    case 'REG_BINARY':
      return parseBinary(data);
  }
}

function parseQword(data: unknown): Parsed<RegistryValue> {
  let value: bigint;
  if (typeof data === 'number' && Number.isSafeInteger(data)) value = BigInt(data);
  else if (typeof data === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(data)) value = BigInt(data);
  else return fail(`REG_QWORD data must be an integer up to 2^53 or a string "0x" + 1 to 16 hex digits, found ${describe(data)}`);
  if (value < 0n || value > QWORD_MAX) return fail(`REG_QWORD data ${String(data)} is out of range`);
  return ok({ type: 'REG_QWORD', data: value });
}

function parseMultiString(data: unknown): Parsed<RegistryValue> {
  if (!Array.isArray(data) || !data.every((s) => typeof s === 'string')) {
    return fail(`REG_MULTI_SZ data must be a list of strings, found ${describe(data)}`);
  }
  // An empty string or a NUL inside one would end the list early when Windows reads it.
  if (data.some((s: string) => s === '' || s.includes('\u0000'))) {
    return fail('REG_MULTI_SZ strings must not be empty or contain NUL characters');
  }
  if (data.some((s: string) => XML_UNREPRESENTABLE.test(s))) {
    return fail("REG_MULTI_SZ data contains a control character that Group Policy's XML cannot carry (only tab, CR and LF are possible)");
  }
  if (data.some((s: string) => NOT_CARRIED_BY_EVERY_FORMAT.test(s))) return fail('REG_MULTI_SZ data contains a lone surrogate, which UTF-8 cannot carry');
  return ok({ type: 'REG_MULTI_SZ', data: [...data] as string[] });
}

function parseBinary(data: unknown): Parsed<RegistryValue> {
  if (typeof data !== 'string') return fail(`REG_BINARY data must be a string of hex bytes, found ${describe(data)}`);
  const digits = data.replace(/[\s,]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) {
    return fail('REG_BINARY data must be hex byte pairs such as "de ad be ef" (spaces or commas between bytes are allowed)');
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return ok({ type: 'REG_BINARY', data: bytes });
}

function describe(data: unknown): string {
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'string') return `the string ${quote(data, 40)}`;
  return quote(data, 40);
}

/** Same registry data? (Used to tell a harmless repetition from a conflict.) */
export function sameValue(a: RegistryValue, b: RegistryValue): boolean {
  return a.type === b.type && displayData(a) === displayData(b);
}

/** Data as a person reads it (explain tables, conflict messages). */
export function displayData(value: RegistryValue): string {
  switch (value.type) {
    case 'REG_DWORD':
      return `${value.data} (0x${value.data.toString(16).toUpperCase().padStart(8, '0')})`;
    case 'REG_QWORD':
      return `${value.data} (0x${value.data.toString(16).toUpperCase().padStart(16, '0')})`;
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return JSON.stringify(value.data);
    case 'REG_MULTI_SZ':
      return '[' + value.data.map((s) => JSON.stringify(s)).join(', ') + ']';
    case 'REG_BINARY':
      return Array.from(value.data, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(empty)';
  }
}
