import type { Comparison } from '../analysis/compare.ts';
import { formatNumber } from '../core/formatNumber.ts';
import { textTable } from './textTable.ts';
import { wrapText } from './wrapText.ts';

/**
 * The law comparison for a terminal (within 100 columns, numbers right-aligned): how the laws were scored, then the
 * ranking with AIC, BIC, the objective and the held-out RMSE of log loss per fold; `compareSection` is its Markdown.
 */
export function compareText(c: Comparison): string {
  const how = c.holdout === 'train'
    ? `Each law is fitted on the training runs and scored on the rest (${c.folds[0]!.name}).`
    : `Each law is fitted without the largest runs (by ${c.holdout === 'size' ? 'model size' : 'compute'}) and scored on them: ${c.folds.map((f, i) => `fold ${i + 1} ${f.name}, ${f.test} runs held out`).join('; ')}.`;
  const lines = [
    wrapText(`Which law extrapolates best. ${how} Ranked by the mean held-out RMSE of log loss; AIC and BIC are Gaussian, on all runs, with the free parameters left after fixing and tying.`, 100),
    '',
  ];
  const folds = c.folds.map((_, i) => `RMSE ${i + 1}`);
  let notConverged = false;
  const rows = c.ranking.map((name, i) => {
    const l = c.laws.find((x) => x.law === name)!;
    const foldCells = (l.folds ?? []).map((f) => {
      if (!f.converged) notConverged = true;
      return `${formatNumber(f.rmse, 4)}${f.converged ? '' : '*'}`;
    });
    return [String(i + 1), l.law, String(l.nFree), formatNumber(l.objective, 5), formatNumber(l.aic, 5), formatNumber(l.bic, 5), ...foldCells, formatNumber(l.heldOutRmse, 4)];
  });
  lines.push(textTable([['rank', 'law', 'free params', 'objective', 'AIC', 'BIC', ...folds, 'mean RMSE'], ...rows], 'rl').trimEnd());
  if (notConverged) lines.push('* that fold\'s fit did not converge');
  for (const l of c.laws.filter((x) => x.status === 'skipped')) lines.push(wrapText(`${l.law} skipped: ${l.reason}`, 100, '  '));
  return `${lines.join('\n')}\n`;
}
