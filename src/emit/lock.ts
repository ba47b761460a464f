/**
 * One build at a time per output folder: `<out>/.tlsgen/lock`, created exclusively, names the
 * process that holds it. A second build waits for it; a lock whose process is gone (killed) is
 * taken over. Without this, two concurrent builds each switch in profile folders computed from
 * their own definitions and leave a mix.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../diagnostics.js';
import { STATE_FOLDER } from './manifest.js';
import { environmentError, lstatOrNull, readRegularFile, removeQuietly } from './files.js';

export interface LockOptions {
  /** How long to wait for another build before giving up. @default 120000 */
  readonly waitMs?: number;
  /** Called once when the lock is held by another live build. */
  readonly onWait?: (holder: string) => void;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** Long enough for another build of the same folder to finish on a slow machine. */
const DEFAULT_WAIT_MS = 120_000;

export function acquireLock(root: string, options: LockOptions): () => void {
  const path = join(root, STATE_FOLDER, 'lock');
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  let told = false;
  for (;;) {
    const existing = lstatOrNull(path);
    // Anything but a file at the lock's name can be neither taken over nor waited for.
    if (existing !== null && !existing.isFile()) throw new UserError(`${path} is not a lock file tlsgen made; move it away and build again`, 1);
    if (tryCreate(path, me)) return () => removeQuietly(path);
    const holder = readHolder(path);
    if (holder === null || isGone(holder)) {
      // The holder was killed: its lock is garbage. Remove it and try again (another waiter may win).
      removeQuietly(path);
      continue;
    }
    const who = `pid ${holder.pid} on ${holder.host}, started ${holder.started}`;
    if (Date.now() >= deadline) {
      throw new UserError(`another tlsgen build (${who}) is writing ${root}; wait for it to finish, or remove ${path} if that process is gone`, 1);
    }
    if (!told && holder.pid !== -1) {
      options.onWait?.(who);
      told = true;
    }
    sleep(50);
  }
}

/**
 * The lock appears with its content in one step: written to a private file, then hard-linked to the
 * lock's name (link fails when the name exists), so no reader ever sees an empty lock.
 */
function tryCreate(path: string, me: Holder): boolean {
  const draft = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = openOrFail(draft);
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A draft removed before it was linked (a build cleaning up after a killed one): try again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw environmentError(error, path, 'create the lock');
  } finally {
    removeQuietly(draft);
  }
}

function openOrFail(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    throw environmentError(error, path, 'create the lock');
  }
}

function readHolder(path: string): Holder | null {
  let bytes: Buffer | null;
  try {
    bytes = readRegularFile(path);
  } catch {
    return null;
  }
  if (bytes === null) return null;
  try {
    const holder = JSON.parse(bytes.toString('utf8')) as Holder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : null;
  } catch {
    // Created but not yet filled: being written right now, or its writer was killed in between.
    const age = Date.now() - (lstatOrNull(path)?.mtimeMs ?? 0);
    return age > HALF_WRITTEN_LOCK_MS ? null : { pid: -1, host: 'this machine', started: 'just now' };
  }
}

/** `lock.<pid>-<hex>` (tryCreate names it): a lock's draft, which its process links to the lock's name. */
const LOCK_DRAFT = /^lock\.(\d+)-[0-9a-f]{8}$/;

export function isLockDraft(name: string): boolean {
  return LOCK_DRAFT.test(name);
}

/** A lock's draft whose process is gone: removable (a live one is about to link it). */
export function isAbandonedLockDraft(name: string): boolean {
  const pid = LOCK_DRAFT.exec(name)?.[1];
  return pid !== undefined && isGone({ pid: Number(pid), host: hostname(), started: '' });
}

/** Only a holder on this machine can be proven gone; one on another host (a shared folder) is waited for. */
function isGone(holder: Holder): boolean {
  if (holder.pid === -1 || holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A lock file still empty after this long was left by a process killed while creating it. */
const HALF_WRITTEN_LOCK_MS = 5_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
