/**
 * Many .reg files through Wine's reg.exe at once: each case writes below its own key
 * (ROOT_KEY\c<case>\…), so one `wine cmd /c` batch imports every apply file and one `reg export`
 * of ROOT_KEY reads everything back; then the same for the rollback files.
 *
 * Values are compared with what the definitions say (key, name, type, bytes), never with a
 * reading of the generated file. Wine's export is read by readWineExport below, a reader of just
 * what Wine's reg export writes (test/support/reg-reader.ts stops at key names holding U+2028).
 * Uses the shared prefix of test/consumers/wine.ts (same lock protocol: ${prefix}.lock with a pid).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { winePrefix } from '../consumers/wine.js';
import { ROOT_KEY, type Expected } from './definitions.js';

export interface WineCase {
  id: number;
  applyFiles: string[];
  rollbackFiles: string[];
  expected: Expected[];
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: winePrefix(), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  delete e['DISPLAY'];
  delete e['WAYLAND_DISPLAY'];
  return e;
}

async function run(args: string[], log: string): Promise<{ code: number | null; output: string }> {
  for (let attempt = 1; ; attempt++) {
    const fd = openSync(log, 'w');
    let code: number | null;
    try {
      code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(args[0]!, args.slice(1), { env: env(), stdio: ['ignore', fd, fd] });
        child.on('error', reject);
        child.on('exit', (c) => resolve(c));
      });
    } finally {
      closeSync(fd);
    }
    const output = readFileSync(log, 'utf8').trim();
    const launcherFailure = code !== 0 && (output === '' || /Application could not be started|ShellExecuteEx failed/.test(output));
    if (!launcherFailure || attempt === 3) return { code, output };
    await sleep(250 * attempt);
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = `${winePrefix()}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let stale = false;
    try {
      const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      if (pid > 0) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          stale = (e as NodeJS.ErrnoException).code === 'ESRCH';
        }
      }
    } catch {
      try {
        stale = Date.now() - statSync(lock).mtimeMs > 60_000;
      } catch {
        /* gone */
      }
    }
    if (stale) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the Wine prefix lock ${lock}`);
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const dos = (p: string) => 'Z:' + p.replaceAll('/', '\\');

/** A .reg the test writes itself: the values the definitions delete, so that their deletion is observable. */
function seedFile(path: string, cases: WineCase[]): void {
  const byKey = new Map<string, Set<string>>();
  for (const c of cases) for (const e of c.expected) if (e.action === 'delete') byKey.set(e.key, (byKey.get(e.key) ?? new Set()).add(e.name));
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const [key, names] of byKey) {
    lines.push(`[${key}]`);
    for (const n of names) lines.push(`${n === '' ? '@' : `"${n.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`}=dword:0000002a`);
    lines.push('');
  }
  writeFileSync(path, Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf16le'));
}

interface Actual {
  type: number;
  hex: string;
}

async function exportRoot(work: string, label: string, problems: string[]): Promise<Map<string, Actual>> {
  const out = join(work, `${label}.reg`);
  const res = await run(['wine', 'reg', 'export', ROOT_KEY, dos(out), '/y'], join(work, `${label}-export.log`));
  const values = new Map<string, Actual>();
  if (res.code !== 0) {
    if (!/unable to find/i.test(res.output)) problems.push(`reg export failed (exit ${res.code}): ${res.output}`);
    return values;
  }
  try {
    for (const e of readWineExport(readFileSync(out))) values.set(JSON.stringify([e.key, e.name]), { type: e.type, hex: e.hex });
  } catch (err) {
    problems.push(`could not read Wine's export (${label}): ${(err as Error).message}`);
  }
  return values;
}

/** Imports files in one cmd.exe session; returns per file what reg.exe printed and its exit code. */
async function importAll(work: string, label: string, files: string[]): Promise<Map<string, string>> {
  const bat = join(work, `${label}.bat`);
  const lines = ['@echo off'];
  files.forEach((f, i) => lines.push(`echo ==tlsgen-file ${i}==`, `reg import ${dos(f)}`, 'echo ==tlsgen-rc %errorlevel%=='));
  writeFileSync(bat, lines.join('\r\n') + '\r\n');
  const res = await run(['wine', 'cmd', '/c', dos(bat)], join(work, `${label}.log`));
  const outcome = new Map<string, string>();
  const parts = res.output.split(/==tlsgen-file (\d+)==/);
  for (let i = 1; i < parts.length; i += 2) {
    const file = files[Number(parts[i])]!;
    const body = parts[i + 1]!.replace(/\r/g, '');
    const rc = /==tlsgen-rc (-?\d+)==/.exec(body);
    const printed = body.replace(/==tlsgen-rc -?\d+==/, '').trim();
    if (rc?.[1] !== '0' || printed !== '') outcome.set(file, `reg import exit ${rc?.[1] ?? '?'}${printed ? `: ${printed.slice(0, 300)}` : ''}`);
    else outcome.set(file, '');
  }
  for (const f of files) if (!outcome.has(f)) outcome.set(f, `reg import did not run (cmd exit ${res.code}: ${res.output.slice(-300)})`);
  return outcome;
}

export async function wineBatch(work: string, cases: WineCase[]): Promise<Map<number, string[]>> {
  mkdirSync(work, { recursive: true });
  const problems = new Map<number, string[]>(cases.map((c) => [c.id, []]));
  const owner = new Map<string, number>(); // "key" → case id (keys start with ROOT_KEY\c<id>\)
  const caseOf = (key: string) => Number(/\\c(\d+)\\/.exec(key.slice(ROOT_KEY.length))?.[1] ?? -1);
  const harness: string[] = [];

  await withLock(async () => {
    if (!existsSync(join(winePrefix(), 'system.reg'))) {
      const boot = await run(['wine', 'wineboot', '-i'], join(work, 'wineboot.log'));
      if (boot.code !== 0) throw new Error(`wineboot -i failed: ${boot.output}`);
    }
    await run(['wineserver', '-p20'], join(work, 'wineserver.log'));
    await run(['wine', 'reg', 'delete', ROOT_KEY, '/f'], join(work, 'clean.log'));

    // Seed the values the definitions delete, and make sure they are there.
    const seed = join(work, 'seed.reg');
    seedFile(seed, cases);
    const seeded = await importAll(work, 'seed', [seed]);
    if (seeded.get(seed)) harness.push(`seed import: ${seeded.get(seed)}`);
    const afterSeed = await exportRoot(work, 'after-seed', harness);
    for (const c of cases) {
      for (const e of c.expected) {
        if (e.action === 'delete' && !afterSeed.has(JSON.stringify([e.key, e.name]))) {
          problems.get(c.id)!.push(`harness: could not seed ${JSON.stringify(e.name)} in ${e.key}, so its deletion cannot be observed`);
        }
      }
    }

    // Apply: every value as the definition says, every deleted value gone, nothing else.
    const applied = await importAll(
      work,
      'apply',
      cases.flatMap((c) => c.applyFiles),
    );
    for (const c of cases) for (const f of c.applyFiles) if (applied.get(f)) problems.get(c.id)!.push(`${f.split('/').slice(-1)[0]}: ${applied.get(f)}`);
    const after = await exportRoot(work, 'after-apply', harness);
    for (const c of cases) {
      for (const e of c.expected) {
        const id = JSON.stringify([e.key, e.name]);
        owner.set(id, c.id);
        const got = after.get(id);
        if (e.action === 'delete') {
          if (got) problems.get(c.id)!.push(`value ${JSON.stringify(e.name)} in ${e.key} should have been deleted by the apply file, but Wine still has it`);
        } else if (!got)
          problems
            .get(c.id)!
            .push(`value ${JSON.stringify(e.name.slice(0, 200))} in ${e.key} is missing after import (expected type ${e.type}, data ${e.hex.slice(0, 80)})`);
        else if (got.type !== e.type || got.hex !== e.hex) {
          problems
            .get(c.id)!
            .push(
              `value ${JSON.stringify(e.name.slice(0, 200))} in ${e.key}: Wine stored type ${got.type} data ${got.hex.slice(0, 200)}, the definition says type ${e.type} data ${e.hex.slice(0, 200)}`,
            );
        }
      }
    }
    for (const [id, got] of after) {
      if (owner.has(id)) continue;
      const [key, name] = JSON.parse(id) as [string, string];
      const c = caseOf(key);
      (problems.get(c) ?? harness).push(`unexpected value ${JSON.stringify(name.slice(0, 200))} (type ${got.type}) in ${key} after import`);
    }

    // Rollback: every value the apply files set is gone.
    const rolled = await importAll(
      work,
      'rollback',
      cases.flatMap((c) => c.rollbackFiles),
    );
    for (const c of cases) for (const f of c.rollbackFiles) if (rolled.get(f)) problems.get(c.id)!.push(`${f.split('/').slice(-1)[0]}: ${rolled.get(f)}`);
    const afterRollback = await exportRoot(work, 'after-rollback', harness);
    for (const [id] of afterRollback) {
      const [key, name] = JSON.parse(id) as [string, string];
      const c = caseOf(key);
      (problems.get(c) ?? harness).push(`value ${JSON.stringify(name.slice(0, 200))} in ${key} is still there after importing the rollback files`);
    }
    await run(['wine', 'reg', 'delete', ROOT_KEY, '/f'], join(work, 'clean2.log'));
  });
  if (harness.length > 0) throw new Error(`Wine batch harness problems:\n${harness.slice(0, 20).join('\n')}`);
  return problems;
}

/**
 * Wine's `reg export` output (programs/reg/export.c): UTF-16LE with BOM, CRLF; `[key]` lines with the
 * key name as is; `@=` or `"name"=` with \\, \" (and \n, \r, \0) escaped in names and REG_SZ data;
 * REG_SZ as "text", REG_DWORD as dword:xxxxxxxx, everything else hex:/hex(N): bytes wrapped with ",\"
 * and continued on lines starting with two spaces.
 */
export function readWineExport(bytes: Buffer): { key: string; name: string; type: number; hex: string }[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xfe) throw new Error('no UTF-16LE BOM');
  const lines = bytes.subarray(2).toString('utf16le').split('\r\n');
  if (lines[0] !== 'Windows Registry Editor Version 5.00') throw new Error(`header ${JSON.stringify(lines[0])}`);
  const out: { key: string; name: string; type: number; hex: string }[] = [];
  let key: string | null = null;
  const unescapeQuoted = (text: string, start: number): [string, number] => {
    let s = '';
    for (let i = start; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') return [s, i + 1];
      if (c === '\\') {
        const n = text[++i];
        s += n === 'n' ? '\n' : n === 'r' ? '\r' : n === '0' ? '\0' : n === '\\' || n === '"' ? n : `\\${n}`;
        continue;
      }
      s += c;
    }
    throw new Error(`unterminated string in ${JSON.stringify(text.slice(0, 200))}`);
  };
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i]!;
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      key = line.slice(1, -1);
      continue;
    }
    if (key === null) throw new Error(`line ${i + 1} outside a key: ${JSON.stringify(line.slice(0, 200))}`);
    let name: string;
    let rest: string;
    if (line.startsWith('@=')) [name, rest] = ['', line.slice(2)];
    else if (line.startsWith('"')) {
      const [n, end] = unescapeQuoted(line, 1);
      if (line[end] !== '=') throw new Error(`line ${i + 1}: no "=" after the name`);
      [name, rest] = [n, line.slice(end + 1)];
    } else throw new Error(`line ${i + 1}: unexpected ${JSON.stringify(line.slice(0, 200))}`);
    if (rest.startsWith('"')) {
      const [data, end] = unescapeQuoted(rest, 1);
      if (end !== rest.length) throw new Error(`line ${i + 1}: text after the string`);
      out.push({ key, name, type: 1, hex: Buffer.from(data + '\0', 'utf16le').toString('hex') });
      continue;
    }
    const dword = /^dword:([0-9a-f]{8})$/.exec(rest);
    if (dword) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(parseInt(dword[1]!, 16));
      out.push({ key, name, type: 4, hex: b.toString('hex') });
      continue;
    }
    const hex = /^hex(?:\(([0-9a-f]+)\))?:(.*)$/.exec(rest);
    if (!hex) throw new Error(`line ${i + 1}: unknown data ${JSON.stringify(rest.slice(0, 100))}`);
    let body = hex[2]!;
    while (body.endsWith('\\')) {
      line = lines[++i] ?? '';
      if (!line.startsWith('  ')) throw new Error(`line ${i + 1}: continuation does not start with two spaces`);
      body = body.slice(0, -1) + line.trim();
    }
    const parts = body === '' ? [] : body.split(',');
    if (!parts.every((p) => /^[0-9a-f]{2}$/.test(p))) throw new Error(`line ${i + 1}: bad hex bytes`);
    out.push({ key, name, type: hex[1] === undefined ? 3 : parseInt(hex[1], 16), hex: parts.join('') });
  }
  return out;
}
