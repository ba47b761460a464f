#!/usr/bin/env node
'use strict';
/**
 * The installed command. Loads the bundled CLI (dist/cli.cjs, made by `npm run build`, which
 * `npm ci` runs) through V8's code cache (dist/cli.cjs.cache), so start-up skips compiling the
 * bundle. V8 rejects a cache made by another Node version; then it simply compiles as usual.
 * TLSGEN_WRITE_CODE_CACHE is for scripts/build.mjs only: it writes the cache after one real run.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${bundle}.cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  cachedData: process.env.TLSGEN_WRITE_CODE_CACHE ? undefined : readCache(),
});
const cli = { exports: {} };
script.runInThisContext()(cli.exports, require, cli, bundle, join(__dirname, '..', 'dist'));

cli.exports.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Made after a run, the cache also holds the functions that run compiled lazily.
  if (process.env.TLSGEN_WRITE_CODE_CACHE) writeFileSync(cacheFile, script.createCachedData());
});
