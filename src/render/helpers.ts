/**
 * Handlebars helpers: formatting only (escape, wrap, encode a value line), never decisions.
 * Each one delegates the byte rules to the format's own module.
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { regDeleteValueLine, regKeyLine, regValueLine } from '../formats/reg.js';
import type { RegistryOperation } from '../resolve/plan.js';
import { markdownCode, markdownInline, markdownUrl } from '../formats/markdown.js';
import { xmlAttribute, xmlCdata, xmlText } from '../formats/xml.js';
import { wrapCommentText } from '../formats/comment-text.js';
import { psCommentText } from '../formats/powershell.js';

/** Writes one operation as its .reg line(s). Key-deletion operations are block headers instead. */
function regEntry(op: RegistryOperation): string {
  switch (op.action) {
    case 'set':
      return regValueLine(op.name, op.value);
    case 'delete-value':
      return regDeleteValueLine(op.name);
    case 'delete-key':
      throw new Error('internal: a key deletion is a block header, not an entry');
  }
}

function regKey(block: { hive: string; path: string; deleteKey: boolean }): string {
  return regKeyLine(block.hive, block.path, block.deleteKey);
}

/**
 * Block helpers for whole-line comments: the block's text, wrapped at 100 columns. Every line
 * break in the text starts a new comment line, so no text from the definitions can end a comment
 * and inject a registry line or PowerShell code.
 *  - regComment: `; ` + `indent` spaces + text (.reg files).
 *  - psComment: `indent` spaces + `# ` + text (PowerShell; no block comments, whose `#>` text could close).
 */
function regComment(this: unknown, options: HelperOptions): string {
  const pad = ' '.repeat(numberOption(options, 'indent'));
  return commentLines(options.fn(this), pad.length, (line) => (line === '' ? ';' : `; ${pad}${line}`));
}

function psComment(this: unknown, options: HelperOptions): string {
  const pad = ' '.repeat(numberOption(options, 'indent'));
  const width = 100 - 2 - pad.length;
  // A wrapped line that would read `# SIG # Begin signature block` is quoted (psCommentText), after
  // wrapping it again 2 columns narrower so the quote keeps it within the width.
  return wrapCommentText(options.fn(this), width)
    .flatMap((line) => (psCommentText(line) === line ? [line] : wrapCommentText(line, width - 2).map(psCommentText)))
    .map((line) => (line === '' ? `${pad}#` : `${pad}# ${line}`))
    .join('\n');
}

/** The text wrapped so each comment line, marker and indent included, stays within 100 columns. */
function commentLines(text: string, indent: number, format: (line: string) => string): string {
  return wrapCommentText(text, 100 - 2 - indent)
    .map(format)
    .join('\n');
}

function numberOption(options: HelperOptions, name: string): number {
  const value: unknown = options.hash[name];
  return typeof value === 'number' ? value : 0;
}

export const helpers: Record<string, HelperDelegate> = {
  regEntry,
  regKey,
  regComment,
  psComment,
  md: (text: unknown) => markdownInline(String(text)),
  mdCode: (text: unknown) => markdownCode(String(text)),
  mdUrl: (url: unknown) => markdownUrl(String(url)),
  xmlAttr: (text: unknown) => xmlAttribute(String(text)),
  xmlText: (text: unknown) => xmlText(String(text)),
  cdata: (text: unknown) => xmlCdata(String(text)),
};
