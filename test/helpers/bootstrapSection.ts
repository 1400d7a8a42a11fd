import type { Law, Params } from '../../src/core/law.ts';
import type { BootstrapJson } from '../../src/io/fitJsonSchema.ts';

/**
 * A fit JSON `bootstrap` section around given per-resample parameters (columns, null for a failed refit), as
 * `scalefit fit --bootstrap K` writes it; the summaries are placeholders (the readers under test use the columns).
 */
export function bootstrapSection(law: Law, columns: Record<string, Array<number | null>>): BootstrapJson {
  const K = columns[law.paramNames[0]!]!.length;
  const failed = columns[law.paramNames[0]!]!.filter((x) => x === null).length;
  const none = { estimate: null, sd: null, spread: null, median: null, ci: [null, null] as [null, null] };
  return {
    K,
    seed: 0,
    level: 0.95,
    resample: 'rows',
    refit: 'test fixture',
    succeeded: K - failed,
    failed,
    not_converged: 0,
    stderr: {},
    ci: {},
    covariance: {},
    params: Object.fromEntries(law.paramNames.map((p) => [p, none])),
    derived: {},
    resamples: {
      params: columns,
      objective: columns[law.paramNames[0]!]!.map(() => null),
      converged: columns[law.paramNames[0]!]!.map((x) => x !== null),
    },
  };
}

/** The columns of per-resample parameter objects. */
export function paramColumns(law: Law, rows: readonly Params[]): Record<string, number[]> {
  return Object.fromEntries(law.paramNames.map((k) => [k, rows.map((p) => p[k]!)]));
}
