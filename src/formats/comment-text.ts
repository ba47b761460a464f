/**
 * Free text from definitions laid out as comment lines of a given width. Splitting on every line
 * break here is what keeps a description from ending a comment and injecting a line of code.
 */
export function wrapCommentText(text: string, width: number): readonly string[] {
  const key = `${width}:${text}`;
  const known = wrapped.get(key);
  if (known !== undefined) return known;
  const lines = Object.freeze(wrap(text, width));
  if (wrapped.size >= WRAPPED_LIMIT) wrapped.clear();
  wrapped.set(key, lines);
  return lines;
}

/**
 * The same descriptions are wrapped into every target's files (a profile over 12 Windows versions has 24
 * .reg files, each with every setting's description): each text is wrapped once per width. Bounded, so a
 * build of many profiles holds at most this many wrapped texts.
 */
const wrapped = new Map<string, readonly string[]>();
const WRAPPED_LIMIT = 4096;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    const words = paragraph.split(/[ \t]+/).filter((w) => w !== '');
    let line = '';
    for (const word of words) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}
