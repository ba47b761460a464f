/**
 * Golden cases: test/golden/<case>/ holds definitions/ (or options.json naming a definitions
 * folder and a mode) and expected/, the exact bytes tlsgen must produce. Missing and extra
 * files fail. UPDATE_GOLDEN=1 (npm run test:update) rewrites expected/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import { generate } from '../src/pipeline.js';
import type { OutputMode } from '../src/validate/definitions.js';
import { GOLDEN, REPO, caseFolders, definitionsForCase, readTree, readable, updating, writeTree } from './support/golden.js';

interface CaseOptions {
  /** A definitions folder, relative to the repository; default: the case's own definitions/. */
  definitions?: string;
  /** Lay the case's own definitions/ over `definitions` (a copy), e.g. one extra profile beside the shipped ones. */
  overlay?: boolean;
  /** Profiles to build; default: all. */
  profiles?: string[];
  mode?: OutputMode;
}

export function goldenCases(): { name: string; dir: string; definitions: string; options: CaseOptions }[] {
  return caseFolders(GOLDEN).map((name) => {
    const dir = join(GOLDEN, name);
    const optionsFile = join(dir, 'options.json');
    const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {};
    const base = options.definitions ? resolve(REPO, options.definitions) : join(dir, 'definitions');
    const definitions = options.overlay ? definitionsForCase(dir, base) : base;
    return { name, dir, definitions, options };
  });
}

describe('golden cases', () => {
  for (const { name, dir, definitions, options } of goldenCases()) {
    it(name, () => {
      const result = generate({ definitionsDir: definitions, mode: options.mode, profiles: options.profiles });
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
      const actual = new Map(result.files.map((f) => [f.path, f.bytes]));
      const expectedDir = join(dir, 'expected');
      if (updating) writeTree(expectedDir, actual);
      const expected = readTree(expectedDir);
      expect(expected.size, `no golden output for ${name}; run npm run test:update`).toBeGreaterThan(0);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()]);
      for (const [path, bytes] of expected) {
        const produced = actual.get(path)!;
        if (Buffer.compare(Buffer.from(produced), bytes) !== 0) {
          expect(readable(produced), path).toBe(readable(bytes)); // a readable diff first
          expect(Buffer.from(produced).equals(bytes), `${path}: bytes differ (encoding or line ends)`).toBe(true);
        }
      }
    });
  }
});
