/**
 * Validate phase, layer 1a: characters that some artifact format cannot carry exactly, refused in
 * every string of a definition file (values and mapping keys), before the schema looks at it.
 *
 * What each format can carry, and so what a definition may hold:
 *
 * | Format | Encoding | Cannot carry |
 * |---|---|---|
 * | `.reg` | UTF-16LE | line breaks in key names and value names (a line ends the entry), `]` in key names |
 * | DSC, scripts (`.ps1`, `.psd1`) | UTF-8 | lone surrogates (UTF-8 has no encoding for them: U+FFFD would be written) |
 * | GPP `Registry.xml`, GPO backup | UTF-8, XML 1.0 | C0 controls but tab, LF and CR (`Char` production); U+FFFE, U+FFFF; lone surrogates |
 * | README | UTF-8, Markdown | lone surrogates (everything else is escaped by the renderer) |
 *
 * So, field by field (the schema and the rules in rules.ts enforce the rest):
 * - everywhere (this module): no lone surrogate, no U+FFFE or U+FFFF;
 * - ids: `[a-z0-9-]`, not a Windows device name (rules.ts);
 * - one-line text (titles, product names): no C0 or C1 control, no DEL, no bidirectional
 *   embedding, override or isolate (U+202A–U+202E, U+2066–U+2069: they reorder the rest of the
 *   line where scripts print the text in comments and strings); the marks LRM, RLM and ALM stay
 *   allowed, right-to-left prose needs them (schema `line`);
 * - free text (rationale, notes, reasons): tab and LF only, the same bidirectional rule (schema `text`);
 * - URLs: no space, quote, `<`, `>`, C0 or C1 control, DEL, nor any bidirectional formatting
 *   character (RFC 3987 §4.1) (schema `url`);
 * - key names: no C0 control or DEL, no `]`, not `.` or `..`, no bidirectional formatting
 *   character (a name that reads as another), at most 255 UTF-16 code units (model/registry.ts);
 * - value names: no C0 control or DEL, no bidirectional formatting character, at most 16,383
 *   UTF-16 code units (model/registry.ts);
 * - REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ data: no NUL, no C0 control but tab, LF and CR
 *   (model/registry.ts; tab, CR and LF are carried: `hex(1)`, `hex(2)`, `hex(7)` in .reg, `[char]` in
 *   PowerShell, character references in XML).
 */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, quote } from '../diagnostics.js';
import type { YamlDocument } from '../load/yaml-source.js';

const NOT_CARRIED = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** At most this many reports per file: one bad paste can repeat a character thousands of times. */
const MAX_REPORTS = 20;

export function characterProblems(document: YamlDocument): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<object>(); // aliases share objects: report each once, at its anchor
  const report = (pointer: string, part: 'key' | 'value', what: string, text: string) => {
    if (diagnostics.length >= MAX_REPORTS) return;
    diagnostics.push({
      file: document.file,
      ...document.locate(pointer, part),
      severity: 'error',
      message: `${what} contains ${describe(text)}`,
      pointer,
    });
  };
  const walk = (node: unknown, pointer: string) => {
    if (typeof node === 'string') {
      if (NOT_CARRIED.test(node)) report(pointer, 'value', subject(pointer), node);
      return;
    }
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, joinPointer(pointer, index)));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const child = joinPointer(pointer, key);
      if (NOT_CARRIED.test(key)) report(child, 'key', `property name ${quote(key)}`, key);
      walk(value, child);
    }
  };
  walk(document.data, '');
  return diagnostics;
}

function subject(pointer: string): string {
  const segments = pointer.split('/');
  const last = segments.pop() ?? '';
  if (last === '') return 'the document';
  if (!/^\d+$/.test(last)) return quote(last.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parent = segments.length > 1 ? subject(segments.join('/')) : 'the document';
  return `item ${last} of ${parent}`;
}

function describe(text: string): string {
  const match = NOT_CARRIED.exec(text)!;
  const code = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (match[0] === '\ufffe' || match[0] === '\uffff') {
    return `${code}, a noncharacter that XML 1.0 cannot carry (Group Policy's Registry.xml and the GPO backup could not hold it)`;
  }
  return `a lone surrogate (${code}): half of a character, which UTF-8 (DSC, Group Policy, scripts, README) cannot encode and would write as U+FFFD`;
}
