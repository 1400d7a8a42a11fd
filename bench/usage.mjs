// Preloaded into a benchmarked command (`node --import ./bench/usage.mjs bin/scalefit.js ...`): at exit, write the
// process's CPU time (all threads) and peak resident memory to the file named by SCALEFIT_BENCH_USAGE.
import { writeFileSync } from 'node:fs';

const out = process.env.SCALEFIT_BENCH_USAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, peakRssMb: u.maxRSS / 1024 }));
  });
}
