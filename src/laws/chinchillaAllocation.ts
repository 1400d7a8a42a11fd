import type { Params } from '../core/law.ts';

/**
 * Compute-optimal allocation for the Chinchilla law under C = 6ND (Hoffmann et al. 2022, App. D.2 eq. 4):
 * G = (alpha A / (beta B))^(1/(alpha+beta)), a = beta/(alpha+beta), b = alpha/(alpha+beta),
 * N_opt(C) = G (C/6)^a, D_opt(C) = G^-1 (C/6)^b.
 *
 * @example chinchillaAllocation({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }, 5.76e23).a // 0.4516...
 */
export function chinchillaAllocation(
  p: Params,
  compute: number,
): { a: number; b: number; G: number; N_opt: number; D_opt: number } {
  const alpha = p.alpha!,
    beta = p.beta!;
  const G = ((alpha * p.A!) / (beta * p.B!)) ** (1 / (alpha + beta));
  const a = beta / (alpha + beta);
  const b = alpha / (alpha + beta);
  return { a, b, G, N_opt: G * (compute / 6) ** a, D_opt: (compute / 6) ** b / G };
}
