/**
 * Handlebars helpers: formatting only (escape, wrap, encode a value line), never decisions.
 * Each one delegates the byte rules to the format's own module.
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { regDeleteValueLine, regKeyLine, regValueLine } from '../formats/reg.js';
import type { RegistryOperation } from '../resolve/plan.js';
import { markdownInline } from '../formats/markdown.js';
import { wrapCommentText } from '../formats/comment-text.js';

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
 * Block helper for whole-line `;` comments: the block's text, wrapped at 100 columns and indented
 * by `indent` spaces. Every line break in the text starts a new `;` line, so no text from the
 * definitions can end a comment and inject a registry line.
 */
function regComment(this: unknown, options: HelperOptions): string {
  const indent = typeof options.hash.indent === 'number' ? options.hash.indent : 0;
  const pad = ' '.repeat(indent);
  return wrapCommentText(options.fn(this), 100 - 2 - indent)
    .map((line) => (line === '' ? ';' : `; ${pad}${line}`))
    .join('\n');
}

export const helpers: Record<string, HelperDelegate> = {
  regEntry,
  regKey,
  regComment,
  md: (text: unknown) => markdownInline(String(text)),
};
