import type { ReportModel } from './model.ts';
import { levelText } from './model.ts';

/** A CSV field: quoted when needed, and prefixed with ' when a spreadsheet would read it as a formula. */
function csvField(x: string | number | null): string {
  if (x === null) return '';
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '';
  const s = /^[=+\-@\t\r]/.test(x) ? `'${x}` : x;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * predictions.csv: every run (train and held out) with its prediction, its prediction interval (held-out runs) and its
 * extrapolation factor (compute over the largest training compute), then the --at points.
 */
export function predictionsCsv(m: ReportModel): string {
  const pct = levelText(m.level).slice(0, -1);
  const header = [
    'line',
    'run',
    'set',
    'N',
    'D',
    'C',
    'loss',
    'predicted',
    `lo${pct}`,
    `hi${pct}`,
    'error',
    'relative_error',
    'extrapolation_factor',
  ];
  const rows = m.runs.map((r) => [
    r.line,
    r.label,
    r.set,
    r.N,
    r.D,
    r.C,
    r.loss,
    r.predicted,
    r.lo,
    r.hi,
    r.predicted - r.loss,
    (r.predicted - r.loss) / r.loss,
    r.factor,
  ]);
  const at = m.at.map((a) => [
    null,
    null,
    'at',
    a.point.N ?? null,
    a.point.D ?? null,
    a.point.C ?? null,
    null,
    a.predicted,
    a.lo,
    a.hi,
    null,
    null,
    a.factor,
  ]);
  return `${[header, ...rows, ...at].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}
