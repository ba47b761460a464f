/**
 * Real consumers on every .reg tlsgen generates now (test/support/fresh-output.ts: the shipped
 * definitions and every golden case's definitions, generated in this run):
 *  - each apply and rollback file says exactly what the plan generate() returned for its target
 *    (key, name, type and data, encoded by the test from the value types' definitions);
 *  - Wine's reg.exe imports it and exports it back: every value byte for byte as the file says
 *    AND as the plan says, deletions applied, then the rollback file removes every value;
 *  - hivexregedit merges the file's own bytes (UTF-16LE with BOM, decoded by Perl) into a hive,
 *    which must then hold what the file and the plan say.
 * The committed out/ and test/golden/<case>/expected are not read: out-is-current.test.ts and
 * golden.test.ts require them to equal this output byte for byte.
 */
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeConsumer, type PlanExpectation } from './consumers/consumer-policy.js';
import { hivexAvailable, hivexMerge } from './consumers/hivex.js';
import { wineAvailable, wineRoundTrip } from './consumers/wine.js';
import { freshOutputProblems, freshRegPairs, type FreshRegPair } from './support/fresh-output.js';
import { planAsRegParse, planOutcomes, regFileOutcomes } from './support/registry-outcomes.js';

const pairs = freshRegPairs();
const WINE_TIMEOUT_MS = 180_000; // the first call may have to create the Wine prefix

function planOf(pair: FreshRegPair): PlanExpectation {
  if (!pair.target) throw new Error(`${pair.name}: no target ${pair.name} in the plan generate() returned`);
  return { apply: planAsRegParse(pair.target.apply), rollback: planAsRegParse(pair.target.rollback) };
}

it('generates the .reg files now, from definitions/ and every golden case', () => {
  expect(freshOutputProblems()).toEqual([]);
  expect(pairs.length).toBeGreaterThanOrEqual(16 + 16 + 3);
  for (const pair of pairs) {
    expect(existsSync(pair.rollback), pair.name).toBe(true);
    expect(pair.target, `${pair.name} has a target in the plan`).toBeDefined();
  }
  // …and every target of every plan has its pair.
  const planned = new Set(pairs.flatMap((p) => p.profile.targets.map((t) => `${p.name.slice(0, p.name.lastIndexOf('/reg/'))}/reg/${t.variantId}.reg`)));
  expect([...planned].sort()).toEqual(pairs.map((p) => p.name).sort());
});

it.each(pairs.map((p) => [p.name, p] as const))('%s and its rollback do exactly what the plan says', (_name, pair) => {
  const plan = pair.target!;
  expect(regFileOutcomes(pair.apply)).toEqual(planOutcomes(plan.apply));
  expect(regFileOutcomes(pair.rollback)).toEqual(planOutcomes(plan.rollback));
});

describeConsumer('Wine reg.exe import/export round trip, against the file and the plan', wineAvailable(), () => {
  for (const pair of pairs) {
    it(pair.name, { timeout: WINE_TIMEOUT_MS }, async () => {
      const result = await wineRoundTrip(pair.apply, pair.rollback, planOf(pair));
      expect(result.problems, result.problems.join('\n')).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});

describeConsumer('hivexregedit --merge of the real bytes, against the file and the plan', hivexAvailable(), () => {
  for (const pair of pairs) {
    it(pair.name, async () => {
      const result = await hivexMerge(pair.apply, pair.rollback, planOf(pair));
      expect(result.problems, result.problems.join('\n')).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});
