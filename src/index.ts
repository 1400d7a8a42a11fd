// Library entry point. Each helper branch appends its exports; the lead merges.

// Kaplan et al. 2020 laws, offsets, allocation and isoFLOP analyses (issue 3).
export { kaplanN } from './laws/kaplan-n.ts';
export { kaplanD } from './laws/kaplan-d.ts';
export { kaplanC } from './laws/kaplan-c.ts';
export { kaplanND } from './laws/kaplan-nd.ts';
export { kaplanNS } from './laws/kaplan-ns.ts';
export { kaplanPowerLaw } from './laws/kaplanPowerLaw.ts';
export { withOffset } from './laws/withOffset.ts';
export { getLaw, LAWS } from './laws/index.ts';
export { kaplanFitDirect } from './fit/leastSquares.ts';
export { nnls2 } from './fit/nnls2.ts';
export { computeFrontier } from './analysis/computeFrontier.ts';
export { optimalAllocation, computeForModelSize, allocationExponents, checkAllocatable } from './analysis/optimalAllocation.ts';
export type { Allocation } from './analysis/optimalAllocation.ts';
export { perDecade } from './analysis/perDecade.ts';
export { isoflopApproach2, fitExponents, fitParabola } from './analysis/isoflop.ts';
export type { ExponentFit, IsoflopOptions, IsoflopRow } from './analysis/isoflop.ts';
export { envelopeApproach1 } from './analysis/envelope.ts';
export type { EnvelopeOptions } from './analysis/envelope.ts';
export { readPoints } from './data/readPoints.ts';
