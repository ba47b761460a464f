/**
 * Emit phase: the only code that writes files.
 *
 * The output folder belongs to the user; tlsgen owns only what its manifest (manifest.ts) lists.
 * Each profile folder is switched in whole: its new content is staged under `<out>/.tlsgen/`, a
 * journal records the switch, then two renames put it in place, so a killed build leaves either
 * the old folder or the new one, and the next build finishes what the journal describes. Files a
 * user added inside a generated folder are carried over untouched (and reported by --check). One
 * build at a time holds the folder's lock. In check mode nothing is written.
 */
import { linkSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { utf8Lf } from '../formats/text-encoding.js';
import type { GeneratedFile } from '../render/artifacts.js';
import { CHECKSUMS_FILE, checksumLines, sha256Hex } from '../render/checksums.js';
import { BUILD_RECORD_FILE, readBuildRecord, removeBuildRecord, writeBuildRecord } from './build-record.js';
import {
  containedPath,
  ensureFolder,
  environmentError,
  lstatOrNull,
  readFileNotFollowing,
  readRegularFile,
  removeQuietly,
  removeTree,
  renameOrFail,
  writeAtomically,
  BackgroundFlushes,
} from './files.js';
import { acquireLock, isAbandonedLockDraft, isLockDraft } from './lock.js';
import { STATE_FOLDER, manifestPath, readManifest, writeManifest } from './manifest.js';
import type { Manifest } from './manifest.js';

export { writeAtomically } from './files.js';

export interface EmitOptions {
  readonly outDir: string;
  /** Compare instead of write. */
  readonly check: boolean;
  /** Which generated files to write (--format, --target); the rest of a profile stays as it is on disk. */
  readonly select: (file: GeneratedFile) => boolean;
  /** The run covers every profile of the definitions: profiles generated earlier and not now are removed. */
  readonly allProfiles: boolean;
  /** How long to wait for another build of the same folder. @default 120000 */
  readonly lockWaitMs?: number;
  readonly onWait?: (holder: string) => void;
  /**
   * A whole build (every profile, every file): its fingerprint and diagnostics, recorded with the hash of
   * every file it leaves, so that the next build of the same inputs can find the folder up to date
   * (unchangedSince). Absent, the folder keeps no record.
   */
  readonly record?: { readonly fingerprint: string; readonly diagnostics: readonly Diagnostic[] } | null;
}

export interface EmitReport {
  readonly written: string[];
  readonly unchanged: string[];
  /** Generated earlier, no longer generated: removed (build) or still there (check: see extra). */
  readonly removed: string[];
  /** Files inside generated folders that tlsgen did not generate: kept as they are. */
  readonly kept: string[];
  /** Check mode: expected but absent, present but different, present but not generated now. */
  readonly missing: string[];
  readonly changed: string[];
  readonly extra: string[];
  /** Check mode: a killed build left a switch unfinished. */
  readonly interrupted: string[];
}

interface ProfileState {
  readonly id: string;
  /** Final content of the folder, relative path → bytes, SHA256SUMS included. */
  readonly content: Map<string, Uint8Array>;
  /** The SHA-256 (hex) of each file of `content`. */
  readonly digests: Map<string, string>;
  /** What tlsgen generated there before (relative path → bytes on disk, absent files left out). */
  readonly onDisk: Map<string, Buffer>;
  /** Generated earlier and no longer: relative paths present on disk. */
  readonly stale: string[];
  /** Items a user put inside the folder (relative paths; folders as a whole). */
  readonly userItems: string[];
  /** Temp files an older tlsgen left beside generated files. */
  readonly leftovers: string[];
}

function emptyReport(): EmitReport {
  return { written: [], unchanged: [], removed: [], kept: [], missing: [], changed: [], extra: [], interrupted: [] };
}

/** One profile's generated files, made only when emit reaches that profile. */
export interface ProfileSource {
  readonly id: string;
  readonly files: () => readonly GeneratedFile[];
}

/** Emits files already made (all in memory); see emitProfiles. */
export function emit(files: readonly GeneratedFile[], options: EmitOptions): Promise<EmitReport> {
  return emitProfiles(
    [...groupByProfile(files)].map(([id, list]) => ({ id, files: () => list })),
    options,
  );
}

/**
 * Emits profile after profile, so only one profile's files are in memory at a time. A build runs in
 * two passes: first every profile is made, compared and (if anything changed) staged under
 * `<out>/.tlsgen/`; only when every profile has been staged are they switched in. So a profile that
 * cannot be made or is refused (a render that throws, a user's file in the way, a filtered build
 * that would leave it inconsistent) leaves every profile folder as it was, as when all files were
 * made before anything was written.
 */
export async function emitProfiles(profiles: readonly ProfileSource[], options: EmitOptions): Promise<EmitReport> {
  const root = outputRoot(options.outDir, options.check);
  const report = emptyReport();
  if (options.check) {
    if (root !== null) checkAll(root, profiles, options, report);
    else for (const profile of profiles) report.missing.push(...profile.files().map((f) => f.path));
    return report;
  }
  ensureFolder(join(root!, STATE_FOLDER));
  const release = acquireLock(root!, { waitMs: options.lockWaitMs, onWait: options.onWait });
  try {
    const manifest = readManifest(root!);
    removeBuildRecord(root!);
    finishInterruptedSwitches(root!, manifest);
    removeOrphanedStaging(root!);
    // Every file's hash, kept for the whole build only when it is recorded.
    const digests = options.record ? new Map<string, Map<string, string>>() : null;
    const staged = await stageAll(root!, profiles, manifest, options.select, report, digests);
    for (const profile of staged) switchStaged(root!, profile, manifest);
    if (options.allProfiles) {
      const ids = new Set(profiles.map((p) => p.id));
      for (const id of [...manifest.keys()].filter((id) => !ids.has(id)).sort()) removeProfile(root!, id, manifest, report);
    }
    const manifestBytes = writeManifest(root!, manifest);
    removeJournals(root!);
    if (options.record && digests) recordBuild(root!, options.record, manifest, manifestBytes, digests);
  } finally {
    release();
  }
  return report;
}

/** A whole build's record: every profile folder it left, with the hash of every file (see build-record.ts). */
function recordBuild(
  root: string,
  record: NonNullable<EmitOptions['record']>,
  manifest: Manifest,
  manifestBytes: Buffer,
  digests: ReadonlyMap<string, ReadonlyMap<string, string>>,
): void {
  // A whole build made every profile the manifest keeps, and only those; anything else is not a whole build's folder.
  if (digests.size !== manifest.size) return;
  for (const [id, files] of manifest) {
    const hashes = digests.get(id);
    if (hashes === undefined || hashes.size !== files.length || !files.every((rel) => hashes.has(rel))) return;
  }
  // In the order the build made them (digests), which is the order a build reports them in.
  writeBuildRecord(root, { fingerprint: record.fingerprint, diagnostics: record.diagnostics, manifest: sha256Hex(manifestBytes), profiles: digests });
}

/** What `<out>/.tlsgen/` holds between builds; anything else is left from a killed build. */
const SETTLED_STATE = new Set(['manifest.json', BUILD_RECORD_FILE]);

/**
 * The report of a whole build with this fingerprint when the output folder is exactly what the last one
 * left: the record's fingerprint matches, the manifest lists the same profile folders and files, every
 * file reads back with its recorded SHA-256, and no journal, stage, temp file or old temp file is left
 * from a killed build. Then nothing is made or written (a user's own items are reported as kept, as a
 * build would); null means the build must be made. Runs under the folder's lock, as a build does.
 */
export function unchangedSince(
  outDir: string,
  fingerprint: string,
  options: Pick<EmitOptions, 'lockWaitMs' | 'onWait'> = {},
): { report: EmitReport; diagnostics: readonly Diagnostic[] } | null {
  const root = outputRoot(outDir, true);
  if (root === null || !lstatOrNull(join(root, STATE_FOLDER))?.isDirectory()) return null;
  const release = acquireLock(root, { waitMs: options.lockWaitMs, onWait: options.onWait });
  try {
    // Besides the lock: a live build's lock draft (lock.<pid>-<hex>, about to be linked) is no leftover.
    if (readdirSafe(join(root, STATE_FOLDER)).some((name) => name !== 'lock' && !SETTLED_STATE.has(name) && !isLockDraft(name))) return null;
    const record = readBuildRecord(root);
    if (record === null || record.fingerprint !== fingerprint || record.diagnostics.some((d) => d.severity === 'error')) return null;
    // The manifest as the build wrote it, byte for byte (a build would rewrite an edited one).
    const manifestBytes = readRegularFile(manifestPath(root));
    if (manifestBytes === null || sha256Hex(manifestBytes) !== record.manifest) return null;
    const manifest = readManifest(root);
    if (manifest.size !== record.profiles.size) return null;
    const report = emptyReport();
    for (const [id, hashes] of record.profiles) {
      const files = manifest.get(id);
      if (files === undefined || new Set(files).size !== files.length || hashes.size !== files.length) return null;
      const kept = unchangedProfile(root, id, files, hashes);
      if (kept === null) return null;
      report.unchanged.push(...files.map((rel) => `${id}/${rel}`));
      report.kept.push(...kept.map((item) => `${id}/${item}`));
    }
    return { report, diagnostics: record.diagnostics };
  } finally {
    release();
  }
}

/** The user's items in a profile folder whose generated files all hash as recorded; null when any does not. */
function unchangedProfile(root: string, id: string, files: readonly string[], hashes: ReadonlyMap<string, string>): string[] | null {
  const live = profileFolder(root, id);
  if (live === null) return null;
  const owned = new Set(files);
  const { userItems, leftovers } = itemsNotGeneratedBy(live, owned, owned);
  // An old temp file, or a user's item where a generated file or folder belongs: a build deals with it.
  // Otherwise the walk saw every generated file as a regular file in real folders (no link on the way).
  if (leftovers.length > 0 || userItems.some((item) => inTheWayOf(item, owned))) return null;
  for (const rel of files) {
    const bytes = readFileNotFollowing(join(live, ...rel.split('/')));
    if (bytes === null || sha256Hex(bytes) !== hashes.get(rel)) return null;
  }
  return userItems;
}

/**
 * Staged files still being flushed in the background, at most: rendering the next profile goes on
 * meanwhile (and the open descriptors stay well under the usual limit of 1,024).
 */
const FLUSH_BACKLOG = 256;

/**
 * First pass: make, compare and stage each profile in turn; on any failure, remove every stage and rethrow.
 * Returns when every staged file is flushed, so the switches that follow publish whole files only.
 */
async function stageAll(
  root: string,
  profiles: readonly ProfileSource[],
  manifest: Manifest,
  select: (f: GeneratedFile) => boolean,
  report: EmitReport,
  digests: Map<string, Map<string, string>> | null,
): Promise<StagedProfile[]> {
  const staged: StagedProfile[] = [];
  let current: string | null = null;
  const flushes = new BackgroundFlushes();
  try {
    for (const profile of profiles) {
      const state = profileState(root, profile.id, profile.files(), manifest, select);
      digests?.set(profile.id, state.digests);
      const token = `${profile.id}-${process.pid}-${randomBytes(4).toString('hex')}`;
      current = `stage-${token}`;
      const next = stageProfile(root, state, manifest, token, report, flushes);
      current = null;
      if (next !== null) staged.push(next);
      await flushes.settle(FLUSH_BACKLOG);
    }
    await flushes.settle(0);
  } catch (error) {
    // Let the flushes still running end (their descriptors close) before their folders go.
    await flushes.settle(0).catch(() => undefined);
    for (const stage of [...staged.map((s) => s.journal?.stage), current]) if (stage) removeTree(containedPath(root, `${STATE_FOLDER}/${stage}`));
    throw error;
  }
  return staged;
}

/** The output folder, created for a build; null in check mode when it does not exist yet. */
function outputRoot(outDir: string, check: boolean): string | null {
  if (outDir.trim() === '') throw new UserError('--out must name a folder', 2);
  const root = resolve(outDir);
  const linkStats = lstatOrNull(root);
  if (linkStats === null) {
    if (check) return null;
    ensureFolder(root);
    return root;
  }
  let stats: Stats;
  try {
    stats = statSync(root); // the output folder itself may be a link to a folder
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`--out ${outDir} is a symbolic link to nothing`, 1);
    throw environmentError(error, root, 'inspect');
  }
  if (!stats.isDirectory()) throw new UserError(`--out ${outDir} is not a folder`, 1);
  return root;
}

function groupByProfile(files: readonly GeneratedFile[]): Map<string, GeneratedFile[]> {
  const groups = new Map<string, GeneratedFile[]>();
  for (const file of files) {
    const id = file.path.split('/')[0]!;
    const list = groups.get(id) ?? [];
    list.push(file);
    groups.set(id, list);
  }
  return groups;
}

/**
 * What the profile folder must hold after this run. A filtered run takes the selected files from
 * this run and keeps the others as they are on disk; a kept file that embeds hashes of a file this
 * run changes is rewritten too, and a rewritten one whose embedded hashes would not match a kept
 * file is refused. SHA256SUMS is always computed over the final content.
 */
function profileState(root: string, id: string, generated: readonly GeneratedFile[], manifest: Manifest, select: (f: GeneratedFile) => boolean): ProfileState {
  const live = profileFolder(root, id);
  const owned = manifest.get(id) ?? [];
  const onDisk = new Map<string, Buffer>();
  for (const rel of owned) {
    const bytes = readRegularFile(containedPath(root, `${id}/${rel}`));
    if (bytes !== null) onDisk.set(rel, bytes);
  }
  const sumsPath = CHECKSUMS_FILE;
  const newFiles = new Map(generated.map((f) => [f.path.slice(id.length + 1), f]));
  const content = new Map<string, Uint8Array>();
  const fresh = new Set<string>();
  for (const [rel, file] of newFiles) {
    if (rel === sumsPath) continue;
    if (select(file)) {
      content.set(rel, file.bytes);
      fresh.add(rel);
    } else {
      const kept = onDisk.get(rel);
      if (kept) content.set(rel, kept);
    }
  }
  reconcileEmbeddedHashes(id, newFiles, content, fresh, onDisk);
  const digests = new Map([...content].map(([rel, bytes]) => [rel, sha256Hex(bytes)]));
  const sums = utf8Lf(checksumLines(digests));
  content.set(sumsPath, sums);
  digests.set(sumsPath, sha256Hex(sums));
  const produced = new Set(content.keys());
  const { userItems, leftovers } = live ? itemsNotGeneratedBy(live, new Set(owned), produced) : { userItems: [], leftovers: [] };
  for (const item of userItems) {
    if (inTheWayOf(item, produced)) {
      throw new UserError(`${id}/${item} was not generated by tlsgen, and this build would generate a file there; move it away and build again`, 1);
    }
  }
  const stale = [...onDisk.keys()].filter((rel) => !produced.has(rel));
  return { id, content, digests, onDisk, stale, userItems, leftovers };
}

function reconcileEmbeddedHashes(
  id: string,
  newFiles: ReadonlyMap<string, GeneratedFile>,
  content: Map<string, Uint8Array>,
  fresh: Set<string>,
  onDisk: ReadonlyMap<string, Buffer>,
): void {
  const relOf = (path: string) => path.slice(id.length + 1);
  const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
  for (const [rel, file] of newFiles) {
    const embedded = (file.embedsHashesOf ?? []).map(relOf);
    if (embedded.length === 0 || !content.has(rel) || fresh.has(rel)) continue;
    // A kept file whose embedded files changed in this run is stale: rewrite it.
    if (embedded.some((e) => content.has(e) && !sameBytes(content.get(e), onDisk.get(e)))) {
      content.set(rel, file.bytes);
      fresh.add(rel);
    }
  }
  for (const rel of fresh) {
    const embedded = (newFiles.get(rel)?.embedsHashesOf ?? []).map(relOf);
    const mismatched = embedded.filter((e) => content.has(e) && !sameBytes(content.get(e), newFiles.get(e)?.bytes));
    if (mismatched.length > 0) {
      throw new UserError(
        `a filtered build would leave ${id} inconsistent: ${id}/${rel} embeds the SHA-256 of ${mismatched.map((m) => `${id}/${m}`).join(', ')}, ` +
          'which this run would not rewrite and which differ from what the definitions produce now; build without --target/--format, or include them',
        1,
      );
    }
  }
}

/** The profile's folder if it exists (a real folder, never a link); null when absent. */
function profileFolder(root: string, id: string): string | null {
  const path = containedPath(root, id);
  const stats = lstatOrNull(path);
  if (stats === null) return null;
  if (!stats.isDirectory()) throw new UserError(`${path} is not a folder; tlsgen needs that name for profile ${id}: move it away`, 1);
  return path;
}

/** A user's item (file or folder) at the name of a generated file, or of a folder one is generated in. */
function inTheWayOf(item: string, generated: ReadonlySet<string>): boolean {
  return generated.has(item) || [...generated].some((path) => path.startsWith(`${item}/`));
}

/** Temp files older tlsgen versions wrote beside a generated file (`<file>.tmp-<pid>-<hex>`). */
const OLD_TEMP_FILE = /^(.*)\.tmp-\d+-[0-9a-f]{8}$/;

/**
 * Everything inside a profile folder that tlsgen did not generate: whole folders where nothing
 * generated lives, single entries (files, links, pipes) elsewhere. Nothing is followed or opened.
 */
function itemsNotGeneratedBy(live: string, owned: ReadonlySet<string>, produced: ReadonlySet<string>) {
  const ours = new Set([...owned, ...produced]);
  const userItems: string[] = [];
  const leftovers: string[] = [];
  // Each entry's type as the folder lists it (not following links, like lstat, without a call per entry).
  const walk = (folder: string, prefix: string) => {
    for (const entry of direntsSafe(folder).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory() && [...ours].some((p) => p.startsWith(`${rel}/`))) walk(join(folder, entry.name), rel);
      else if (owned.has(rel) && entry.isFile()) continue;
      else if (entry.isFile() && ours.has(OLD_TEMP_FILE.exec(rel)?.[1] ?? '')) leftovers.push(rel);
      else userItems.push(rel);
    }
  };
  walk(live, '');
  return { userItems, leftovers };
}

function direntsSafe(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw environmentError(error, folder, 'list');
  }
}

function readdirSafe(folder: string): string[] {
  return direntsSafe(folder).map((entry) => entry.name);
}

/** What the second pass does for one profile: remove old temp files, and switch the staged folder in (journal null: nothing changed). */
interface StagedProfile {
  readonly id: string;
  readonly leftovers: readonly string[];
  readonly journal: Journal | null;
  readonly userItems: readonly string[];
}

/** Compares a profile's final content with the disk and, if anything differs, stages the whole folder. */
function stageProfile(
  root: string,
  state: ProfileState,
  manifest: Manifest,
  token: string,
  report: EmitReport,
  flushes: BackgroundFlushes,
): StagedProfile | null {
  const { id } = state;
  const changedPaths: string[] = [];
  const unchanged = new Set<string>();
  for (const [rel, bytes] of state.content) {
    const old = state.onDisk.get(rel);
    if (old !== undefined && Buffer.compare(old, bytes) === 0) {
      unchanged.add(rel);
      report.unchanged.push(`${id}/${rel}`);
    } else changedPaths.push(rel);
  }
  report.kept.push(...state.userItems.map((item) => `${id}/${item}`));
  const ownedNow = manifest.get(id) ?? [];
  const manifestCurrent = ownedNow.length === state.content.size && ownedNow.every((rel) => state.content.has(rel));
  if (changedPaths.length === 0 && state.stale.length === 0 && manifestCurrent && profileFolder(root, id) !== null) {
    return state.leftovers.length === 0 ? null : { id, leftovers: state.leftovers, journal: null, userItems: [] };
  }
  const journal = stage(root, state, token, unchanged, flushes);
  report.written.push(...changedPaths.map((rel) => `${id}/${rel}`));
  report.removed.push(...state.stale.map((rel) => `${id}/${rel}`));
  return { id, leftovers: state.leftovers, journal, userItems: state.userItems };
}

interface Journal {
  readonly profile: string;
  readonly stage: string;
  readonly trash: string;
  readonly files: string[];
}

/** Stage the whole folder: unchanged files as hard links to the live ones, the others written (flushed in the background: stageAll). */
function stage(root: string, state: ProfileState, token: string, unchanged: ReadonlySet<string>, flushes: BackgroundFlushes): Journal {
  const { id } = state;
  const journal: Journal = { profile: id, stage: `stage-${token}`, trash: `trash-${token}`, files: [...state.content.keys()].sort() };
  const stageFolder = containedPath(root, `${STATE_FOLDER}/${journal.stage}`);
  const live = containedPath(root, id);
  const made = new Set<string>();
  for (const [rel, bytes] of state.content) {
    const parts = rel.split('/');
    const target = join(stageFolder, ...parts);
    const folder = dirname(target);
    if (!made.has(folder)) {
      ensureFolder(folder);
      made.add(folder);
    }
    if (!(unchanged.has(rel) && linked(join(live, ...parts), target))) flushes.write(target, bytes);
  }
  return journal;
}

/** Second pass: record the switch, move the user's items across, then two renames. */
function switchStaged(root: string, staged: StagedProfile, manifest: Manifest): void {
  for (const leftover of staged.leftovers) removeQuietly(containedPath(root, `${staged.id}/${leftover}`));
  if (staged.journal === null) return;
  writeAtomically(root, journalPath(root, staged.id), Buffer.from(JSON.stringify(staged.journal) + '\n', 'utf8'));
  completeSwitch(root, staged.journal, staged.userItems);
  manifest.set(staged.id, staged.journal.files);
}

/** Unchanged files keep their identity (and time stamp): a hard link into the stage. */
function linked(existing: string, target: string): boolean {
  try {
    linkSync(existing, target);
    return true;
  } catch {
    return false;
  }
}

/** The part of a switch that a killed build may have left undone; safe to run again. */
function completeSwitch(root: string, journal: Journal, userItems: readonly string[]): void {
  const stage = containedPath(root, `${STATE_FOLDER}/${journal.stage}`);
  const trash = containedPath(root, `${STATE_FOLDER}/${journal.trash}`);
  const live = containedPath(root, journal.profile);
  if (lstatOrNull(stage)?.isDirectory()) {
    if (lstatOrNull(live)?.isDirectory()) {
      for (const item of userItems) {
        const from = join(live, ...item.split('/'));
        const to = join(stage, ...item.split('/'));
        if (lstatOrNull(from) === null || lstatOrNull(to) !== null) continue;
        ensureFolder(dirname(to));
        renameOrFail(from, to);
      }
      renameOrFail(live, trash);
    }
    renameOrFail(stage, live);
  }
  removeTree(trash);
}

function journalPath(root: string, id: string): string {
  return join(root, STATE_FOLDER, `journal-${id}.json`);
}

/** Journals left by a killed build: finish their switches (roll forward) and record them. */
function finishInterruptedSwitches(root: string, manifest: Manifest): void {
  for (const journal of readJournals(root)) {
    const owned = new Set(manifest.get(journal.profile) ?? []);
    const live = profileFolder(root, journal.profile);
    const stage = containedPath(root, `${STATE_FOLDER}/${journal.stage}`);
    const userItems = live && lstatOrNull(stage) ? itemsNotGeneratedBy(live, owned, new Set(journal.files)).userItems : [];
    completeSwitch(root, journal, userItems);
    manifest.set(journal.profile, journal.files);
  }
}

function readJournals(root: string): Journal[] {
  const folder = join(root, STATE_FOLDER);
  return readdirSafe(folder)
    .filter((name) => /^journal-.+\.json$/.test(name))
    .sort()
    .flatMap((name) => {
      const bytes = readRegularFile(containedPath(root, `${STATE_FOLDER}/${name}`));
      try {
        const journal = JSON.parse(bytes?.toString('utf8') ?? '') as Journal;
        const valid =
          typeof journal.profile === 'string' &&
          `journal-${journal.profile}.json` === name &&
          /^stage-[\w.-]+$/.test(journal.stage) &&
          /^trash-[\w.-]+$/.test(journal.trash) &&
          Array.isArray(journal.files);
        return valid ? [journal] : [];
      } catch {
        return []; // a journal cut short by a kill: its switch had not started
      }
    });
}

function removeJournals(root: string): void {
  for (const name of readdirSafe(join(root, STATE_FOLDER)).filter((n) => /^journal-.+\.json$/.test(n))) removeQuietly(join(root, STATE_FOLDER, name));
}

/** Staging and trash folders no journal refers to: left by a build killed before it wrote its journal. */
function removeOrphanedStaging(root: string): void {
  for (const name of readdirSafe(join(root, STATE_FOLDER))) {
    if (/^(stage|trash)-/.test(name)) removeTree(containedPath(root, `${STATE_FOLDER}/${name}`));
    else if (/\.tmp-\d+-[0-9a-f]{8}$/.test(name) || isAbandonedLockDraft(name)) removeQuietly(join(root, STATE_FOLDER, name));
  }
}

/** A profile generated earlier and not now: its generated files go, the user's stay. */
function removeProfile(root: string, id: string, manifest: Manifest, report: EmitReport): void {
  const live = profileFolder(root, id);
  if (live !== null) {
    for (const rel of manifest.get(id) ?? []) {
      const path = containedPath(root, `${id}/${rel}`);
      const stats = lstatOrNull(path);
      if (!stats?.isFile()) continue;
      removeQuietly(path);
      report.removed.push(`${id}/${rel}`);
      pruneEmptyFolders(live, dirname(path));
    }
    const { userItems } = itemsNotGeneratedBy(live, new Set(), new Set());
    report.kept.push(...userItems.map((item) => `${id}/${item}`));
    if (userItems.length === 0) pruneEmptyFolders(dirname(live), live);
  }
  manifest.delete(id);
}

function pruneEmptyFolders(stopAt: string, folder: string): void {
  for (let current = folder; current.startsWith(stopAt) && current !== dirname(stopAt); current = dirname(current)) {
    if (readdirSafe(current).length > 0) return;
    rmdirSync(current);
    if (current === stopAt) return;
  }
}

function checkAll(root: string, profiles: readonly ProfileSource[], options: EmitOptions, report: EmitReport): void {
  const hasState = lstatOrNull(join(root, STATE_FOLDER)) !== null;
  const manifest = hasState ? readManifest(root) : new Map<string, string[]>();
  if (hasState) {
    for (const name of readdirSafe(join(root, STATE_FOLDER)).filter((n) => /^journal-/.test(n))) report.interrupted.push(`${STATE_FOLDER}/${name}`);
  }
  for (const { id, files } of profiles) {
    const live = profileFolder(root, id);
    const owned = manifest.get(id);
    if (live !== null && owned === undefined) {
      report.extra.push(`${id}/ (a folder tlsgen did not generate: no record in ${STATE_FOLDER}/manifest.json)`);
      continue;
    }
    const state = profileState(root, id, files(), manifest, options.select);
    const missing = new Set<string>();
    for (const [rel, bytes] of state.content) {
      const path = `${id}/${rel}`;
      // profileState already read every file the manifest records; only unrecorded ones are read here.
      const disk = state.onDisk.get(rel) ?? (live ? readRegularFile(containedPath(root, path)) : null);
      if (disk === null) {
        report.missing.push(path);
        missing.add(rel);
      } else if (Buffer.compare(disk, bytes) === 0) report.unchanged.push(path);
      else report.changed.push(path);
    }
    const ownedSet = new Set(owned ?? []);
    const unlisted = [...state.content.keys()].filter((rel) => !ownedSet.has(rel) && !missing.has(rel));
    report.changed.push(...unlisted.map((rel) => `${id}/${rel} (not recorded as generated)`));
    report.extra.push(
      ...state.stale.map((rel) => `${id}/${rel}`),
      ...state.userItems.map((rel) => `${id}/${rel}`),
      ...state.leftovers.map((rel) => `${id}/${rel}`),
    );
  }
  if (options.allProfiles) {
    const ids = new Set(profiles.map((p) => p.id));
    for (const id of [...manifest.keys()].filter((id) => !ids.has(id)).sort()) report.extra.push(`${id}/ (a profile the definitions no longer produce)`);
  }
}
