// Library exports. Each branch appends its own; keep one export line per module for easy merges.
export { chinchillaAllocation } from './analysis/chinchillaAllocation.ts';
export { compareLaws, holdoutFolds } from './analysis/compare.ts';
export type { Comparison, CompareOptions, LawComparison } from './analysis/compare.ts';
export { dataConstrainedOptimal } from './analysis/dataConstrainedOptimal.ts';
export type { DataConstrainedOptimum } from './analysis/dataConstrainedOptimal.ts';
export { inferenceOptimal } from './analysis/inferenceOptimal.ts';
export type { InferenceOptimum } from './analysis/inferenceOptimal.ts';
export { makeParametrization, parseConstraintOptions, thetaIndexOf } from './fit/constraints.ts';
export type { Constraints } from './fit/constraints.ts';
export { fitLaw } from './fit/fit.ts';
export { datacon } from './laws/datacon.ts';
export { getLaw, LAWS } from './laws/index.ts';
export { compareChart } from './report/charts/compareChart.ts';
export { compareSection } from './report/compareSection.ts';
// Uncertainty (asymptotic covariance, bootstrap on worker threads) and parallel grids (issue 4).
export { asymptoticUncertainty, asymptoticIntervals, thetaCovariance, normalQuantile } from './fit/uncertainty.ts';
export type { AsymptoticUncertainty, NamedMatrix } from './fit/uncertainty.ts';
export { fitLawParallel } from './fit/fitParallel.ts';
export { bootstrapFit } from './bootstrap/bootstrap.ts';
export type { BootstrapOptions, BootstrapResult, IntervalSummary } from './bootstrap/bootstrap.ts';
export { derivedQuantities } from './bootstrap/derivedQuantities.ts';
export { resampleRuns, modelGroups } from './bootstrap/resample.ts';
export type { ResampleMode } from './bootstrap/resample.ts';
export { seededRandom } from './bootstrap/seededRandom.ts';
export { percentile, sampleSd } from './bootstrap/percentile.ts';
