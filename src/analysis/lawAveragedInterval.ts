import { normalQuantile } from '../fit/uncertainty.ts';

/** One law's prediction at a point: its calibrated interval and its weight in the average. */
export interface LawPrediction {
  law: string;
  predicted: number;
  lo: number;
  hi: number;
  weight: number;
}

/**
 * Carry the uncertainty about the law's form into a prediction interval: a mixture over laws, each law's log loss a
 * normal centred on its prediction with the spread its own calibrated interval implies (half the log-width over z),
 * weighted by `weight` (normalised here), and the mixture's (1-level)/2 and (1+level)/2 quantiles found by
 * bisection. This is Bayesian model averaging with weights the caller chooses (Hoeting, Madigan, Raftery & Volinsky
 * 1999, Statistical Science 14:382): Akaike weights exp(-ΔAIC/2) (Burnham & Anderson 2002, ch. 4) or inverse held-out
 * mean squared error. Returns the averaged point (the weighted mean of log predictions) and interval.
 *
 * @example lawAveragedInterval([{ law: 'a', predicted: 2, lo: 1.9, hi: 2.1, weight: 1 }, { law: 'b', predicted: 2.2, lo: 2.1, hi: 2.3, weight: 1 }], 0.9)
 */
export function lawAveragedInterval(
  laws: readonly LawPrediction[],
  level: number,
): { predicted: number; lo: number; hi: number } {
  const total = laws.reduce((s, l) => s + l.weight, 0);
  if (!(total > 0) || laws.length === 0) throw new Error('lawAveragedInterval: no law with positive weight');
  const z = normalQuantile((1 + level) / 2);
  const parts = laws.map((l) => ({
    w: l.weight / total,
    mu: Math.log(l.predicted),
    sd: Math.max(Math.log(l.hi / l.lo) / (2 * z), 1e-12),
  }));
  const cdf = (x: number) => parts.reduce((s, p) => s + p.w * normalCdf((x - p.mu) / p.sd), 0);
  const lo0 = Math.min(...parts.map((p) => p.mu - 10 * p.sd)),
    hi0 = Math.max(...parts.map((p) => p.mu + 10 * p.sd));
  const quantile = (q: number) => {
    let a = lo0,
      b = hi0;
    for (let i = 0; i < 100; i++) {
      const m = (a + b) / 2;
      if (cdf(m) < q) a = m;
      else b = m;
    }
    return (a + b) / 2;
  };
  return {
    predicted: Math.exp(parts.reduce((s, p) => s + p.w * p.mu, 0)),
    lo: Math.exp(quantile((1 - level) / 2)),
    hi: Math.exp(quantile((1 + level) / 2)),
  };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; absolute error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
