/**
 * `tlsgen sign`: Authenticode-signs the .ps1/.psd1 files tlsgen generated with osslsigncode (2.8 or
 * later: the first with PowerShell script support), SHA-256 digest, optional RFC 3161 timestamp,
 * then rewrites those profiles' SHA256SUMS.
 *
 * What it touches is what the output folder's manifest (`<out>/.tlsgen/manifest.json`) says tlsgen
 * generated: `--out` names the output folder (every profile it lists) or one profile folder in it
 * (the manifest of its parent must list it). Only listed files are read, signed or hashed, and only
 * as regular files reached without a symbolic link; every one is checked before anything is signed,
 * every script is signed into a staging folder before any is replaced, and the folder's lock keeps
 * a build out meanwhile. The key is only ever passed to osslsigncode by path: it is never copied,
 * never printed, and refused when its real path lies inside the output folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../diagnostics.js';
import { containedPath, environmentError, lstatOrNull, readRegularFile, removeTree, writeAtomically, writeNewFile } from '../emit/files.js';
import { removeBuildRecord } from '../emit/build-record.js';
import { acquireLock } from '../emit/lock.js';
import { STATE_FOLDER, manifestPath, readManifest } from '../emit/manifest.js';
import { CHECKSUMS_FILE, renderChecksums } from '../render/checksums.js';
import { utf8Lf } from '../formats/text-encoding.js';
import { PS_SIGNATURE_BEGIN, PS_SIGNATURE_END, psLooksLikeSignatureMarker } from '../formats/powershell.js';

export interface SignOptions {
  readonly outDir: string;
  readonly cert: string;
  readonly key: string;
  readonly chain?: string;
  readonly timestampUrl?: string;
  /** The osslsigncode executable (tests point it elsewhere). @default "osslsigncode" */
  readonly osslsigncode?: string;
  /** How long to wait for a build of the same folder. @default 120000 */
  readonly lockWaitMs?: number;
  readonly onWait?: (holder: string) => void;
}

export interface SignReport {
  /** Signed scripts, `<profile>/<path>`. */
  readonly signed: string[];
  /** Rewritten checksum files, `<profile>/SHA256SUMS`. */
  readonly checksumFiles: string[];
  readonly osslsigncodeVersion: string;
}

const MINIMUM_VERSION = [2, 8] as const;
const INSTALL_HINT =
  'Debian 12 ships osslsigncode 2.5, which cannot sign scripts; install 2.9 from bookworm-backports ' +
  '(add "deb <your Debian mirror> bookworm-backports main" to apt sources, then apt-get install -t bookworm-backports osslsigncode), ' +
  'or sign on Windows with Set-AuthenticodeSignature -HashAlgorithm SHA256.';
const SCRIPT = /\.(ps1|psd1)$/i;
/** Staging folders start with `stage-`, so a build removes one a killed sign left behind. */
const STAGING_PREFIX = 'stage-sign-';

/** Where to sign: the output folder (root) and either every profile it lists or one of them. */
interface SignTarget {
  readonly root: string;
  /** The real path of --out: root itself or one profile folder in it. */
  readonly folder: string;
  /** null: every profile the manifest lists. */
  readonly profile: string | null;
}

interface ProfileFiles {
  readonly id: string;
  /** Every file the manifest lists except SHA256SUMS, relative path → bytes on disk. */
  readonly files: Map<string, Buffer>;
  readonly listsChecksums: boolean;
  /** Listed scripts: relative path → their content without any signature block. */
  readonly scripts: Map<string, Buffer>;
}

export function signOutput(options: SignOptions): SignReport {
  const tool = options.osslsigncode ?? 'osslsigncode';
  const version = osslsigncodeVersion(tool);
  const keys = realKeyPaths(options);
  const target = signTarget(options.outDir);
  for (const [what, real] of keys) {
    if ([target.root, target.folder].some((folder) => isInside(folder, real))) {
      throw new UserError(`refusing to sign with a ${what} file inside the output folder: move it out of ${options.outDir}`, 2);
    }
  }
  const release = acquireLock(target.root, { waitMs: options.lockWaitMs, onWait: options.onWait });
  try {
    return signLocked(tool, target, options, version);
  } finally {
    release();
  }
}

function signLocked(tool: string, target: SignTarget, options: SignOptions, version: string): SignReport {
  const { root } = target;
  refuseInterruptedBuild(root);
  removeOrphanedStaging(root);
  const manifest = readManifest(root);
  if (target.profile !== null && !manifest.has(target.profile)) throw notGenerated(options.outDir, root);
  const ids = target.profile === null ? [...manifest.keys()].sort() : [target.profile];

  // 1. Every listed file of every profile: present, a regular file, reached without a link.
  const profiles = checkProfiles(root, ids, (id) => manifest.get(id)!);
  const count = profiles.reduce((n, p) => n + p.scripts.size, 0);
  if (count === 0) throw new UserError(`no .ps1 or .psd1 files under ${options.outDir}; run tlsgen build first`, 1);

  // 2. Sign every script into a staging folder: a failure leaves every file as it was.
  const signed = new Map<string, Buffer>();
  const staging = stagingFolder(root);
  try {
    for (const profile of profiles) {
      for (const [rel, content] of profile.scripts) {
        const display = `${profile.id}/${rel}`;
        signed.set(display, signInStaging(tool, staging, signed.size, display, content, options));
      }
    }
  } finally {
    removeTree(staging);
  }

  // 3. Replace the scripts, then each signed profile's SHA256SUMS over exactly the files it lists. The
  // folder is no longer what the last build left: its record goes first (a build then makes it in full).
  removeBuildRecord(root);
  const checksumFiles: string[] = [];
  for (const [display, bytes] of signed) writeAtomically(root, containedPath(root, display), bytes);
  for (const profile of profiles.filter((p) => p.scripts.size > 0 && p.listsChecksums)) {
    const files = [...profile.files].map(([rel, bytes]) => ({ path: `${profile.id}/${rel}`, bytes: signed.get(`${profile.id}/${rel}`) ?? bytes }));
    const sums = `${profile.id}/${CHECKSUMS_FILE}`;
    writeAtomically(root, containedPath(root, sums), utf8Lf(renderChecksums(profile.id, files)));
    checksumFiles.push(sums);
  }
  return { signed: [...signed.keys()], checksumFiles, osslsigncodeVersion: version };
}

function osslsigncodeVersion(tool: string): string {
  const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (result.error) throw new UserError(`osslsigncode is not installed. ${INSTALL_HINT}`, 1);
  const match = /osslsigncode (\d+)\.(\d+)/.exec(`${result.stdout}${result.stderr}`);
  if (!match) throw new UserError(`could not read the osslsigncode version. ${INSTALL_HINT}`, 1);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
    throw new UserError(`osslsigncode ${major}.${minor} cannot sign PowerShell scripts (2.8 or later needed). ${INSTALL_HINT}`, 1);
  }
  return `${major}.${minor}`;
}

/** The real paths of the certificate, key and chain (a link to a key is the key). Paths are never printed. */
function realKeyPaths(options: SignOptions): [string, string][] {
  const paths: [string, string][] = [];
  for (const [what, path] of [
    ['certificate', options.cert],
    ['key', options.key],
    ['chain', options.chain],
  ] as const) {
    if (path === undefined) continue;
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new UserError(`${what} file not found`, 2);
    }
    paths.push([what, real]);
  }
  return paths;
}

/**
 * --out is the output folder (it holds .tlsgen/manifest.json) or one profile folder whose parent's
 * manifest lists it. Anything else is not tlsgen's to sign.
 */
function signTarget(outDir: string): SignTarget {
  if (outDir.trim() === '') throw new UserError('--out must name a folder', 2);
  const given = resolve(outDir);
  let folder: string;
  try {
    folder = realpathSync(given);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`--out ${outDir} does not exist; build into it first`, 1);
    throw environmentError(error, given, 'inspect');
  }
  if (!statSync(folder).isDirectory()) throw new UserError(`--out ${outDir} is not a folder`, 1);
  if (lstatOrNull(manifestPath(folder))) return { root: folder, folder, profile: null };
  const parent = dirname(folder);
  const id = basename(folder);
  if (parent !== folder && lstatOrNull(manifestPath(parent)) && readManifest(parent).has(id)) return { root: parent, folder, profile: id };
  throw notGenerated(outDir, parent);
}

function notGenerated(outDir: string, parent: string): UserError {
  return new UserError(`${outDir} is not a folder tlsgen generated: no ${manifestPath(parent)} lists it; build into a folder, then sign that folder`, 1);
}

/** A build killed in the middle of a switch: the next build finishes it; signing now would sign a mix. */
function refuseInterruptedBuild(root: string): void {
  const journal = stateEntries(root).find((name) => /^journal-/.test(name));
  if (journal) throw new UserError(`a build into ${root} was interrupted (${STATE_FOLDER}/${journal}); run tlsgen build again, then sign`, 1);
}

function removeOrphanedStaging(root: string): void {
  for (const name of stateEntries(root).filter((n) => n.startsWith(STAGING_PREFIX))) removeTree(containedPath(root, `${STATE_FOLDER}/${name}`));
}

function stagingFolder(root: string): string {
  const prefix = join(root, STATE_FOLDER, STAGING_PREFIX);
  try {
    return mkdtempSync(prefix);
  } catch (error) {
    throw environmentError(error, prefix, 'create the staging folder');
  }
}

function stateEntries(root: string): string[] {
  try {
    return readdirSync(join(root, STATE_FOLDER));
  } catch (error) {
    throw environmentError(error, join(root, STATE_FOLDER), 'read the folder');
  }
}

/** Reads every listed file of every profile, or refuses with every problem found: nothing is signed then. */
function checkProfiles(root: string, ids: readonly string[], listed: (id: string) => readonly string[]): ProfileFiles[] {
  const problems: string[] = [];
  const profiles: ProfileFiles[] = [];
  for (const id of ids) {
    const files = new Map<string, Buffer>();
    const scripts = new Map<string, Buffer>();
    for (const rel of listed(id)) {
      const display = `${id}/${rel}`;
      try {
        const bytes = readListedFile(root, display);
        if (rel === CHECKSUMS_FILE) continue;
        files.set(rel, bytes);
        if (SCRIPT.test(rel)) scripts.set(rel, scriptContent(display, bytes));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        problems.push(error.message);
      }
    }
    profiles.push({ id, files, scripts, listsChecksums: listed(id).includes(CHECKSUMS_FILE) });
  }
  const distinct = [...new Set(problems)];
  if (distinct.length > 0) {
    const more = distinct.length > 10 ? `; and ${distinct.length - 10} more` : '';
    throw new UserError(`nothing was signed: ${distinct.slice(0, 10).join('; ')}${more}`, 1);
  }
  return profiles;
}

/** A listed file as a regular file inside the profile folder, reached without a symbolic link. */
function readListedFile(root: string, display: string): Buffer {
  const path = containedPath(root, display);
  const bytes = readRegularFile(path);
  if (bytes === null) throw new UserError(`${display} is missing (tlsgen generated it: ${STATE_FOLDER}/manifest.json lists it); build again, then sign`, 1);
  return bytes;
}

/**
 * A script's content without its signature block (a script signed earlier is signed again from its
 * unsigned bytes, not wrapped twice), refused when any other line reads like a signature marker:
 * osslsigncode would take that line for the block and sign only what comes before it.
 */
function scriptContent(display: string, bytes: Buffer): Buffer {
  const content = withoutSignatureBlock(bytes) ?? bytes;
  const lines = content
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .split(/\r\n|\n|\r/);
  const index = lines.findIndex(psLooksLikeSignatureMarker);
  if (index >= 0) {
    throw new UserError(
      `${display} line ${index + 1} reads like an Authenticode signature marker, so a signer would cut the script there (built by an older tlsgen?); build again, then sign`,
      1,
    );
  }
  return content;
}

/**
 * The signature block, found only in its real place: `# SIG # Begin signature block` on its own line,
 * base64 comment lines, and `# SIG # End signature block` as the last non-empty line. Returns the
 * bytes before the line break that precedes the block (where osslsigncode's signature position
 * is, and what it signs), or null when the file has no such block.
 */
export function withoutSignatureBlock(bytes: Buffer): Buffer | null {
  const text = bytes.toString('latin1');
  const match = FINAL_BLOCK.exec(text);
  return match ? bytes.subarray(0, match.index) : null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FINAL_BLOCK = new RegExp(`\\r?\\n${escapeRegExp(PS_SIGNATURE_BEGIN)}\\r?\\n(?:# [A-Za-z0-9+/=]+\\r?\\n)+${escapeRegExp(PS_SIGNATURE_END)}[ \\t\\r\\n]*$`);

/** Signs a copy of the content in the staging folder; the result must be the content plus one block. */
function signInStaging(tool: string, staging: string, index: number, display: string, content: Buffer, options: SignOptions): Buffer {
  // osslsigncode tells file types by extension: staged names keep it.
  const extension = extname(display).toLowerCase();
  const input = join(staging, `${index}-unsigned${extension}`);
  const output = join(staging, `${index}-signed${extension}`);
  writeNewFile(input, content);
  const args = ['sign', '-certs', options.cert, '-key', options.key, '-h', 'sha256'];
  if (options.chain) args.push('-ac', options.chain);
  if (options.timestampUrl) args.push('-ts', options.timestampUrl);
  run(tool, [...args, '-in', input, '-out', output], display);
  const signed = readRegularFile(output);
  const unsigned = signed && withoutSignatureBlock(signed);
  if (!signed || !unsigned?.equals(content)) {
    throw new UserError(
      `osslsigncode did not sign ${display} as a whole (its output is not the script followed by one signature block); nothing was changed`,
      1,
    );
  }
  return signed;
}

function run(tool: string, args: string[], display: string): void {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    // osslsigncode's own message names the problem (wrong password, bad certificate…); it never echoes the key.
    const reason = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((l) => /error|fail|unable|invalid/i.test(l))
      .slice(0, 3)
      .join('; ');
    throw new UserError(`osslsigncode could not sign ${display}: ${reason || `exit code ${result.status}`}; nothing was changed`, 1);
  }
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
