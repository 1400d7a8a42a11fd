import type { Law } from '../core/law.ts';

/**
 * The Markdown table of the built-in laws (name, variables, formula, source, how it is fitted) that README shows
 * between `<!-- laws:start -->` and `<!-- laws:end -->`: generated from the registry, so the list cannot drift from
 * what `--law` accepts.
 *
 * @example lawsTable(Object.values(LAWS)).split('\n')[2] // "| `chinchilla` | N, D | L(N,D) = E + ... | Hoffmann ... | ..."
 */
export function lawsTable(laws: readonly Law[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const how = (l: Law) =>
    [
      l.fitting === 'log-linear'
        ? 'least squares on log loss (linear regression, exact)'
        : l.fitting === 'least-squares'
          ? 'least squares on log loss (Levenberg-Marquardt)'
          : 'Huber on log loss (multi-start L-BFGS)',
      ...(l.fitOnFrontier ? ['on the compute-efficient frontier'] : []),
      ...(l.closedFormAllocation ? ['closed-form allocation'] : []),
    ].join('; ');
  return [
    '| `--law` | variables | formula | source | fitted by default with |',
    '|---|---|---|---|---|',
    ...laws.map(
      (l) => `| \`${l.name}\` | ${l.variables.join(', ')} | ${cell(l.formula)} | ${cell(l.reference)} | ${how(l)} |`,
    ),
  ].join('\n');
}
