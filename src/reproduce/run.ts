import { fileURLToPath } from 'node:url';
import { loadRuns } from '../data/load.ts';
import type { Dataset } from '../data/types.ts';
import { buildFitJson } from '../io/fitJson.ts';
import type { FitJson } from '../io/fitJson.ts';
import type { Section } from './check.ts';
import { publishedConstants } from './constants.ts';
import { reproduceApproach2 } from './approach2.ts';
import { reproduceEpoch } from './epoch.ts';
import { reproduceHoffmann } from './hoffmann.ts';
import { reproduceKaplan } from './kaplan.ts';

export interface ReproduceResult {
  sections: Section[];
  /** Fit files to write under fits/, by file name. */
  fits: Record<string, FitJson>;
  /** Extra results (the Huber-likelihood estimate) for the machine-readable summary. */
  extra: Record<string, unknown>;
  dataset: Dataset;
  timings: Record<string, number>;
}

/** The bundled Epoch data file, found relative to the package so `scalefit reproduce` works from any folder. */
export const EPOCH_DATA = fileURLToPath(new URL('../../data/epoch-chinchilla.csv', import.meta.url));

/**
 * Regenerate every published number we can check from the bundled data and constants, section by section.
 * Pure computation: the caller prints and writes files.
 */
export function reproduce(dataFile = EPOCH_DATA): ReproduceResult {
  const c = publishedConstants();
  const timings: Record<string, number> = {};
  const time = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const out = f();
    timings[name] = performance.now() - t0;
    return out;
  };
  const ds = loadRuns(dataFile, { excludeTopLoss: 5 });
  ds.file = 'data/epoch-chinchilla.csv';
  const epoch = time('besiroglu2024', () => reproduceEpoch(ds.runs, c));
  const hoffmann = time('hoffmann2022', () => reproduceHoffmann(ds.runs, epoch.grid.objective, c));
  const approach2 = time('approach2', () => reproduceApproach2(ds.runs, c));
  const kaplan = time('kaplan2020', () => reproduceKaplan(c));
  return {
    sections: [epoch.section, hoffmann, approach2, kaplan],
    fits: { 'epoch-chinchilla.json': buildFitJson(epoch.grid, ds) },
    extra: { epochHuberMle: { params: epoch.mle.params, logSigma: epoch.mle.logSigma, negLogLik: epoch.mle.negLogLik, converged: epoch.mle.converged } },
    dataset: ds,
    timings,
  };
}
