import { formatNumber } from '../core/formatNumber.ts';
import type { Table } from '../report/tables.ts';
import type { Section } from './check.ts';
import { differenceText, summaryLine } from './format.ts';

/**
 * The verdicts of `scalefit reproduce` as report tables: one summary table (a row per paper) to open the report, and
 * the full table of each paper (published, ours, difference, tolerance, verdict, why) to close it.
 */
export function verdictTables(sections: Section[]): { summary: Table; full: Table[] } {
  const summary: Table = {
    id: 'reproduce-verdicts',
    title: 'Published numbers reproduced',
    headers: ['paper', 'checks passed', 'verdict'],
    rows: sections.map((s) => {
      const passed = s.rows.filter((r) => r.pass).length;
      return [s.paper, `${passed} of ${s.rows.length}`, passed === s.rows.length ? 'pass' : 'FAIL'];
    }),
    note: `${summaryLine(sections)}. The full tables, with the reason for every tolerance, close this report.`,
  };
  const full = sections.map(
    (s): Table => ({
      id: `reproduce-${s.id}`,
      title: s.title,
      headers: ['quantity', 'published', 'ours', 'difference', 'tolerance', 'verdict', 'why this tolerance'],
      rows: s.rows.map((r) => {
        const t = differenceText(r);
        return [
          r.quantity,
          formatNumber(r.published),
          formatNumber(r.ours),
          t.difference,
          t.tolerance,
          r.pass ? 'pass' : 'FAIL',
          r.reason,
        ];
      }),
      note: [`Source: ${s.citation}.`, ...s.notes].join(' '),
    }),
  );
  return { summary, full };
}
