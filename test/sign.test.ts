/**
 * tlsgen sign, checked by osslsigncode itself: a throwaway code-signing certificate (openssl),
 * `tlsgen sign` over freshly built output folders, then `osslsigncode verify -CAfile` must accept
 * every script, each signed script must be its whole unsigned self followed by one signature block,
 * SHA256SUMS must verify with sha256sum, and the key must appear in no output and no output file.
 *
 * sign touches only what the output folder's manifest (.tlsgen/manifest.json) lists: it signs the
 * listed scripts of the listed profile folders and rewrites their SHA256SUMS, refuses a folder the
 * manifest does not list, refuses any listed path that is not a regular file reached without a
 * link (before anything is signed), compares real paths when refusing a key inside the output
 * folder, and holds the folder's lock. Reproductions: attack review defects 2, 3, 4, 16 and 28.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOutput } from '../src/sign/sign.js';
import { describeConsumer, findOnPath } from './consumers/consumer-policy.js';
import { tlsgen } from './support/cli.js';
import { GOLDEN, definitionsForCase } from './support/golden.js';
import { MARKER_LIKE_LINE, OSSLSIGNCODE_MARKER_LINE, hostileMarkerDefinitions, physicalLines } from './support/signature-marker.js';

function osslsigncodeCanSignScripts(): boolean {
  if (!findOnPath('osslsigncode') || !findOnPath('openssl') || !findOnPath('sha256sum')) return false;
  const version = /osslsigncode (\d+)\.(\d+)/.exec(spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return version !== null && (Number(version[1]) > 2 || (Number(version[1]) === 2 && Number(version[2]) >= 8));
}

const work = mkdtempSync(join(tmpdir(), 'tlsgen-sign-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BLOCK = /\r\n# SIG # Begin signature block\r\n(# [A-Za-z0-9+/=]+\r\n)+# SIG # End signature block\r\n$/;
const SCRIPT = /\.(ps1|psd1)$/;

function makeKeyPair(name: string): { cert: string; key: string } {
  const cert = join(work, `${name}-cert.pem`);
  const key = join(work, `${name}-key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-sha256',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-nodes',
      '-subj',
      `/CN=tlsgen test code signing ${name}`,
      '-addext',
      'extendedKeyUsage=codeSigning',
      '-addext',
      'keyUsage=critical,digitalSignature',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function manifestOf(root: string): Record<string, string[]> {
  return (JSON.parse(readFileSync(join(root, '.tlsgen/manifest.json'), 'utf8')) as { profiles: Record<string, string[]> }).profiles;
}

function listedScripts(root: string, only?: string): string[] {
  return Object.entries(manifestOf(root))
    .filter(([id]) => only === undefined || id === only)
    .flatMap(([id, files]) => files.filter((f) => SCRIPT.test(f)).map((f) => `${id}/${f}`));
}

/** Every entry below dir, without following links or opening special files: path → what it is. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const stats = lstatSync(join(dir, path));
      if (stats.isSymbolicLink()) entries.set(path, `link to ${readlinkSync(join(dir, path))}`);
      else if (stats.isDirectory()) {
        entries.set(path, 'folder');
        walk(path);
      } else if (stats.isFile())
        entries.set(
          path,
          createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex'),
        );
      else entries.set(path, 'special');
    }
  };
  walk('');
  return entries;
}

function verify(cert: string, path: string): ReturnType<typeof spawnSync> {
  return spawnSync('osslsigncode', ['verify', '-CAfile', cert, '-in', path], { encoding: 'utf8' });
}

function sha256sumCheck(folder: string): { status: number | null; output: string } {
  const check = spawnSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
  return { status: check.status, output: `${check.stdout}${check.stderr}` };
}

describeConsumer('osslsigncode >= 2.8 (sign and verify)', osslsigncodeCanSignScripts(), () => {
  let cert = '';
  let key = '';
  /** A built output folder with two profiles (every-type, test): copied, never signed itself. */
  const built = join(work, 'built');
  const hostile = join(work, 'hostile');
  let copies = 0;

  beforeAll(async () => {
    ({ cert, key } = makeKeyPair('main'));
    const build = await tlsgen('build', '--definitions', definitionsForCase(join(GOLDEN, 'every-value-type')), '--out', built);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const hostileBuild = await tlsgen('build', '--definitions', hostileMarkerDefinitions(), '--out', hostile);
    expect(hostileBuild.stderr).toBe('');
    expect(hostileBuild.code).toBe(0);
  });

  /** A fresh copy of a built output folder. */
  function copyOf(source = built): string {
    const out = join(work, `out-${++copies}`);
    cpSync(source, out, { recursive: true });
    return out;
  }

  async function sign(out: string, ...extra: string[]) {
    return tlsgen('sign', '--cert', cert, '--key', key, '--out', out, ...extra);
  }

  describe('an output folder', () => {
    let out = '';
    let before = new Map<string, Buffer>();
    let result: Awaited<ReturnType<typeof tlsgen>>;

    beforeAll(async () => {
      out = copyOf();
      before = new Map(listedScripts(out).map((p) => [p, readFileSync(join(out, p))]));
      result = await sign(out);
    });

    it('signs every .ps1 and .psd1 its manifest lists, in every profile it lists', () => {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(before.size).toBe(14);
      expect(result.stdout).toContain(`${before.size} script(s) signed (SHA-256, osslsigncode `);
      expect(result.stdout).toContain('rewrote every-type/SHA256SUMS, test/SHA256SUMS');
    });

    it('osslsigncode verify accepts every signed script; each is its whole unsigned self followed by the standard block', () => {
      for (const [path, unsigned] of before) {
        const result = verify(cert, join(out, path));
        expect(result.stdout, path).toContain('Signature verification: ok');
        expect(result.status, path).toBe(0);
        const signed = readFileSync(join(out, path));
        expect(signed.subarray(0, unsigned.length).equals(unsigned), path).toBe(true);
        expect(signed.subarray(unsigned.length).toString('latin1'), path).toMatch(new RegExp(`^${BLOCK.source}`));
      }
    });

    it('a byte changed after signing fails verification', () => {
      const script = join(out, 'every-type/scripts/Install-EveryType.ps1');
      const tampered = join(work, 'tampered.ps1');
      writeFileSync(tampered, readFileSync(script, 'utf8').replace('exit 3', 'exit 0'));
      expect(readFileSync(tampered)).not.toEqual(readFileSync(script));
      const result = verify(cert, tampered);
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(/MISMATCH|failed/);
    });

    it('rewrites each SHA256SUMS so sha256sum --strict -c verifies the signed files', () => {
      for (const id of ['every-type', 'test']) expect(sha256sumCheck(join(out, id)).status, id).toBe(0);
    });

    it('signing again replaces the signature instead of adding a second one', async () => {
      expect((await sign(out)).code).toBe(0);
      for (const [path, unsigned] of before) {
        const signed = readFileSync(join(out, path));
        expect(signed.toString('latin1').split(OSSLSIGNCODE_MARKER_LINE), path).toHaveLength(2);
        expect(signed.subarray(0, unsigned.length).equals(unsigned), path).toBe(true);
        expect(verify(cert, join(out, path)).status, path).toBe(0);
      }
      expect(sha256sumCheck(join(out, 'every-type')).status).toBe(0);
    });

    it('never prints the key or puts it in the output folder; leaves no lock or staging folder', () => {
      const keyText = readFileSync(key, 'utf8').split('\n')[1]!;
      expect(result.stdout + result.stderr).not.toContain(key);
      for (const [path] of snapshot(out)) {
        if (lstatSync(join(out, path)).isFile()) expect(readFileSync(join(out, path)).toString('latin1'), path).not.toContain(keyText);
      }
      expect(readdirSync(join(out, '.tlsgen'))).toEqual(['manifest.json']);
      expect([...snapshot(out).keys()].filter((p) => /\.tmp-|tlsgen-(un)?signed/.test(p))).toEqual([]);
    });
  });

  describe('the signature marker in definitions (defect 2)', () => {
    it('no line of the unsigned scripts reads like a marker', () => {
      const scripts = listedScripts(hostile);
      expect(scripts).toHaveLength(7);
      for (const path of scripts) {
        const text = readFileSync(join(hostile, path), 'utf8');
        expect(text, path).toContain('SIG # Begin signature block');
        for (const line of physicalLines(readFileSync(join(hostile, path)))) expect(line, path).not.toMatch(MARKER_LIKE_LINE);
      }
    });

    it('a hostile definition signs to full-length files that osslsigncode verifies, twice', async () => {
      const out = copyOf(hostile);
      const unsigned = new Map(listedScripts(out).map((p) => [p, readFileSync(join(out, p))]));
      for (let round = 1; round <= 2; round++) {
        const result = await sign(out);
        expect(result.stderr, `round ${round}`).toBe('');
        expect(result.code, `round ${round}`).toBe(0);
        for (const [path, bytes] of unsigned) {
          const signed = readFileSync(join(out, path));
          // Whole: the 300-line DSC configuration is not cut at a marker-like line.
          expect(signed.subarray(0, bytes.length).equals(bytes), path).toBe(true);
          expect(signed.subarray(bytes.length).toString('latin1'), path).toMatch(new RegExp(`^${BLOCK.source}`));
          expect(physicalLines(signed).length, path).toBeGreaterThan(physicalLines(bytes).length);
          expect(verify(cert, join(out, path)).status, path).toBe(0);
        }
        expect(sha256sumCheck(join(out, 'every-type')).status).toBe(0);
      }
      expect(physicalLines(unsigned.get('every-type/dsc/EveryType.ps1')!).length).toBeGreaterThan(300);
    });

    it('a script whose text has a marker line before its end (built by an older tlsgen) is refused, and nothing is signed', async () => {
      const out = copyOf();
      const path = join(out, 'test/dsc/Test.ps1');
      const lines = readFileSync(path, 'latin1').split('\r\n');
      lines.splice(5, 0, OSSLSIGNCODE_MARKER_LINE);
      writeFileSync(path, lines.join('\r\n'), 'latin1');
      const before = snapshot(out);
      const result = await sign(out);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('test/dsc/Test.ps1 line 6 reads like an Authenticode signature marker');
      expect(snapshot(out)).toEqual(before);
    });
  });

  describe('only what tlsgen generated (defects 3 and 4)', () => {
    it('leaves folders and files tlsgen did not generate as they were', async () => {
      const out = copyOf();
      mkdirSync(join(out, 'vendor'));
      writeFileSync(join(out, 'vendor/tool.bin'), 'data\n');
      execFileSync('sh', ['-c', 'sha256sum -b tool.bin > SHA256SUMS'], { cwd: join(out, 'vendor') });
      mkdirSync(join(out, 'other'));
      writeFileSync(join(out, 'other/a.ps1'), 'Write-Host 1\r\n');
      writeFileSync(join(out, 'other/SHA256SUMS'), `${'0'.repeat(64)}  a.ps1\n`);
      cpSync(join(out, 'every-type'), join(out, 'every-type.bak'), { recursive: true });
      writeFileSync(join(out, 'every-type/notes.ps1'), 'Write-Host notes\r\n');
      writeFileSync(join(out, 'every-type/dsc/Mine.psd1'), '@{}\r\n');
      const before = snapshot(out);
      const result = await sign(out);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('rewrote every-type/SHA256SUMS, test/SHA256SUMS\n');
      const after = snapshot(out);
      const changed = [...before]
        .filter(([path, what]) => after.get(path) !== what)
        .map(([path]) => path)
        .sort();
      // The build's record goes too: the folder is no longer what the build left (test/up-to-date.test.ts).
      expect(changed).toEqual([...listedScripts(out), '.tlsgen/build-record.json', 'every-type/SHA256SUMS', 'test/SHA256SUMS'].sort());
      expect(readFileSync(join(out, 'vendor/SHA256SUMS'), 'utf8')).toMatch(/^[0-9a-f]{64} \*tool\.bin\n$/);
      expect(readFileSync(join(out, 'every-type/SHA256SUMS'), 'utf8')).not.toMatch(/notes|Mine/);
      expect(sha256sumCheck(join(out, 'every-type')).status).toBe(0);
    });

    it('--out one profile folder signs its scripts and leaves its SHA256SUMS correct', async () => {
      const out = copyOf();
      const before = snapshot(out);
      const result = await sign(join(out, 'every-type'));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('7 script(s) signed');
      expect(result.stdout).toContain('rewrote every-type/SHA256SUMS\n');
      const check = sha256sumCheck(join(out, 'every-type'));
      expect(check.status, check.output).toBe(0);
      for (const path of listedScripts(out, 'every-type')) expect(verify(cert, join(out, path)).status, path).toBe(0);
      const after = snapshot(out);
      expect([...before].filter(([path, what]) => path.startsWith('test/') && after.get(path) !== what)).toEqual([]);
    });

    it.each([
      [
        'a copy of a profile folder outside its output folder',
        (out: string) => {
          cpSync(join(out, 'every-type'), join(out, '..', `${out.split('/').pop()}-copy`), { recursive: true });
          return join(out, '..', `${out.split('/').pop()}-copy`);
        },
      ],
      ['a subfolder of a profile folder', (out: string) => join(out, 'every-type/dsc')],
      [
        'a folder of the output folder that tlsgen did not generate',
        (out: string) => {
          cpSync(join(out, 'every-type'), join(out, 'every-type.bak'), { recursive: true });
          return join(out, 'every-type.bak');
        },
      ],
    ])('refuses %s', async (_, make) => {
      const out = copyOf();
      const target = make(out);
      const before = snapshot(target);
      const result = await sign(target);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${target} is not a folder tlsgen generated: no ${dirname(target)}/.tlsgen/manifest.json lists it; build into a folder, then sign that folder`,
      );
      expect(snapshot(target)).toEqual(before);
    });

    it('refuses an --out that does not exist or is empty', async () => {
      const missing = await sign(join(work, 'no-such-folder'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not exist');
      const empty = await sign('');
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('--out must name a folder');
    });
  });

  describe('only regular files inside the profile folder (defect 28)', () => {
    // The problem is put in the profile signed last ("test"), so signing the first one first would show.
    it.each([
      [
        'a listed .reg replaced by a link to another file inside --out',
        'test/reg/win10.reg',
        (p: string) => {
          rmSync(p);
          symlinkSync(join(dirname(p), 'ws2022.reg'), p);
        },
      ],
      [
        'a listed script replaced by a link to a file inside --out',
        'test/scripts/Test-Test.ps1',
        (p: string) => {
          rmSync(p);
          symlinkSync(join(dirname(p), 'Install-Test.ps1'), p);
        },
      ],
      [
        'a listed file replaced by a link to a file outside --out',
        'test/README.md',
        (p: string) => {
          writeFileSync(join(work, 'secret.txt'), 'secret\n');
          rmSync(p);
          symlinkSync(join(work, 'secret.txt'), p);
        },
      ],
      [
        'a listed file replaced by a named pipe',
        'test/gpp/Registry.xml',
        (p: string) => {
          rmSync(p);
          execFileSync('mkfifo', [p]);
        },
      ],
      [
        'a listed file replaced by a folder',
        'test/reg/ws2022.reg',
        (p: string) => {
          rmSync(p);
          mkdirSync(p);
        },
      ],
      ['a listed script missing', 'test/dsc/ConfigurationData.psd1', (p: string) => rmSync(p)],
      ['SHA256SUMS missing', 'test/SHA256SUMS', (p: string) => rmSync(p)],
      [
        'a listed folder replaced by a link',
        'test/dsc',
        (p: string) => {
          cpSync(p, `${p}-real`, { recursive: true });
          rmSync(p, { recursive: true });
          symlinkSync(`${p}-real`, p);
        },
      ],
    ])('refuses %s before anything is signed', async (_, rel, spoil) => {
      const out = copyOf();
      spoil(join(out, rel));
      const before = snapshot(out);
      const result = await sign(out);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('nothing was signed');
      expect(result.stderr).toContain(`${rel}`);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(snapshot(out)).toEqual(before);
      expect(readFileSync(join(out, 'every-type/SHA256SUMS'), 'utf8')).not.toContain(createHash('sha256').update('secret\n').digest('hex'));
    });
  });

  describe('the key is never inside the output folder, compared by real paths (defect 16)', () => {
    function withKeyInside(): { out: string; inside: string } {
      const out = copyOf();
      const inside = join(out, 'every-type/key.pem');
      cpSync(key, inside);
      return { out, inside };
    }

    it.each([
      ['the key inside --out', (out: string, inside: string) => ({ keyPath: inside, outPath: out })],
      [
        'a link to a key inside --out',
        (out: string, inside: string) => {
          const link = join(work, `klink-${copies}.pem`);
          symlinkSync(inside, link);
          return { keyPath: link, outPath: out };
        },
      ],
      [
        'a key reached through a link to --out',
        (out: string) => {
          const link = join(work, `olink-${copies}`);
          symlinkSync(out, link);
          return { keyPath: join(link, 'every-type/key.pem'), outPath: out };
        },
      ],
      [
        '--out given as a link to the output folder',
        (out: string, inside: string) => {
          const link = join(work, `olink2-${copies}`);
          symlinkSync(out, link);
          return { keyPath: inside, outPath: link };
        },
      ],
      [
        '--out one profile folder, the key in another profile of the same output folder',
        (out: string) => {
          cpSync(key, join(out, 'test/key.pem'));
          return { keyPath: join(out, 'test/key.pem'), outPath: join(out, 'every-type') };
        },
      ],
    ])('refuses %s', async (_, arrange) => {
      const { out, inside } = withKeyInside();
      const { keyPath, outPath } = arrange(out, inside);
      const before = snapshot(out);
      const result = await tlsgen('sign', '--cert', cert, '--key', keyPath, '--out', outPath);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('refusing to sign with a key file inside the output folder');
      expect(snapshot(out)).toEqual(before);
    });

    it('refuses a certificate inside --out the same way', async () => {
      const out = copyOf();
      cpSync(cert, join(out, 'cert.pem'));
      const result = await tlsgen('sign', '--cert', join(out, 'cert.pem'), '--key', key, '--out', out);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('refusing to sign with a certificate file inside the output folder');
    });
  });

  describe('all or nothing, one at a time', () => {
    it('a key that does not match the certificate fails, and no file changed', async () => {
      const out = copyOf();
      const other = makeKeyPair('other');
      const before = snapshot(out);
      const result = await tlsgen('sign', '--cert', cert, '--key', other.key, '--out', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('nothing was changed');
      expect(snapshot(out)).toEqual(before);
    });

    it('waits for the lock a build holds, and gives up with who holds it', () => {
      const out = copyOf();
      const lock = join(out, '.tlsgen/lock');
      writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }) + '\n');
      const before = snapshot(out);
      const waited: string[] = [];
      expect(() => signOutput({ outDir: out, cert, key, lockWaitMs: 300, onWait: (who) => waited.push(who) })).toThrow(/another tlsgen build \(pid \d+/);
      expect(waited).toHaveLength(1);
      expect(snapshot(out)).toEqual(before);
      rmSync(lock);
      expect(signOutput({ outDir: out, cert, key }).signed).toHaveLength(14);
      expect(existsSync(lock)).toBe(false);
    });

    it('refuses a folder a killed build left half-switched, and removes a staging folder a killed sign left', async () => {
      const out = copyOf();
      mkdirSync(join(out, '.tlsgen/stage-sign-left'));
      writeFileSync(join(out, '.tlsgen/stage-sign-left/0-unsigned.ps1'), 'x');
      writeFileSync(join(out, '.tlsgen/journal-test.json'), '{}\n');
      const refused = await sign(out);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('was interrupted');
      rmSync(join(out, '.tlsgen/journal-test.json'));
      expect((await sign(out)).code).toBe(0);
      expect(readdirSync(join(out, '.tlsgen'))).toEqual(['manifest.json']);
    });
  });
});

describe('the osslsigncode seam', () => {
  const fake = (name: string, script: string): string => {
    const path = join(work, name);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const options = { outDir: join(work, 'none'), cert: 'c', key: 'k' };

  it('explains how to get osslsigncode when it is missing', () => {
    expect(() => signOutput({ ...options, osslsigncode: join(work, 'no-such-osslsigncode') })).toThrow(/osslsigncode is not installed\. .*bookworm-backports/);
  });

  it('explains how to get a newer one when it is too old to sign scripts', () => {
    const old = fake('osslsigncode-2.5', 'echo "osslsigncode 2.5, using:"; echo "	OpenSSL 3.0.11"');
    expect(() => signOutput({ ...options, osslsigncode: old })).toThrow(
      /osslsigncode 2\.5 cannot sign PowerShell scripts \(2\.8 or later needed\)\. .*bookworm-backports/,
    );
  });

  it('says when it cannot read the version', () => {
    const odd = fake('osslsigncode-odd', 'echo "something else"');
    expect(() => signOutput({ ...options, osslsigncode: odd })).toThrow(/could not read the osslsigncode version\. .*bookworm-backports/);
  });

  it('accepts 2.8 and later (then looks at the files)', () => {
    const recent = fake('osslsigncode-2.8', 'echo "osslsigncode 2.8, using:"');
    expect(() => signOutput({ ...options, osslsigncode: recent })).toThrow(/certificate file not found/);
  });
});

it('the CLI explains what is missing without a stack trace', async () => {
  const result = await tlsgen('sign', '--cert', 'c', '--key', 'k', '--out', join(work, 'none'));
  if (osslsigncodeCanSignScripts()) expect(result.stderr).toMatch(/certificate file not found/);
  else expect(result.stderr).toMatch(/bookworm-backports/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code).not.toBe(0);
});
