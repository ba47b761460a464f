/**
 * What tlsgen generated in an output folder: `<out>/.tlsgen/manifest.json` names each generated
 * profile folder and the files tlsgen wrote in it. It is the only thing that makes a file
 * tlsgen's to replace or remove: a folder or file it does not list (a backup copy, a signed copy,
 * an ISO with its own SHA256SUMS) is never read for deletion.
 */
import { join } from 'node:path';
import { UserError } from '../diagnostics.js';
import { containedPath, isSafeRelative, readRegularFile, writeAtomically } from './files.js';

export const STATE_FOLDER = '.tlsgen';
const MANIFEST_FILE = 'manifest.json';
const FORMAT = 1;

/** Profile folder name → the files tlsgen generated in it (relative, forward slashes, sorted). */
export type Manifest = Map<string, string[]>;

export function manifestPath(root: string): string {
  return join(root, STATE_FOLDER, MANIFEST_FILE);
}

export function readManifest(root: string): Manifest {
  const path = containedPath(root, `${STATE_FOLDER}/${MANIFEST_FILE}`);
  const bytes = readRegularFile(path);
  if (bytes === null) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw corrupt(path, 'it is not JSON');
  }
  if (!isJsonObject(parsed) || parsed['generator'] !== 'tlsgen' || parsed['format'] !== FORMAT || !isJsonObject(parsed['profiles'])) {
    throw corrupt(path, `it is not a tlsgen manifest of format ${FORMAT}`);
  }
  const manifest: Manifest = new Map();
  for (const [profile, files] of Object.entries(parsed['profiles'])) {
    if (!isSafeRelative(profile) || profile.includes('/') || profile === STATE_FOLDER) throw corrupt(path, `it names the folder "${profile}"`);
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && isSafeRelative(f)))
      throw corrupt(path, `the file list of "${profile}" is invalid`);
    manifest.set(profile, [...(files as string[])].sort());
  }
  return manifest;
}

/** Writes the manifest; returns the bytes written (a whole build records their hash). */
export function writeManifest(root: string, manifest: Manifest): Buffer {
  const profiles = Object.fromEntries([...manifest.keys()].sort().map((id) => [id, [...manifest.get(id)!].sort()]));
  const text = JSON.stringify({ generator: 'tlsgen', format: FORMAT, profiles }, null, 2) + '\n';
  const bytes = Buffer.from(text, 'utf8');
  writeAtomically(root, manifestPath(root), bytes);
  return bytes;
}

function corrupt(path: string, why: string): UserError {
  return new UserError(
    `${path} cannot be used (${why}); tlsgen will not guess what it generated. Restore it, or remove the output folder's generated profile folders and the file, then build again`,
    1,
  );
}

/** A parsed JSON object (not an array, not null): the shape of tlsgen's state files. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
