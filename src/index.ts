/**
 * scalefit's public API: `import { ... } from 'scalefit'`. Everything exported here is documented where it is
 * declared (JSDoc with the formula, the paper and an `@example` that test/api-examples.test.ts runs against the
 * built package); anything not exported here is internal and may change. Grouped by concept, in the order of a study:
 * load runs, pick a law, fit it, quantify uncertainty, ask questions of the fit, write outputs.
 */

// Runs: CSV loading (column aliases, unit suffixes, filters) and the data types.
export { loadRuns, loadRunsFromText, PF_DAY } from './data/load.ts';
export type { LoadOptions } from './data/load.ts';
export { parseNumber } from './data/parseNumber.ts';
export { readPoints } from './data/readPoints.ts';
export type { Dataset, Filter } from './data/types.ts';
export type { Run, Variable } from './core/run.ts';

// Laws: Chinchilla, the Kaplan family, data-constrained; found by name.
export { CURVE_LAWS, getLaw, LAWS } from './laws/index.ts';
export { makeSchedule } from './math/makeSchedule.ts';
export type { ScheduleKind, ScheduleSpec } from './math/makeSchedule.ts';
export type { LrSchedule } from './core/schedule.ts';
export { readCurves } from './data/readCurves.ts';
export type { Curve, CurveDataset, CurveLoadOptions } from './data/readCurves.ts';
export { predictCurve } from './analysis/predictCurve.ts';
export { fitCurves } from './pipeline/fitCurves.ts';
export type { CurveFit, CurveFitSettings } from './pipeline/fitCurves.ts';
export type { Law, Params, Point } from './core/law.ts';

// Fitting: multi-start L-BFGS (Hoffmann et al. 2022 approach 3), optionally on worker threads; constraints.
export { fitLaw } from './fit/fit.ts';
export type { FitOptions, StartStrategy } from './fit/options.ts';
export type { FitResult } from './core/fitResult.ts';
export { fitLawParallel } from './parallel/fitParallel.ts';
export { parseConstraintOptions } from './fit/constraints.ts';
export type { Constraints } from './fit/constraints.ts';
export type { LossSpec } from './core/loss.ts';

// Uncertainty: asymptotic (least squares or Huber sandwich) and bootstrap.
export { asymptoticUncertainty } from './fit/uncertainty.ts';
export type { AsymptoticUncertainty, CovarianceMethod, NamedMatrix } from './fit/uncertainty.ts';
export { bootstrapFit } from './bootstrap/bootstrap.ts';
export type { BootstrapOptions, BootstrapResult, IntervalSummary } from './bootstrap/bootstrap.ts';
export type { ResampleMode } from './bootstrap/resample.ts';

// Questions asked of a fit: compute-optimal allocation, inference-aware and data-constrained allocation.
export { allocationExponents, computeForModelSize, optimalAllocation } from './analysis/optimalAllocation.ts';
export type { Allocation } from './analysis/optimalAllocation.ts';
export { inferenceOptimal } from './analysis/inferenceOptimal.ts';
export type { InferenceAllocation, InferenceOptimum } from './analysis/inferenceOptimal.ts';
export { dataConstrainedOptimal } from './analysis/dataConstrainedOptimal.ts';
export type { DataConstrainedAllocation, DataConstrainedOptimum } from './analysis/dataConstrainedOptimal.ts';

// Other estimators of the allocation exponents, and law comparison.
export { isoflopApproach2 } from './analysis/isoflop.ts';
export type { ExponentFit, IsoflopOptions, IsoflopRow } from './analysis/isoflop.ts';
export { envelopeApproach1 } from './analysis/envelope.ts';
export type { EnvelopeOptions } from './analysis/envelope.ts';
export { compareLaws } from './analysis/compare.ts';
export type { CompareOptions, Comparison, LawComparison } from './analysis/compare.ts';

// Outputs: the fit JSON file, and the backtest report (HTML, Markdown, charts).
export { buildFitJson, readFitJson } from './io/fitJson.ts';
export type { FitJson } from './io/fitJson.ts';
export { buildReport, writeReport } from './pipeline/buildReport.ts';
export type { ReportFile, ReportOptions, ReportResult } from './pipeline/buildReport.ts';

// Errors (InputError: bad input, the CLI's exit 2) and the version.
export { InputError, ScalefitError } from './core/errors.ts';
export { VERSION } from './core/version.ts';
