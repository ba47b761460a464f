import { describe, expect, it } from 'vitest';
import { wrapCommentText } from '../../src/formats/comment-text.js';
import { listedPaths, renderChecksums } from '../../src/render/checksums.js';

describe('comment text', () => {
  it('splits on every kind of line break so nothing escapes a comment', () => {
    expect(wrapCommentText('a\r\nb\rc\nd\u2028e', 80)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('wraps at the width without breaking words', () => {
    expect(wrapCommentText('aaa bbb ccc ddd', 7)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrapCommentText('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });
});

describe('SHA256SUMS', () => {
  it('is sha256sum -c format, sorted, relative to the profile', () => {
    const text = renderChecksums('p', [
      { path: 'p/reg/b.reg', bytes: new TextEncoder().encode('b') },
      { path: 'p/README.md', bytes: new Uint8Array() },
    ]);
    expect(text).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  README.md\n' +
        '3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  reg/b.reg\n',
    );
    expect(listedPaths(text)).toEqual(['README.md', 'reg/b.reg']);
  });

  it('ignores lines that are not checksum lines', () => {
    expect(listedPaths('garbage\n' + 'a'.repeat(64) + '  ../x\n')).toEqual(['../x']);
  });
});
