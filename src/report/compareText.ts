import type { Comparison, LawComparison } from '../analysis/compare.ts';
import { formatNumber } from '../core/formatNumber.ts';
import { textTable } from './textTable.ts';
import { wrapText } from './wrapText.ts';

/** How the laws were scored, in words shared by the terminal text and the Markdown section. */
export function compareMethodText(c: Comparison): string {
  const how =
    c.holdout === 'train'
      ? `Each law is fitted on the training runs and scored on the rest (${c.folds[0]!.name}).`
      : `Each law is fitted without the largest runs (by ${c.holdout === 'size' ? 'model size' : 'compute'}) and scored on them: ${c.folds.map((f, i) => `fold ${i + 1} ${f.name}, ${f.test} runs held out`).join('; ')}.`;
  const pct = `${Math.round(c.intervals.level * 100)}%`;
  return `${how} Held-out error is the RMSE of log loss, with ${pct} intervals from ${c.intervals.resamples} resamples of the held-out runs (seed ${c.intervals.seed}). Every law is also scored in-sample on one footing, whatever loss it was fitted with: the sum of squared log residuals (RSS) on its runs and the Gaussian AIC and BIC from it, k the free parameters left after fixing and tying. Laws are ranked by held-out error where the held-out runs separate them (the paired interval of the difference excludes 0) and by AIC within a tier they do not separate.`;
}

/** `0.0123 [0.0101, 0.0150]` */
export function withInterval(x: number | undefined, iv: [number, number] | undefined, digits = 4): string {
  return `${formatNumber(x, digits)}${iv && Number.isFinite(iv[0]) ? ` [${formatNumber(iv[0], 3)}, ${formatNumber(iv[1], 3)}]` : ''}`;
}

/** The fit's own loss and objective, e.g. `huber (delta 0.001) 0.00102`: not comparable across losses. */
export function ownFitText(l: LawComparison): string {
  const loss = l.loss
    ? l.loss.kind === 'huber' || l.loss.kind === 'huber-mle'
      ? `${l.loss.kind} (delta ${formatNumber(l.loss.delta)})`
      : l.loss.kind
    : 'n/a';
  return `${loss} on ${l.loss?.space ?? 'log'} loss, objective ${formatNumber(l.objective, 5)}`;
}

/** The laws in table order: the ranking, then the laws shown but not ranked (scored on other runs). */
export function tableLaws(c: Comparison): LawComparison[] {
  return [
    ...c.ranking.map((n) => c.laws.find((x) => x.law === n)!),
    ...c.laws.filter((l) => l.status === 'ok' && !c.ranking.includes(l.law)),
  ];
}

/**
 * The law comparison for a terminal (within 100 columns, numbers right-aligned): how the laws were scored, the
 * table (rank, runs scored, free parameters, RSS of log loss, AIC, held-out RMSE per fold and their mean with its
 * interval, tier), each fit's own loss and objective, the verdict, and the laws not ranked or skipped, with why;
 * `compareSection` is its Markdown.
 */
export function compareText(c: Comparison): string {
  const lines = [wrapText(`Which law extrapolates best. ${compareMethodText(c)}`, 100), ''];
  const folds = c.folds.map((_, i) => `RMSE ${i + 1}`);
  let notConverged = false;
  const rows = tableLaws(c).map((l) => {
    const rank = c.ranking.indexOf(l.law);
    const foldCells = (l.folds ?? []).map((f) => {
      if (!f.converged) notConverged = true;
      return `${formatNumber(f.rmse, 4)}${f.converged ? '' : '*'}`;
    });
    return [
      rank < 0 ? '-' : String(rank + 1),
      l.law,
      String(l.n),
      String(l.nFree),
      formatNumber(l.rssLog, 4),
      formatNumber(l.aic, 5),
      ...foldCells,
      withInterval(l.heldOutRmse, l.heldOutRmseInterval),
      l.tier === undefined ? '-' : String(l.tier),
    ];
  });
  lines.push(
    textTable(
      [
        [
          'rank',
          'law',
          'runs',
          'k',
          'RSS log',
          'AIC',
          ...folds,
          `mean RMSE [${Math.round(c.intervals.level * 100)}%]`,
          'tier',
        ],
        ...rows,
      ],
      'rl',
    ).trimEnd(),
  );
  if (notConverged) lines.push("* that fold's fit did not converge");
  lines.push(wrapText(`verdict: ${c.verdict.text}`, 100, '  '));
  lines.push(
    wrapText(
      `own fits (objectives of different losses are not comparable): ${tableLaws(c)
        .map((l) => `${l.law} ${ownFitText(l)}`)
        .join('; ')}`,
      100,
      '  ',
    ),
  );
  for (const l of c.laws.filter((x) => x.status === 'ok' && !c.ranking.includes(x.law)))
    lines.push(wrapText(`${l.law} not ranked: ${l.reason}`, 100, '  '));
  for (const l of c.laws.filter((x) => x.status === 'skipped'))
    lines.push(wrapText(`${l.law} skipped: ${l.reason}`, 100, '  '));
  return `${lines.join('\n')}\n`;
}
