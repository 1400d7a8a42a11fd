import type { Comparison } from '../analysis/compare.ts';
import { formatNumber } from '../core/formatNumber.ts';

/**
 * The law comparison as a Markdown report section: a table ranked by held-out error (leave-largest-out
 * cross-validation), with AIC, BIC and the objective on all runs, and the laws that were skipped and why.
 *
 * @example compareSection(compareLaws([chinchilla, datacon], runs, opts)) // '## Which law extrapolates best\n...'
 */
export function compareSection(c: Comparison): string {
  const lines: string[] = [];
  lines.push('## Which law extrapolates best');
  lines.push('');
  const how = c.holdout === 'train'
    ? `Each law is fitted on the training runs and scored on the rest (${c.folds[0]!.name}).`
    : `Each law is fitted without the largest runs (by ${c.holdout === 'size' ? 'model size' : 'compute'}) and scored on them: ${c.folds.map((f) => `${f.name}, ${f.test} runs held out`).join('; ')}.`;
  lines.push(`${how} Laws are ranked by the mean held-out RMSE of log loss; AIC and BIC (Gaussian, on all runs, with free parameters after fixing and tying) are shown for reference.`);
  lines.push('');
  const foldHeads = c.folds.map((_, i) => `held-out RMSE ${i + 1}`);
  lines.push(`| rank | law | free params | objective | AIC | BIC | ${foldHeads.join(' | ')} | mean held-out RMSE |`);
  lines.push(`|---:|---|---:|---:|---:|---:|${foldHeads.map(() => '---:|').join('')}---:|`);
  c.ranking.forEach((name, i) => {
    const l = c.laws.find((x) => x.law === name)!;
    const folds = (l.folds ?? []).map((f) => `${formatNumber(f.rmse, 4)}${f.converged ? '' : ' (not converged)'}`);
    lines.push(`| ${i + 1} | ${l.law} | ${l.nFree} | ${formatNumber(l.objective, 5)} | ${formatNumber(l.aic, 5)} | ${formatNumber(l.bic, 5)} | ${folds.join(' | ')} | **${formatNumber(l.heldOutRmse, 4)}** |`);
  });
  const skipped = c.laws.filter((l) => l.status === 'skipped');
  if (skipped.length) {
    lines.push('');
    for (const l of skipped) lines.push(`- ${l.law} skipped: ${l.reason}`);
  }
  lines.push('');
  return lines.join('\n');
}
