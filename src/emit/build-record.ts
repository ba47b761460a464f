/**
 * The record of the last whole build of an output folder, `<out>/.tlsgen/build-record.json` (not
 * committed: it names the day and the tlsgen that made it). It holds the fingerprint of what the build
 * was made from, the diagnostics it reported, and the SHA-256 of every file it left in each profile
 * folder. A later whole build with the same fingerprint, finding exactly those files with those hashes
 * and nothing a killed build left, has nothing to make: tlsgen's output is a function of the
 * fingerprinted inputs (no clock, no randomness; the goldens and out/ prove the bytes), so rendering
 * again would produce the bytes already there. Anything else, an unreadable or foreign record included,
 * means an ordinary build: the record can only save work, never decide what is written.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { BUILD_ID } from '../generated/build-id.js';
import { UserError } from '../diagnostics.js';
import { containedPath, lstatOrNull, readRegularFile, removeQuietly, writeAtomically } from './files.js';
import { STATE_FOLDER, isJsonObject } from './manifest.js';

export const BUILD_RECORD_FILE = 'build-record.json';
const FORMAT = 1;

/** What a whole build is made from, besides its definition files. */
export interface BuildInputs {
  readonly definitionsDir: string;
  readonly mode: string;
  readonly strict: boolean;
  /** The day lint judged exception dates by (YYYY-MM-DD). */
  readonly today: string;
  /** Every definition file as read: its kind, its path as diagnostics show it, and its text. */
  readonly files: readonly { readonly kind: string; readonly file: string; readonly text: string }[];
}

export interface BuildRecord {
  readonly fingerprint: string;
  readonly diagnostics: readonly Diagnostic[];
  /** The SHA-256 of the manifest.json the build wrote (a hand-edited manifest is not what a build leaves). */
  readonly manifest: string;
  /**
   * Profile folder → relative path → SHA-256 (lowercase hex) of the file the build left there, in the
   * order the build made the profiles (the order it reports them in).
   */
  readonly profiles: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * SHA-256 over tlsgen's build id (its sources, templates, schemas and dependencies: scripts/build.mjs),
 * Node's version, the options that change output or diagnostics, and every definition file. Each part
 * is length-prefixed, so no two different input lists hash the same text.
 */
export function fingerprintOf(inputs: BuildInputs): string {
  const digest = createHash('sha256');
  const part = (text: string) => digest.update(`${Buffer.byteLength(text, 'utf8')}:`).update(text, 'utf8');
  // ICU and Unicode versions too: text wrapping and escaping use Unicode properties, which a Node built
  // against the system's ICU may change without changing its own version.
  const runtime = [process.version, process.versions.icu ?? '', process.versions.unicode ?? ''];
  for (const text of [`tlsgen build record ${FORMAT}`, BUILD_ID, ...runtime, inputs.definitionsDir, inputs.mode, String(inputs.strict), inputs.today]) {
    part(text);
  }
  part(String(inputs.files.length));
  for (const { kind, file, text } of inputs.files) {
    part(kind);
    part(file);
    part(text);
  }
  return digest.digest('hex');
}

function recordPath(root: string): string {
  return containedPath(root, `${STATE_FOLDER}/${BUILD_RECORD_FILE}`);
}

/** The record, or null when there is none or it cannot be trusted to be one (then the build is made in full). */
export function readBuildRecord(root: string): BuildRecord | null {
  let parsed: unknown;
  try {
    const bytes = readRegularFile(recordPath(root));
    if (bytes === null) return null;
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isJsonObject(parsed) || parsed['generator'] !== 'tlsgen' || parsed['format'] !== FORMAT) return null;
  const { fingerprint, diagnostics, manifest, profiles } = parsed;
  if (typeof fingerprint !== 'string' || !SHA256_HEX.test(fingerprint) || typeof manifest !== 'string' || !SHA256_HEX.test(manifest)) return null;
  if (!Array.isArray(diagnostics) || !diagnostics.every(isDiagnostic) || !Array.isArray(profiles)) return null;
  const folders = new Map<string, ReadonlyMap<string, string>>();
  for (const entry of profiles as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) return null;
    const [id, files] = entry as [unknown, unknown];
    if (typeof id !== 'string' || folders.has(id) || !isJsonObject(files)) return null;
    if (!Object.values(files).every((hash) => typeof hash === 'string' && SHA256_HEX.test(hash))) return null;
    folders.set(id, new Map(Object.entries(files as Record<string, string>)));
  }
  return { fingerprint, diagnostics, manifest, profiles: folders };
}

export function writeBuildRecord(root: string, record: BuildRecord): void {
  // Profiles as [id, files] pairs: an object would put integer-like ids first, not in build order.
  const profiles = [...record.profiles].map(([id, files]) => [id, Object.fromEntries(files)]);
  const { fingerprint, diagnostics, manifest } = record;
  const text = JSON.stringify({ generator: 'tlsgen', format: FORMAT, fingerprint, manifest, diagnostics, profiles }) + '\n';
  writeAtomically(root, join(root, STATE_FOLDER, BUILD_RECORD_FILE), Buffer.from(text, 'utf8'));
}

/**
 * Before a build changes anything: the folder no longer is what the record says until a new one is written.
 * Whatever is at the record's name goes (unlink never follows a link; the state folder itself was checked).
 */
export function removeBuildRecord(root: string): void {
  const path = join(root, STATE_FOLDER, BUILD_RECORD_FILE);
  const existing = lstatOrNull(path);
  // A folder there could not be replaced by the record at the end: refuse before anything is written.
  if (existing?.isDirectory()) throw new UserError(`${path} is a folder, where tlsgen keeps its build record; move it away and build again`, 1);
  removeQuietly(path);
}

const SEVERITIES: readonly Severity[] = ['error', 'warning'];

function isDiagnostic(value: unknown): value is Diagnostic {
  return (
    isJsonObject(value) &&
    typeof value['file'] === 'string' &&
    Number.isInteger(value['line']) &&
    Number.isInteger(value['column']) &&
    SEVERITIES.includes(value['severity'] as Severity) &&
    typeof value['message'] === 'string' &&
    typeof value['pointer'] === 'string'
  );
}
