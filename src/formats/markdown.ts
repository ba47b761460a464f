/**
 * Markdown for text and URLs that come from definitions. Text must render as exactly its own
 * characters under CommonMark, GFM and markdown-it with `linkify` (line breaks become spaces): it
 * never creates a link, an autolink, an image, HTML, emphasis, a heading or list, nor a table cell.
 * Every escape is a CommonMark backslash escape of an ASCII punctuation character (or, for `<` and
 * `>`, an entity), so the output stays readable and loses nothing.
 *
 *  - markdownInline: running text, also inside a table cell or a link's text.
 *  - markdownCode: text shown as a code span (outside tables).
 *  - markdownUrl: an http(s) URL for a link destination `[text](<url>)`, also inside a table cell.
 */

/** Always escaped: everything that opens inline syntax, `|` (table cells), `&` (entities), `@` (e-mail autolinks). */
const ALWAYS = /[\\`*_{}[\]<>()#+!|~&@]/;

/**
 * Autolinks (GFM's extended autolinks; linkify-it, which markdown-it uses, also with its fuzzy
 * options) need `//` after a scheme, `www.`, `@`, a host name `label.tld` or an IPv4 address. A
 * backslash escape ends the text a linkifier sees, so escaping the second `/` of `//`, every `@`,
 * the `.` after `www` and every `.` between a host name character and a letter, and the dots of a
 * dotted number that holds an IPv4 address leaves no text that can be read as a link:
 * `http:/\/x`, `www\.example\.com`, `x\@example\.com`, `10\.0\.0\.1`. Version numbers (`1.2`,
 * `6.1.7601.23375`) and a leading dot (`.NET`, `.reg`) stay as they are.
 */
function autolinkBreaks(line: string): Set<number> {
  const breaks = new Set<number>();
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '/' && line[i - 1] === '/') breaks.add(i);
    if (c === '.' && /www$/i.test(line.slice(Math.max(0, i - 3), i))) breaks.add(i);
    if (c === '.' && inHostName(codePointBefore(line, i)) && /\p{L}/u.test(String.fromCodePoint(line.codePointAt(i + 1) ?? 32))) breaks.add(i);
  }
  for (const run of line.matchAll(/\d+(?:\.\d+){3,}/g)) {
    if (!IPV4.test(run[0])) continue;
    for (let i = run.index; i < run.index + run[0].length; i++) if (line[i] === '.') breaks.add(i);
  }
  return breaks;
}

/** linkify-it takes every character but white space, punctuation (except `-`) and controls for part of a host name. */
function inHostName(c: string): boolean {
  return c === '-' || !/[\s\p{Z}\p{P}\p{Cc}]/u.test(c);
}
const IPV4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?:^|\\.)0*${IPV4_PART}(?:\\.0*${IPV4_PART}){3}(?:\\.|$)`);

function codePointBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return start < 0 ? ' ' : String.fromCodePoint(text.codePointAt(start)!);
}

/**
 * Text at the start of a line could open a block: a list (`- `, `1. `, `1) `), a thematic break
 * or setext underline (`---`, `===`), a heading or quote (escaped anyway). The template puts text
 * at the start of a line or after a list marker, so the marker character is escaped there.
 */
const BLOCK_START = /^(?:[-=]|\d+[.)])/;

export function markdownInline(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const escaped = autolinkBreaks(line);
  const blockStart = BLOCK_START.exec(line);
  if (blockStart) escaped.add(blockStart[0].length - 1);
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (ALWAYS.test(c) || escaped.has(i)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * A code span holding the text exactly: the fence is one backtick longer than the longest run of
 * backticks inside, and a space pads text that starts or ends with a backtick (or a space, which
 * CommonMark would strip). Line breaks become spaces. Not for table cells: there a `|` would end
 * the cell, and `\|` shows its backslash outside tables.
 */
export function markdownCode(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(line) && line.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** Kept as they are in a link destination: RFC 3986 unreserved and reserved characters, except `[` and `]`. */
const URL_SAFE = /[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]/;

/**
 * An absolute http(s) URL for `[text](<url>)`: every character that could end the destination or
 * the table cell (`>`, `<`, `|`, `\`, spaces, line breaks) or that is not ASCII is percent-encoded
 * as UTF-8; an existing `%XX` stays. Anything but an http(s) URL is refused: the definitions'
 * schema allows only https URLs, so this is a broken invariant, not an input error.
 */
export function markdownUrl(url: string): string {
  if (!/^https?:\/\/[^/?#\s]/i.test(url)) throw new Error(`internal: not an http(s) URL: ${JSON.stringify(url)}`);
  let out = '';
  for (let i = 0; i < url.length; i++) {
    const c = url[i]!;
    if (URL_SAFE.test(c)) out += c;
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(url.slice(i + 1, i + 3))) out += c;
    else {
      const code = url.codePointAt(i)!;
      if (code > 0xffff) i++;
      else if (code >= 0xd800 && code <= 0xdfff) throw new Error(`internal: lone surrogate in URL: ${JSON.stringify(url)}`);
      out += encodeURIComponent(String.fromCodePoint(code));
    }
  }
  return out;
}
