/**
 * Markdown escaping for text that comes from definitions: it must not create links, HTML,
 * emphasis or break out of a table cell (line breaks become spaces, `|` is escaped).
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]<>()#+!|~]/g;

export function markdownInline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(MARKDOWN_SPECIAL, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}
