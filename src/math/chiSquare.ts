/**
 * P(X > x) for X chi-square with `df` degrees of freedom: the regularised upper incomplete gamma Q(df/2, x/2), by
 * its series for x < a + 1 and Lentz's continued fraction above (Numerical Recipes, 3rd ed., 6.2), to about 1e-14
 * relative. The p-value of a likelihood-ratio statistic (Wilks 1938).
 *
 * @example chiSquareSurvival(3.841458820694124, 1) // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (!(x > 0)) return x === 0 ? 1 : NaN;
  if (x === Infinity) return 0;
  const a = df / 2,
    z = x / 2;
  const logPrefix = a * Math.log(z) - z - logGamma(a);
  if (z < a + 1) {
    // P(a, z) = e^-z z^a / Gamma(a) · sum z^n / (a (a+1) ... (a+n))
    let term = 1 / a,
      sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= z / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - Math.exp(logPrefix) * sum);
  }
  const tiny = 1e-300;
  let b = z + 1 - a,
    c = 1 / tiny,
    d = 1 / b,
    h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/** log Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms: about 1e-15 relative). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}
