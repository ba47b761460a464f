/**
 * Definitions that put the Authenticode signature marker `SIG # Begin signature block` into every
 * text path that reaches a generated script: one-line texts (titles, product names), free texts
 * (summary, rationale, notes, reasons, warnings: at line starts, after a `# `, in another case and
 * spacing, after a tab or a no-break space, and repeated so wrapping puts it at a line start) and
 * string data (REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, with CRLF and LF before the marker).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { GOLDEN } from './golden.js';

export const MARKER = 'SIG # Begin signature block';

/** What osslsigncode takes for the start of a signature block: a line starting with this (script.c). */
export const OSSLSIGNCODE_MARKER_LINE = `# ${MARKER}`;

/** Any line a signer could take for a marker: `#`, `SIG`, `#` at its start, in any case and spacing. */
export const MARKER_LIKE_LINE = /^[\s\uFEFF]*#\s*SIG\s*#/i;

const LINE_FIELDS = new Set(['title', 'product']);
const TEXT_FIELDS = new Set(['summary', 'rationale', 'note', 'text', 'reason', 'description']);

function hostileLine(text: string): string {
  return `${MARKER} ${text} ${MARKER}`;
}

function hostileText(text: string): string {
  return [
    MARKER,
    text,
    `# ${MARKER}`,
    'sig  #  BEGIN signature block',
    `${MARKER} `.repeat(8).trim(),
    `x ${`${MARKER} `.repeat(8).trim()}`,
    `\t${MARKER}`,
    `\u00A0${MARKER}`,
    'SIG # End signature block',
  ].join('\n');
}

function hostileData(text: string): string {
  return `# ${MARKER}\r\n# ${MARKER}\n${text}\r\n# ${MARKER}`;
}

function isStringData(text: string): boolean {
  return !/^(0x)?[0-9a-f ]*$/i.test(text);
}

function rewrite(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    if (LINE_FIELDS.has(key)) return hostileLine(value);
    if (TEXT_FIELDS.has(key)) return hostileText(value);
    if (key === 'data' && isStringData(value)) return hostileData(value);
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => rewrite(item, key));
    return key === 'data' && items.every((item) => typeof item === 'string') ? [...items, `# ${MARKER}`, `x\r\n# ${MARKER}`] : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, k)]));
  }
  return value;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : entry.name.endsWith('.yaml') ? [join(dir, entry.name)] : [],
  );
}

/** A fresh copy of the every-value-type golden definitions with the marker in every text path. */
export function hostileMarkerDefinitions(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tlsgen-marker-')), 'definitions');
  cpSync(join(GOLDEN, 'every-value-type', 'definitions'), dir, { recursive: true });
  for (const file of yamlFiles(dir)) {
    const document = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA });
    writeFileSync(file, dump(rewrite(document, ''), { schema: CORE_SCHEMA, lineWidth: -1 }));
  }
  return dir;
}

/** The physical lines of a script as signers split them (a leading BOM removed). */
export function physicalLines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/);
}
