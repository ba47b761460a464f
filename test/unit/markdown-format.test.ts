/**
 * src/formats/markdown.ts through a real Markdown renderer: markdown-it with `linkify` as it ships
 * (close to GitHub's renderer) and with every fuzzy linkify option on (GFM's `www.` autolinks and
 * more). Escaped text must render as exactly the original characters, in every place the README
 * template puts text: a paragraph, a heading, a list item, a table cell and a link's text.
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { markdownCode, markdownInline, markdownUrl } from '../../src/formats/markdown.js';

const shipped = new MarkdownIt({ html: true, linkify: true });
const fuzzy = new MarkdownIt({ html: true, linkify: true });
fuzzy.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });
const renderers = [
  ['markdown-it linkify', shipped],
  ['markdown-it linkify, fuzzy', fuzzy],
] as const;

const HOSTILE = [
  'Every value type <b>bold</b> | pipes [link](http://evil.invalid)',
  'http://evil.invalid https://evil.com/a?b=c#d ftp://evil.com //evil.com //localhost:8080/x',
  'www.evil.invalid www.evil.com WWW.EVIL.COM www.1evil.com evil.com ASP.NET evil.co.uk evil.рф xn--p1ai.com',
  'mailto:x@evil.invalid x@evil.invalid x@evil.com first.last+tag@sub.evil.com',
  '![img](http://evil.invalid/a.png) [ref]: http://evil.invalid [x][ref] <http://evil.invalid> <x@evil.invalid>',
  'https://example.invalid/doc|**INJECTED**|x and a | b || c',
  'back\\slash \\ \\\\server\\share C:\\ trailing\\',
  '\\| \\* \\[ \\< &lt; &amp; &#60; &copy; &#x3C;script&#x3E; & ; %3Cb%3E',
  '<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- c --> <?php ?> <![CDATA[x]]> <a href="http://evil.invalid">a</a>',
  '*em* _em_ **strong** __strong__ ~~del~~ ~sub~ `code` ``co`de`` $(Stop-Computer) #> <#',
  '- not a list',
  '1. not a list',
  '12) not a list',
  '--- === ***',
  '# not a heading ## ###',
  '> not a quote',
  '    not code',
  '```fence',
  '~~~fence',
  '+ not a list',
  '= equals',
  'Line one\nLine two\r\nLine three\r\n\r\n- four\n\n    five',
  'see 10.0.0.1 and 192.168.1.1:8080/x, TLS 1.2, 10.0.19041.1 or later',
  '[^note] [x]: <> (title) "q" \'s\' :smile: a:b',
  'https:/\\/evil.com http:\\/\\/evil.com http&#58;//evil.com',
  'tab\there and non-breaking\u00a0space and emoji 😀 and 日本語',
];

/** The text a reader sees: the inline content with the markup removed (entities and escapes resolved). */
function visibleText(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' ? '\n' : '')).join('');
}

/** The text as a Markdown renderer shows it: line breaks are spaces, leading and trailing white space is gone. */
function shown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Every inline token below `tokens`, in order. */
function inlineTokens(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((t) => (t.type === 'inline' ? (t.children ?? []) : []));
}

function noMarkup(tokens: readonly Token[]): void {
  const inline = inlineTokens(tokens);
  const kinds = new Set([...tokens, ...inline].map((t) => t.type));
  for (const kind of [
    'link_open',
    'image',
    'html_inline',
    'html_block',
    'em_open',
    'strong_open',
    's_open',
    'code_inline',
    'hardbreak',
    'fence',
    'code_block',
  ]) {
    expect(kinds.has(kind), kind).toBe(false);
  }
}

describe('markdownInline through markdown-it', () => {
  for (const [name, md] of renderers) {
    describe(name, () => {
      it.each(HOSTILE)('%j is one paragraph of exactly its own text', (text) => {
        const tokens = md.parse(markdownInline(text), {});
        expect(tokens.map((t) => t.type)).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
        noMarkup(tokens);
        expect(visibleText(inlineTokens(tokens))).toBe(shown(text));
        expect(md.render(markdownInline(text))).not.toMatch(/<(?!\/?p>)/);
      });

      it.each(HOSTILE)('%j is exactly its own text as a heading and as a list item', (text) => {
        const heading = md.parse(`# ${markdownInline(text)}`, {});
        expect(heading.map((t) => t.type)).toEqual(['heading_open', 'inline', 'heading_close']);
        noMarkup(heading);
        expect(visibleText(inlineTokens(heading))).toBe(shown(text));

        const item = md.parse(`- ${markdownInline(text)} (Windows 10; [source](<https://example.invalid/doc>))`, {});
        expect(item.map((t) => t.type)).toEqual([
          'bullet_list_open',
          'list_item_open',
          'paragraph_open',
          'inline',
          'paragraph_close',
          'list_item_close',
          'bullet_list_close',
        ]);
        const links = inlineTokens(item).filter((t) => t.type === 'link_open');
        expect(links.map((t) => t.attrGet('href'))).toEqual(['https://example.invalid/doc']);
      });

      it.each(HOSTILE)('%j stays in its table cell', (text) => {
        const source = `| A | B | C |\n|---|---|---|\n| x | ${markdownInline(text)} | \`y\` |\n`;
        const tokens = md.parse(source, {});
        const cells = tokens.filter((t) => t.type === 'td_open' || t.type === 'th_open');
        expect(cells).toHaveLength(6);
        expect(gfmCells(source.split('\n')[2]!)).toHaveLength(3);
        const row = tokens.filter((t) => t.type === 'inline').slice(3);
        expect(row.map((t) => visibleText(t.children ?? []))).toEqual(['x', shown(text), 'y']);
        noMarkup(tokens.filter((t) => t.type === 'inline').slice(3, 5));
      });

      it.each(HOSTILE)('%j is the whole text of a link the template makes', (text) => {
        const tokens = md.parse(`[${markdownInline(text)}](<https://example.invalid/doc>)`, {});
        const inline = inlineTokens(tokens);
        expect(inline.filter((t) => t.type === 'link_open').map((t) => t.attrGet('href'))).toEqual(['https://example.invalid/doc']);
        expect(inline[0]!.type).toBe('link_open');
        expect(inline.at(-1)!.type).toBe('link_close');
        expect(visibleText(inline)).toBe(shown(text));
      });
    });
  }

  it('escapes only what it must, readably', () => {
    expect(markdownInline('[x](http://e) <b>*y*</b> | z_1')).toBe('\\[x\\]\\(http:/\\/e\\) &lt;b&gt;\\*y\\*&lt;/b&gt; \\| z\\_1');
    expect(markdownInline('www.evil.com x@evil.invalid')).toBe('www\\.evil\\.com x\\@evil\\.invalid');
    expect(markdownInline('TLS 1.2 on Windows 10. Done: 10.0.0.1')).toBe('TLS 1.2 on Windows 10. Done: 10\\.0\\.0\\.1');
    expect(markdownInline('.NET Framework 4.8 and the .reg files; winhttp.dll 6.1.7601.23375')).toBe(
      '.NET Framework 4.8 and the .reg files; winhttp\\.dll 6.1.7601.23375',
    );
    expect(markdownInline('- a - b')).toBe('\\- a - b');
    expect(markdownInline('2026. a 1.2')).toBe('2026\\. a 1.2');
    expect(markdownInline('a & b \\')).toBe('a \\& b \\\\');
  });

  it('turns line breaks into spaces', () => {
    expect(markdownInline('a\n\n  b')).toBe('a b');
  });

  it('holds for random hostile text (fixed seed)', () => {
    const pieces = [
      'http',
      'https',
      'ftp',
      'mailto',
      'www',
      'WWW',
      'evil',
      'com',
      'co',
      'uk',
      'invalid',
      'рф',
      'xn--p1ai',
      'x',
      '1',
      '10',
      '255',
      ':',
      '/',
      '//',
      '.',
      '@',
      '\\',
      '|',
      '<',
      '>',
      '[',
      ']',
      '(',
      ')',
      '!',
      '*',
      '_',
      '`',
      '~',
      '#',
      '&',
      ';',
      '-',
      '=',
      '+',
      '%',
      '"',
      "'",
      '$',
      '?',
      '&lt;',
      '&amp;',
      '&#60;',
      ' ',
      '  ',
      '\n',
      '\t',
      '😀',
      'é',
      '\u200d',
      '\u00ad',
      '\u0301',
      '.com',
      '1.2.3.4',
      '256',
      '6.1.7601.23375',
      '.NET',
      '-',
      '\u3002',
      '\uff0e',
    ];
    let seed = 0x5eed;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 800; i++) {
      const text = Array.from({ length: 1 + random(24) }, () => pieces[random(pieces.length)]).join('');
      if (shown(text) === '') continue;
      for (const [, md] of renderers) {
        const escaped = markdownInline(text);
        const cases: [string, string[]][] = [
          [escaped, [shown(text)]],
          [`- ${escaped}`, [shown(text)]],
          [`| a | ${escaped} |\n|---|---|\n| ${escaped} | b |`, ['a', shown(text), shown(text), 'b']],
        ];
        for (const [source, expected] of cases) {
          const tokens = md.parse(source, {});
          noMarkup(tokens);
          const texts = tokens.filter((t) => t.type === 'inline').map((t) => visibleText(t.children ?? []));
          expect(texts, JSON.stringify(source)).toEqual(expected);
        }
      }
    }
  });
});

/** A table row's cells as GFM splits them: at every `|` that no backslash escapes, code spans included. */
function gfmCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      cell += row[i]! + row[i + 1]!;
      i++;
    } else if (row[i] === '|') {
      cells.push(cell);
      cell = '';
    } else cell += row[i];
  }
  cells.push(cell);
  return cells.slice(row.trimStart().startsWith('|') ? 1 : 0, row.trimEnd().endsWith('|') && !row.trimEnd().endsWith('\\|') ? -1 : undefined);
}

describe('markdownUrl', () => {
  it('percent-encodes what could end the destination or the cell, keeps what a URL needs', () => {
    expect(markdownUrl('https://example.invalid/doc|**INJECTED**|x')).toBe('https://example.invalid/doc%7C**INJECTED**%7Cx');
    expect(markdownUrl('https://example.invalid/a b\n>c<d\\e`f"g{h}^[i]')).toBe('https://example.invalid/a%20b%0A%3Ec%3Cd%5Ce%60f%22g%7Bh%7D%5E%5Bi%5D');
    expect(markdownUrl('https://example.invalid/é😀?q=a&b=c;d#frag')).toBe('https://example.invalid/%C3%A9%F0%9F%98%80?q=a&b=c;d#frag');
    expect(markdownUrl('https://example.invalid/%41%zz%')).toBe('https://example.invalid/%41%25zz%25');
    expect(markdownUrl('https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings?tabs=diffie-hellman')).toBe(
      'https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings?tabs=diffie-hellman',
    );
  });

  it('refuses anything but an absolute http(s) URL', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '//evil.invalid', 'reg/win10.reg', 'https://', ' https://x', 'mailto:x@evil.invalid']) {
      expect(() => markdownUrl(url), url).toThrow(/not an http\(s\) URL/);
    }
    expect(() => markdownUrl('https://example.invalid/\ud800')).toThrow(/lone surrogate/);
  });

  for (const [name, md] of renderers) {
    it(`stays one link in one table cell under ${name}`, () => {
      const urls = [
        'https://example.invalid/doc|**INJECTED**|x',
        'https://example.invalid/a>b<c',
        'https://example.invalid/a b',
        'https://example.invalid/a\nb',
        'https://example.invalid/trailing\\',
        'https://example.invalid/x)](http://evil.invalid)',
        'https://example.invalid/![img](http://evil.invalid/a.png)',
      ];
      for (const url of urls) {
        const source = `| A | B | C |\n|---|---|---|\n| x | [link](<${markdownUrl(url)}>) | y |\n`;
        expect(gfmCells(source.split('\n')[2]!), url).toHaveLength(3);
        const tokens = md.parse(source, {});
        expect(tokens.filter((t) => t.type === 'td_open')).toHaveLength(3);
        const inline = inlineTokens(tokens);
        const links = inline.filter((t) => t.type === 'link_open');
        expect(links, url).toHaveLength(1);
        expect(decodeURI(String(links[0]!.attrGet('href'))), url).toBe(decodeURI(markdownUrl(url)));
        expect(
          inline.some((t) => t.type === 'image' || t.type === 'html_inline'),
          url,
        ).toBe(false);
        expect(
          inline.filter((t) => t.type === 'text').map((t) => t.content),
          url,
        ).toEqual(['A', 'B', 'C', 'x', 'link', 'y']);
      }
    });
  }
});

describe('markdownCode', () => {
  for (const [name, md] of renderers) {
    it(`is one code span of exactly the text under ${name}`, () => {
      const texts = [
        'reg export "HKLM\\SOFTWARE\\x`[a](https://evil.com)`y" backup-01.reg /y',
        '`leading',
        'trailing`',
        '``double`` and `single`',
        ' spaced ',
        'a\nb',
        '<b>x</b> http://evil.com www.evil.com x@evil.com',
      ];
      for (const text of texts) {
        const tokens = md.parse(`- ${markdownCode(text)}`, {});
        const inline = inlineTokens(tokens);
        expect(
          inline.map((t) => t.type),
          text,
        ).toEqual(['code_inline']);
        expect(inline[0]!.content, text).toBe(text.replace(/\n/g, ' '));
      }
    });
  }
});
