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

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message} (at ${d.pointer === '' ? '/' : d.pointer})`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order for printing: by file, then position, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
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
