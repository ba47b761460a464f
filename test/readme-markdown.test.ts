/**
 * The README of every profile, read by a real Markdown renderer: markdown-it with `linkify` (and
 * with its fuzzy options, which also catch GFM's `www.` autolinks), raw HTML on as on GitHub. No
 * definition text may create a link, an image, HTML or a table cell: the rendered README has no
 * HTML, every link is one the template made (a URL from the definitions, a file of the profile, or a
 * link written in the template itself), every table row has the template's number of cells, and the
 * title and summary read exactly as written.
 *
 * READMEs generated now: definitions/ and every golden case (test/support/fresh-output.ts, which
 * honours each case's options.json), and a hostile variant of every-value-type. The committed out/
 * and goldens are judged by out-is-current.test.ts and golden.test.ts, which hold them equal to this
 * output. The link destinations the README may use are computed here (RFC 3986 percent-encoding),
 * never with the product's own encoder.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import MarkdownIt, { type MarkdownIt as Renderer, type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import { generate } from '../src/pipeline.js';
import { freshOutputProblems, freshSources, goldenCases } from './support/fresh-output.js';
import { GOLDEN, REPO, caseFolders } from './support/golden.js';

const shipped = new MarkdownIt({ html: true, linkify: true });
// Fuzzy links also catch GFM's `www.` autolinks. Not fuzzyIP: GFM never links a bare IP address, and the
// template's own text has version numbers such as PSDscResources 2.12.0.0 (definition text is tested
// with fuzzyIP too, in test/unit/markdown-format.test.ts).
const fuzzy = new MarkdownIt({ html: true, linkify: true });
fuzzy.linkify.set({ fuzzyLink: true, fuzzyEmail: true });
const renderers = [
  ['markdown-it linkify', shipped],
  ['markdown-it linkify, fuzzy', fuzzy],
] as const;

/** What the definitions let the template link to and show. */
interface Definitions {
  /** Every `url` in the definitions. */
  urls: Set<string>;
  /** Every `title` in the definitions (sources, prerequisites, profiles), as shown. */
  titles: Set<string>;
  profiles: Map<string, { title: string; summary: string }>;
}

interface Readme {
  label: string;
  text: string;
  definitions: Definitions;
  profile: string;
  /** The profile folder's files, relative to it (reg/win10.reg). */
  files: Set<string>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'schema' ? [] : yamlFiles(join(dir, e.name))) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function readDefinitions(dir: string): Definitions {
  const definitions: Definitions = { urls: new Set(), titles: new Set(), profiles: new Map() };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'url' && typeof value === 'string') definitions.urls.add(value);
        if (key === 'title' && typeof value === 'string') definitions.titles.add(shown(value));
        walk(value);
      }
    }
  };
  for (const file of yamlFiles(dir)) {
    // biome-ignore lint/suspicious/noExplicitAny: YAML definitions edited loosely to make hostile variants
    const data = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) as Record<string, any>;
    walk(data);
    if (relative(dir, file).split(sep)[0] === 'profiles') {
      definitions.profiles.set(String(data.id), { title: String(data.title), summary: String(data.summary) });
    }
  }
  return definitions;
}

/** Text as a Markdown renderer shows it: line breaks are spaces, no white space at either end. */
function shown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * A URL as a link destination may carry it, computed here (not with the product's encoder): RFC 3986
 * section 2 keeps unreserved characters (ALPHA DIGIT - . _ ~) and reserved ones (gen-delims
 * : / ? # @ and sub-delims ! $ & ' ( ) * + , ; =; not [ and ], which only an IP-literal host may
 * hold) as they are, and an existing pct-encoded triplet %XX (2.4: never encoded twice). Every other
 * character, such as the | and \ of the hostile URLs, or white space, < and >, is percent-encoded
 * as its UTF-8 bytes with upper-case hex digits (2.1).
 */
function percentEncoded(url: string): string {
  const chars = [...url];
  return chars
    .map((c, i) => {
      if (/^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]$/.test(c)) return c;
      if (c === '%' && /^[0-9A-Fa-f]$/.test(chars[i + 1] ?? '') && /^[0-9A-Fa-f]$/.test(chars[i + 2] ?? '')) return c;
      return [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    })
    .join('');
}

function visibleText(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' ? '\n' : '')).join('');
}

/** A table row's cells as GFM splits them: at every `|` that no backslash escapes, code spans included. */
function gfmCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) cell += row[i]! + row[++i]!;
    else if (row[i] === '|') {
      cells.push(cell);
      cell = '';
    } else cell += row[i];
  }
  cells.push(cell);
  const trimmed = row.trim();
  return cells.slice(trimmed.startsWith('|') ? 1 : 0, trimmed.endsWith('|') && !trimmed.endsWith('\\|') ? -1 : undefined);
}

/** Links written literally in the README template, [text](<url>): the template's own, no definition text in them. */
const templateLinks = new Map(
  readdirSync(join(REPO, 'templates', 'readme'))
    .filter((name) => name.endsWith('.hbs'))
    .flatMap((name) => [...readFileSync(join(REPO, 'templates', 'readme', name), 'utf8').matchAll(/\[([^\]{}]+)\]\(<?(https:\/\/[^\s<>{}()]+)>?\)/g)])
    .map((m) => [m[2]!, m[1]!] as const),
);

function checkReadme(readme: Readme, md: Renderer): void {
  const { label, text, definitions } = readme;
  const tokens = md.parse(text, {});
  const html = md.renderer.render(tokens, md.options, {});
  const inline = tokens.flatMap((t) => (t.type === 'inline' ? (t.children ?? []) : []));

  // No HTML and no image from anywhere (the template writes none either).
  for (const t of [...tokens, ...inline]) {
    expect(['html_block', 'html_inline', 'image'], `${label}: ${t.type} ${JSON.stringify(t.content)}`).not.toContain(t.type);
  }
  expect(html, label).not.toMatch(/<(script|b|img|iframe|style|svg|object)\b/i);

  // Every link is one the template made: a URL of the definitions, titled by a definition's title
  // or by the template's own word, or a file of the profile shown by its name.
  const allowedUrls = new Set([...definitions.urls].flatMap((u) => [md.normalizeLink(u), md.normalizeLink(percentEncoded(u))]));
  const ownLinks = new Map([...templateLinks].map(([url, text]) => [md.normalizeLink(url), text]));
  for (let i = 0; i < inline.length; i++) {
    if (inline[i]!.type !== 'link_open') continue;
    const href = String(inline[i]!.attrGet('href') ?? '');
    const end = inline.findIndex((t, j) => j > i && t.type === 'link_close');
    const linkText = visibleText(inline.slice(i + 1, end));
    if (readme.files.has(href)) {
      expect(linkText, `${label}: link to ${href}`).toBe(href.split('/').at(-1));
    } else if (ownLinks.has(href)) {
      expect(linkText, `${label}: link to ${href}`).toBe(ownLinks.get(href));
    } else {
      expect(allowedUrls, `${label}: a link the template did not make: ${href} (${JSON.stringify(linkText)})`).toContain(href);
      expect(['source', 'link', ...definitions.titles], `${label}: text of the link to ${href}`).toContain(linkText);
    }
    expect(href, label).not.toMatch(/evil/i);
  }

  // Every table row has the header's number of cells, as GFM splits them and as markdown-it made them.
  const lines = text.split('\n');
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'table_open') continue;
    const [start, end] = tokens[i]!.map!;
    const columns = gfmCells(lines[start]!).length;
    for (let line = start + 2; line < end; line++) {
      expect(gfmCells(lines[line]!), `${label}:${line + 1} ${lines[line]}`).toHaveLength(columns);
    }
    const close = tokens.findIndex((t, j) => j > i && t.type === 'table_close');
    let cells = 0;
    for (const t of tokens.slice(i, close)) {
      if (t.type === 'tr_open') cells = 0;
      if (t.type === 'th_open' || t.type === 'td_open') cells++;
      if (t.type === 'tr_close') expect(cells, label).toBe(columns);
    }
  }

  // The title and the summary read exactly as the definitions wrote them, and link nowhere.
  const profile = definitions.profiles.get(readme.profile);
  expect(profile, `${label}: profile ${readme.profile} in the definitions`).toBeDefined();
  expect(tokens.slice(0, 7).map((t) => t.type)).toEqual([
    'heading_open',
    'inline',
    'heading_close',
    'paragraph_open',
    'inline',
    'paragraph_close',
    'paragraph_open',
  ]);
  const [title, summary] = [tokens[1]!.children!, tokens[4]!.children!];
  expect(visibleText(title), `${label}: title`).toBe(shown(profile!.title));
  expect(visibleText(summary), `${label}: summary`).toBe(shown(profile!.summary));
  expect(
    [...title, ...summary].filter((t) => t.type !== 'text'),
    `${label}: markup in the title or summary`,
  ).toEqual([]);
}

/** Every file below dir, by forward-slash path relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The README of every profile folder in an output folder generated now. */
function readmesIn(label: string, out: string, definitions: Definitions): Readme[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(out, e.name, 'README.md')))
    .map((e) => ({
      label: `${label}/${e.name}/README.md`,
      text: readFileSync(join(out, e.name, 'README.md'), 'utf8'),
      definitions,
      profile: e.name,
      files: new Set(filesBelow(join(out, e.name))),
    }));
}

/** The READMEs of a definitions folder that fresh-output.ts does not build (the hostile one). */
function generatedReadmes(label: string, definitionsDir: string): Readme[] {
  const result = generate({ definitionsDir });
  expect(result.diagnostics.map(formatDiagnostic), label).toEqual([]);
  const definitions = readDefinitions(definitionsDir);
  const readmes = result.files.filter((f) => /^[^/]+\/README\.md$/.test(f.path));
  expect(readmes.length, label).toBeGreaterThan(0);
  return readmes.map((f) => {
    const profile = f.path.split('/')[0]!;
    return {
      label: `${label}/${f.path}`,
      text: Buffer.from(f.bytes).toString('utf8'),
      definitions,
      profile,
      files: new Set(result.files.filter((g) => g.path.startsWith(`${profile}/`)).map((g) => g.path.slice(profile.length + 1))),
    };
  });
}

/** every-value-type with hostile text in every place the README shows definition text, and URLs with `|`. */
function hostileDefinitions(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tlsgen-readme-md-')), 'definitions');
  cpSync(join(GOLDEN, 'every-value-type', 'definitions'), dir, { recursive: true });
  // biome-ignore lint/suspicious/noExplicitAny: YAML definitions edited loosely to make hostile variants
  const edit = (file: string, change: (data: Record<string, any>) => void) => {
    // biome-ignore lint/suspicious/noExplicitAny: YAML definitions edited loosely to make hostile variants
    const data = load(readFileSync(join(dir, file), 'utf8'), { schema: CORE_SCHEMA }) as Record<string, any>;
    change(data);
    writeFileSync(join(dir, file), JSON.stringify(data, null, 2)); // JSON is YAML
  };
  const links = 'www.evil.com www.evil.invalid mailto:x@evil.invalid x@evil.invalid ![img](http://evil.invalid/a.png) http://evil.invalid';
  edit('profiles/every-type.yaml', (p) => {
    p.title = `- Hostile <b>bold</b> | pipe [link](http://evil.invalid) ${links} back\\slash \\| end\\`;
    p.summary = `1. not a list\n- nor this\n<script>alert(1)</script> ${links}\n| a | b |\n|---|---|\n//evil.com/x 10.0.0.1 &amp; &lt;b&gt;`;
    p.prerequisites[0].title = `KB title [x](http://evil.invalid) ${links}`;
    p.prerequisites[0].url = 'https://example.invalid/kb|**INJECTED**|x';
    p.warnings[0].text = `- A warning ${links} | <img src=x onerror=alert(1)>\n\n    indented`;
  });
  edit('sources.yaml', (s) => {
    s.sources[0].url = 'https://example.invalid/doc|**INJECTED**|x';
    s.sources[0].title = `Doc | title ${links}`;
    s.sources[1].url = 'https://example.invalid/table\\';
  });
  edit('settings/types.yaml', (s) => {
    // A key is free text: a backtick must not end the code span of the backup command.
    s.settings[0].values.push({
      key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenGolden\\Tick`<https://evil.com> www.evil.com <b>x</b>`|',
      name: 'n',
      type: 'REG_DWORD',
      data: 1,
    });
  });
  edit('windows.yaml', (w) => {
    // biome-ignore lint/suspicious/noExplicitAny: YAML definitions edited loosely to make hostile variants
    const list = Object.values(w).find(Array.isArray) as Record<string, any>[];
    for (const target of list) if (typeof target.product === 'string') target.product += ` | <b>x</b> ${links}`;
  });
  return dir;
}

const HOSTILE = '(fresh)/hostile every-value-type';

/** definitions/ and every golden case generated now (fresh-output.ts), then the hostile variant. */
function allReadmes(): Readme[] {
  // The definitions each source was built from, for the URLs and titles it may show (an overlay
  // case is a copy of its base with the case's files laid over it, as fresh-output.ts builds it).
  const definitionsOf = new Map<string, string>([['definitions', join(REPO, 'definitions')], ...goldenCases().map((c) => [c.name, c.definitions] as const)]);
  const readmes = freshSources().flatMap((source) => {
    const definitions = definitionsOf.get(source.name);
    return definitions ? readmesIn(`(fresh)/${source.name}`, source.root, readDefinitions(definitions)) : [];
  });
  readmes.push(...generatedReadmes(HOSTILE, hostileDefinitions()));
  return readmes;
}

describe('README Markdown', () => {
  const readmes = allReadmes();

  it('generates fresh output from definitions/ and every golden case without errors', () => {
    expect(freshOutputProblems()).toEqual([]);
  });

  it('covers the READMEs of definitions/ and of every golden case, generated now, the hostile ones included', () => {
    const labels = readmes.map((r) => r.label);
    for (const source of ['definitions', ...caseFolders(GOLDEN)]) {
      expect(
        labels.some((l) => l.startsWith(`(fresh)/${source}/`)),
        source,
      ).toBe(true);
    }
    expect(labels).toContain('(fresh)/definitions/azure-backup-tls12/README.md');
    expect(labels).toContain('(fresh)/every-value-type/every-type/README.md');
    expect(labels).toContain(`${HOSTILE}/every-type/README.md`);
  });

  it('links the hostile URLs (| and \\ in them) percent-encoded, as RFC 3986 has them', () => {
    const readme = readmes.find((r) => r.label === `${HOSTILE}/every-type/README.md`)!;
    const hrefs = new Set(
      shipped
        .parse(readme.text, {})
        .flatMap((t) => t.children ?? [])
        .filter((t) => t.type === 'link_open')
        .map((t) => String(t.attrGet('href'))),
    );
    const hostile = [...readme.definitions.urls].filter((u) => /[|\\]/.test(u));
    expect(hostile.length).toBeGreaterThan(0);
    for (const url of hostile) {
      const encoded = percentEncoded(url);
      expect(encoded).not.toMatch(/[|\\]/);
      expect(readme.text, url).toContain(`(<${encoded}>)`);
      expect(hrefs, url).toContain(shipped.normalizeLink(encoded));
    }
  });

  for (const [name, md] of renderers) {
    describe(name, () => {
      it.each(readmes.map((r) => [r.label, r] as const))('%s: links, HTML and table cells are the template’s', (_label, readme) => {
        checkReadme(readme, md);
      });
    });
  }

  it.each(['(fresh)/every-value-type/every-type/README.md'])('%s shows the hostile title exactly, as text', (label) => {
    const readme = readmes.find((r) => r.label === label)!;
    for (const [, md] of renderers) {
      const heading = md.parse(readme.text, {})[1]!.children!;
      expect(visibleText(heading)).toBe('Every value type <b>bold</b> | pipes [link](http://evil.invalid)');
      expect(heading.map((t) => t.type)).toEqual(['text']);
    }
  });
});
