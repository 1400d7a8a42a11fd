/** What a progress bar needs to draw: where to write and whether to draw at all. */
export interface ProgressTarget {
  write: (text: string) => void;
  /** False when stderr is not a TTY or --quiet was given: the bar then does nothing. */
  enabled: boolean;
  /** Terminal width (default 80). */
  columns?: number;
  now?: () => number;
}

export interface ProgressBar {
  /** Redraw for `done` items (and a new total, when it becomes known). */
  update(done: number, total?: number): void;
  /** Clear the bar's line. */
  finish(): void;
}

/** ANSI "erase in line" from the cursor to its end; every terminal emulator and Windows 10+ consoles honour it. */
const CLEAR_TO_END = '\x1b[K';

/**
 * A one-line progress bar for long work (bootstrap, exhaustive grids): `label [####----] 120/4000 37.2/s 1m44s left`,
 * redrawn at most 10 times a second with a carriage return, silent when not enabled.
 *
 * @example const bar = progressBar('bootstrap', 4000, { write: (s) => process.stderr.write(s), enabled: true }); bar.update(10); bar.finish();
 */
export function progressBar(label: string, total: number, target: ProgressTarget): ProgressBar {
  const now = target.now ?? (() => performance.now());
  // A pty without a size (script, some CI runners, docker exec -t) reports 0 columns: draw for 80 instead.
  const columns = target.columns !== undefined && target.columns > 0 ? target.columns : 80;
  const t0 = now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      if (!target.enabled) return;
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      // Clear to the end of the line (ESC [K): a shorter line (`9s left` after `13s left`) leaves no stale characters.
      target.write(`\r${progressLine(label, done, total, (t - t0) / 1000, columns)}${CLEAR_TO_END}`);
      drawn = true;
    },
    finish() {
      if (target.enabled && drawn) target.write(`\r${CLEAR_TO_END}`);
    },
  };
}

/** The bar's text for `done` of `total` after `seconds`. */
export function progressLine(label: string, done: number, total: number, seconds: number, columns = 80): string {
  const rate = seconds > 0 ? done / seconds : 0;
  const left = rate > 0 ? (total - done) / rate : NaN;
  const tail = ` ${done}/${total} ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)}/s ${Number.isFinite(left) ? `${duration(left)} left` : ''}`;
  const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 4));
  const filled = total > 0 ? Math.round((width * done) / total) : width;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`.slice(0, columns - 1);
}

function duration(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
