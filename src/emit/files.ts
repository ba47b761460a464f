/**
 * File-system primitives of the emit phase. Every path is checked at the moment it is used (never
 * cached): generated paths stay inside the output folder, never pass through a symbolic link, and
 * only regular files are ever read, hashed, replaced or removed. Environment failures become one-line
 * UserErrors naming the path and the cause.
 */
import {
  close,
  closeSync,
  constants,
  fstatSync,
  fsync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError, environmentCause } from '../diagnostics.js';

/** A relative, forward-slash path with no empty, `.` or `..` segment. */
export function isSafeRelative(path: string): boolean {
  return path !== '' && !isAbsolute(path) && !/^[A-Za-z]:/.test(path) && !path.split(/[\\/]/).some((part) => part === '..' || part === '.' || part === '');
}

/** lstat, or null when nothing is there. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return null;
    throw environmentError(error, path, 'inspect');
  }
}

/**
 * Resolves `path` (relative to root) to an absolute path inside root, refusing anything that leaves
 * it and any symbolic link on the way, the last component included. Checked at every call.
 */
export function containedPath(root: string, path: string): string {
  if (!isSafeRelative(path)) throw new UserError(`refusing to write outside the output folder: ${path}`, 1);
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UserError(`refusing to write outside the output folder: ${path}`, 1);
  let current = root;
  for (const part of rel.split(sep)) {
    current = join(current, part);
    const stats = lstatOrNull(current);
    if (stats?.isSymbolicLink()) throw new UserError(`refusing to go through the symbolic link ${current}`, 1);
  }
  return full;
}

/**
 * The bytes of a regular file, null when nothing is there. A folder, FIFO, socket, device or
 * symbolic link where a file is expected is refused without being opened (a FIFO would block).
 */
export function readRegularFile(path: string): Buffer | null {
  const stats = lstatOrNull(path);
  if (stats === null) return null;
  if (!stats.isFile()) throw new UserError(`${path} is ${describeKind(stats)}, where tlsgen expects a regular file; move it away`, 1);
  try {
    return readFileSync(path);
  } catch (error) {
    throw environmentError(error, path, 'read');
  }
}

/**
 * The bytes of a regular file, opened without following a link in its last component and without
 * blocking (a FIFO put there since the folder was listed is not waited on); null for anything else,
 * or when it cannot be read. For reading back files a walk of real folders has just listed.
 */
export function readFileNotFollowing(path: string): Buffer | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return null;
    return readFileSync(fd);
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Creates a folder (and parents), refusing a symbolic link or a file in its place. */
export function ensureFolder(path: string): void {
  const stats = lstatOrNull(path);
  if (stats?.isDirectory()) return;
  if (stats) throw new UserError(`${path} is ${describeKind(stats)}, where tlsgen needs a folder`, 1);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw environmentError(error, path, 'create the folder');
  }
}

/** Writes bytes to a new file (it must not exist) and flushes them, so a rename after it publishes whole files only. */
export function writeNewFile(path: string, bytes: Uint8Array): void {
  const fd = createWith(path, bytes);
  try {
    fsyncSync(fd);
  } catch (error) {
    throw environmentError(error, path, 'write');
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` (it must not exist: never a truncation) holding `bytes`; returns it still open. */
function createWith(path: string, bytes: Uint8Array): number {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'wx');
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    return fd;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    throw environmentError(error, path, 'write');
  }
}

/**
 * Files written now and flushed (fsync, then close) on libuv's thread pool while the build goes on: a
 * build's flushes overlap its rendering instead of adding to it, and up to four run at once, which lets
 * the file system commit them together. Whoever publishes the files (a rename) first waits for
 * `settle(0)`, so, as with writeNewFile, a rename publishes whole files only. `settle(n)` also bounds how
 * many descriptors stay open. The first failure is reported by settle, naming the file.
 */
export class BackgroundFlushes {
  #pending = 0;
  #failure: Error | null = null;
  #waiters: (() => void)[] = [];

  /** Creates `path` (it must not exist) with `bytes`; the flush is left to run. */
  write(path: string, bytes: Uint8Array): void {
    const written = createWith(path, bytes);
    this.#pending++;
    fsync(written, (flushError) =>
      close(written, (closeError) => {
        const error = flushError ?? closeError;
        if (error && this.#failure === null) this.#failure = environmentError(error, path, 'write');
        this.#pending--;
        for (const wake of this.#waiters.splice(0)) wake();
      }),
    );
  }

  /** Flushes not yet finished. */
  get outstanding(): number {
    return this.#pending;
  }

  /** Waits until at most `limit` flushes are outstanding; then throws the first failure, if any. */
  async settle(limit = 0): Promise<void> {
    while (this.#pending > limit) await new Promise<void>((wake) => this.#waiters.push(wake));
    if (this.#failure !== null) throw this.#failure;
  }
}

/** Writes through a temp file in the same folder and a rename, only inside root and never through a link. */
export function writeAtomically(root: string, target: string, bytes: Uint8Array): void {
  const rel = relative(root, target).split(sep).join('/');
  ensureFolder(dirname(containedPath(root, rel)));
  const full = containedPath(root, rel);
  const existing = lstatOrNull(full);
  if (existing && !existing.isFile()) throw new UserError(`${full} is ${describeKind(existing)}, where tlsgen expects a regular file; move it away`, 1);
  const temp = `${full}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeNewFile(temp, bytes);
    renameOrFail(temp, full);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

export function renameOrFail(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    throw environmentError(error, to, 'rename into place');
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    throw environmentError(error, path, 'remove');
  }
}

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

/** A one-line message naming the path and the cause; anything unexpected stays an internal error. */
export function environmentError(error: unknown, path: string, action: string): Error {
  if (error instanceof UserError) return error;
  const cause = environmentCause(error);
  if (cause) return new UserError(`cannot ${action} ${path}: ${cause}`, 1);
  return error instanceof Error ? error : new Error(String(error));
}
