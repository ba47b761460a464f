/**
 * Golden-file support: cases are folders, expected output is a folder of exact bytes.
 * UPDATE_GOLDEN=1 rewrites expected/ (deleting what is no longer produced); without it nothing is
 * ever written and a missing expected/ fails.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN = join(REPO, 'test', 'golden');
export const BASE_DEFINITIONS = join(REPO, 'test', 'fixtures', 'base-definitions');
/**
 * UPDATE_GOLDEN=1 rewrites expected files. Never where the run is meant to judge the code (CI, or
 * consumer checks required): there an update would make a wrong generator pass its own snapshot.
 */
export const updating = process.env.UPDATE_GOLDEN === '1';
if (updating && (process.env.CI === 'true' || process.env.TLSGEN_REQUIRE_CONSUMERS === '1')) {
  throw new Error(
    'UPDATE_GOLDEN=1 is refused under CI=true or TLSGEN_REQUIRE_CONSUMERS=1: update goldens locally with npm run test:update, review the diff, commit',
  );
}

export function caseFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

/** Every file below dir, by forward-slash relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join('/'), readFileSync(path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function writeTree(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
}

/** Decodes a golden file for a readable diff: UTF-16LE when it has the BOM, else UTF-8. */
export function readable(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  return buffer[0] === 0xff && buffer[1] === 0xfe ? buffer.subarray(2).toString('utf16le') : buffer.toString('utf8');
}

/** Profile folders holding a given output folder: out/<profile> and test/golden/<case>/expected/<profile>. */
export function generatedProfileFolders(withSubfolder: string): string[] {
  const roots = [join(REPO, 'out'), ...caseFolders(GOLDEN).map((c) => join(GOLDEN, c, 'expected'))];
  return roots.flatMap((root) =>
    readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, e.name, withSubfolder)))
      .map((e) => join(root, e.name)),
  );
}

/** A fresh copy of the base definitions with a case's files laid over it (and remove.txt applied). */
export function definitionsForCase(caseDir: string, base: string = BASE_DEFINITIONS): string {
  const dir = mkdtempSync(join(tmpdir(), 'tlsgen-case-'));
  const definitions = join(dir, 'definitions');
  cpSync(base, definitions, { recursive: true });
  if (existsSync(join(caseDir, 'definitions'))) cpSync(join(caseDir, 'definitions'), definitions, { recursive: true });
  const removals = join(caseDir, 'remove.txt');
  if (existsSync(removals)) {
    for (const line of readFileSync(removals, 'utf8').split('\n').filter(Boolean)) rmSync(join(definitions, line));
  }
  return definitions;
}
