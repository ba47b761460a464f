#!/usr/bin/env node
/**
 * npm run fuzz: the property-based suite (test/property.test.ts) with many more cases and a random
 * seed. Prints the seed first, so any failure can be replayed:
 *   TLSGEN_PROPERTY_SEED=<seed> TLSGEN_PROPERTY_CASES=<cases> npx vitest run test/property.test.ts
 * The test itself prints the failing cases and the minimized counterexample (fast-check seed and path).
 *
 * Options: --cases N (default 10000), --seed S (default random), --batch N (default 100).
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const cases = Number(option('cases', '10000'));
const seed = Number(option('seed', String(randomInt(1, 2 ** 31 - 1))));
const batch = Number(option('batch', '100'));
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !Number.isInteger(batch) || batch < 1) {
  console.error('usage: npm run fuzz -- [--cases N] [--seed S] [--batch N]');
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${cases} cases (replay: TLSGEN_PROPERTY_SEED=${seed} TLSGEN_PROPERTY_CASES=${cases} npx vitest run test/property.test.ts)`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', 'test/property.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    TLSGEN_PROPERTY_SEED: String(seed),
    TLSGEN_PROPERTY_CASES: String(cases),
    TLSGEN_PROPERTY_BATCH: String(batch),
    TLSGEN_PROPERTY_INVALID_CASES: String(Math.max(300, Math.round(cases / 2))),
    TLSGEN_PROPERTY_SHRINK_MS: process.env.TLSGEN_PROPERTY_SHRINK_MS ?? '600000',
  },
});
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`fuzz: seed ${seed}, ${cases} cases, ${result.status === 0 ? 'no failure' : 'FAILED'} in ${minutes} min`);
process.exit(result.status ?? 1);
