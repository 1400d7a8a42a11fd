import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

/** The real command line, as a user runs it: a separate node process on the package's bin script. */
export const CLI_ARGS = ['bin/scalefit.js'];

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Start `scalefit ...argv` as a child process (crashes of the process itself, a closed pipe, a kill or memory, are
 * invisible to in-process runs of main()). `onStart` may act on the child (close its stdout, kill it) while it runs.
 */
export function spawnCli(
  argv: string[],
  {
    onStart,
    nodeArgs = [],
    ...options
  }: SpawnOptions & { onStart?: (child: ChildProcess) => void; nodeArgs?: string[] } = {},
): Promise<Exited> {
  const child = spawn(process.execPath, [...nodeArgs, ...CLI_ARGS, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let stdout = '',
    stderr = '';
  child.stdout?.on('data', (b: Buffer) => void (stdout += b.toString()));
  child.stdout?.on('error', () => {});
  child.stderr?.on('data', (b: Buffer) => void (stderr += b.toString()));
  onStart?.(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
