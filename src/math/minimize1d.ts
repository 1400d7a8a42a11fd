/**
 * Minimise f on [lo, hi] by a uniform grid (to find the right basin when f is not unimodal, e.g. with an infeasible
 * region returning +Infinity) followed by golden-section search between the best grid point's neighbours.
 *
 * @example minimize1d((x) => (x - 2) ** 2, 0, 5).x // 2 (to ~1e-10)
 */
export function minimize1d(
  f: (x: number) => number,
  lo: number,
  hi: number,
  gridPoints = 400,
  tol = 1e-10,
): { x: number; f: number } {
  let bestI = 0,
    bestF = Infinity;
  const step = (hi - lo) / gridPoints;
  for (let i = 0; i <= gridPoints; i++) {
    const v = f(lo + i * step);
    if (v < bestF) {
      bestF = v;
      bestI = i;
    }
  }
  if (!Number.isFinite(bestF)) return { x: NaN, f: Infinity };
  let a = lo + Math.max(0, bestI - 1) * step;
  let b = lo + Math.min(gridPoints, bestI + 1) * step;
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a),
    d = a + r * (b - a);
  let fc = f(c),
    fd = f(d);
  while (b - a > tol * Math.max(1, Math.abs(a) + Math.abs(b))) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  const fx = f(x);
  const gx = lo + bestI * step;
  return fx <= bestF ? { x, f: fx } : { x: gx, f: bestF };
}
