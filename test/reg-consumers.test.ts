/**
 * Real consumers on every .reg tlsgen generates (the committed out/ and every golden case):
 * Wine's reg.exe imports it and exports it back (every value byte for byte, deletions applied,
 * then the rollback file removes every value), and hivexregedit merges it into a hive.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { hivexAvailable, hivexMerge } from './consumers/hivex.js';
import { wineAvailable, wineRoundTrip } from './consumers/wine.js';
import { GOLDEN, REPO, caseFolders, readTree } from './support/golden.js';

/** Every apply file with its rollback twin, from out/ and from each golden case's expected/. */
function generatedRegPairs(): { name: string; apply: string; rollback: string }[] {
  const roots = [join(REPO, 'out'), ...caseFolders(GOLDEN).map((c) => join(GOLDEN, c, 'expected'))];
  return roots.flatMap((root) =>
    [...readTree(root).keys()]
      .filter((path) => path.endsWith('.reg') && !path.endsWith('.rollback.reg'))
      .map((path) => ({
        name: `${root.slice(REPO.length + 1)}/${path}`,
        apply: join(root, path),
        rollback: join(root, path.replace(/\.reg$/, '.rollback.reg')),
      })),
  );
}

const pairs = generatedRegPairs();

it('finds the generated .reg files', () => {
  expect(pairs.length).toBeGreaterThanOrEqual(16 + 16 + 3);
  for (const { rollback } of pairs) expect(readdirSync(join(rollback, '..'))).toContain(rollback.split('/').pop());
});

describeConsumer('Wine reg.exe import/export round trip', wineAvailable(), () => {
  for (const { name, apply, rollback } of pairs) {
    it(name, async () => {
      const result = await wineRoundTrip(apply, rollback);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});

describeConsumer('hivexregedit --merge', hivexAvailable(), () => {
  for (const { name, apply, rollback } of pairs) {
    it(name, async () => {
      const result = await hivexMerge(apply, rollback);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});
