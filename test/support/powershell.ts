/** Finds and runs the real PowerShell (7.6.9, a .NET global tool) for consumer checks. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../consumers/consumer-policy.js';

/** pwsh on PATH, or where `dotnet tool install --global` puts it. */
export function pwshPath(): string | null {
  const dotnetTool = join(homedir(), '.dotnet', 'tools', 'pwsh');
  return findOnPath('pwsh') ?? (existsSync(dotnetTool) ? dotnetTool : null);
}

/** Runs a test-side PowerShell script with arguments; returns its standard output. */
export function runPwshScript(script: string, args: readonly string[]): string {
  const pwsh = pwshPath();
  if (!pwsh) throw new Error('pwsh is not installed');
  return execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
  });
}
