import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_NODES, loadYaml } from '../../src/load/yaml-source.js';

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

  it('refuses an alias bomb quickly, without expanding it', () => {
    const levels = ['a: &a [' + Array(10).fill('"x"').join(',') + ']'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [` + Array(10).fill(`*${prev}`).join(',') + ']');
    }
    const started = performance.now();
    const result = loadYaml('bomb.yaml', levels.join('\n') + '\n');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain(`more than ${MAX_EXPANDED_NODES} nodes`);
  });
});
