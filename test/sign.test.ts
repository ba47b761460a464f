/**
 * tlsgen sign, checked by osslsigncode itself: a throwaway code-signing certificate (openssl),
 * `tlsgen sign` over a copy of out/, then `osslsigncode verify -CAfile` must accept every script,
 * a byte changed after signing must fail verification, SHA256SUMS must still verify, and the key
 * must appear in no output and no output file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeConsumer, findOnPath } from './consumers/consumer-policy.js';
import { tlsgen } from './support/cli.js';
import { REPO, readTree } from './support/golden.js';

function osslsigncodeCanSignScripts(): boolean {
  if (!findOnPath('osslsigncode') || !findOnPath('openssl')) return false;
  const version = /osslsigncode (\d+)\.(\d+)/.exec(spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return version !== null && (Number(version[1]) > 2 || (Number(version[1]) === 2 && Number(version[2]) >= 8));
}

const work = mkdtempSync(join(tmpdir(), 'tlsgen-sign-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeConsumer('osslsigncode >= 2.8 (sign and verify)', osslsigncodeCanSignScripts(), () => {
  const cert = join(work, 'cert.pem');
  const key = join(work, 'key.pem');
  const out = join(work, 'out');
  let result: Awaited<ReturnType<typeof tlsgen>>;

  it('signs every .ps1 and .psd1 of a built output folder', async () => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-keyout', key, '-out', cert, '-days', '30', '-nodes',
      '-subj', '/CN=tlsgen test code signing', '-addext', 'extendedKeyUsage=codeSigning',
      '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'basicConstraints=critical,CA:FALSE',
    ], { stdio: 'ignore' });
    cpSync(join(REPO, 'out'), out, { recursive: true });
    result = await tlsgen('sign', '--cert', cert, '--key', key, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/5 script\(s\) signed \(SHA-256, osslsigncode \d+\.\d+\)/);
  });

  it('osslsigncode verify accepts every signed script; the block is the standard one', () => {
    const scripts = [...readTree(out).keys()].filter((p) => /\.(ps1|psd1)$/.test(p));
    expect(scripts).toHaveLength(5);
    for (const path of scripts) {
      const verify = spawnSync('osslsigncode', ['verify', '-CAfile', cert, '-in', join(out, path)], { encoding: 'utf8' });
      expect(verify.stdout, path).toContain('Signature verification: ok');
      expect(verify.status, path).toBe(0);
      const text = readFileSync(join(out, path), 'utf8');
      expect(text, path).toMatch(/\r\n# SIG # Begin signature block\r\n(# [A-Za-z0-9+/=]+\r\n)+# SIG # End signature block\r\n$/);
    }
  });

  it('a byte changed after signing fails verification', () => {
    const script = join(out, 'azure-backup-tls12/scripts/Install-AzureBackupTls12.ps1');
    const tampered = join(work, 'tampered.ps1');
    writeFileSync(tampered, readFileSync(script, 'utf8').replace("exit 3", "exit 0"));
    const verify = spawnSync('osslsigncode', ['verify', '-CAfile', cert, '-in', tampered], { encoding: 'utf8' });
    expect(verify.status).not.toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/MISMATCH|failed/);
  });

  it('rewrites SHA256SUMS so it verifies the signed files', () => {
    const check = spawnSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: join(out, 'azure-backup-tls12'), encoding: 'utf8' });
    expect(check.status).toBe(0);
  });

  it('signing again replaces the signature instead of adding a second one', async () => {
    expect((await tlsgen('sign', '--cert', cert, '--key', key, '--out', out)).code).toBe(0);
    const text = readFileSync(join(out, 'azure-backup-tls12/dsc/ConfigurationData.psd1'), 'utf8');
    expect(text.split('# SIG # Begin signature block')).toHaveLength(2);
  });

  it('never prints the key or puts it in the output folder, and refuses a key inside it', async () => {
    const keyText = readFileSync(key, 'utf8').split('\n')[1]!;
    expect(result.stdout + result.stderr).not.toContain(key);
    for (const [, bytes] of readTree(out)) expect(bytes.toString('latin1')).not.toContain(keyText);
    cpSync(key, join(out, 'key.pem'));
    const refused = await tlsgen('sign', '--cert', cert, '--key', join(out, 'key.pem'), '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to sign with a key file inside the output folder');
    rmSync(join(out, 'key.pem'));
  });
});

it('explains how to get osslsigncode when it is missing or too old', async () => {
  const result = await tlsgen('sign', '--cert', 'c', '--key', 'k', '--out', join(work, 'none'));
  if (osslsigncodeCanSignScripts()) expect(result.stderr).toMatch(/not found|no \.ps1/);
  else expect(result.stderr).toMatch(/bookworm-backports/);
  expect(result.code).not.toBe(0);
});
