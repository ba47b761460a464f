/**
 * The README of every profile, read by a real Markdown renderer: markdown-it with `linkify` (and
 * with its fuzzy options, which also catch GFM's `www.` autolinks), raw HTML on as on GitHub. No
 * definition text may create a link, an image, HTML or a table cell: the rendered README has no
 * HTML, every link is one the template made (a URL from the definitions, a file of the profile, or a
 * link written in the template itself), every table row has the template's number of cells, and the
 * title and summary read exactly as written.
 *
 * READMEs: the committed out/, every golden case's expected/, and fresh output (the same pipeline as
 * `tlsgen build`) of definitions/, of every golden case and of a hostile variant of every-value-type.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import MarkdownIt, { type MarkdownIt as Renderer, type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import { markdownUrl } from '../src/formats/markdown.js';
import { generate } from '../src/pipeline.js';
import type { OutputMode } from '../src/validate/definitions.js';
import { GOLDEN, REPO, caseFolders, definitionsForCase } from './support/golden.js';

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
    const data = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) as Record<string, unknown>;
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
  const allowedUrls = new Set([...definitions.urls].flatMap((u) => [md.normalizeLink(u), md.normalizeLink(markdownUrl(u))]));
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
    'heading_open', 'inline', 'heading_close', 'paragraph_open', 'inline', 'paragraph_close', 'paragraph_open',
  ]);
  const [title, summary] = [tokens[1]!.children!, tokens[4]!.children!];
  expect(visibleText(title), `${label}: title`).toBe(shown(profile!.title));
  expect(visibleText(summary), `${label}: summary`).toBe(shown(profile!.summary));
  expect([...title, ...summary].filter((t) => t.type !== 'text'), `${label}: markup in the title or summary`).toEqual([]);
}

/** Every file below dir, by forward-slash path relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The README of every profile folder in an output folder. */
function committedReadmes(label: string, out: string, definitions: Definitions): Readme[] {
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

function freshReadmes(label: string, definitionsDir: string, options: { mode?: OutputMode; profiles?: string[] } = {}): Readme[] {
  const result = generate({ definitionsDir, mode: options.mode, profiles: options.profiles });
  expect(result.diagnostics.map(formatDiagnostic), label).toEqual([]);
  const definitions = readDefinitions(definitionsDir);
  const readmes = result.files.filter((f) => /^[^/]+\/README\.md$/.test(f.path));
  expect(readmes.length, label).toBeGreaterThan(0);
  return readmes.map((f) => {
    const profile = f.path.split('/')[0]!;
    return {
      label: `${label} (fresh) ${f.path}`,
      text: Buffer.from(f.bytes).toString('utf8'),
      definitions,
      profile,
      files: new Set(result.files.filter((g) => g.path.startsWith(`${profile}/`)).map((g) => g.path.slice(profile.length + 1))),
    };
  });
}

interface CaseOptions {
  definitions?: string;
  overlay?: boolean;
  profiles?: string[];
  mode?: OutputMode;
}

/** The golden cases, with their definitions as test/golden.test.ts builds them. */
function goldenCases() {
  return caseFolders(GOLDEN).map((name) => {
    const dir = join(GOLDEN, name);
    const optionsFile = join(dir, 'options.json');
    const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {};
    const base = options.definitions ? resolve(REPO, options.definitions) : join(dir, 'definitions');
    const definitions = options.overlay ? definitionsForCase(dir, base) : base;
    return { name, dir, definitions, options };
  });
}

/** every-value-type with hostile text in every place the README shows definition text, and URLs with `|`. */
function hostileDefinitions(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tlsgen-readme-md-')), 'definitions');
  cpSync(join(GOLDEN, 'every-value-type', 'definitions'), dir, { recursive: true });
  const edit = (file: string, change: (data: Record<string, any>) => void) => {
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
    s.settings[0].values.push({ key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\TlsgenGolden\\Tick`<https://evil.com> www.evil.com <b>x</b>`|', name: 'n', type: 'REG_DWORD', data: 1 });
  });
  edit('windows.yaml', (w) => {
    const list = Object.values(w).find(Array.isArray) as Record<string, any>[];
    for (const target of list) if (typeof target.product === 'string') target.product += ` | <b>x</b> ${links}`;
  });
  return dir;
}

function allReadmes(): Readme[] {
  const shippedDefinitions = join(REPO, 'definitions');
  const readmes: Readme[] = [
    ...committedReadmes('out', join(REPO, 'out'), readDefinitions(shippedDefinitions)),
    ...freshReadmes('definitions', shippedDefinitions),
  ];
  for (const { name, dir, definitions, options } of goldenCases()) {
    readmes.push(...committedReadmes(`test/golden/${name}/expected`, join(dir, 'expected'), readDefinitions(definitions)));
    readmes.push(...freshReadmes(`golden ${name}`, definitions, options));
  }
  readmes.push(...freshReadmes('hostile every-value-type', hostileDefinitions()));
  return readmes;
}

describe('README Markdown', () => {
  const readmes = allReadmes();

  it('covers the committed, golden and fresh READMEs, the hostile ones included', () => {
    const labels = readmes.map((r) => r.label);
    expect(labels.some((l) => l.startsWith('out/'))).toBe(true);
    expect(labels).toContain('test/golden/every-value-type/expected/every-type/README.md');
    expect(labels).toContain('hostile every-value-type (fresh) every-type/README.md');
  });

  for (const [name, md] of renderers) {
    describe(name, () => {
      it.each(readmes.map((r) => [r.label, r] as const))('%s: links, HTML and table cells are the template’s', (_label, readme) => {
        checkReadme(readme, md);
      });
    });
  }

  it.each([
    'test/golden/every-value-type/expected/every-type/README.md',
    'golden every-value-type (fresh) every-type/README.md',
  ])('%s shows the hostile title exactly, as text', (label) => {
    const readme = readmes.find((r) => r.label === label)!;
    for (const [, md] of renderers) {
      const heading = md.parse(readme.text, {})[1]!.children!;
      expect(visibleText(heading)).toBe('Every value type <b>bold</b> | pipes [link](http://evil.invalid)');
      expect(heading.map((t) => t.type)).toEqual(['text']);
    }
  });
});
