import type { Run } from '../../src/core/run.ts';
import type { FitJson } from '../../src/io/fitJson.ts';
import { chinchilla } from '../../src/laws/chinchilla.ts';
import type { Params } from '../../src/core/law.ts';
import type { RunSet } from '../../src/report/model.ts';
import { bootstrapSection, paramColumns } from './bootstrapSection.ts';
import { normal, rng } from './synthetic.ts';

// Hoffmann et al. 2022, eq. 10: the law the fixture's runs are drawn from.
export const HOFFMANN: Params = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/**
 * A small fixed report input: iso-FLOP sweeps at 1e18, 1e19, 1e20 (train) and 1e21 (held out) with 1% log-normal
 * noise, a hand-written fit JSON at Hoffmann's parameters, and (optionally) 40 perturbed "bootstrap" parameter sets.
 */
export function reportFixture({ bootstrap = true } = {}): { fit: FitJson; runs: Array<Run & { set: RunSet }> } {
  const z = normal(rng(7));
  const runs: Array<Run & { set: RunSet }> = [];
  let line = 2;
  for (const C of [1e18, 1e19, 1e20, 1e21]) {
    const nOpt = 0.1 * Math.sqrt(C);
    for (const k of [-2, -1, 0, 1, 2]) {
      const N = nOpt * 3 ** k;
      const D = C / (6 * N);
      const loss = chinchilla.predict(HOFFMANN, { N, D }) * Math.exp(0.01 * z());
      runs.push({ N, D, C, loss, tags: {}, line: line++, set: C < 1e21 ? 'train' : 'held-out' });
    }
  }
  const u = rng(11);
  const boot = Array.from({ length: 40 }, () => ({
    E: HOFFMANN.E! * (1 + 0.01 * (u() - 0.5)),
    A: HOFFMANN.A! * (1 + 0.2 * (u() - 0.5)),
    B: HOFFMANN.B! * (1 + 0.2 * (u() - 0.5)),
    alpha: HOFFMANN.alpha! + 0.02 * (u() - 0.5),
    beta: HOFFMANN.beta! + 0.02 * (u() - 0.5),
  }));
  const train = runs.filter((r) => r.set === 'train');
  const fit: FitJson = {
    scalefit: 'test',
    law: 'chinchilla',
    formula: chinchilla.formula,
    params: HOFFMANN,
    objective: 0.001,
    loss: { kind: 'huber', delta: 1e-3, space: 'log' },
    n: train.length,
    n_free: 5,
    converged: true,
    message: 'fixture',
    nfev: 0,
    iterations: 0,
    starts: { strategy: 'default', count: 1, converged: 1, abandoned: 0 },
    fixed: [],
    tied: {},
    bounds: {},
    at_bound: [],
    rss: 0.001,
    aic: -100,
    bic: -95,
    input: {
      file: 'fixture.csv',
      sha256: '0'.repeat(64),
      rows_read: runs.length,
      rows_dropped: 0,
      rows_kept: train.length,
      columns: { N: 'N', D: 'D', loss: 'loss' },
      filters: [],
      exclude_top_loss: 0,
      compute_unit: 'flops',
      warnings: [],
    },
    data: {
      N: train.map((r) => r.N!),
      D: train.map((r) => r.D!),
      loss: train.map((r) => r.loss),
      line: train.map((r) => r.line),
    },
    // As `scalefit fit --bootstrap K` writes it (issue 4): per-resample parameters as columns.
    ...(bootstrap ? { bootstrap: bootstrapSection(chinchilla, paramColumns(chinchilla, boot)) } : {}),
  };
  return { fit, runs };
}
