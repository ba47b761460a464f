/**
 * Static checks of the generated installer and audit: the SHA-256 the installer embeds for every
 * target equals sha256sum of the .reg file it will import (a regenerated .reg with a stale
 * installer is caught), and the real PowerShell parses both scripts with no error and no
 * construct Windows PowerShell 5.1 lacks.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConsumer } from './consumers/consumer-policy.js';
import { REPO, generatedProfileFolders } from './support/golden.js';
import { pwshPath, runPwshScript } from './support/powershell.js';

const folders = generatedProfileFolders('scripts');
const scripts = folders.flatMap((f) => readdirSync(join(f, 'scripts')).map((n) => join(f, 'scripts', n)));

describe('installer hashes', () => {
  for (const folder of folders) {
    it(`${folder.slice(REPO.length + 1)}: every embedded SHA-256 equals the .reg file's`, () => {
      const installer = readFileSync(join(folder, 'scripts', readdirSync(join(folder, 'scripts')).find((n) => n.startsWith('Install-'))!), 'utf8');
      const embedded = [...installer.matchAll(/(ApplyFile|RollbackFile)\s+= '([^']+)'\r\n\s+(?:Apply|Rollback)Sha256\s+= '([0-9A-F]{64})'/g)];
      const regFiles = readdirSync(join(folder, 'reg'));
      expect(embedded.map((m) => m[2]).sort()).toEqual(regFiles.sort());
      for (const [, , file, hash] of embedded) {
        expect(hash, file).toBe(createHash('sha256').update(readFileSync(join(folder, 'reg', file!))).digest('hex').toUpperCase());
      }
    });
  }
});

describeConsumer('PowerShell 7.6.9 parser on the installer and audit', pwshPath() !== null, () => {
  const report = pwshPath()
    ? (JSON.parse(runPwshScript(join(REPO, 'test/powershell/inspect-dsc.ps1'), scripts)) as { files: { path: string; errors: unknown[]; ps7Only: string[] }[] })
    : { files: [] };
  for (const file of report.files) {
    it(file.path.slice(REPO.length + 1), () => {
      expect(file.errors).toEqual([]);
      expect(file.ps7Only).toEqual([]);
      const bytes = readFileSync(file.path);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).not.toMatch(/[^\r]\n|[ \t]\r\n/);
    });
  }
});
