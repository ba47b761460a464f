/**
 * Free text from definitions laid out as comment lines of a given width. Splitting on every line
 * break here is what keeps a description from ending a comment and injecting a line of code.
 */
export function wrapCommentText(text: string, width: number): readonly string[] {
  // The same source and setting lines head every file of a profile: wrap each text once.
  const key = `${width}\u0000${text}`;
  const known = wrapped.get(key);
  if (known) return known;
  const lines = wrapUncached(text, width);
  wrapped.set(key, lines);
  return lines;
}

const wrapped = new Map<string, readonly string[]>();

function wrapUncached(text: string, width: number): string[] {
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
