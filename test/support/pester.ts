/**
 * Pester 6.2.0 for the behaviour tests of the generated PowerShell scripts.
 *
 * Pester comes from nuget.org (through the machine's NuGet configuration) with `dotnet restore`
 * of a throwaway project holding one <PackageDownload>; PSGallery is not needed. The package is
 * unpacked into a cache folder (TLSGEN_PESTER_DIR, default ~/.cache/tlsgen-pester) and imported by
 * path, so whatever Pester a user has installed (Windows ships 3.4) never gets in the way.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath } from '../consumers/consumer-policy.js';
import { pwshPath } from './powershell.js';

export const PESTER_VERSION = '6.2.0';
/** The PowerShell the tests are written for (a .NET global tool, see test/support/powershell.ts). */
export const PWSH_VERSION = '7.6.9';

const DRIVER = fileURLToPath(new URL('../powershell/run-pester.ps1', import.meta.url));
const SUMMARY_MARKER = '::tlsgen-pester-summary::';
/** A lock older than this is left over from a killed restore. */
const STALE_LOCK_MS = 5 * 60_000;

export function pesterCacheDir(): string {
  return process.env['TLSGEN_PESTER_DIR'] || join(homedir(), '.cache', 'tlsgen-pester');
}

function dotnetPath(): string | null {
  const local = join(homedir(), '.dotnet', 'dotnet');
  return findOnPath('dotnet') ?? (existsSync(local) ? local : null);
}

/**
 * NuGet writes .nupkg.metadata last when it extracts a package, so its presence means the
 * folder is complete (an interrupted restore leaves no metadata and is redone).
 */
function restored(packageDir: string): boolean {
  return existsSync(join(packageDir, '.nupkg.metadata')) && existsSync(join(packageDir, 'tools', 'Pester.psd1'));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The SDK's own target framework (net10.0 for SDK 10.0.x): it needs no targeting pack download. */
function sdkTargetFramework(dotnet: string): string {
  const version = execFileSync(dotnet, ['--version'], { encoding: 'utf8' }).trim();
  const major = /^(\d+)\./.exec(version)?.[1];
  if (!major) throw new Error(`Unexpected "dotnet --version" output: ${version}`);
  return `net${major}.0`;
}

function restore(dotnet: string, cacheDir: string): void {
  const project = join(cacheDir, 'restore', 'pester-download.csproj');
  mkdirSync(join(cacheDir, 'restore'), { recursive: true });
  writeFileSync(
    project,
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      `  <PropertyGroup><TargetFramework>${sdkTargetFramework(dotnet)}</TargetFramework></PropertyGroup>`,
      `  <ItemGroup><PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" /></ItemGroup>`,
      '</Project>',
      '',
    ].join('\n'),
  );
  const result = spawnSync(dotnet, ['restore', project, '--packages', join(cacheDir, 'packages'), '-p:NuGetAudit=false', '--verbosity', 'quiet'], {
    encoding: 'utf8',
    timeout: STALE_LOCK_MS,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`dotnet restore of Pester ${PESTER_VERSION} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Whether ensurePester() can succeed, without starting a process: pwsh is installed, and Pester is
 * restored already or dotnet is there to restore it. For deciding at collection time whether to run.
 */
export function pesterAvailable(): boolean {
  if (!pwshPath()) return false;
  return restored(join(pesterCacheDir(), 'packages', 'pester', PESTER_VERSION)) || dotnetPath() !== null;
}

/**
 * Path of Pester.psd1, restoring the package first if needed. Null when pwsh is missing, or
 * when Pester is not restored yet and dotnet is missing. Throws when a restore fails: a network
 * problem must not look like "Pester not installed".
 *
 * Safe to call from several vitest workers at once: the restore runs under a lock directory
 * (mkdir is atomic); the others wait for it, then find the package in place.
 */
export function ensurePester(): string | null {
  if (!pwshPath()) return null;
  const cacheDir = pesterCacheDir();
  const packageDir = join(cacheDir, 'packages', 'pester', PESTER_VERSION);
  const manifest = join(packageDir, 'tools', 'Pester.psd1');
  if (restored(packageDir)) return manifest;

  const dotnet = dotnetPath();
  if (!dotnet) return null;

  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, '.restore.lock');
  const deadline = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Someone else is restoring: wait for them, or take over a lock they abandoned.
    if (restored(packageDir)) return manifest;
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // the lock went away between mkdir and stat: try again
    }
    if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the Pester restore lock ${lock}`);
    sleep(250);
  }
  try {
    if (!restored(packageDir)) restore(dotnet, cacheDir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  if (!restored(packageDir)) throw new Error(`dotnet restore succeeded but ${manifest} is missing`);
  return manifest;
}

export interface PesterFailure {
  /** Describe/Context/It path joined with dots, as Pester's ExpandedPath. */
  name: string;
  message: string;
}

export interface PesterRun {
  /** Version of the Pester module that ran, and of the PowerShell it ran in. */
  pesterVersion: string;
  psVersion: string;
  passed: number;
  /** Failed It blocks, plus failed BeforeAll/AfterAll blocks and files that did not load. */
  failed: number;
  skipped: number;
  notRun: number;
  durationMs: number;
  failures: PesterFailure[];
  /** Everything pwsh printed (Pester's report, then the JSON summary), and its stderr. */
  raw: string;
}

/**
 * Runs one Pester test file in a fresh `pwsh -NoProfile -NonInteractive` and returns its summary.
 * `env` is added to the environment of pwsh (and so of the tests). Throws when pwsh or Pester is
 * missing, or when the driver does not print a summary (a crash rather than test failures).
 */
export function runPester(testScript: string, env: Record<string, string> = {}): PesterRun {
  const pwsh = pwshPath();
  const manifest = ensurePester();
  if (!pwsh || !manifest) throw new Error('runPester needs pwsh and Pester (see ensurePester)');
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', DRIVER, '-PesterManifest', manifest, '-TestPath', testScript], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
    env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', ...env },
  });
  const raw = `${result.stdout ?? ''}${result.stderr ? `\n--- stderr ---\n${result.stderr}` : ''}`;
  const lines = (result.stdout ?? '').split(/\r?\n/);
  const markerAt = lines.lastIndexOf(SUMMARY_MARKER);
  if (result.status !== 0 || markerAt < 0 || markerAt + 1 >= lines.length) {
    throw new Error(`Pester driver failed (exit ${result.status ?? result.signal}):\n${raw}`);
  }
  const summary = JSON.parse(lines[markerAt + 1] ?? '') as Omit<PesterRun, 'raw'>;
  return { ...summary, failures: summary.failures ?? [], raw };
}
