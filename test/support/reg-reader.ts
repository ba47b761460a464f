/**
 * Strict reader for `.reg` files in the "Windows Registry Editor Version 5.00" shape.
 *
 * Test-side only. It turns .reg text into the raw bytes Windows would store, so that a
 * generated file can be compared with what a real consumer (Wine's reg.exe, hivexregedit)
 * stored and exported. It is deliberately stricter than regedit: regedit skips bad lines
 * silently, so anything this reader cannot parse is an `error` issue (the line cannot be
 * verified), and shapes that regedit accepts but another consumer rejects are `style`
 * issues.
 */

export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;
/** `type` of a `deleteValue` entry: deletions carry no type. */
export const NO_TYPE = -1;

export const REG_V5_HEADER = 'Windows Registry Editor Version 5.00';
export const ROOT_KEYS = ['HKEY_LOCAL_MACHINE', 'HKEY_CURRENT_USER', 'HKEY_CLASSES_ROOT', 'HKEY_USERS', 'HKEY_CURRENT_CONFIG'] as const;

export interface RegEntry {
  key: string;
  /** '' = the default value (`@`). */
  name: string;
  op: 'set' | 'deleteValue';
  /** Registry type number; NO_TYPE for deleteValue. */
  type: number;
  /** Bytes as Windows stores them (REG_SZ: UTF-16LE including 00 00). Empty for deleteValue. */
  data: Buffer;
  /** 1-based line of the value (first physical line when continued). */
  line: number;
}

export interface RegKeyBlock {
  key: string;
  op: 'open' | 'delete';
  line: number;
}

/** A value line that could not be parsed; key/name are null when they could not be read. */
export interface RegRejectedValue {
  key: string | null;
  name: string | null;
  line: number;
  text: string;
  reason: string;
}

export interface RegIssue {
  line: number;
  /** error: the line cannot be verified (regedit would skip it). style: accepted by regedit, but off-shape. */
  severity: 'error' | 'style';
  message: string;
}

export interface RegParseResult {
  entries: RegEntry[];
  /** Keys of `[-key]` lines, in file order. */
  deletedKeys: string[];
  /** Every key line (`[key]` and `[-key]`) in file order. */
  blocks: RegKeyBlock[];
  rejected: RegRejectedValue[];
  issues: RegIssue[];
  /** All issues as "line N: message" (errors and style). */
  problems: string[];
}

export interface RegParseOptions {
  /** 'wine' also accepts the `\n` and `\r` escapes that Wine's `reg export` writes. */
  escapes?: 'strict' | 'wine';
  /** 'any' accepts LF line ends (hivexregedit --export writes LF). */
  newline?: 'crlf' | 'any';
}

export class RegFormatError extends Error {}

/** Lowercase identity for keys and value names: the registry compares them case-insensitively. */
export function keyId(key: string): string {
  return key.toLowerCase();
}

/** Decodes a v5 .reg file. Throws RegFormatError unless it starts with the UTF-16LE BOM FF FE. */
export function decodeRegFile(bytes: Buffer): string {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xfe) {
    throw new RegFormatError('missing UTF-16LE byte order mark FF FE at the start of the file');
  }
  if (bytes.length % 2 !== 0) {
    throw new RegFormatError(`odd byte count ${bytes.length}: not whole UTF-16 code units`);
  }
  return bytes.subarray(2).toString('utf16le');
}

/** decodeRegFile + parseRegText, with a decoding failure reported as a problem instead of thrown. */
export function readRegBytes(bytes: Buffer, options: RegParseOptions = {}): RegParseResult {
  try {
    return parseRegText(decodeRegFile(bytes), options);
  } catch (err) {
    if (!(err instanceof RegFormatError)) throw err;
    const issue: RegIssue = { line: 0, severity: 'error', message: err.message };
    return { ...emptyResult(), issues: [issue], problems: [formatIssue(issue)] };
  }
}

export function utf16z(text: string): Buffer {
  return Buffer.from(text + '\0', 'utf16le');
}

export function typeName(type: number): string {
  const names: Record<number, string> = {
    0: 'REG_NONE',
    1: 'REG_SZ',
    2: 'REG_EXPAND_SZ',
    3: 'REG_BINARY',
    4: 'REG_DWORD',
    7: 'REG_MULTI_SZ',
    11: 'REG_QWORD',
  };
  return names[type] ?? `hex(${type.toString(16)})`;
}

function emptyResult(): RegParseResult {
  return { entries: [], deletedKeys: [], blocks: [], rejected: [], issues: [], problems: [] };
}

function formatIssue(issue: RegIssue): string {
  const where = issue.line > 0 ? `line ${issue.line}` : 'file';
  return `${where}: ${issue.severity === 'style' ? '(style) ' : ''}${issue.message}`;
}

// ---------------------------------------------------------------------------------------
// Line handling

interface PhysicalLine {
  text: string;
  no: number;
}

function splitLines(text: string, newline: 'crlf' | 'any', report: Reporter): PhysicalLine[] {
  const raw = newline === 'crlf' ? text.split('\r\n') : text.split(/\r?\n/);
  // A file that ends with a line break yields one trailing empty string; it is not a line.
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  else report(raw.length, 'style', 'file does not end with a line break');
  return raw.map((line, i) => {
    if (newline === 'crlf' && /[\r\n]/.test(line)) {
      report(i + 1, 'error', 'bare CR or LF inside a line (lines must end with CRLF)');
    }
    return { text: line, no: i + 1 };
  });
}

type Reporter = (line: number, severity: RegIssue['severity'], message: string) => void;

// ---------------------------------------------------------------------------------------
// Parser

interface ParserState {
  options: Required<RegParseOptions>;
  result: RegParseResult;
  report: Reporter;
  /** Current key; null after a bad key line (its values are rejected). */
  key: string | null;
  /** 'block' right after a key line until a blank line; 'outer' otherwise. */
  mode: 'outer' | 'block' | 'deleteBlock';
  /** The last key line seen, even after the blank line that closed its block. */
  lastKey: string | null;
  lastKeyDeleted: boolean;
}

export function parseRegText(text: string, options: RegParseOptions = {}): RegParseResult {
  const result = emptyResult();
  const report: Reporter = (line, severity, message) => {
    const issue = { line, severity, message };
    result.issues.push(issue);
    result.problems.push(formatIssue(issue));
  };
  const state: ParserState = {
    options: { escapes: options.escapes ?? 'strict', newline: options.newline ?? 'crlf' },
    result,
    report,
    key: null,
    mode: 'outer',
    lastKey: null,
    lastKeyDeleted: false,
  };
  const lines = splitLines(text, state.options.newline, report);
  checkHeader(lines, report);
  let i = 1;
  while (i < lines.length) i = parseLine(state, lines, i);
  checkEnding(state, lines);
  return result;
}

function checkHeader(lines: PhysicalLine[], report: Reporter): void {
  const first = lines[0]?.text;
  if (first === undefined) return report(1, 'error', 'empty file: no header line');
  if (first !== REG_V5_HEADER) {
    report(1, 'error', `first line must be exactly "${REG_V5_HEADER}", found ${JSON.stringify(first)}`);
  }
  if (lines.length > 1 && lines[1]?.text !== '') report(2, 'style', 'the header must be followed by a blank line');
}

function checkEnding(state: ParserState, lines: PhysicalLine[]): void {
  // regedit export ends every key block, including the last, with a blank line.
  if (state.mode !== 'outer') {
    state.report(lines.length, 'style', 'the last key block is not followed by a blank line');
  }
}

/** Parses the logical line starting at lines[i]; returns the index of the next unread line. */
function parseLine(state: ParserState, lines: PhysicalLine[], i: number): number {
  const line = lines[i] as PhysicalLine;
  const text = line.text;
  if (text.trim() === '') {
    if (text !== '') state.report(line.no, 'style', 'whitespace-only line');
    state.mode = 'outer';
    return i + 1;
  }
  if (text.startsWith(';')) {
    if (state.mode !== 'outer') {
      state.report(line.no, 'style', 'comment inside a key block (hivexregedit ends the block there and rejects the values after it)');
    }
    return i + 1;
  }
  if (text.startsWith('[')) {
    parseKeyLine(state, line);
    return i + 1;
  }
  if (text.startsWith('"') || text.startsWith('@')) return parseValueLine(state, lines, i);
  state.report(line.no, 'error', `unexpected text ${JSON.stringify(text)}`);
  return i + 1;
}

function parseKeyLine(state: ParserState, line: PhysicalLine): void {
  if (state.mode !== 'outer') {
    state.report(line.no, 'style', 'key line not preceded by a blank line (hivexregedit rejects this)');
  }
  const m = /^\[(-?)([\s\S]*)\]$/.exec(line.text);
  if (!m) {
    state.report(line.no, 'error', `malformed key line ${JSON.stringify(line.text)} (missing "]" or text after it)`);
    state.key = null;
    state.lastKey = null;
    state.mode = 'block';
    return;
  }
  const isDelete = m[1] === '-';
  const key = m[2] as string;
  const bad = keyPathError(key);
  if (bad) state.report(line.no, 'error', `key ${JSON.stringify(key)}: ${bad}`);
  state.key = bad ? null : key;
  state.lastKey = state.key;
  state.lastKeyDeleted = isDelete;
  state.mode = isDelete ? 'deleteBlock' : 'block';
  if (bad) return;
  state.result.blocks.push({ key, op: isDelete ? 'delete' : 'open', line: line.no });
  if (isDelete) state.result.deletedKeys.push(key);
}

/** Why a key path would be rejected or silently mean something else; null when fine. */
export function keyPathError(key: string): string | null {
  const parts = key.split('\\');
  const root = parts[0] ?? '';
  if (!ROOT_KEYS.some((r) => r === root.toUpperCase())) {
    return `root must be one of ${ROOT_KEYS.join(', ')} (abbreviations such as HKLM are not valid in .reg files)`;
  }
  if (parts.some((p) => p === '')) return 'empty path component (doubled or trailing backslash)';
  if (key !== key.trim()) return 'leading or trailing whitespace becomes part of the key name';
  return null;
}

function parseValueLine(state: ParserState, lines: PhysicalLine[], i: number): number {
  const first = lines[i] as PhysicalLine;
  const { text, next } = joinContinuations(state, lines, i);
  if (state.mode === 'outer') {
    if (state.lastKey === null) {
      rejectValue(state, first.no, text, null, 'value line outside any key block');
      return next;
    }
    state.report(first.no, 'style', 'value line after a blank line (hivexregedit rejects it; regedit adds it to the previous key)');
    state.mode = state.lastKeyDeleted ? 'deleteBlock' : 'block';
  }
  if (state.mode === 'deleteBlock') {
    state.report(first.no, 'style', 'value line under a [-key] line is ignored by regedit');
    return next;
  }
  parseValue(state, first.no, text);
  return next;
}

/** Joins `\`-continued hex lines into one logical line. */
function joinContinuations(state: ParserState, lines: PhysicalLine[], i: number): { text: string; next: number } {
  let text = (lines[i] as PhysicalLine).text;
  let j = i + 1;
  while (/^(?:@|".*")=hex(?:\([0-9a-fA-F]+\))?:.*,\\$/.test(text) && j < lines.length) {
    const cont = lines[j] as PhysicalLine;
    if (!/^\s/.test(cont.text) || cont.text.trim() === '') {
      state.report(cont.no, 'error', 'hex continuation line must start with whitespace and not be blank');
      break;
    }
    text = text.slice(0, -1) + cont.text.trimStart();
    j++;
  }
  return { text, next: j };
}

function rejectValue(state: ParserState, line: number, text: string, name: string | null, reason: string): void {
  state.report(line, 'error', reason);
  state.result.rejected.push({ key: state.key, name, line, text, reason });
}

function parseValue(state: ParserState, line: number, text: string): void {
  const named = parseValueName(state, text);
  if ('error' in named) return rejectValue(state, line, text, null, named.error);
  const { name, rest } = named;
  if (!rest.startsWith('=')) {
    return rejectValue(state, line, text, name, `expected "=" after the value name in ${JSON.stringify(text)}`);
  }
  const parsed = parseData(state, line, rest.slice(1));
  if ('error' in parsed) return rejectValue(state, line, text, name, parsed.error);
  if (state.key === null) return rejectValue(state, line, text, name, 'value under an invalid key line');
  state.result.entries.push({ key: state.key, name, line, ...parsed });
}

function parseValueName(state: ParserState, text: string): { name: string; rest: string } | { error: string } {
  if (text.startsWith('@')) return { name: '', rest: text.slice(1) };
  const q = parseQuoted(text, 0, state.options.escapes);
  if ('error' in q) return { error: `value name: ${q.error}` };
  return { name: q.value, rest: text.slice(q.end) };
}

type ParsedData = { op: 'set' | 'deleteValue'; type: number; data: Buffer } | { error: string };

function parseData(state: ParserState, line: number, data: string): ParsedData {
  if (data === '-') return { op: 'deleteValue', type: NO_TYPE, data: Buffer.alloc(0) };
  if (data.startsWith('"')) return parseStringData(state, data);
  if (data.startsWith('dword:')) return parseDword(state, line, data.slice(6));
  const hex = /^hex(?:\(([0-9a-fA-F]{1,8})\))?:(.*)$/.exec(data);
  if (hex) return parseHexData(state, line, hex[1], hex[2] as string);
  return { error: `unknown value data ${JSON.stringify(data)}` };
}

function parseStringData(state: ParserState, data: string): ParsedData {
  const q = parseQuoted(data, 0, state.options.escapes);
  if ('error' in q) return { error: `string data: ${q.error}` };
  if (q.end !== data.length) {
    return { error: `text after the closing quote: ${JSON.stringify(data.slice(q.end))}` };
  }
  return { op: 'set', type: REG_SZ, data: utf16z(q.value) };
}

function parseDword(state: ParserState, line: number, digits: string): ParsedData {
  if (!/^[0-9a-fA-F]{1,8}$/.test(digits)) return { error: `invalid dword ${JSON.stringify(digits)}` };
  // regedit accepts 1-8 digits in either case; hivexregedit only exactly 8; export writes 8 lowercase.
  if (!/^[0-9a-f]{8}$/.test(digits)) {
    state.report(line, 'style', `dword:${digits} is not 8 lowercase hex digits (hivexregedit rejects short dwords)`);
  }
  const data = Buffer.alloc(4);
  data.writeUInt32LE(parseInt(digits, 16));
  return { op: 'set', type: REG_DWORD, data };
}

function parseHexData(state: ParserState, line: number, typeHex: string | undefined, body: string): ParsedData {
  const type = typeHex === undefined ? REG_BINARY : parseInt(typeHex, 16);
  if (typeHex !== undefined && typeHex !== typeHex.toLowerCase()) {
    state.report(line, 'style', `hex(${typeHex}) type should be lowercase`);
  }
  if (body === '') return { op: 'set', type, data: Buffer.alloc(0) };
  const bytes = body.split(',');
  const bad = bytes.find((b) => !/^[0-9a-fA-F]{2}$/.test(b));
  if (bad !== undefined) return { error: `invalid hex byte ${JSON.stringify(bad)} in ${JSON.stringify(body)}` };
  if (body !== body.toLowerCase()) state.report(line, 'style', 'hex bytes should be lowercase');
  return { op: 'set', type, data: Buffer.from(bytes.join(''), 'hex') };
}

/** Parses a "…" string starting at text[start]; `end` is the index after the closing quote. */
function parseQuoted(text: string, start: number, escapes: 'strict' | 'wine'): { value: string; end: number } | { error: string } {
  if (text[start] !== '"') return { error: 'expected an opening quote' };
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i];
    const decoded = decodeEscape(e, escapes);
    if (decoded === null) return { error: `unsupported escape \\${e ?? ''} in ${JSON.stringify(text)}` };
    value += decoded;
  }
  return { error: `unterminated quoted string ${JSON.stringify(text)}` };
}

function decodeEscape(e: string | undefined, escapes: 'strict' | 'wine'): string | null {
  if (e === '\\' || e === '"') return e;
  // Wine's exporter writes CR/LF inside REG_SZ as \r and \n; Windows' behaviour for them is
  // unconfirmed, so a generated file must not rely on them (it writes hex(1) instead).
  if (escapes === 'wine' && e === 'n') return '\n';
  if (escapes === 'wine' && e === 'r') return '\r';
  return null;
}

// ---------------------------------------------------------------------------------------
// Expected / actual registry state, shared by the consumer checks

export interface StateValue {
  key: string;
  name: string;
  /** null: the value must be absent. */
  entry: RegEntry | null;
}

export interface RegState {
  /** keyId -> key: keys that exist (were opened and not deleted afterwards). */
  keys: Map<string, string>;
  /** keyId -> key: keys that must not exist (deleted and not re-opened). */
  absentKeys: Map<string, string>;
  /** keyId -> value-name id -> value. */
  values: Map<string, Map<string, StateValue>>;
}

function isSameOrBelow(id: string, ancestorId: string): boolean {
  return id === ancestorId || id.startsWith(ancestorId + '\\');
}

/** The registry state a file leaves behind when applied in order (later lines win). */
export function finalState(parsed: RegParseResult): RegState {
  const state: RegState = { keys: new Map(), absentKeys: new Map(), values: new Map() };
  const steps: Array<RegKeyBlock | RegEntry> = [...parsed.blocks, ...parsed.entries];
  steps.sort((a, b) => a.line - b.line);
  for (const step of steps) {
    if ('name' in step) applyEntry(state, step);
    else if (step.op === 'open') openKey(state, step.key);
    else deleteKey(state, step.key);
  }
  return state;
}

function openKey(state: RegState, key: string): void {
  const id = keyId(key);
  state.keys.set(id, key);
  // Opening a key re-creates it and all its ancestors.
  for (const absent of [...state.absentKeys.keys()]) {
    if (isSameOrBelow(id, absent)) state.absentKeys.delete(absent);
  }
}

function deleteKey(state: RegState, key: string): void {
  const id = keyId(key);
  for (const k of [...state.keys.keys()]) if (isSameOrBelow(k, id)) state.keys.delete(k);
  for (const k of [...state.values.keys()]) if (isSameOrBelow(k, id)) state.values.delete(k);
  for (const k of [...state.absentKeys.keys()]) if (isSameOrBelow(k, id)) state.absentKeys.delete(k);
  state.absentKeys.set(id, key);
}

function applyEntry(state: RegState, entry: RegEntry): void {
  const id = keyId(entry.key);
  let values = state.values.get(id);
  if (!values) {
    values = new Map();
    state.values.set(id, values);
  }
  values.set(keyId(entry.name), { key: entry.key, name: entry.name, entry: entry.op === 'set' ? entry : null });
}

/** Values a state sets (non-null entries), in insertion order. */
export function setValues(state: RegState): RegEntry[] {
  const out: RegEntry[] = [];
  for (const values of state.values.values()) {
    for (const v of values.values()) if (v.entry) out.push(v.entry);
  }
  return out;
}

export function lookupValue(state: RegState, key: string, name: string): RegEntry | undefined {
  return state.values.get(keyId(key))?.get(keyId(name))?.entry ?? undefined;
}

export function describeValue(key: string, name: string): string {
  return `[${key}] ${name === '' ? '@ (default)' : JSON.stringify(name)}`;
}

export function describeData(type: number, data: Buffer): string {
  const hex = data.toString('hex').replace(/(..)(?!$)/g, '$1,');
  const shown = hex.length > 120 ? `${hex.slice(0, 120)}… (${data.length} bytes)` : hex;
  return `${typeName(type)} ${shown === '' ? '(empty)' : shown}`;
}

export interface DiffOptions {
  /** Who produced `actual`, for messages ("Wine", "hivexregedit"). */
  consumer: string;
  /** keyIds whose exported value set must equal the expected one (they were empty before). */
  exclusiveKeys?: Set<string>;
  /** Adjusts an expected value for a known, documented consumer limitation; returns a note. */
  adjust?: (entry: RegEntry) => { data: Buffer; note: string } | null;
  /** Lines the reader rejected: already reported, so not reported again as unexpected values. */
  rejected?: RegRejectedValue[];
}

/** Differences between the state a file should produce and what a consumer exported. */
export function diffState(expected: RegState, actual: RegState, opts: DiffOptions): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const [id, key] of expected.keys) {
    if (!actual.keys.has(id)) problems.push(`key [${key}] is missing after the ${opts.consumer} import`);
  }
  for (const [id, key] of expected.absentKeys) {
    const left = [...actual.keys.keys()].filter((k) => isSameOrBelow(k, id));
    if (left.length > 0) problems.push(`key [${key}] should have been deleted but ${opts.consumer} still has it`);
  }
  for (const values of expected.values.values()) {
    for (const v of values.values()) diffValue(v, actual, opts, problems, notes);
  }
  for (const id of opts.exclusiveKeys ?? []) diffExtraValues(id, expected, actual, opts, problems);
  return { problems, notes };
}

function diffValue(v: StateValue, actual: RegState, opts: DiffOptions, problems: string[], notes: string[]): void {
  const got = lookupValue(actual, v.key, v.name);
  const what = describeValue(v.key, v.name);
  if (v.entry === null) {
    if (got) problems.push(`${what} should have been deleted but ${opts.consumer} has ${describeData(got.type, got.data)}`);
    return;
  }
  if (!got) {
    problems.push(`${what} (line ${v.entry.line}) is missing after the ${opts.consumer} import`);
    return;
  }
  const adjusted = opts.adjust?.(v.entry) ?? null;
  if (adjusted) notes.push(`${what}: ${adjusted.note}`);
  const want = adjusted?.data ?? v.entry.data;
  if (got.type !== v.entry.type || !got.data.equals(want)) {
    problems.push(
      `${what} (line ${v.entry.line}) differs: file has ${describeData(v.entry.type, want)}, ` + `${opts.consumer} has ${describeData(got.type, got.data)}`,
    );
  }
}

function diffExtraValues(id: string, expected: RegState, actual: RegState, opts: DiffOptions, problems: string[]): void {
  const want = expected.values.get(id);
  const known = new Set<string>();
  for (const r of opts.rejected ?? []) {
    if (r.key !== null && r.name !== null && keyId(r.key) === id) known.add(keyId(r.name));
  }
  for (const [nameId, v] of actual.values.get(id) ?? []) {
    if (want?.get(nameId)?.entry || known.has(nameId)) continue;
    const data = v.entry ? describeData(v.entry.type, v.entry.data) : '';
    problems.push(`${describeValue(v.key, v.name)} appeared in ${opts.consumer} but the file does not set it: ${data}`);
  }
}
