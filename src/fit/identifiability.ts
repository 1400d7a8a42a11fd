import type { Run } from '../core/run.ts';
import type { Law, Params, Point } from '../core/law.ts';
import { completePointInPlace } from '../core/law.ts';
import { thetaOf } from './constraints.ts';

/** One reason a fit's parameters are not determined by the data. */
export interface IdentifiabilityProblem {
  /** The parameter(s) concerned, or the variable (N, D, ...) for a loss that rises with it. */
  subject: string;
  /** Short text for the status line, e.g. "E -> 0" or "alpha < 0". */
  short: string;
  /** What to do about it. */
  advice: string;
}

export interface Identifiability {
  identified: boolean;
  problems: IdentifiabilityProblem[];
  /** "converged, identified", or "converged, not identified: E -> 0; fix E (--fix E=...) or add runs ...". */
  status: string;
}

/** What the check reads from a fit (a FitResult or a fit JSON both have these). */
export interface IdentifiabilityInput {
  params: Params;
  converged: boolean;
  fixed: string[];
  tied: Record<string, string>;
  atBound: string[];
}

/** A term whose removal moves no training prediction by more than this (relative) has collapsed to nothing. */
const NEGLIGIBLE = 1e-4;
/** A log-scaled parameter beyond this has run off to infinity (the optimiser followed a flat valley). */
const RUNAWAY = 1e60;
/** An interval whose ends differ by more than this factor (three orders of magnitude) does not determine a scale. */
const SPAN = 1e3;

/**
 * Whether the data determine a fit's parameters, as a status for text, JSON and reports. A fit can meet its
 * convergence test and still mean nothing; it is "not identified" when
 * - a parameter sits on a bound (the optimum is the bound, not the data's),
 * - a parameter is not finite or a log-scaled one ran off beyond 1e60,
 * - a positive (log-scaled) parameter collapsed toward 0: setting it to 0 moves no training prediction by 1e-4
 *   relatively (E -> 0 on data that never flatten; A -> 0 when the loss does not depend on N),
 * - an exponent (a parameter named alpha... or beta...) is negative, or the fitted loss rises with a variable over the
 *   training runs (loss rising with model size),
 * - its interval (`ci`, bootstrap or asymptotic) spans more than three orders of magnitude, or for an exponent
 *   includes 0,
 * - the covariance found directions the data do not determine (`warnings` from asymptoticUncertainty that say so).
 *
 * @example identifiability(chinchilla, runs, fit).status // "converged, identified"
 */
export function identifiability(
  law: Law,
  runs: readonly Run[],
  fit: IdentifiabilityInput,
  ci: Record<string, [number, number]> = {},
  warnings: readonly string[] = [],
): Identifiability {
  const problems: IdentifiabilityProblem[] = [];
  const add = (subject: string, short: string, advice: string) => {
    if (!problems.some((p) => p.short === short)) problems.push({ subject, short, advice });
  };
  const free = law.paramNames.filter((p) => !fit.fixed.includes(p) && fit.tied[p] === undefined);
  const vars = law.variables.filter((v) => v !== 'U').join(' and ');
  const logScaled = (p: string) => Math.abs(thetaOf(law, p, 2) - thetaOf(law, p, 1) - Math.LN2) < 1e-12;
  const exponent = (p: string) => /^(alpha|beta)/.test(p);
  for (const p of fit.atBound)
    add(p, `${p} on its bound`, `widen or drop the bound on ${p} (--bounds), or fix it (--fix ${p}=...)`);
  // Predictions read a point with the law's numeric variables only, completed by C = 6ND: one scratch point refilled
  // from each run (a point object per run cost a quarter of a second and its garbage on a million-row log).
  const point: Point = {};
  const pointOf = (r: Run): Point => {
    point.N = r.N;
    point.D = r.D;
    point.C = r.C;
    point.S = r.S;
    point.U = r.U;
    completePointInPlace(point);
    return point;
  };
  const base = new Float64Array(runs.length);
  for (let i = 0; i < runs.length; i++) base[i] = law.predict(fit.params, pointOf(runs[i]!));
  for (const p of free) {
    const v = fit.params[p]!;
    if (!Number.isFinite(v) || (logScaled(p) && v > RUNAWAY)) {
      add(p, `${p} -> ${v > 0 ? 'inf' : v}`, `fix ${p} (--fix ${p}=...) or add runs over a wider range of ${vars}`);
      continue;
    }
    if (logScaled(p) && v >= 0) {
      const without = { ...fit.params, [p]: 0 };
      let moved = false;
      for (let i = 0; i < runs.length && !moved; i++)
        moved =
          Number.isFinite(base[i]!) &&
          Math.abs(law.predict(without, pointOf(runs[i]!)) - base[i]!) > NEGLIGIBLE * Math.abs(base[i]!);
      // E is the irreducible loss by convention: it shows where the loss flattens, at the largest N and D.
      const where = p === 'E' ? `larger ${vars}, where the loss flattens toward E` : `a wider range of ${vars}`;
      if (!moved && base.some((b) => Number.isFinite(b)))
        add(p, `${p} -> 0`, `fix ${p} (--fix ${p}=...) or add runs with ${where}`);
    }
    if (exponent(p) && v < 0)
      add(
        p,
        `${p} < 0`,
        `the loss rises along ${p}'s variable: check the loss column, or add runs over a wider range of ${vars}`,
      );
    const c = ci[p];
    if (c && Number.isFinite(c[0]) && Number.isFinite(c[1])) {
      if (logScaled(p) && (c[0] <= 0 ? c[1] > 0 : c[1] / c[0] > SPAN))
        add(
          p,
          `${p} interval spans ${c[0] > 0 ? `${Math.round(Math.log10(c[1] / c[0]))} orders of magnitude` : 'from 0'}`,
          `fix ${p} or add runs over a wider range of ${vars}`,
        );
      if (exponent(p) && c[0] <= 0 && c[1] > 0)
        add(p, `${p} interval includes 0`, `add runs over a wider range of ${vars}, or fix ${p}`);
    } else if (c) {
      add(p, `${p} interval not finite`, `fix ${p} or add runs over a wider range of ${vars}`);
    }
  }
  // Loss rising with a variable over the training runs (e.g. with model size): a 1% step up from each run, counted
  // until the majority is decided either way (a well-fitted law is settled after half the runs).
  // One scratch point, refilled per run (a fresh object per run and variable cost seconds on a million-row log):
  // the law's variables as the run has them, v stepped up 1%, the third of N, D, C completed from those.
  const step: Point = {};
  const majority = runs.length / 2;
  for (const v of law.variables.filter((x) => x !== 'U')) {
    let rising = 0,
      notRising = 0;
    for (let i = 0; i < runs.length && rising <= majority && notRising < runs.length - majority; i++) {
      const q = pointOf(runs[i]!);
      const x = q[v];
      if (x === undefined) {
        notRising++;
        continue;
      }
      step.N = step.D = step.C = step.S = step.U = undefined;
      for (const w of law.variables) step[w] = q[w];
      step[v] = x * 1.01;
      completePointInPlace(step);
      if (law.predict(fit.params, step) > base[i]! * (1 + 1e-12)) rising++;
      else notRising++;
    }
    if (rising > majority)
      add(
        v,
        `loss rises with ${v}`,
        `check the data (loss units, ${v} column), or add runs over a wider range of ${v}`,
      );
  }
  for (const w of warnings) {
    const m = /^not identifiable: ([^(]+?) \(/.exec(w);
    if (m)
      add(
        m[1]!,
        `${m[1]} not determined`,
        `fix or tie one of ${m[1]} (--fix, --tie), or add runs over a wider range of ${vars}`,
      );
    if (/^only one distinct/.test(w))
      add(vars, w.replace(/: .*/, ''), 'add runs at other values, or fix the parameters of that term');
  }
  const head = fit.converged ? 'converged' : 'NOT converged';
  const identified = problems.length === 0;
  const status = identified
    ? `${head}, identified`
    : `${head}, not identified: ${problems.map((p) => p.short).join(', ')}; ${problems[0]!.advice}`;
  return { identified, problems, status };
}
