import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` judges the code with: semantic tests that decode output the way its consumer
 * does or compare it with the plan, never the byte snapshots (goldens, out/ currency), which a mutant
 * followed by regeneration would pass. Consumers that start other programs are left out for time.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/readme-facts.test.ts', 'test/readme-markdown.test.ts', 'test/gpp.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
