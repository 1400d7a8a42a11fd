/**
 * How much model and data grow per 10x compute when N_opt ∝ C^a and D_opt ∝ C^b: N x 10^a, D x 10^b.
 * Kaplan et al. 2020 (a = 0.73, b = 0.27) give about 5.4x model and 1.9x data (quoted as 5.5x and 1.8x);
 * Hoffmann et al. 2022 approach 3 (a = 0.46, b = 0.54) about 2.9x and 3.5x.
 *
 * @example perDecade(0.73, 0.27) // { N: 5.37..., D: 1.86... }
 */
export function perDecade(a: number, b: number): { N: number; D: number } {
  return { N: 10 ** a, D: 10 ** b };
}
