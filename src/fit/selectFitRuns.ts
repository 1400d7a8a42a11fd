import type { Law } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { computeFrontier } from '../data/computeFrontier.ts';

/**
 * The runs a law is fitted on: all of them, or for a law that declares `fitOnFrontier` (Kaplan et al. 2020's
 * L(C_min)) the compute-efficient frontier, with a note saying how many were kept.
 *
 * @example selectFitRuns(kaplanC, runs) // { runs: frontier, note: 'compute-efficient frontier kept 12 of 40 runs' }
 */
export function selectFitRuns(law: Law, runs: readonly Run[]): { runs: readonly Run[]; note: string } {
  // The same array, not a copy: the fit and its uncertainty then share one design (see makeDesign).
  if (!law.fitOnFrontier) return { runs, note: '' };
  const kept = computeFrontier([...runs]);
  return { runs: kept, note: `compute-efficient frontier kept ${kept.length} of ${runs.length} runs` };
}
