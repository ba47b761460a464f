#!/usr/bin/env node
/**
 * The floors scripts/bench.mjs compares tlsgen against: bare Node doing only the file-system work.
 *   node scripts/bench-floor.mjs write LAYOUT DIR   every file of LAYOUT (a JSON list of [relative path, size]),
 *                                                   with the same folders and sizes, written atomically as
 *                                                   tlsgen writes (a new temp file in the same folder, written,
 *                                                   fsync'd, closed, renamed into place);
 *   node scripts/bench-floor.mjs read LAYOUT DIR    every file of LAYOUT under DIR read whole and hashed (SHA-256).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [mode, layoutFile, dir] = process.argv.slice(2);
const layout = JSON.parse(readFileSync(layoutFile, 'utf8'));

if (mode === 'write') {
  const bytes = Buffer.alloc(Math.max(0, ...layout.map(([, size]) => size)), 'x');
  const folders = new Set();
  for (const [i, [path, size]] of layout.entries()) {
    const full = join(dir, path);
    const folder = dirname(full);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    const temp = `${full}.tmp-${process.pid}-${i}`;
    const fd = openSync(temp, 'wx');
    for (let offset = 0; offset < size; ) offset += writeSync(fd, bytes, offset, size - offset);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, full);
  }
} else if (mode === 'read') {
  let digest = createHash('sha256');
  for (const [path] of layout)
    digest = digest.update(
      createHash('sha256')
        .update(readFileSync(join(dir, path)))
        .digest(),
    );
  process.stdout.write(`${layout.length} files, ${digest.digest('hex').slice(0, 16)}\n`);
} else {
  throw new Error(`usage: bench-floor.mjs write|read LAYOUT DIR (got ${mode})`);
}
