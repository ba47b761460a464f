'use strict';
/**
 * Preloaded by scripts/bench.mjs into the processes it measures (`node --require scripts/bench-child.cjs …`):
 * at exit, appends the process's peak resident memory (KiB) and CPU time (µs), as one JSON line, to the file
 * named by TLSGEN_BENCH_REPORT. It registers one exit listener and does nothing else while the process runs.
 */
const report = process.env.TLSGEN_BENCH_REPORT;
if (report) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').appendFileSync(report, `${JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime })}\n`);
  });
}
