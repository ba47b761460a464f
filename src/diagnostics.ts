/**
 * Diagnostics are data: every phase returns them, nothing prints them but the CLI.
 * Format: `file:line:col severity message (at /json/pointer)`.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path of the definition file as the user named it (definitions dir + relative path). */
  readonly file: string;
  /** 1-based line and column; 1:1 when the problem concerns the whole file. */
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
  /** JSON pointer of the offending node inside the file ('' is the document root). */
  readonly pointer: string;
}

/**
 * One line, whatever the input held: messages quote input through quote()/shown(), and this last pass
 * replaces any control character that still reached the file name, message or pointer, so no escape
 * sequence from a definition ever reaches the terminal and a diagnostic never spans two lines.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const pointer = d.pointer === '' ? '/' : d.pointer;
  return `${safe(d.file)}:${d.line}:${d.column} ${d.severity} ${safe(d.message)} (at ${safe(shown(pointer, MAX_POINTER))})`;
}

/** How much of one input a message quotes. */
export const MAX_QUOTED = 80;
const MAX_POINTER = 200;

/**
 * Characters a message never prints as themselves: C0 and C1 controls and DEL (ESC sequences,
 * CSI, line breaks), line/paragraph separators, bidirectional controls (text that reads in another
 * order than it is), the byte-order mark, the noncharacters U+FFFE/U+FFFF and lone surrogates.
 */
const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hex4 = (unit: number) => unit.toString(16).toUpperCase().padStart(4, '0');

/**
 * Input quoted in a message: JSON-style double quotes and escapes (\n, \u001b, \ud800, …), at most
 * `max` characters of it followed by "…". Non-strings are shown as JSON, shortened the same way.
 */
export function quote(value: unknown, max: number = MAX_QUOTED): string {
  if (typeof value !== 'string') {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined; // cyclic or BigInt: describe, do not echo
    }
    return json === undefined ? String(typeof value) : shown(json, max);
  }
  const short = truncate(value, max);
  const escaped = JSON.stringify(short.text).replace(UNPRINTABLE, (ch) => '\\u' + hex4(ch.charCodeAt(0)).toLowerCase());
  return short.cut ? escaped.slice(0, -1) + '…"' : escaped;
}

/**
 * Input shown without quotes (a registry path in a message): unprintable characters as <U+XXXX>,
 * longer text cut in the middle so that both ends (hive and last key) stay readable.
 */
export function shown(text: string, max: number = MAX_QUOTED): string {
  const head = truncate(text, Math.ceil(max / 2));
  if (!truncate(text, max).cut) return safe(text);
  const tail = [...text.slice(-2 * max)].slice(-Math.floor(max / 2)).join('');
  return safe(head.text + '…' + tail);
}

function safe(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `<U+${hex4(ch.charCodeAt(0))}>`);
}

/** At most `max` code points (a surrogate pair is never split); never copies more than it keeps. */
function truncate(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const points = [...text.slice(0, 2 * max + 1)];
  return points.length <= max ? { text, cut: false } : { text: points.slice(0, max).join(''), cut: true };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order for printing: by file, then position, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

/** A problem the user can fix (bad flag, unknown id): printed without a stack trace. */
export class UserError extends Error {
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2 = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** JSON pointer segment escaping (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + pointerSegment(s)).join('');
}

/** What the operating system's error codes mean, in words for a one-line message (never a stack trace). */
const ENVIRONMENT_CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a file is where a folder is expected',
  EISDIR: 'a folder is where a file is expected',
  EEXIST: 'something is already there',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** The cause of a file-system failure in a few words, or null when it is not one we can name. */
export function environmentCause(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && ENVIRONMENT_CAUSES[code]) || null;
}
