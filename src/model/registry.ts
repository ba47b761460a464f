/**
 * The registry vocabulary every phase shares: hives, key paths, typed value data.
 * Parsing here is the single place where definition text becomes registry facts, so the
 * semantic rules (which report problems) and resolve (which uses the result) cannot disagree.
 */
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

export function fullKey(key: KeyPath): string {
  return key.path === '' ? key.hive : `${key.hive}\\${key.path}`;
}

/** Case-insensitive identity of a key, as Windows compares key names. */
export function keyIdentity(key: KeyPath): string {
  return fullKey(key).toUpperCase();
}

export function parseKeyPath(text: string): Parsed<KeyPath> {
  const [hiveText = '', ...segments] = text.split('\\');
  const hive = HIVES.find((h) => h === hiveText.toUpperCase());
  if (!hive) {
    return fail(`key must start with a full hive name (${HIVES.join(', ')}), found "${hiveText}"`);
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
  if (segment.includes(']')) return 'key name contains "]", which no .reg file can carry';
  if (segment.length > MAX_KEY_SEGMENT) return `key name "${segment.slice(0, 20)}…" is longer than ${MAX_KEY_SEGMENT} characters`;
  if (segment !== segment.trim()) return `key name "${segment}" starts or ends with a space`;
  return null;
}

export function valueNameProblem(name: string): string | null {
  // Quotes and backslashes are fine (every format escapes them); line breaks are not representable in .reg.
  if (CONTROL_CHARACTER.test(name)) return 'value name contains a line break or another control character';
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
  if (typeof data === 'string') return `the string ${JSON.stringify(data.length > 40 ? data.slice(0, 40) + '…' : data)}`;
  return JSON.stringify(data) ?? String(data);
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
