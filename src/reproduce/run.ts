import { fileURLToPath } from 'node:url';
import { uncertaintySections } from '../pipeline/uncertaintySections.ts';
import { loadRuns } from '../data/load.ts';
import type { Dataset } from '../data/types.ts';
import { fitLawParallel } from '../parallel/fitParallel.ts';
import { buildFitJson } from '../io/fitJson.ts';
import type { FitJson } from '../io/fitJson.ts';
import { chinchilla } from '../laws/chinchilla.ts';
import { DEFAULT_WORKERS } from '../parallel/workerPool.ts';
import { reproduceApproach2 } from './approach2.ts';
import type { Section } from './check.ts';
import { publishedConstants } from '../data/publishedConstants.ts';
import { reproduceEpoch } from './epoch.ts';
import { reproduceHoffmann } from './hoffmann.ts';
import { reproduceKaplan } from './kaplan.ts';

export interface ReproduceOptions {
  /** Bootstrap resamples for Epoch's intervals (they used 4000; 1000 keeps the command well under a minute). */
  bootstrap: number;
  seed: number;
  workers: number;
}

export const REPRODUCE_DEFAULTS: ReproduceOptions = { bootstrap: 1000, seed: 42, workers: DEFAULT_WORKERS };

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
const EPOCH_DATA = fileURLToPath(new URL('../../data/epoch-chinchilla.csv', import.meta.url));

/**
 * Regenerate every published number we can check from the bundled data and constants, section by section.
 * Pure computation: the caller prints and writes files. Deterministic for a seed, whatever the number of workers.
 */
export async function reproduce(options: Partial<ReproduceOptions> = {}): Promise<ReproduceResult> {
  const o = { ...REPRODUCE_DEFAULTS, ...options };
  const c = publishedConstants();
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await f();
    timings[name] = performance.now() - t0;
    return out;
  };
  const ds = loadRuns(EPOCH_DATA, { excludeTopLoss: 5 });
  ds.file = 'data/epoch-chinchilla.csv';
  const grid = await time('grid fit (4500 starts)', () =>
    fitLawParallel(chinchilla, ds.runs, { starts: 'hoffmann' }, o.workers),
  );
  // The fit file carries the same bootstrap as the table, so `scalefit report --from` shows its intervals.
  const uncertainty = await time(`bootstrap (K=${o.bootstrap})`, () =>
    uncertaintySections(
      chinchilla,
      ds.runs,
      grid,
      {},
      { bootstrap: o.bootstrap, seed: o.seed, workers: o.workers, resample: 'rows', level: 0.95, compute: [], at: [] },
    ),
  );
  const boot = uncertainty.bootstrap!;
  const epoch = await time('besiroglu2024', () => reproduceEpoch(ds.runs, c, grid, boot));
  const hoffmann = await time('hoffmann2022', () => reproduceHoffmann(ds.runs, grid.objective, c));
  const approach2 = await time('approach2', () => reproduceApproach2(ds.runs, c));
  const kaplan = await time('kaplan2020', () => reproduceKaplan(c));
  const fitJson = buildFitJson(grid, ds, uncertainty);
  return {
    sections: [epoch.section, hoffmann, approach2, kaplan],
    fits: { 'epoch-chinchilla.json': fitJson },
    extra: {
      epoch_huber_mle: {
        params: epoch.mle.params,
        log_sigma: epoch.mle.logSigma,
        neg_log_lik: epoch.mle.negLogLik,
        converged: epoch.mle.converged,
      },
    },
    dataset: ds,
    timings,
  };
}
