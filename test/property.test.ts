/**
 * Property-based tests (issue 9, section 7): random definitions → generate() → every artifact → its
 * real consumer → the same values back (test/property/check.ts says which consumer checks what).
 *
 * `npm test`: TLSGEN_PROPERTY_CASES (default 200) cases from a fixed seed, run in batches so each
 * consumer starts once per batch. `npm run fuzz` (scripts/fuzz.mjs): 10,000 cases, random seed.
 * A failing case is replayed alone and shrunk by fast-check (same seed, `path` = its index), and
 * the report gives the seed, the path and the minimized definition.
 *
 * Replay: TLSGEN_PROPERTY_SEED=<seed> TLSGEN_PROPERTY_CASES=<n> npx vitest run test/property.test.ts
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../src/pipeline.js';
import { requireConsumers } from './consumers/consumer-policy.js';
import { caseArb, keySegmentArb, valueNameArb, type CaseSpec } from './property/arbitraries.js';
import { availableConsumers, runBatch, type CaseFailure } from './property/check.js';
import { ROOT_KEY, materialize } from './property/definitions.js';
import { BASE_DEFINITIONS } from './support/golden.js';

const SEED = Number(process.env['TLSGEN_PROPERTY_SEED'] ?? 20261130);
const CASES = Number(process.env['TLSGEN_PROPERTY_CASES'] ?? 200);
const BATCH = Number(process.env['TLSGEN_PROPERTY_BATCH'] ?? 50);
const SHRINK_MS = Number(process.env['TLSGEN_PROPERTY_SHRINK_MS'] ?? 240_000);
const INVALID_CASES = Number(process.env['TLSGEN_PROPERTY_INVALID_CASES'] ?? 300);

const scratch = mkdtempSync(join(tmpdir(), 'tlsgen-property-'));
afterAll(() => {
  if (process.env['TLSGEN_PROPERTY_KEEP'] !== '1') rmSync(scratch, { recursive: true, force: true });
});

function describeCase(spec: CaseSpec, index: number): string {
  const dir = join(scratch, 'report', `c${index}`);
  const m = materialize(spec, index, dir);
  return `profiles/prop.yaml:\n${m.profileYaml}settings/random.yaml:\n${m.settingsYaml}`;
}

describe('property: random definitions survive every real consumer', () => {
  it(`${CASES} random definitions (seed ${SEED}): .reg via Wine, DSC/scripts/Intune via PowerShell's AST, GPP via xmllint + XSD and System.Xml`, async () => {
    const consumers = availableConsumers();
    const missing = Object.entries(consumers)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    if (missing.length > 0) {
      if (requireConsumers()) throw new Error(`consumers required but not installed: ${missing.join(', ')}`);
      const banner = '!'.repeat(72);
      console.warn(`\n${banner}\nSKIPPED: ${missing.join(', ')} not installed — property checks of those consumers did not run\n${banner}\n`);
    }
    console.log(`property: seed ${SEED}, ${CASES} cases, batches of ${BATCH}`);
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: CASES });
    const failures: CaseFailure[] = [];
    const totals = { valid: 0, refused: 0, files: 0, ms: {} as Record<string, number> };
    const started = performance.now();
    for (let start = 0; start < cases.length; start += BATCH) {
      const batch = cases.slice(start, start + BATCH);
      const dir = join(scratch, `batch-${start}`);
      mkdirSync(dir, { recursive: true });
      const { failures: f, stats } = await runBatch(batch, dir, consumers);
      failures.push(...f.map((x) => ({ ...x, index: x.index + start })));
      totals.valid += stats.valid;
      totals.refused += stats.refused;
      totals.files += stats.files;
      for (const [k, v] of Object.entries(stats.ms)) totals.ms[k] = (totals.ms[k] ?? 0) + v;
      if (process.env['TLSGEN_PROPERTY_KEEP'] !== '1') rmSync(dir, { recursive: true, force: true });
    }
    const timing = Object.entries(totals.ms)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ');
    console.log(
      `property: ${cases.length} cases (${totals.valid} generated and checked, ${totals.refused} refused as expected), ${totals.files} files, ` +
        `${failures.length} failing, ${((performance.now() - started) / 1000).toFixed(1)} s (${timing})`,
    );
    if (failures.length === 0) return;

    // Shrink the first failure alone: same seed, path = its index.
    const first = failures[0]!;
    const shrinkDir = join(scratch, 'shrink');
    let runs = 0;
    const shrunk = await fc.check(
      fc.asyncProperty(caseArb, async (spec) => {
        const dir = join(shrinkDir, `run-${runs++}`);
        mkdirSync(dir, { recursive: true });
        const r = await runBatch([spec], dir, consumers);
        rmSync(dir, { recursive: true, force: true });
        return r.failures.length === 0;
      }),
      { seed: SEED, numRuns: CASES, path: String(first.index), interruptAfterTimeLimit: SHRINK_MS, markInterruptAsFailure: false },
    );
    let minimized = '(shrinking did not reproduce the failure alone)';
    let minimizedProblems: string[] = [];
    if (shrunk.failed && shrunk.counterexample) {
      const spec = shrunk.counterexample[0];
      const dir = join(shrinkDir, 'final');
      mkdirSync(dir, { recursive: true });
      minimizedProblems = (await runBatch([spec], dir, consumers)).failures.flatMap((f) => f.problems);
      minimized = `${JSON.stringify(spec)}\n${describeCase(spec, 0)}`;
    }
    const summary = failures
      .slice(0, 10)
      .map((f) => {
        const by = new Map<string, number>();
        for (const p of f.problems) {
          const where = p.replace(/^(wine|xmllint|generate)(:| ).*/s, '$1').replace(/^([^ :[]+).*$/s, '$1');
          by.set(where, (by.get(where) ?? 0) + 1);
        }
        return `case ${f.index} (${[...by].map(([k, n]) => `${k}: ${n}`).join(', ')}):\n  ${f.problems.slice(0, 8).join('\n  ')}`;
      })
      .join('\n');
    const message =
      `${failures.length} of ${cases.length} random cases failed (seed ${SEED}; replay: TLSGEN_PROPERTY_SEED=${SEED} TLSGEN_PROPERTY_CASES=${CASES}).\n` +
      `${summary}\n\nFirst failure (case ${first.index}) shrunk in ${runs} runs (fast-check seed ${SEED}, path ${shrunk.counterexamplePath ?? String(first.index)}):\n` +
      `${minimizedProblems.slice(0, 10).join('\n')}\n${minimized}`;
    console.error(message);
    expect.fail(message);
  }, 3_600_000);
});

// ---------------------------------------------------------------------------------------
// Deliberately invalid input: a located error, nothing generated, no crash.

type Breakage = { what: string; op: Record<string, unknown>; at: 'key' | 'name' | 'data' };

const breakageArb: fc.Arbitrary<Breakage> = fc.oneof(
  fc
    .tuple(keySegmentArb, keySegmentArb)
    .map(([a, b]) => ({ what: '] in a key name', op: { key: `${ROOT_KEY}\\${a}]${b}`, name: 'x', type: 'REG_DWORD', data: 1 }, at: 'key' as const })),
  fc.tuple(keySegmentArb, fc.constantFrom('\n', '\r', '\t', '\u0001', '\u007f')).map(([a, c]) => ({
    what: 'control character in a key name',
    op: { key: `${ROOT_KEY}\\${a}${c}x`, name: 'x', type: 'REG_DWORD', data: 1 },
    at: 'key' as const,
  })),
  fc
    .constantFrom('.', '..', ' lead', 'trail ', '')
    .map((s) => ({ what: `key name ${JSON.stringify(s)}`, op: { key: `${ROOT_KEY}\\${s}\\x`, name: 'x', type: 'REG_DWORD', data: 1 }, at: 'key' as const })),
  fc
    .integer({ min: 256, max: 400 })
    .map((n) => ({ what: 'key name over 255', op: { key: `${ROOT_KEY}\\${'k'.repeat(n)}`, name: 'x', type: 'REG_DWORD', data: 1 }, at: 'key' as const })),
  fc.tuple(valueNameArb, fc.constantFrom('\n', '\r', '\t', '\u0000', '\u001b', '\u007f')).map(([a, c]) => ({
    what: 'control character in a value name',
    op: { key: `${ROOT_KEY}\\k`, name: `${a}${c}`, type: 'REG_SZ', data: 'x' },
    at: 'name' as const,
  })),
  fc.tuple(valueNameArb, fc.constantFrom('\ufffe', '\uffff', '\ud800', '\udfff')).map(([a, c]) => ({
    what: 'U+FFFE/U+FFFF/lone surrogate in a value name',
    op: { key: `${ROOT_KEY}\\k`, name: `${a}${c}`, type: 'REG_SZ', data: 'x' },
    at: 'name' as const,
  })),
  fc.constantFrom('\ufffe', '\uffff', '\ud800', '\u0000', '\u0001', '\u000b').map((c) => ({
    what: `U+${c.charCodeAt(0).toString(16)} in REG_SZ data`,
    op: { key: `${ROOT_KEY}\\k`, name: 'x', type: 'REG_SZ', data: `a${c}b` },
    at: 'data' as const,
  })),
  fc
    .constantFrom(-1, 4294967296, 1.5, '1', null)
    .map((d) => ({ what: `REG_DWORD ${JSON.stringify(d)}`, op: { key: `${ROOT_KEY}\\k`, name: 'x', type: 'REG_DWORD', data: d }, at: 'data' as const })),
  fc
    .constantFrom('0x10000000000000000', '0x', 'FFFF', -1, 2 ** 53 + 2, '0xG')
    .map((d) => ({ what: `REG_QWORD ${JSON.stringify(d)}`, op: { key: `${ROOT_KEY}\\k`, name: 'x', type: 'REG_QWORD', data: d }, at: 'data' as const })),
  fc
    .constantFrom('0', 'abc', 'zz', '0x00')
    .map((d) => ({ what: `REG_BINARY ${JSON.stringify(d)}`, op: { key: `${ROOT_KEY}\\k`, name: 'x', type: 'REG_BINARY', data: d }, at: 'data' as const })),
  fc
    .constantFrom([''], ['a', ''], 'a', [1])
    .map((d) => ({ what: `REG_MULTI_SZ ${JSON.stringify(d)}`, op: { key: `${ROOT_KEY}\\k`, name: 'x', type: 'REG_MULTI_SZ', data: d }, at: 'data' as const })),
);

describe('property: invalid definitions are refused with a located error and nothing written', () => {
  it(`${INVALID_CASES} random breakages (seed ${SEED})`, () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: valueNameArb, data: fc.integer({ min: 0, max: 9 }) }), { maxLength: 3 }),
        breakageArb,
        fc.nat(),
        (good, bad, where) => {
          const dir = join(scratch, 'invalid', `i${n++}`);
          mkdirSync(join(dir, 'settings'), { recursive: true });
          mkdirSync(join(dir, 'profiles'), { recursive: true });
          writeFileSync(join(dir, 'sources.yaml'), readFileSync(join(BASE_DEFINITIONS, 'sources.yaml')));
          writeFileSync(join(dir, 'windows.yaml'), readFileSync(join(BASE_DEFINITIONS, 'windows.yaml')));
          const values: object[] = good.map((g, i) => ({ key: `${ROOT_KEY}\\good\\k${i}`, name: g.name, type: 'REG_DWORD', data: g.data }));
          const position = where % (values.length + 1);
          values.splice(position, 0, bad.op);
          const yamlText = (v: unknown) =>
            JSON.stringify(v, null, 1).replace(/[\u0080-\u0084\u0086-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
          writeFileSync(
            join(dir, 'settings', 'random.yaml'),
            yamlText({ settings: [{ id: 's', title: 'Broken', rationale: 'x', source: 'doc', reboot: { required: false, source: 'doc' }, values }] }),
          );
          writeFileSync(
            join(dir, 'profiles', 'prop.yaml'),
            yamlText({ id: 'prop', title: 'P', summary: 'S', source: 'doc', targets: ['ws2022'], settings: ['s'] }),
          );
          let result: ReturnType<typeof generate>;
          try {
            result = generate({ definitionsDir: dir });
          } catch (err) {
            throw new Error(`${bad.what}: generate threw ${String((err as Error).stack ?? err)}`);
          }
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          const at = `/settings/0/values/${position}`;
          const located = errors.filter((d) => d.file.endsWith('random.yaml') && (d.line ?? 0) > 0 && (d.column ?? 0) > 0 && (d.pointer ?? '').startsWith(at));
          if (result.files.length > 0) throw new Error(`${bad.what}: ${result.files.length} files generated from invalid definitions`);
          if (located.length === 0) {
            throw new Error(
              `${bad.what}: no error located at ${at}; diagnostics: ${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message} (${d.pointer})`).join('; ')}`,
            );
          }
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: INVALID_CASES },
    );
  }, 600_000);
});
