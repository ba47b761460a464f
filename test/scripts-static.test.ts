/**
 * Static checks of the generated installer and audit: the SHA-256 the installer embeds for every
 * target equals sha256sum of the .reg file it will import (a regenerated .reg with a stale
 * installer is caught); both declare PowerShell 2.0, use no /reg:64 and document every exit code
 * they use in their header table; and the real PowerShell parses both scripts with no error and no
 * construct Windows PowerShell 5.1 lacks (test/ps2-compat.test.ts holds them to PowerShell 2.0).
 *
 * The scripts are generated now (test/support/fresh-output.ts: the shipped definitions and every
 * golden case, with its options.json); the committed copies are judged by out-is-current.test.ts
 * and golden.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshProfileFolders, shortFresh } from './support/fresh-output.js';
import { REPO } from './support/golden.js';
import { PWSH_VERSION } from './support/pester.js';
import { pwshPath, runPwshScript } from './support/powershell.js';

const folders = freshProfileFolders('scripts').map((p) => p.folder);
const scripts = folders.flatMap((f) => readdirSync(join(f, 'scripts')).map((n) => join(f, 'scripts', n)));

it('generates fresh output from definitions/ and every golden case without errors', () => {
  expect(freshOutputProblems()).toEqual([]);
  expect(folders.length).toBeGreaterThan(0);
});

describe('installer hashes', () => {
  for (const folder of folders) {
    it(`${shortFresh(folder)}: every embedded SHA-256 equals the .reg file's`, () => {
      const installer = readFileSync(join(folder, 'scripts', readdirSync(join(folder, 'scripts')).find((n) => n.startsWith('Install-'))!), 'utf8');
      const embedded = [...installer.matchAll(/(ApplyFile|RollbackFile)\s+= '([^']+)'\r\n\s+(?:Apply|Rollback)Sha256\s+= '([0-9A-F]{64})'/g)];
      const regFiles = readdirSync(join(folder, 'reg'));
      expect(embedded.map((m) => m[2]).sort()).toEqual(regFiles.sort());
      for (const [, , file, hash] of embedded) {
        expect(hash, file).toBe(
          createHash('sha256')
            .update(readFileSync(join(folder, 'reg', file!)))
            .digest('hex')
            .toUpperCase(),
        );
      }
    });
  }
});

/** Exit codes a script's header table documents: lines `#  <code>  <meaning>` after `# Exit codes:`. */
function documentedExitCodes(text: string): number[] {
  const table = text.slice(text.indexOf('# Exit codes:'));
  const codes: number[] = [];
  for (const line of table.split('\r\n').slice(1)) {
    const row = /^#\s+(\d+)\s{2}\S/.exec(line);
    if (row) codes.push(Number(row[1]));
    else if (!/^#\s{6,}\S/.test(line)) break; // a continuation line is indented further
  }
  return codes;
}

describe('installer and audit text', () => {
  for (const script of scripts) {
    const name = shortFresh(script);
    it(`${name}: declares PowerShell 2.0, never uses /reg:64, documents every exit code it uses`, () => {
      const text = readFileSync(script, 'utf8');
      expect(text).toMatch(/^#Requires -Version 2\.0\r$/m);
      expect(text).not.toMatch(/\/reg:64/i);
      const documented = documentedExitCodes(text);
      expect(documented).toContain(0);
      expect(documented).toContain(10); // the trap
      const used = new Set([...text.matchAll(/\b(?:exit|return) (\d+)\b/g)].map((m) => Number(m[1])));
      for (const code of used) expect(documented, `exit ${code}`).toContain(code);
      if (/[\\/]Install-[^\\/]+$/.test(script)) expect(documented.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3010]);
      else expect(documented.sort((a, b) => a - b)).toEqual([0, 1, 2, 6, 10]);
    });
  }
});

// pwsh runs in beforeAll (never at collection); each file's result is its own test.
describeConsumer(`PowerShell ${PWSH_VERSION} parser on the installer and audit`, pwshPath() !== null, () => {
  let report: { files: { path: string; errors: unknown[]; ps7Only: string[] }[] } = { files: [] };
  let version = '';
  beforeAll(() => {
    version = execFileSync(pwshPath()!, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
      encoding: 'utf8',
      env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
    }).trim();
    report = JSON.parse(runPwshScript(join(REPO, 'test/powershell/inspect-dsc.ps1'), scripts)) as typeof report;
  }, 120_000);
  it(`runs in PowerShell ${PWSH_VERSION}, the version this block is named after`, () => {
    expect(version).toBe(PWSH_VERSION);
  });
  for (const script of scripts) {
    it(shortFresh(script), () => {
      const file = report.files.find((f) => f.path === script);
      expect(file, 'inspect-dsc.ps1 reported on it').toBeDefined();
      expect(file!.errors).toEqual([]);
      expect(file!.ps7Only).toEqual([]);
      const bytes = readFileSync(script);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).not.toMatch(/[^\r]\n|[ \t]\r\n/);
    });
  }
});
