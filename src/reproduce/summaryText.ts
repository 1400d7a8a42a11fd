import { formatNumber } from '../core/formatNumber.ts';
import { textTable } from '../report/textTable.ts';
import { wrapText } from '../report/wrapText.ts';
import type { Check, Section } from './check.ts';
import { differenceText, summaryLine } from './format.ts';

/** Terminal width the summary keeps within. */
const WIDTH = 100;

/** The row of a section that comes closest to (or goes furthest past) its tolerance: largest |difference| / tolerance. */
function worstRow(s: Section): Check | undefined {
  const share = (r: Check) => (Number.isFinite(r.diff) ? Math.abs(r.diff) / r.tolerance.value : Infinity);
  return s.rows.reduce<Check | undefined>((w, r) => (w === undefined || share(r) > share(w) ? r : w), undefined);
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}\u2026`;
}

export interface SummaryPaths {
  /** The full tables (Markdown), as the user can open them from where they ran the command; null when not written. */
  tables: string | null;
  /** The report of the refit (HTML and Markdown). */
  report: string[];
  /** Fit files written. */
  fits: string[];
}

/**
 * What `scalefit reproduce` prints: one line per paper (checks passed, verdict, the row closest to its tolerance),
 * every failing row in full, the summary line and where the full tables went; at most 100 columns.
 */
export function reproduceSummaryText(sections: Section[], paths: SummaryPaths): string {
  const rows = sections.flatMap((s) => s.rows);
  const header = ['paper', 'verdict', 'row closest to its tolerance', 'difference'];
  const body = sections.map((s) => {
    const w = worstRow(s);
    const failed = s.rows.filter((r) => !r.pass).length;
    const t = w ? differenceText(w) : undefined;
    return [
      s.paper,
      `${s.rows.length - failed}/${s.rows.length} ${failed ? 'FAIL' : 'pass'}`,
      w?.quantity ?? '',
      t ? `${t.difference} of ${t.tolerance}` : '',
    ];
  });
  // Only the quantity column gives way when the table is wider than the terminal.
  const width = (j: number) => Math.max(...[header, ...body].map((r) => [...r[j]!].length));
  const others = [0, 1, 3].reduce((s, j) => s + width(j), 0) + 2 * (header.length - 1);
  const room = Math.max(12, WIDTH - others);
  const table = textTable([header, ...body.map((r) => r.map((c, j) => (j === 2 ? cut(c, room) : c)))], 'lrlr');
  const lines = [
    `scalefit reproduce: ${rows.length} published numbers regenerated from the bundled data`,
    '',
    table.trimEnd(),
    '',
  ];
  const failed = sections.flatMap((s) => s.rows.filter((r) => !r.pass).map((r) => ({ s, r })));
  for (const { s, r } of failed) {
    const t = differenceText(r);
    lines.push(
      wrapText(
        `FAIL ${s.paper}: ${r.quantity}: published ${formatNumber(r.published)}, ours ${formatNumber(r.ours)}, difference ${t.difference} beyond ${t.tolerance} (${r.reason})`,
        WIDTH,
        '  ',
      ),
    );
  }
  if (failed.length) lines.push('');
  lines.push(
    `${failed.length ? `${rows.length - failed.length} of ${rows.length} published numbers reproduced within tolerance` : summaryLine(sections)}.`,
  );
  if (paths.tables)
    lines.push(wrapText(`Full tables, with the reason for every tolerance: ${paths.tables}`, WIDTH, '  '));
  else lines.push('Nothing written (--no-write): --markdown prints the full tables, --json every row.');
  if (paths.report.length)
    lines.push(wrapText(`Report of the refit, with charts: ${paths.report.join(' and ')}`, WIDTH, '  '));
  if (paths.fits.length) lines.push(wrapText(`Fit files: ${paths.fits.join(', ')}`, WIDTH, '  '));
  return `${lines.join('\n')}\n`;
}
