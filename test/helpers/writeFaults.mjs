// Preloaded into a real `scalefit` process by test/cli-process.test.ts (node --import ./test/helpers/writeFaults.mjs)
// to fail its writes the way a machine does, deterministically. It acts on temporary outputs only (a path ending in
// `.tmp` or inside a `.tmp` folder), so inputs and caches are untouched. WRITE_FAULT in the environment says how:
// - `pause`: after the first such write, print "paused" on stderr and block (the test SIGKILLs the process mid-write);
// - `enospc:K`: the first write into the K-th such file fails with ENOSPC (a disk that fills up mid-report).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [mode, arg] = (process.env.WRITE_FAULT ?? '').split(':');
const openSync = fs.openSync;
const writeSync = fs.writeSync;
const opened = new Map(); // fd -> index of the temporary file
let files = 0;
fs.openSync = function (path, ...rest) {
  const fd = openSync.call(this, path, ...rest);
  if (/\.tmp(\/|$)/.test(String(path))) opened.set(fd, ++files);
  return fd;
};
fs.writeSync = function (fd, ...rest) {
  const k = opened.get(fd);
  if (mode === 'enospc' && k === Number(arg)) {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
    });
  }
  const n = writeSync.call(this, fd, ...rest);
  if (mode === 'pause' && k !== undefined) {
    writeSync(2, 'paused\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  }
  return n;
};
syncBuiltinESMExports();
