/**
 * BackgroundFlushes (src/emit/files.ts): staged files are written at once and flushed on the thread pool
 * while the build renders on; whoever renames them into place first waits for settle(0).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics.js';
import { BackgroundFlushes } from '../../src/emit/files.js';

const work = mkdtempSync(join(tmpdir(), 'tlsgen-flush-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Open descriptors of this process (Linux). */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('BackgroundFlushes', () => {
  it('writes every file whole, and after settle(0) none is outstanding and no descriptor is left open', async () => {
    const folder = mkdtempSync(join(work, 'many-'));
    const before = openDescriptors();
    const flushes = new BackgroundFlushes();
    for (let i = 0; i < 300; i++) flushes.write(join(folder, `f${i}`), Buffer.from(`file ${i}\n`.repeat(i + 1)));
    // Written at once: the content is there before any flush has finished.
    expect(readFileSync(join(folder, 'f7'), 'utf8')).toBe('file 7\n'.repeat(8));
    await flushes.settle(0);
    expect(flushes.outstanding).toBe(0);
    expect(openDescriptors()).toBe(before);
    for (let i = 0; i < 300; i += 37) expect(readFileSync(join(folder, `f${i}`), 'utf8')).toBe(`file ${i}\n`.repeat(i + 1));
  });

  it('settle(limit) returns with at most limit flushes outstanding', async () => {
    const folder = mkdtempSync(join(work, 'bounded-'));
    const flushes = new BackgroundFlushes();
    for (let i = 0; i < 200; i++) flushes.write(join(folder, `f${i}`), Buffer.alloc(4096, 1));
    await flushes.settle(16);
    expect(flushes.outstanding).toBeLessThanOrEqual(16);
    await flushes.settle(0);
  });

  it('a file that cannot be created is a one-line error naming it, thrown by write; nothing stays open', async () => {
    const before = openDescriptors();
    const flushes = new BackgroundFlushes();
    const folder = mkdtempSync(join(work, 'exists-'));
    writeFileSync(join(folder, 'a-file'), '');
    const underAFile = join(folder, 'a-file', 'f');
    expect(() => flushes.write(underAFile, Buffer.from('x'))).toThrow(UserError);
    expect(() => flushes.write(underAFile, Buffer.from('x'))).toThrow(`cannot write ${underAFile}: a file is where a folder is expected`);
    flushes.write(join(folder, 'f'), Buffer.from('x'));
    // The file exists now: a second write of it is refused (wx), never a truncation.
    expect(() => flushes.write(join(folder, 'f'), Buffer.from('y'))).toThrow(UserError);
    await flushes.settle(0);
    expect(readFileSync(join(folder, 'f'), 'utf8')).toBe('x');
    expect(openDescriptors()).toBe(before);
  });
});
