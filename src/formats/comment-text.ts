/**
 * Free text from definitions laid out as comment lines of a given width. Splitting on every line
 * break here is what keeps a description from ending a comment and injecting a line of code.
 */
export function wrapCommentText(text: string, width: number): readonly string[] {
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
