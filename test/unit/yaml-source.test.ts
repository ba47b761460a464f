import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_NODES, loadYaml } from '../../src/load/yaml-source.js';

/** Generous bound for code that must not hang (see the alias bomb test); timings live in scripts/bench.mjs. */
const HANG_GUARD_MS = 30_000;

function load(text: string) {
  const result = loadYaml('f.yaml', text);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.document;
}

describe('YAML loading with positions', () => {
  const doc = load('a: 1\nlist:\n  - x: "y"\n    z: [1, 2]\n"odd/key~": 3\n');

  it('constructs plain data with the YAML 1.2 core schema', () => {
    expect(doc.data).toEqual({ a: 1, list: [{ x: 'y', z: [1, 2] }], 'odd/key~': 3 });
    expect(load('v: yes\nw: 0x1F\n').data).toEqual({ v: 'yes', w: 31 });
  });

  it('locates values and keys by JSON pointer', () => {
    expect(doc.locate('/a')).toEqual({ line: 1, column: 4 });
    expect(doc.locate('/a', 'key')).toEqual({ line: 1, column: 1 });
    expect(doc.locate('/list/0/z/1')).toEqual({ line: 4, column: 12 });
    expect(doc.locate('/odd~1key~0')).toEqual({ line: 5, column: 13 });
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(doc.locate('/list/0/missing')).toEqual({ line: 3, column: 5 });
    expect(doc.locate('/nothing/here')).toEqual({ line: 1, column: 1 });
  });

  it('handles CRLF input with the same positions', () => {
    expect(load('a: 1\r\nb: 2\r\n').locate('/b')).toEqual({ line: 2, column: 4 });
  });

  it('allows ordinary anchors and aliases', () => {
    expect(load('a: &x [1, 2]\nb: *x\n').data).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it('refuses an alias bomb without expanding it', () => {
    // 12 levels of 10 aliases each: expanded, 10^12 nodes, which no loader could build in memory or
    // in hours; a loader that expands it crashes or hangs instead of returning this refusal.
    const levels = ['a: &a [' + Array(10).fill('"x"').join(',') + ']'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [` + Array(10).fill(`*${prev}`).join(',') + ']');
    }
    const started = performance.now();
    const result = loadYaml('bomb.yaml', levels.join('\n') + '\n');
    // A hang detector, not a budget: it only turns a loader that is still expanding after HANG_GUARD_MS
    // into a clear failure. How fast the refusal is (budget 500 ms) is measured by `npm run bench`
    // (scripts/bench.mjs), where a busy shared machine cannot fail the test suite.
    expect(performance.now() - started).toBeLessThan(HANG_GUARD_MS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain(`more than ${MAX_EXPANDED_NODES} nodes`);
  });
});

describe('alias expansion guard (counts what aliases expand to, not the nodes written out)', () => {
  const refused = (text: string) => {
    const result = loadYaml('f.yaml', text);
    return result.ok ? null : result.diagnostics;
  };

  it('accepts a file with 4,000 values and no alias (about 44,000 nodes)', () => {
    const lines = ['settings:', '  - id: big', '    values:'];
    for (let i = 0; i < 4000; i++) lines.push(`      - {key: "HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\X${i}", name: a, type: REG_DWORD, data: ${i}}`);
    const doc = load(lines.join('\n') + '\n');
    expect((doc.data as { settings: { values: unknown[] }[] }).settings[0]!.values).toHaveLength(4000);
    expect(doc.locate('/settings/0/values/3999/data')).toEqual({ line: 4003, column: lines[4002]!.indexOf('data: ') + 7 });
  });

  it('accepts a 20,001-item list', () => {
    const doc = load('data:\n' + Array.from({ length: 20_001 }, (_, i) => `  - s${i}`).join('\n') + '\n');
    expect((doc.data as { data: string[] }).data).toHaveLength(20_001);
  });

  it('accepts 501 small aliases (js-yaml would stop at maxAliases 500)', () => {
    const text = 'rb: &rb {required: false, source: doc}\nitems:\n' + Array.from({ length: 501 }, () => '  - *rb').join('\n') + '\n';
    expect((load(text).data as { items: unknown[] }).items).toHaveLength(501);
  });

  it('accepts aliases up to the limit and refuses one node more', () => {
    // A 3-node anchor ([x, y] is the list and its two items): n aliases expand to 3n nodes.
    const file = (n: number) => 'a: &a [x, y]\nb:\n' + Array.from({ length: n }, () => '  - *a').join('\n') + '\n';
    expect(refused(file(MAX_EXPANDED_NODES / 4))).toBeNull();
    const bomb = refused(file(Math.floor(MAX_EXPANDED_NODES / 3) + 1));
    expect(bomb![0]!.message).toContain(`more than ${MAX_EXPANDED_NODES} nodes`);
    expect(bomb?.[0]).toMatchObject({ line: 3, column: 6 });
  });

  it('counts aliases nested in anchors as expanded (billion laughs stays refused)', () => {
    const text =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    // 10 × 11 + 10 × 111 + 18 × 1111 = 21,218 expanded nodes.
    expect(refused(text)![0]!.message).toContain('alias bomb');
    expect(refused(text.replace(/, \*c\]\n$/, ']\n').replace(/, \*c, \*c\]/, ']'))).toBeNull();
  });

  it('refuses a recursive alias instead of building data that contains itself', () => {
    for (const [text, line, column, pointer] of [
      ['mode: &m [*m]\n', 1, 11, '/mode/0'],
      ['targets: [&a [*a], &b [*b]]\n', 1, 15, '/targets/0/0'],
      ['g: &g {self: *g}\n', 1, 14, '/g/self'],
      ['x:\n  - &deep\n    a:\n      - b: [1, *deep]\n', 4, 16, '/x/0/a/0/b/1'],
      // The alias names the most recent node with that anchor: b's own list, not a's.
      ['a: &a [1]\nb: &a [*a]\n', 2, 8, '/b/0'],
      ['? &k [*k]\n: v\n', 1, 7, ''],
    ] as const) {
      const diagnostics = refused(text);
      expect(diagnostics, text).toHaveLength(1);
      expect(diagnostics![0]).toMatchObject({ line, column, pointer });
      expect(diagnostics![0]!.message).toMatch(/^recursive YAML alias: \*\w+ is used inside the node &\w+ names/);
    }
  });

  it('accepts an anchor redefined before it is used again (not recursive)', () => {
    expect(load('a: &a [&a x, *a]\n').data).toEqual({ a: ['x', 'x'] });
    expect(load('a: &a [1]\nb: [*a]\nc: &a [2]\nd: *a\n').data).toEqual({ a: [1], b: [[1]], c: [2], d: [2] });
  });
});

describe('positions of empty values and of CR-only files', () => {
  it('locates an empty mapping value at its key, not at 1:1', () => {
    const doc = load('id: x\ntitle:\nreboot:\nlist:\n  - key:\n    name: a\n');
    expect(doc.locate('/title')).toEqual({ line: 2, column: 1 });
    expect(doc.locate('/reboot')).toEqual({ line: 3, column: 1 });
    expect(doc.locate('/list/0/key')).toEqual({ line: 5, column: 5 });
    expect(load('a: {b: , c: 1}\n').locate('/a/b')).toEqual({ line: 1, column: 5 });
  });

  it('locates an empty sequence item at its dash', () => {
    const doc = load('values:\n  - a\n  -\n  # a comment - here\n  - \n  - - \n');
    expect(doc.locate('/values/1')).toEqual({ line: 3, column: 3 });
    expect(doc.locate('/values/2')).toEqual({ line: 5, column: 3 });
    expect(doc.locate('/values/3/0')).toEqual({ line: 6, column: 5 });
    expect(load('-\n-\n').locate('/1')).toEqual({ line: 2, column: 1 });
  });

  it('counts lines in CR-only and mixed line endings', () => {
    const doc = load('sources:\r  - id: doc\r    title: t\r\n    url: https://example.invalid/doc\r    bogus: 1\r');
    expect(doc.locate('/sources/0/bogus', 'key')).toEqual({ line: 5, column: 5 });
    expect(doc.locate('/sources/0/url')).toEqual({ line: 4, column: 10 });
  });
});

describe('mapping keys YAML reads as other text, complex keys, directives', () => {
  it('locates a key by the property YAML makes of it, and keeps the key as written', () => {
    const result = loadYaml('f.yaml', 'a: 1\n0x10: hex\n~: nothing\n1.50: f\n"0x12": q\n');
    if (!result.ok) throw new Error('expected to load');
    const doc = result.document;
    expect(Object.keys(doc.data as object).sort()).toEqual(['0x12', '1.5', '16', 'a', 'null']);
    expect(doc.locate('/16', 'key')).toEqual({ line: 2, column: 1 });
    expect(doc.writtenKey('/16')).toBe('0x10');
    expect(doc.locate('/null', 'key')).toEqual({ line: 3, column: 1 });
    expect(doc.writtenKey('/null')).toBe('~');
    expect(doc.writtenKey('/1.5')).toBe('1.50');
    expect(doc.writtenKey('/0x12')).toBeUndefined();
    expect(doc.writtenKey('/a')).toBeUndefined();
  });

  it('gives the text of a scalar as written (a number before YAML rounded it)', () => {
    const result = loadYaml('f.yaml', 'n: 18446744073709551616\nm: [1e20]\n');
    if (!result.ok) throw new Error('expected to load');
    expect(result.document.scalarText('/n')).toBe('18446744073709551616');
    expect(result.document.scalarText('/m/0')).toBe('1e20');
    expect(result.document.scalarText('/m')).toBeUndefined();
  });

  it('refuses a complex key at its position, not at 1:1', () => {
    const text = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n? [a, b]\n: x\n';
    expect(loadYaml('f.yaml', text)).toMatchObject({
      ok: false,
      diagnostics: [{ line: 7, column: 1, message: 'mapping keys must be plain text, found a list used as a key' }],
    });
    expect(loadYaml('f.yaml', 'a:\n  {x: 1}: y\n')).toMatchObject({ ok: false, diagnostics: [{ line: 2, column: 3, pointer: '/a' }] });
    expect(loadYaml('f.yaml', 'a: &m {x: 1}\n*m : 2\n')).toMatchObject({ ok: false, diagnostics: [{ line: 2, column: 1 }] });
    expect(loadYaml('f.yaml', '? plain\n: x\n').ok).toBe(true);
  });

  it('reports a bad directive on its own line', () => {
    expect(loadYaml('f.yaml', '%YAML 2.0\n---\na: 1\n')).toMatchObject({ ok: false, diagnostics: [{ line: 1, column: 1 }] });
    expect(loadYaml('f.yaml', '# c\n%YAML 1.2\n%YAML 1.2\n---\na: 1\n')).toMatchObject({ ok: false, diagnostics: [{ line: 3, column: 1 }] });
  });
});
