import { seededRandom } from '../math/rng.ts';
import { PF_DAY } from '../data/load.ts';
import type { Run } from '../core/run.ts';
import { fitLaw } from '../fit/fit.ts';
import { asymptoticUncertainty } from '../fit/uncertainty.ts';
import { getLaw } from '../laws/index.ts';
import type { Params, Point } from '../core/law.ts';
import { check } from './check.ts';
import type { Check } from './check.ts';
import type { PublishedConstants } from '../data/publishedConstants.ts';

/** Multiplicative log-normal noise on generated losses: 0.5%, about the run-to-run noise of final losses. */
const RECOVERY_NOISE = 0.005;
const RUNS = 60;
/** A recovered constant passes within this many of the fit's own asymptotic standard errors. */
const Z = 4;

/** Runs whose variables are drawn log-uniformly in the given ranges, with loss = law(point) x exp(sigma z). */
function generate(
  seed: number,
  ranges: Partial<Record<'N' | 'D' | 'C', [number, number]>>,
  loss: (p: Point) => number,
): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const u = seededRandom(seed, i);
    const point: Point = {};
    for (const [k, [lo, hi]] of Object.entries(ranges) as Array<['N' | 'D' | 'C', [number, number]]>)
      point[k] = Math.exp(Math.log(lo) + u() * Math.log(hi / lo));
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    runs.push({ ...point, loss: loss(point) * Math.exp(RECOVERY_NOISE * z), tags: {}, line: i + 2 });
  }
  return runs;
}

/**
 * Kaplan et al. 2020 released no per-run data, so their constants are checked by recovery: generate runs from each
 * published law over the ranges they trained (N 1e6-1e9, D 2e7-2e10, C 1e-7-10 PF-days), fit, and compare. The
 * tolerance is 4 asymptotic standard errors of the fit itself, since the constants' uncertainty comes from the noise.
 */
export function kaplanRecovery(c: PublishedConstants): { rows: Check[]; notes: string[] } {
  const k = c.kaplan2020['single_variable_fits_sec1.2_and_appendixA'];
  const nd = c.kaplan2020.L_ND_fit_table2;
  const cases: Array<{
    law: string;
    truth: Params;
    ranges: Partial<Record<'N' | 'D' | 'C', [number, number]>>;
    scale?: Record<string, number>;
  }> = [
    { law: 'kaplan-n', truth: { N_c: k.N_c, alpha_N: k.alpha_N }, ranges: { N: [1e6, 1e9] } },
    { law: 'kaplan-d', truth: { D_c: k.D_c, alpha_D: k.alpha_D }, ranges: { D: [2e7, 2e10] } },
    // C_c is published in PF-days; the law works in FLOPs.
    {
      law: 'kaplan-c',
      truth: { C_c: k.C_c_min * PF_DAY, alpha_C: k.alpha_C_min },
      ranges: { C: [1e-7 * PF_DAY, 10 * PF_DAY] },
      scale: { C_c: 1 / PF_DAY },
    },
    {
      law: 'kaplan-nd',
      truth: { N_c: nd.N_c, D_c: nd.D_c, alpha_N: nd.alpha_N, alpha_D: nd.alpha_D },
      ranges: { N: [1e6, 1e9], D: [2e7, 2e10] },
    },
  ];
  const rows: Check[] = [];
  const notes: string[] = [];
  cases.forEach((cs, i) => {
    const law = getLaw(cs.law);
    const runs = generate(2020 + i, cs.ranges, (p) => law.predict(cs.truth, p));
    const fit = fitLaw(law, runs);
    const se = asymptoticUncertainty(law, runs, fit).stderr;
    for (const [name, truth] of Object.entries(cs.truth)) {
      const s = cs.scale?.[name] ?? 1;
      const unit = s === 1 ? '' : ' (PF-days)';
      rows.push(
        check(
          `${cs.law}: ${name}${unit}`,
          truth * s,
          fit.params[name]! * s,
          'abs',
          Z * (se[name] ?? NaN) * s,
          `${Z} standard errors of this fit (${RUNS} generated runs, ${RECOVERY_NOISE * 100}% noise)`,
        ),
      );
    }
    notes.push(`${cs.law}: ${fit.message}.`);
  });
  return { rows, notes };
}
