/**
 * Bad input: every class of malformed definition has a case under test/golden/_errors_/<case>/
 * (files laid over test/fixtures/base-definitions) whose exact diagnostics are in
 * expected/diagnostics.txt. The pipeline must report them, render nothing, and the CLI must
 * exit 1 and write nothing.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { formatDiagnostic, sortDiagnostics } from '../src/diagnostics.js';
import { generate } from '../src/pipeline.js';
import { GOLDEN, caseFolders, definitionsForCase, updating } from './support/golden.js';

const ERRORS = join(GOLDEN, '_errors_');
/** Far above any refusal (well under a second here), far below what expanding the alias bomb would take. */
const HANG_MS = 30_000;

function diagnosticsText(definitions: string): { text: string; fileCount: number } {
  const result = generate({ definitionsDir: definitions });
  const text = sortDiagnostics(result.diagnostics)
    .map(formatDiagnostic)
    .map((line) => line.split(definitions).join('definitions'))
    .join('\n');
  return { text: text + '\n', fileCount: result.files.length };
}

describe('bad input', () => {
  for (const name of caseFolders(ERRORS)) {
    it(name, async () => {
      const caseDir = join(ERRORS, name);
      const definitions = definitionsForCase(caseDir);
      const started = performance.now();
      const { text, fileCount } = diagnosticsText(definitions);
      const elapsed = performance.now() - started;
      const expectedPath = join(caseDir, 'expected', 'diagnostics.txt');
      if (updating) {
        mkdirSync(dirname(expectedPath), { recursive: true });
        writeFileSync(expectedPath, text);
      }
      expect(existsSync(expectedPath), `no golden output for ${name}; run npm run test:update`).toBe(true);
      expect(text).toBe(readFileSync(expectedPath, 'utf8'));
      expect(text).toMatch(/ error /);
      expect(fileCount).toBe(0);
      // A hang detector, not a speed test: the alias bomb must be refused, not expanded. How fast
      // each case is refused is measured by `npm run bench`
      // (scripts/bench.mjs, "refusing bad input"), where a shared 2-core machine cannot fail a test run.
      expect(elapsed).toBeLessThan(HANG_MS);

      const out = join(dirname(definitions), 'out');
      const stderr: string[] = [];
      const code = await run(['build', '--definitions', definitions, '--out', out], {
        stdout: () => {},
        stderr: (t) => stderr.push(t),
        color: false,
      });
      expect(code).toBe(1);
      expect(existsSync(out)).toBe(false);
      expect(stderr.join('')).not.toMatch(/\n\s+at /); // no stack trace
      // Nothing from a definition reaches the terminal raw: no ESC, CR, C1 or bidi control, one line per diagnostic.
      expect(stderr.join('')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      rmSync(dirname(definitions), { recursive: true, force: true });
    });
  }
});
