import { chinchillaAllocation } from '../laws/chinchillaAllocation.ts';
import type { Run } from '../core/run.ts';
import { FIT_DEFAULTS } from '../fit/options.ts';
import { lbfgs } from '../math/lbfgs.ts';
import { makeObjective } from '../fit/objective.ts';
import { chinchilla } from '../laws/chinchilla.ts';
import { makeDesign } from '../core/law.ts';
import type { Params } from '../core/law.ts';
import { check } from './check.ts';
import type { Section } from './check.ts';
import type { PublishedConstants } from '../data/publishedConstants.ts';

/** The summed Huber objective of a parameter set on runs (no fitting). */
function huberObjectiveAt(params: Params, runs: Run[], delta = 1e-3): number {
  const obj = makeObjective(chinchilla, makeDesign(runs), { kind: 'huber', delta, space: 'log' });
  return obj.fg(chinchilla.toTheta(params), new Float64Array(5));
}

/**
 * The averaged-loss failure Besiroglu et al. 2024 found: minimise the MEAN Huber loss with L-BFGS at scipy's default
 * tolerances from Hoffmann's parameters. The gradient is n times smaller, the absolute tolerances are met at once,
 * and the optimiser stops next to where it started.
 */
function meanObjectiveFit(runs: Run[], theta0: number[]) {
  const X = makeDesign(runs);
  const obj = makeObjective(chinchilla, X, FIT_DEFAULTS.loss);
  const r = lbfgs(
    (x, g) => {
      const f = obj.fg(x, g);
      for (let i = 0; i < g.length; i++) g[i]! /= X.n;
      return f / X.n;
    },
    theta0,
    FIT_DEFAULTS.gridTolerance,
  );
  return { params: chinchilla.toParams(r.x), iterations: r.iterations, message: r.message };
}

/** Hoffmann et al. 2022, approach 3: exponents, the Table A3 allocations, and how the published fit fares on the data. */
export function reproduceHoffmann(runs: Run[], refitObjective: number, c: PublishedConstants): Section {
  const h = c.hoffmann2022;
  const p = h.approach3_parametric;
  const u = p.unrounded_params_used_by_epoch_notebook;
  const unrounded = { A: Math.exp(u.log_A), B: Math.exp(u.log_B), E: Math.exp(u.log_E), alpha: u.alpha, beta: u.beta };
  const rounded = { E: p.E, A: p.A, B: p.B, alpha: p.alpha, beta: p.beta };
  const t2 = h.table2_exponents.approach3_parametric!;
  const alloc = chinchillaAllocation(unrounded, 1);
  const allocRounded = chinchillaAllocation(rounded, 1);
  const rows = [
    check('a (unrounded parameters)', t2.a, alloc.a, 'abs', 0.005, 'Table 2 prints 2 decimals'),
    check('b (unrounded parameters)', t2.b, alloc.b, 'abs', 0.005, 'Table 2 prints 2 decimals'),
    check(
      'a (rounded parameters E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28)',
      t2.a,
      allocRounded.a,
      'abs',
      0.01,
      'rounding alpha and beta to 2 decimals moves a from 0.457 to 0.452',
    ),
  ];
  // Table A3, approach 3: the compute and tokens at which each model size is compute-optimal.
  for (const row of h.tableA3_approach2_and_3.rows) {
    const [N, , , flops3, tokens3] = row as [number, number, number, number, number];
    // The paper prints 1.26e24 FLOPs for 175B; 6ND gives 1.26e25 (a typo, see data/published/SOURCE.md).
    const flops = N === 175e9 && flops3 === 1.26e24 ? 1.26e25 : flops3;
    const c6 = (N / alloc.G) ** (1 / alloc.a);
    const reason =
      'Table A3 follows a = 0.459 (its own slope); the published parameters give a = 0.457, a gap that grows with N';
    rows.push(
      check(
        `Table A3: FLOPs for N = ${N.toExponential(1)}`,
        flops,
        6 * c6,
        'rel',
        0.2,
        reason + (flops !== flops3 ? '; 175B row corrected from the printed 1.26e24' : ''),
      ),
    );
    rows.push(
      check(`Table A3: tokens for N = ${N.toExponential(1)}`, tokens3, c6 ** alloc.b / alloc.G, 'rel', 0.2, reason),
    );
  }
  const published = c.besiroglu2024_epoch_replication.independent_check.objective_at_hoffmann_rounded_params_sum_huber;
  const atHoffmann = huberObjectiveAt(rounded, runs);
  rows.push(
    check(
      'Huber objective at the published parameters (reconstructed data)',
      published,
      atHoffmann,
      'rel',
      1e-3,
      "Epoch's figure printed to 4 digits",
    ),
  );
  rows.push(
    check(
      '... relative to the refit (x worse)',
      published / c.besiroglu2024_epoch_replication.estimates_grid_lbfgsb_sum_huber.objective,
      atHoffmann / refitObjective,
      'rel',
      1e-3,
      'same',
    ),
  );
  const mean = meanObjectiveFit(runs, [u.log_A, u.log_B, u.log_E, u.alpha, u.beta]);
  rows.push(
    check(
      'mean-loss L-BFGS stops at alpha',
      0.339,
      mean.params.alpha!,
      'abs',
      0.002,
      "Besiroglu et al.: stops after a couple of iterations near Hoffmann's alpha 0.339",
    ),
  );
  rows.push(
    check('mean-loss L-BFGS stops at beta', 0.285, mean.params.beta!, 'abs', 0.002, "near Hoffmann's beta 0.285"),
  );
  return {
    id: 'hoffmann2022',
    paper: 'Hoffmann et al. 2022 (approach 3)',
    title: 'Hoffmann et al. 2022: Training compute-optimal large language models (approach 3)',
    citation: 'arXiv:2203.15556, App. D.2, Table 2, Table A3',
    rows,
    notes: [
      `Allocation from the published parameters: N_opt = G (C/6)^a, D_opt = (C/6)^b / G with G = (alpha A / (beta B))^(1/(alpha+beta)) = ${alloc.G.toPrecision(4)} (their eq. 4).`,
      `Averaging the Huber loss instead of summing it stops L-BFGS after ${mean.iterations} iteration(s) (${mean.message}), next to the published parameters: the early stop Besiroglu et al. 2024 identified.`,
    ],
  };
}
