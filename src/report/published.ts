import { PF_DAY } from '../data/load.ts';
import { chinchillaAllocation } from '../laws/chinchillaAllocation.ts';

/**
 * The published laws a report compares its allocation with: the one home of these constants in code. Each is
 * transcribed in data/published/scaling_law_constants.json with its source, and test/published.test.ts checks that
 * the two agree.
 */
export const PUBLISHED_CHINCHILLA = [
  // Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, eq. 10 / App. D.2.
  { name: 'Hoffmann et al. 2022', params: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 } },
  // Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt, eq. 4 / Table 1.
  { name: 'Besiroglu et al. 2024', params: { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 } },
] as const;

/** Kaplan et al. 2020 (Scaling Laws for Neural Language Models, eq. 1.7 / Fig. 14): N_opt = N_e C^p_N, C in PF-days. */
export const PUBLISHED_KAPLAN = { name: 'Kaplan et al. 2020', N_e: 1.3e9, p_N: 0.73 } as const;

/**
 * The published compute-optimal allocations at budget C (FLOPs): both Chinchilla fits through the closed form, and
 * Kaplan et al. 2020's N_opt = 1.3e9 C^0.73 with C in PF-days, D = C/(6N).
 *
 * @example publishedAllocations(1e24)[2] // { name: 'Kaplan et al. 2020', N_opt: ~1.5e11, ... }
 */
export function publishedAllocations(C: number): Array<{ name: string; N_opt: number; D_opt: number }> {
  const out: Array<{ name: string; N_opt: number; D_opt: number }> = PUBLISHED_CHINCHILLA.map((p) => {
    const a = chinchillaAllocation(p.params, C);
    return { name: p.name, N_opt: a.N_opt, D_opt: a.D_opt };
  });
  const kaplanN = PUBLISHED_KAPLAN.N_e * (C / PF_DAY) ** PUBLISHED_KAPLAN.p_N;
  out.push({ name: PUBLISHED_KAPLAN.name, N_opt: kaplanN, D_opt: C / (6 * kaplanN) });
  return out;
}

/** "Hoffmann et al. 2022 (E=1.69, ...), ..., Kaplan et al. 2020 (N_opt = 1.3e9 C^0.73, C in PF-days)", for notes. */
export function publishedAllocationsText(): string {
  const chinchilla = PUBLISHED_CHINCHILLA.map(
    (p) =>
      `${p.name} (${Object.entries(p.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`,
  );
  return [
    ...chinchilla,
    `${PUBLISHED_KAPLAN.name} (N_opt = ${PUBLISHED_KAPLAN.N_e.toExponential(1).replace('e+', 'e')} C^${PUBLISHED_KAPLAN.p_N}, C in PF-days)`,
  ].join(', ');
}
