/**
 * Golden cases: test/golden/<case>/ holds definitions/ (or options.json naming a definitions
 * folder and a mode) and expected/, the exact bytes tlsgen must produce. Missing and extra
 * files fail. UPDATE_GOLDEN=1 (npm run test:update) rewrites expected/.
 *
 * This is the drift detector for the committed expected/ folders: the consumer, parity and README
 * tests judge the same output generated now (test/support/fresh-output.ts reads the cases the
 * same way), so a committed file that passes here has passed them too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import { generate } from '../src/pipeline.js';
import { goldenCases } from './support/fresh-output.js';
import { readTree, readable, updating, writeTree } from './support/golden.js';

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
