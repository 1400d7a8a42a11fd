import type { Comparison } from '../analysis/compare.ts';
import { formatNumber } from '../core/formatNumber.ts';
import { compareMethodText, ownFitText, tableLaws, withInterval } from './compareText.ts';

/**
 * The law comparison as a Markdown report section: how the laws were scored, a table in ranking order (runs scored,
 * free parameters, the law's own loss and objective, the common RSS of log loss, AIC, BIC, held-out RMSE per fold
 * and their mean with intervals, tier), the verdict, and the laws not ranked or skipped, with why.
 *
 * @example compareSection(compareLaws([chinchilla, datacon], runs, opts)) // '## Which law extrapolates best\n...'
 */
export function compareSection(c: Comparison): string {
  const lines: string[] = [];
  lines.push('## Which law extrapolates best');
  lines.push('');
  lines.push(compareMethodText(c));
  lines.push('');
  const foldHeads = c.folds.map((_, i) => `held-out RMSE ${i + 1}`);
  lines.push(
    `| rank | law | runs | free params | own fit | RSS (log) | AIC | BIC | ${foldHeads.join(' | ')} | mean held-out RMSE | tier |`,
  );
  lines.push(`|---:|---|---:|---:|---|---:|---:|---:|${foldHeads.map(() => '---:|').join('')}---:|---:|`);
  for (const l of tableLaws(c)) {
    const rank = c.ranking.indexOf(l.law);
    const folds = (l.folds ?? []).map(
      (f) => `${withInterval(f.rmse, f.rmseInterval)}${f.converged ? '' : ' (not converged)'}`,
    );
    lines.push(
      `| ${rank < 0 ? '-' : rank + 1} | ${l.law} | ${l.n} | ${l.nFree} | ${ownFitText(l)} | ${formatNumber(l.rssLog, 4)} | ${formatNumber(l.aic, 5)} | ${formatNumber(l.bic, 5)} | ${folds.join(' | ')} | **${withInterval(l.heldOutRmse, l.heldOutRmseInterval)}** | ${l.tier ?? '-'} |`,
    );
  }
  lines.push('');
  lines.push(`**Verdict:** ${c.verdict.text}.`);
  const notes = [
    ...c.laws
      .filter((l) => l.status === 'ok' && !c.ranking.includes(l.law))
      .map((l) => `- ${l.law} not ranked: ${l.reason}`),
    ...c.laws.filter((l) => l.status === 'skipped').map((l) => `- ${l.law} skipped: ${l.reason}`),
  ];
  if (notes.length) lines.push('', ...notes);
  lines.push('');
  return lines.join('\n');
}
