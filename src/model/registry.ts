/**
 * The registry vocabulary every phase shares: hives, key paths, typed value data.
 * Parsing here is the single place where definition text becomes registry facts, so the
 * semantic rules (which report problems) and resolve (which uses the result) cannot disagree.
 */
import { quote, shown } from '../diagnostics.js';
import type { ValueTypeName } from '../definitions/types.js';

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

/**
 * A failure names, in `at`, the part of the input it is about when that is not the whole input
 * (the item of a REG_MULTI_SZ list): callers append it to the input's JSON pointer.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; at?: readonly (string | number)[] };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string, at?: readonly (string | number)[]): Parsed<T> => (at ? { ok: false, error, at } : { ok: false, error });

/**
 * Windows limits: 255 characters per key name, 16,383 per value name (Registry element size
 * limits, https://learn.microsoft.com/windows/win32/sysinfo/registry-element-size-limits). The
 * registry stores names as UTF-16, and "characters" there are UTF-16 code units: a character
 * outside the BMP (an emoji) takes two. JavaScript's `length` counts the same units.
 */
const MAX_KEY_SEGMENT = 255;
const MAX_VALUE_NAME = 16_383;
/**
 * Bidirectional formatting characters (Unicode Bidi_Control: ALM, LRM, RLM, the embeddings and
 * overrides LRE RLE PDF LRO RLO, the isolates LRI RLI FSI PDI). Invisible, and they make the text
 * around them display in another order than it is stored ("Trojan Source"): a key or value name
 * holding one reads as another name in regedit, in the README and in review.
 */
export const BIDI_FORMATTING = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The ones that reorder more than their neighbours (embeddings, overrides, isolates): refused in prose too. */
export const BIDI_REORDERING = /[\u202a-\u202e\u2066-\u2069]/;
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
  if (segment === '.' || segment === '..')
    return `key name ${quote(segment)} is refused: PowerShell reads it as ${segment === '.' ? 'the key itself' : 'the parent key'} while regedit creates a key with that name`;
  if (BIDI_FORMATTING.test(segment))
    return `key name ${quote(segment, 40)} contains ${bidiCharacter(segment)}, an invisible bidirectional formatting character: the name would display as another name than the one Windows stores`;
  if (segment.length > MAX_KEY_SEGMENT)
    return `key name ${quote(segment, 20)} is ${segment.length} UTF-16 code units long; Windows allows ${MAX_KEY_SEGMENT} (a character outside the BMP, such as an emoji, counts as two)`;
  if (segment !== segment.trim()) return `key name ${quote(segment)} starts or ends with a space`;
  return null;
}

export function valueNameProblem(name: string): string | null {
  // Quotes and backslashes are fine (every format escapes them); line breaks are not representable in .reg.
  if (CONTROL_CHARACTER.test(name)) return 'value name contains a line break or another control character';
  if (NOT_CARRIED_BY_EVERY_FORMAT.test(name)) return 'value name contains U+FFFE, U+FFFF or a lone surrogate, which XML and UTF-8 cannot carry';
  if (BIDI_FORMATTING.test(name))
    return `value name ${quote(name, 40)} contains ${bidiCharacter(name)}, an invisible bidirectional formatting character: the name would display as another name than the one Windows stores`;
  // Measured in UTF-16 code units, as Windows measures it (not in code points, as JSON Schema's maxLength does).
  if (name.length > MAX_VALUE_NAME)
    return `value name ${quote(name, 20)} is ${name.length} UTF-16 code units long; Windows allows ${MAX_VALUE_NAME} (a character outside the BMP, such as an emoji, counts as two)`;
  return null;
}

const BIDI_NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** "U+202E (RIGHT-TO-LEFT OVERRIDE)": the first bidirectional formatting character of `text`. */
export function bidiCharacter(text: string, among: RegExp = BIDI_FORMATTING): string {
  const unit = among.exec(text)?.[0].charCodeAt(0) ?? 0;
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')} (${BIDI_NAMES[unit] ?? 'a bidirectional formatting character'})`;
}

const DWORD_MAX = 0xffff_ffff;
const QWORD_MAX = (1n << 64n) - 1n;
const DWORD_RANGE = '0 to 4294967295, 0xFFFFFFFF';
const QWORD_RANGE = '0 to 18446744073709551615, "0xFFFFFFFFFFFFFFFF"';
const QWORD_FORMS = 'an integer from 0 to 9007199254740991 (below 2^53) or a string "0x" + 1 to 16 hex digits (for larger values)';

/**
 * @param written the data as the definition wrote it (the YAML scalar's text), when known: YAML
 * reads integers into doubles, so a large one is no longer the number written, and a message
 * quotes the text instead.
 */
export function parseValueData(type: ValueTypeName, data: unknown, written?: string): Parsed<RegistryValue> {
  switch (type) {
    case 'REG_DWORD':
      if (typeof data !== 'number' || !Number.isInteger(data)) return fail(`REG_DWORD data must be an integer (${DWORD_RANGE}), found ${describe(data)}`);
      if (data < 0 || data > DWORD_MAX) return fail(`REG_DWORD data ${numberAsWritten(data, written)} is out of range (${DWORD_RANGE})`);
      return ok({ type, data });
    case 'REG_QWORD':
      return parseQword(data, written);
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      if (typeof data !== 'string') return fail(`${type} data must be a string, found ${describe(data)}`);
      if (data.includes('\u0000')) return fail(`${type} data contains a NUL character, which would cut the string short`);
      if (XML_UNREPRESENTABLE.test(data))
        return fail(`${type} data contains a control character that Group Policy's XML cannot carry (only tab, CR and LF are possible)`);
      if (NOT_CARRIED_BY_EVERY_FORMAT.test(data)) return fail(`${type} data contains a lone surrogate, which UTF-8 cannot carry`);
      return ok({ type, data });
    case 'REG_MULTI_SZ':
      return parseMultiString(data);
    case 'REG_BINARY':
      return parseBinary(data);
  }
}

/** A number in a message: as written when known, else exactly when it is exact, else saying so. */
function numberAsWritten(data: number, written: string | undefined): string {
  const text = written?.trim();
  if (text) return shown(text, 40);
  return Number.isSafeInteger(data) ? String(data) : '(a number too large to represent exactly)';
}

function parseQword(data: unknown, written: string | undefined): Parsed<RegistryValue> {
  if (typeof data === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(data)) return ok({ type: 'REG_QWORD', data: BigInt(data) });
  if (typeof data !== 'number' || !Number.isInteger(data)) return fail(`REG_QWORD data must be ${QWORD_FORMS}, found ${describe(data)}`);
  const shownNumber = numberAsWritten(data, written);
  if (Number.isSafeInteger(data)) {
    return data < 0 ? fail(`REG_QWORD data ${shownNumber} is out of range (${QWORD_RANGE})`) : ok({ type: 'REG_QWORD', data: BigInt(data) });
  }
  // At or beyond 2^53 YAML's number is a double, no longer (or not surely) the integer written.
  const exact = written === undefined ? null : exactInteger(written);
  if (exact !== null && (exact < 0n || exact > QWORD_MAX)) return fail(`REG_QWORD data ${shownNumber} is out of range (${QWORD_RANGE})`);
  const hint = exact !== null ? `write it as "0x${exact.toString(16).toUpperCase()}"` : 'write larger values as "0x…" (1 to 16 hex digits)';
  return fail(`REG_QWORD data ${shownNumber} is not below 2^53 (9007199254740992), the largest integer YAML reads exactly; ${hint}`);
}

/** The integer a YAML 1.2 core-schema number denotes (decimal, 0o, 0x, or a float form without fraction), exactly; null if it is none. */
export function exactInteger(text: string): bigint | null {
  const t = text.trim();
  if (/^0x[0-9a-fA-F]+$/.test(t)) return BigInt(t);
  if (/^0o[0-7]+$/.test(t)) return BigInt(t);
  const m = /^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0') - fraction.length;
  if (!Number.isFinite(exponent) || Math.abs(exponent) > 400) return null;
  let value = BigInt((m[2] || '0') + fraction);
  if (exponent >= 0) value *= 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    if (value % divisor !== 0n) return null;
    value /= divisor;
  }
  return sign * value;
}

function parseMultiString(data: unknown): Parsed<RegistryValue> {
  if (!Array.isArray(data)) return fail(`REG_MULTI_SZ data must be a list of strings, found ${describe(data)}`);
  for (const [index, item] of data.entries()) {
    const subject = `item ${index} of REG_MULTI_SZ data`;
    if (typeof item !== 'string') return fail(`${subject} must be a string, found ${describeKind(item)}`, [index]);
    // An empty string or a NUL inside one would end (or split) the list when Windows reads it.
    if (item === '') return fail(`${subject} is empty: an empty string ends a REG_MULTI_SZ list, so Windows would drop it and every item after it`, [index]);
    if (item.includes('\u0000')) return fail(`${subject} contains a NUL character, which would split it in two when Windows reads the list`, [index]);
    if (XML_UNREPRESENTABLE.test(item))
      return fail(`${subject} contains a control character that Group Policy's XML cannot carry (only tab, CR and LF are possible)`, [index]);
    if (NOT_CARRIED_BY_EVERY_FORMAT.test(item)) return fail(`${subject} contains a lone surrogate, which UTF-8 cannot carry`, [index]);
  }
  return ok({ type: 'REG_MULTI_SZ', data: [...data] as string[] });
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;
const BYTE_SEPARATOR = /^[\s,]$/u;

/**
 * Hex bytes, two digits each; spaces and commas may separate whole bytes only. "d e a d" is not
 * the bytes de ad: a tool that prints bytes without leading zeros (the WMF DSC Registry resource
 * shows 0d 0e 0a 0d as "d e a d") would otherwise be pasted back as other bytes.
 */
function parseBinary(data: unknown): Parsed<RegistryValue> {
  if (typeof data !== 'string') return fail(`REG_BINARY data must be a string of hex bytes, found ${describe(data)}`);
  const characters = [...data];
  const stray = characters.findIndex((c) => !HEX_DIGIT.test(c) && !BYTE_SEPARATOR.test(c));
  if (stray >= 0) {
    return fail(
      `REG_BINARY data ${quote(data, 40)} has ${quote(characters[stray])} at character ${stray + 1}, which is not a hex digit, space or comma; write bytes as hex pairs such as "de ad be ef"`,
    );
  }
  const bytes: number[] = [];
  for (let i = 0; i < characters.length; ) {
    if (BYTE_SEPARATOR.test(characters[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < characters.length && HEX_DIGIT.test(characters[end]!)) end++;
    const group = characters.slice(i, end).join('');
    if (group.length % 2 === 1) {
      const what = group.length === 1 ? `the single hex digit "${group}"` : `${group.length} hex digits together ("${shown(group, 20)}")`;
      const example = group.length === 1 ? ` ("0${group}", not "${group}")` : '';
      return fail(
        `REG_BINARY data ${quote(data, 40)} has ${what} at character ${i + 1}, not a whole number of bytes: write every byte as two hex digits${example}; spaces and commas may separate whole bytes only`,
      );
    }
    for (let j = 0; j < group.length; j += 2) bytes.push(parseInt(group.slice(j, j + 2), 16));
    i = end;
  }
  return ok({ type: 'REG_BINARY', data: Uint8Array.from(bytes) });
}

/** What kind of YAML value something is ("an integer", "nothing"), for items of a list. */
function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
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
