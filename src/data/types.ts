import type { Run } from '../core/run.ts';

/** A comparison on one column, e.g. `N<=1e9`. */
export interface Filter {
  column: string;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number | string;
  text: string;
  /**
   * Relative tolerance of a numeric comparison: set for a column derived by C = 6ND (a product or quotient of the
   * user's numbers, off by rounding), 0 for the user's own values, which are compared exactly.
   */
  relTol?: number;
}

/** What {@link loadRuns} returns: the runs kept, where each column came from, what was dropped and why. */
export interface Dataset {
  file: string;
  sha256: string;
  /** Canonical name (N, D, C, S, U, loss, run) -> the header it came from, or 'derived: C = 6ND'. */
  columns: Record<string, string>;
  tagColumns: string[];
  runs: Run[];
  rowsRead: number;
  rowsDropped: number;
  filters: string[];
  excludeTopLoss: number;
  warnings: string[];
  /** Unit of the C column in the file: FLOPs unless the user said PF-days (always stored in FLOPs). */
  computeUnit: 'flops' | 'pf-days';
}
