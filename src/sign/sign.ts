/**
 * `tlsgen sign`: Authenticode-signs every .ps1/.psd1 under the output folder with osslsigncode
 * (2.8 or later: the first with PowerShell script support), SHA-256 digest, optional RFC 3161
 * timestamp, then rewrites each profile's SHA256SUMS. The key is only ever passed to osslsigncode
 * by path: it is never copied, never printed, and refused when it lies inside the output folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../diagnostics.js';
import { writeAtomically } from '../emit/emit.js';
import { CHECKSUMS_FILE, listedPaths, renderChecksums } from '../render/checksums.js';
import { utf8Lf } from '../formats/text-encoding.js';

export interface SignOptions {
  readonly outDir: string;
  readonly cert: string;
  readonly key: string;
  readonly chain?: string;
  readonly timestampUrl?: string;
  /** The osslsigncode executable (tests point it elsewhere). @default "osslsigncode" */
  readonly osslsigncode?: string;
}

export interface SignReport {
  readonly signed: string[];
  readonly checksumFiles: string[];
  readonly osslsigncodeVersion: string;
}

const MINIMUM_VERSION = [2, 8] as const;
const INSTALL_HINT =
  'Debian 12 ships osslsigncode 2.5, which cannot sign scripts; install 2.9 from bookworm-backports ' +
  '(add "deb <your Debian mirror> bookworm-backports main" to apt sources, then apt-get install -t bookworm-backports osslsigncode), ' +
  'or sign on Windows with Set-AuthenticodeSignature -HashAlgorithm SHA256.';

export function signOutput(options: SignOptions): SignReport {
  const tool = options.osslsigncode ?? 'osslsigncode';
  const version = osslsigncodeVersion(tool);
  const out = resolve(options.outDir);
  for (const [what, path] of [['certificate', options.cert], ['key', options.key], ['chain', options.chain]] as const) {
    if (path === undefined) continue;
    if (!existsSync(path)) throw new UserError(`${what} file not found`, 2);
    if (isInside(out, resolve(path))) throw new UserError(`refusing to sign with a ${what} file inside the output folder: move it out of ${options.outDir}`, 2);
  }
  const scripts = listFiles(out).filter((path) => /\.(ps1|psd1)$/i.test(path));
  if (scripts.length === 0) throw new UserError(`no .ps1 or .psd1 files under ${options.outDir}; run tlsgen build first`, 1);
  for (const script of scripts) signScript(tool, out, script, options);
  return { signed: scripts.map((s) => relative(out, s).split(sep).join('/')), checksumFiles: rewriteChecksums(out), osslsigncodeVersion: version };
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

/** Signs into a temporary file beside the script, then renames it over the script. */
function signScript(tool: string, out: string, script: string, options: SignOptions): void {
  // osslsigncode tells file types by extension: temporary names keep it.
  const extension = extname(script);
  const unsigned = `${script}.tlsgen-unsigned${extension}`;
  const signed = `${script}.tlsgen-signed${extension}`;
  try {
    // A script signed earlier is signed again from its unsigned bytes, not wrapped twice.
    const alreadySigned = readFileSync(script, 'latin1').includes('# SIG # Begin signature block');
    const input = alreadySigned ? unsigned : script;
    if (alreadySigned) run(tool, ['remove-signature', '-in', script, '-out', unsigned], script);
    const args = ['sign', '-certs', options.cert, '-key', options.key, '-h', 'sha256'];
    if (options.chain) args.push('-ac', options.chain);
    if (options.timestampUrl) args.push('-ts', options.timestampUrl);
    run(tool, [...args, '-in', input, '-out', signed], script);
    renameSync(signed, script);
  } finally {
    for (const temp of [unsigned, signed]) if (existsSync(temp)) unlinkSync(temp);
  }
  if (!isInside(out, script)) throw new Error('internal: signed a file outside the output folder');
}

function run(tool: string, args: string[], script: string): void {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    // osslsigncode's own message names the problem (wrong password, bad certificate…); it never echoes the key.
    const reason = `${result.stdout}${result.stderr}`.split('\n').filter((l) => /error|fail|unable|invalid/i.test(l)).slice(0, 3).join('; ');
    throw new UserError(`osslsigncode could not sign ${script}: ${reason || `exit code ${result.status}`}`, 1);
  }
}

/** Every profile folder's SHA256SUMS, recomputed over the files it lists, as they are now. */
function rewriteChecksums(out: string): string[] {
  const written: string[] = [];
  for (const profile of readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const sumsPath = join(out, profile.name, CHECKSUMS_FILE);
    if (!existsSync(sumsPath)) continue;
    const files = listedPaths(readFileSync(sumsPath, 'utf8'))
      .filter((name) => !name.split('/').includes('..'))
      .map((name) => ({ path: `${profile.name}/${name}`, bytes: readFileSync(join(out, profile.name, name)) }));
    writeAtomically(out, sumsPath, utf8Lf(renderChecksums(profile.name, files)));
    written.push(`${profile.name}/${CHECKSUMS_FILE}`);
  }
  return written;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) return [];
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}
