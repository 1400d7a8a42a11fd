import { formatNumber } from '../core/formatNumber.ts';
import type { Check, Section } from './check.ts';

/** A row's difference and tolerance as printed: `-0.0208%` and `±0.1%` (relative) or `-2.19e-5` and `±5e-5`. */
export function differenceText(r: Check): { difference: string; tolerance: string } {
  const rel = r.tolerance.kind === 'rel';
  return {
    difference: rel ? `${formatNumber(100 * r.diff, 3)}%` : formatNumber(r.diff, 3),
    tolerance: rel ? `±${formatNumber(100 * r.tolerance.value, 3)}%` : `±${formatNumber(r.tolerance.value, 3)}`,
  };
}

/** A section as a Markdown table: quantity, published, ours, difference, tolerance, verdict, and why that tolerance. */
export function sectionMarkdown(s: Section): string {
  const lines = [`### ${s.title}`, '', `Source: ${s.citation}`, ''];
  lines.push('| quantity | published | ours | difference | tolerance | verdict | why this tolerance |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of s.rows) {
    const { difference, tolerance } = differenceText(r);
    lines.push(
      `| ${r.quantity} | ${formatNumber(r.published)} | ${formatNumber(r.ours)} | ${difference} | ${tolerance} | ${r.pass ? 'pass' : '**FAIL**'} | ${r.reason} |`,
    );
  }
  if (s.notes.length) lines.push('', ...s.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

export function summaryLine(sections: Section[]): string {
  const rows = sections.flatMap((s) => s.rows);
  const failed = rows.filter((r) => !r.pass);
  return `${rows.length - failed.length} of ${rows.length} published numbers reproduced within tolerance${failed.length ? `; FAILED: ${failed.map((r) => r.quantity).join('; ')}` : ''}`;
}
