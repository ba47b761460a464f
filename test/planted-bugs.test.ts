/**
 * Semantic checks for the planted bugs of the code review (issue 10, "Done means") that no other
 * test on freshly generated output caught once the goldens and out/ were regenerated with the bug
 * in place. Each check reads output generated now (test/support/fresh-output.ts) and judges it
 * against an independent rule, never against a committed file.
 *
 * SHA256SUMS (review mutation "SHA256SUMS sort reversed", src/render/checksums.ts): `sha256sum -c`
 * ignores line order, so output-folder.test.ts and sign.test.ts cannot see the order. The file's
 * documented contract is "sorted so the file is stable": one line per generated file of the profile
 * folder (SHA256SUMS itself excepted), `<64 lowercase hex>  <relative path>`, the hash of that
 * file's bytes (node:crypto here, not src/), lines in ordinal (code unit) order of the path.
 *
 * Minimal mode (review mutation "Minimal mode inverted", src/resolve/resolve.ts): the consumer
 * tests compare each .reg with its own plan, so a plan resolved the wrong way round passes them;
 * only a text match in cli.test.ts (one explain line on ws2016) saw it. Here the two shipped
 * builds generated now are compared file by file: the golden case azure-backup-tls12-minimal is the
 * shipped definitions/ in minimal mode, so each of its .reg files must do exactly what the explicit
 * build's plan for that target does, minus the values whose data the plan records as already the
 * Windows default there (README: "minimal leaves out values that are already the Windows
 * default"), and at least one value must be left out, or the comparison proves nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshOutputProblems, freshProfiles, freshRegPairs, shortFresh } from './support/fresh-output.js';
import { planOutcomes, regFileOutcomes } from './support/registry-outcomes.js';

const profiles = freshProfiles();

/** Every file below a folder, as `/`-separated paths relative to it. */
function filesBelow(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(root, path) : [relative(root, path).split(sep).join('/')];
  });
}

/** Ordinal (UTF-16 code unit) order, written out rather than taken from the product. */
function ordinal(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

describe('SHA256SUMS on fresh output: every generated file once, its own hash, sorted by path', () => {
  it('covers fresh output of definitions/ and of every golden case', () => {
    expect(freshOutputProblems(), freshOutputProblems().join('\n')).toEqual([]);
    expect(profiles.length).toBeGreaterThan(0);
  });

  for (const { label, folder } of profiles) {
    it(`${label}/SHA256SUMS`, () => {
      const text = readFileSync(join(folder, 'SHA256SUMS'), 'utf8');
      expect(text.endsWith('\n'), `${shortFresh(folder)}: ends with LF`).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      const entries = lines.map((line) => {
        const m = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
        expect(m, `line ${JSON.stringify(line)}`).not.toBeNull();
        return { hash: m![1]!, path: m![2]! };
      });
      const paths = entries.map((e) => e.path);
      // The order the contract promises, checked pairwise so the message names the first misplaced line.
      for (let i = 1; i < paths.length; i++) {
        expect(ordinal(paths[i - 1]!, paths[i]!), `${label}: "${paths[i - 1]}" must come before "${paths[i]}"`).toBeLessThan(0);
      }
      expect([...paths].sort(ordinal), label).toEqual(
        filesBelow(folder)
          .filter((p) => p !== 'SHA256SUMS')
          .sort(ordinal),
      );
      for (const { hash, path } of entries) {
        expect(hash, `${label}: ${path}`).toBe(
          createHash('sha256')
            .update(readFileSync(join(folder, path)))
            .digest('hex'),
        );
      }
    });
  }
});

describe('minimal mode on fresh output: the explicit build minus the values already at their Windows default', () => {
  const pairs = freshRegPairs();
  const explicit = pairs.filter((p) => p.name.startsWith('definitions/'));
  const minimal = pairs.filter((p) => p.name.startsWith('azure-backup-tls12-minimal/'));

  it('has the explicit and the minimal build of every shipped profile, target for target', () => {
    expect(freshOutputProblems(), freshOutputProblems().join('\n')).toEqual([]);
    expect(minimal.length).toBeGreaterThan(0);
    const names = (list: typeof pairs) => list.map((p) => p.name.replace(/^[^/]+\//, '')).sort();
    expect(names(minimal)).toEqual(names(explicit));
  });

  it('leaves out at least one value somewhere (the comparison below is not vacuous)', () => {
    const leftOut = explicit.flatMap((p) => p.target?.apply.filter((op) => op.action === 'set' && op.windowsDefault !== null) ?? []);
    expect(leftOut.length).toBeGreaterThan(0);
  });

  for (const m of minimal) {
    it(`${m.name} writes exactly the explicit plan's values that are not already the Windows default`, () => {
      const twin = explicit.find((p) => p.name === m.name.replace(/^azure-backup-tls12-minimal\//, 'definitions/'));
      expect(twin?.target, `explicit twin of ${m.name}`).toBeDefined();
      const kept = twin!.target!.apply.filter((op) => !(op.action === 'set' && op.windowsDefault !== null));
      expect(regFileOutcomes(m.apply), m.name).toEqual(planOutcomes(kept));
      expect(regFileOutcomes(twin!.apply), twin!.name).toEqual(planOutcomes(twin!.target!.apply));
    });
  }
});
