/** One row of a reproduction table: a published number, ours, and whether they agree within a stated tolerance. */
export interface Check {
  quantity: string;
  published: number;
  ours: number;
  /** Relative (|ours/published - 1|) or absolute (|ours - published|) tolerance. */
  tolerance: { kind: 'rel' | 'abs'; value: number };
  /** Why this tolerance: rounding in the paper, digitisation, a different estimator... */
  reason: string;
  diff: number;
  pass: boolean;
}

export interface Section {
  id: string;
  /** The paper in a few words, for one-line summaries: 'Kaplan et al. 2020'. */
  paper: string;
  title: string;
  citation: string;
  rows: Check[];
  /** Plain statements that go with the table (what was run, what could not be checked and why). */
  notes: string[];
}

/**
 * Compare ours with a published value. `diff` is ours - published (absolute) or ours/published - 1 (relative).
 *
 * @example check('alpha', 0.3473, 0.347311, 'abs', 5e-5, 'printed to 4 decimals').pass // true
 */
export function check(
  quantity: string,
  published: number,
  ours: number,
  kind: 'rel' | 'abs',
  value: number,
  reason: string,
): Check {
  const diff = kind === 'rel' ? ours / published - 1 : ours - published;
  return {
    quantity,
    published,
    ours,
    tolerance: { kind, value },
    reason,
    diff,
    pass: Number.isFinite(diff) && Math.abs(diff) <= value,
  };
}
