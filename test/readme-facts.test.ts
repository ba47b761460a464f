/**
 * The facts each generated README.md states, checked against the plan generate() returned for the
 * same profile, on output generated now (test/support/fresh-output.ts: definitions/ and every
 * golden case). A byte snapshot cannot tell "use the -x86 files" from "use the x64 files" once the
 * goldens are regenerated; these checks can:
 *  - the file table: one row per target, the edition, the apply and rollback file of that target,
 *    the updates to install first, the counts of operations and left-out defaults, the restart;
 *  - which Windows versions have 32-bit editions, and that the 32-bit example is a 32-bit file;
 *  - the "Install first" list: each update, on which Windows versions, needed by which settings;
 *  - the backup commands cover exactly the keys the plan touches, each "only written on" exactly
 *    the targets that write below it;
 *  - where each channel runs (yes/no) per target;
 *  - the `reg query` example names a key the profile writes, and the restart step appears only
 *    when a target needs a restart.
 * The README is read as text (its Markdown structure is checked by readme-markdown.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetPlan } from '../src/resolve/plan.js';
import { freshOutputProblems, freshProfiles } from './support/fresh-output.js';
import { REPO } from './support/golden.js';
import { operationKey } from './support/registry-outcomes.js';

const profiles = freshProfiles();

/** Markdown backslash escapes (CommonMark 2.4) removed: `\(` → `(`. */
const unescapeMarkdown = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/** The lines of a `## heading` section. */
function section(readme: string, heading: string): string[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Body rows of the first table in some lines, as unescaped cells. */
function tableRows(lines: string[]): string[][] {
  const table = lines.filter((line) => line.startsWith('|'));
  return table.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => unescapeMarkdown(cell.trim())),
  );
}

const idOf = (key: string) => key.toUpperCase();
const isSameOrBelow = (key: string, ancestor: string) => idOf(key) === idOf(ancestor) || idOf(key).startsWith(`${idOf(ancestor)}\\`);
const products = (targets: readonly TargetPlan[]) => [...new Set(targets.map((t) => t.target.product))].sort();
const sortedList = (text: string) =>
  text
    .split(', ')
    .map((s) => s.trim())
    .sort();

/** Keys the apply operations of a target name (set, delete value, delete key). */
const touchedKeys = (target: TargetPlan) => target.apply.map(operationKey);

function readmeOf(folder: string): string {
  return readFileSync(join(folder, 'README.md'), 'utf8').replace(/\r\n/g, '\n');
}

it('generates every profile now, from definitions/ and every golden case', () => {
  expect(freshOutputProblems()).toEqual([]);
  expect(profiles.map((p) => p.label)).toEqual(expect.arrayContaining(['definitions/azure-backup-tls12', 'every-value-type/every-type']));
});

describe.each(profiles.map((p) => [p.label, p] as const))('%s/README.md', (_label, { folder, plan }) => {
  const readme = readmeOf(folder);

  it('the file table has one row per target, with its edition, files, prerequisites, counts and restart', () => {
    const rows = tableRows(section(readme, 'Which file for which Windows version'));
    expect(rows).toHaveLength(plan.targets.length);
    for (const target of plan.targets) {
      const v = target.variantId;
      const row = rows.find((cells) => cells[3] === `[\`${v}.reg\`](reg/${v}.reg)`);
      expect(row, `row for ${v}`).toBeDefined();
      const [product, , edition, , rollback, installFirst, operations, skipped, restart] = row!;
      expect(product, v).toBe(target.target.product);
      expect(edition, v).toMatch(target.architecture === 'x86' ? /^32-bit\b/ : /^64-bit\b/);
      expect(rollback, v).toBe(`[\`${v}.rollback.reg\`](reg/${v}.rollback.reg)`);
      const kbs = target.prerequisites.map((p) => p.id).sort();
      expect(installFirst === 'nothing' ? [] : sortedList(installFirst!), v).toEqual(kbs);
      expect(Number(operations), v).toBe(target.apply.length);
      expect(Number(skipped), v).toBe(target.skipped.length);
      expect(restart, v).toBe(target.rebootRequired ? 'yes' : 'no');
    }
  });

  it('names exactly the Windows versions with 32-bit editions, and sends them to the -x86 files', () => {
    const x86 = plan.targets.filter((t) => t.architecture === 'x86');
    const sentence = /^(.+) also exist in 32-bit editions: use the `-x86` files there, never the 64-bit ones\./m.exec(readme);
    if (x86.length === 0) {
      expect(sentence).toBeNull();
      expect(readme).not.toMatch(/32-bit editions/);
      return;
    }
    expect(sentence, 'the 32-bit editions sentence').not.toBeNull();
    expect(sortedList(unescapeMarkdown(sentence![1]!))).toEqual(products(x86));
    for (const t of x86) expect(t.variantId, 'a 32-bit target has an -x86 file name').toMatch(/-x86$/);
  });

  it('the reg import examples use a 64-bit file with /reg:64 and a 32-bit file without', () => {
    const x64 = /`reg import (\S+) \/reg:64` on 64-bit Windows/.exec(readme);
    const x86 = /`reg import (\S+)` on 32-bit Windows/.exec(readme);
    const archOf = (file: string) => plan.targets.find((t) => `${t.variantId}.reg` === file)?.architecture;
    if (plan.targets.some((t) => t.architecture === 'x64')) expect(archOf(x64?.[1] ?? ''), x64?.[0]).toBe('x64');
    else expect(x64).toBeNull();
    if (plan.targets.some((t) => t.architecture === 'x86')) expect(archOf(x86?.[1] ?? ''), x86?.[0]).toBe('x86');
    else expect(x86).toBeNull();
  });

  it('lists each update to install first with the Windows versions and settings that need it', () => {
    const lines = section(readme, 'Install first').filter((line) => line.startsWith('- **'));
    const ids = [...new Set(plan.targets.flatMap((t) => t.prerequisites.map((p) => p.id)))].sort();
    expect(lines.map((line) => /^- \*\*([^*]+)\*\*/.exec(line)![1]).sort()).toEqual(ids);
    for (const id of ids) {
      const line = unescapeMarkdown(lines.find((l) => l.startsWith(`- **${id}**`))!);
      const needing = plan.targets.filter((t) => t.prerequisites.some((p) => p.id === id));
      const settings = [...new Set(needing.flatMap((t) => t.prerequisites.filter((p) => p.id === id).flatMap((p) => p.requiredBy)))].sort();
      const m = /\), on (.+?); needed by (.+?)\.(?: Detected by|$)/.exec(line);
      expect(m, line).not.toBeNull();
      expect(sortedList(m![1]!), `${id}: Windows versions`).toEqual(products(needing));
      expect(sortedList(m![2]!.replaceAll('`', '')), `${id}: settings`).toEqual(settings);
    }
  });

  it('backs up exactly the keys the plan touches, each "only written on" exactly the targets that write there', () => {
    const commands = section(readme, 'Apply')
      .map((line) => /^ {3}- `reg export "(.+)" backup-\d+\.reg \/y`(?: \(only written on (.+)\))?$/.exec(line))
      .filter((m) => m !== null);
    const backups = commands.map((m) => ({ key: m[1]!.replace(/""/g, '"'), onlyOn: m[2] ?? null }));
    const touched = [...new Map(plan.targets.flatMap(touchedKeys).map((k) => [idOf(k), k])).values()];
    // Every key the plan touches is backed up, by its own command or one of an ancestor (reg export is recursive)…
    for (const key of touched)
      expect(
        backups.some((b) => isSameOrBelow(key, b.key)),
        `backup of ${key}`,
      ).toBe(true);
    // …and every command backs up a key the plan touches, once.
    for (const b of backups) expect(touched.map(idOf), `backed up but never touched: ${b.key}`).toContain(idOf(b.key));
    expect(new Set(backups.map((b) => idOf(b.key))).size).toBe(backups.length);
    for (const b of backups) {
      const writers = plan.targets.filter((t) => touchedKeys(t).some((k) => isSameOrBelow(k, b.key))).map((t) => t.variantId);
      if (writers.length === plan.targets.length) expect(b.onlyOn, b.key).toBeNull();
      else expect(sortedList(b.onlyOn ?? ''), b.key).toEqual(writers.sort());
    }
  });

  it('says where each channel runs, per target, as the plan does', () => {
    const rows = tableRows(section(readme, 'Where each channel runs'));
    expect(rows.map((r) => r[0])).toEqual(plan.targets.map((t) => `\`${t.variantId}\``));
    for (const [i, target] of plan.targets.entries()) {
      const [, , reg, scripts, dsc, intune] = rows[i]!;
      expect(reg).toBe('yes');
      const said = (cell: string | undefined) => (cell?.startsWith('yes') ? true : cell?.startsWith('no') ? false : cell);
      expect({ scripts: said(scripts), dsc: said(dsc), intune: said(intune) }, target.variantId).toEqual({
        scripts: target.target.channels.scripts.supported,
        dsc: target.target.channels.dsc.supported,
        intune: target.target.channels.intune.supported,
      });
    }
  });

  it('the reg query example reads a key the profile writes, and the restart step appears only when one is needed', () => {
    const query = /`reg query "([^"]+)"`/.exec(readme);
    const key = (query?.[1] ?? '').replace(/^HKLM\\/, 'HKEY_LOCAL_MACHINE\\');
    const written = plan.targets.flatMap((t) => t.apply.filter((op) => op.action === 'set').map(operationKey));
    expect(written.map(idOf), `reg query example ${query?.[0]}`).toContain(idOf(key));
    expect(/^4\. Restart Windows/m.test(readme)).toBe(plan.targets.some((t) => t.rebootRequired));
  });
});

/**
 * The repository README's profile table: one row per shipped profile, linking its generated README,
 * citing the profile's own source URL and listing exactly the Windows versions it covers (ids, as
 * its files are named), from the resolved plan.
 */
describe('README.md: the profile table matches the shipped profiles', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const rows = readme
    .split('\n')
    .filter((line) => line.startsWith('| [`'))
    .map((line) => line.split(' | '));
  const shipped = profiles.filter((p) => p.label.startsWith('definitions/'));

  it('lists every shipped profile once, and nothing else', () => {
    expect(shipped.length).toBeGreaterThan(1);
    expect(rows.map((r) => /\[`([^`]+)`\]/.exec(r[0]!)?.[1]).sort()).toEqual(shipped.map((p) => p.plan.id).sort());
  });

  for (const { plan } of shipped) {
    it(`${plan.id}: links its README, cites its source and lists its targets`, () => {
      const row = rows.find((r) => r[0]!.includes(`[\`${plan.id}\`]`))!;
      expect(row[0]).toContain(`(out/${plan.id}/README.md)`);
      expect(row[2]).toContain(`(${plan.source.url})`);
      const targets = [...new Set(plan.targets.map((t) => t.target.id))];
      expect(row[3]!.replace(/ \|$/, '')).toBe(targets.map((id) => `\`${id}\``).join(', '));
    });
  }
});
