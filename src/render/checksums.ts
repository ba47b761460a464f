/**
 * SHA256SUMS in the format `sha256sum -c` reads: "<64 lowercase hex>  <path>" per line, LF,
 * paths relative to the profile folder, sorted so the file is stable.
 */
import { createHash } from 'node:crypto';

export const CHECKSUMS_FILE = 'SHA256SUMS';

export function renderChecksums(profileId: string, files: readonly { path: string; bytes: Uint8Array }[]): string {
  const prefix = `${profileId}/`;
  return checksumLines(new Map(files.map((file) => [file.path.slice(prefix.length), sha256Hex(file.bytes)])));
}

/** The file's text from each relative path's SHA-256 (hex). */
export function checksumLines(digests: ReadonlyMap<string, string>): string {
  return [...digests]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hash]) => `${hash}  ${name}\n`)
    .join('');
}

/** Parses a SHA256SUMS file back into relative paths (used to find files tlsgen generated earlier). */
export function listedPaths(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^[0-9a-f]{64} {2}(.+)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
