#!/usr/bin/env node
// The installed command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs).
import { run } from '../dist/cli.js';

process.exitCode = await run(process.argv.slice(2));
