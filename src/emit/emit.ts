/**
 * Emit phase: the only code that writes files. Writes only inside the output folder, atomically
 * (temp file + rename), only when the bytes changed; removes only files that an earlier run of
 * tlsgen listed in a profile's SHA256SUMS. In check mode it writes nothing and reports drift.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../diagnostics.js';
import type { GeneratedFile } from '../render/artifacts.js';
import { CHECKSUMS_FILE, listedPaths } from '../render/checksums.js';

export interface EmitOptions {
  readonly outDir: string;
  /** Compare instead of write. */
  readonly check: boolean;
  /** Which generated files to write or check (--format, --target); profile-level files always count. */
  readonly select: (file: GeneratedFile) => boolean;
  /**
   * Remove (or, in check mode, report) files an earlier run generated that this run no longer
   * produces. Only safe when nothing is filtered out: a filtered run does not know the whole set.
   */
  readonly removeStale: boolean;
  /** With removeStale: profile folders not generated this run whose files may be removed (unfiltered runs only). */
  readonly removeOtherProfiles: boolean;
}

export interface EmitReport {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  /** Check mode: expected but absent, present but different, present but no longer generated. */
  readonly missing: string[];
  readonly changed: string[];
  readonly extra: string[];
}

export function emit(files: readonly GeneratedFile[], options: EmitOptions): EmitReport {
  const root = resolve(options.outDir);
  const report: EmitReport = { written: [], unchanged: [], removed: [], missing: [], changed: [], extra: [] };
  // Read the old SHA256SUMS lists before this run rewrites them.
  const stale = options.removeStale ? staleFiles(root, files, options.removeOtherProfiles) : [];
  for (const file of files.filter(options.select)) {
    const target = containedPath(root, file.path);
    const existing = readIfExists(target);
    if (existing !== null && Buffer.compare(existing, file.bytes) === 0) report.unchanged.push(file.path);
    else if (options.check) (existing === null ? report.missing : report.changed).push(file.path);
    else {
      writeAtomically(root, target, file.bytes);
      report.written.push(file.path);
    }
  }
  for (const path of stale) {
    if (options.check) report.extra.push(path);
    else {
      unlinkSync(containedPath(root, path));
      pruneEmptyFolders(root, dirname(containedPath(root, path)));
      report.removed.push(path);
    }
  }
  return report;
}

/**
 * Files an earlier run generated (listed in a profile's SHA256SUMS as it is on disk now) that
 * this run does not produce. Anything never listed there was not made by tlsgen and is left alone.
 */
function staleFiles(root: string, files: readonly GeneratedFile[], otherProfiles: boolean): string[] {
  const produced = new Set(files.map((f) => f.path));
  const profiles = new Set(files.map((f) => f.path.split('/')[0]!));
  const folders = otherProfiles ? listFolders(root) : [...profiles];
  const stale: string[] = [];
  for (const profile of folders.sort()) {
    const sumsPath = `${profile}/${CHECKSUMS_FILE}`;
    const sums = readIfExists(containedPath(root, sumsPath));
    if (sums === null) continue;
    const listed = [...listedPaths(sums.toString('utf8')).map((name) => `${profile}/${name}`), sumsPath];
    for (const path of listed) {
      if (!produced.has(path) && isSafeRelative(path) && readIfExists(containedPath(root, path)) !== null) stale.push(path);
    }
  }
  return stale;
}

function isSafeRelative(path: string): boolean {
  return !isAbsolute(path) && !path.split(/[\\/]/).some((part) => part === '..' || part === '');
}

/** Resolves a generated path inside the output folder; refuses anything that would leave it, symlinks included. */
function containedPath(root: string, path: string): string {
  if (!isSafeRelative(path)) throw new UserError(`refusing to write outside the output folder: ${path}`, 1);
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UserError(`refusing to write outside the output folder: ${path}`, 1);
  let current = root;
  for (const part of rel.split(sep).slice(0, -1)) {
    current = join(current, part);
    if (verifiedFolders.has(current)) continue;
    if (isSymlink(current)) throw new UserError(`refusing to write through the symbolic link ${current}`, 1);
    if (isFolder(current)) verifiedFolders.add(current);
  }
  if (isSymlink(full)) throw new UserError(`refusing to replace the symbolic link ${full}`, 1);
  return full;
}

/** Writes through a temp file in the same folder and a rename, only inside root. */
export function writeAtomically(root: string, target: string, bytes: Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  containedPath(root, relative(root, target)); // re-check after creating folders
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created or is already gone
    }
    throw error;
  }
}

function pruneEmptyFolders(root: string, folder: string): void {
  for (let current = folder; current.startsWith(root + sep); current = dirname(current)) {
    if (readdirSync(current).length > 0) return;
    rmdirSync(current);
  }
}

function listFolders(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Real folders (not links) already checked during this process: each is looked at once. */
const verifiedFolders = new Set<string>();

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
