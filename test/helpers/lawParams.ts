import type { Law, Params } from '../../src/core/law.ts';

/**
 * Published Kaplan et al. 2020 constants (arXiv:2001.08361 sec. 1.2 and Tables 2-3; transcribed in
 * ../shared/data/published-constants/scaling_law_constants.json), C_c converted from 3.1e8 PF-days to FLOPs.
 */
export const KAPLAN_PUBLISHED: Record<string, Params> = {
  'kaplan-n': { N_c: 8.8e13, alpha_N: 0.076 },
  'kaplan-d': { D_c: 5.4e13, alpha_D: 0.095 },
  'kaplan-c': { C_c: 3.1e8 * 8.64e19, alpha_C: 0.05 },
  'kaplan-nd': { N_c: 6.4e13, D_c: 1.8e13, alpha_N: 0.076, alpha_D: 0.103 },
  'kaplan-ns': { N_c: 6.5e13, S_c: 2.1e3, alpha_N: 0.077, alpha_S: 0.76 },
};

/** Parameters in a law's natural range for law-generic tests: the typical values the law declares. */
export function typicalParams(law: Law): Params {
  return { ...law.typical };
}

/**
 * The Chinchilla coefficients Sardana et al. 2024 ("Beyond Chinchilla-Optimal", arXiv:2401.00448, ICML 2024) compute
 * with: the defaults of the authors' code (github.com/nikhilsardana/beyond-chinchilla, utils.py `ChinchillaConstants`
 * and README "Advanced Features": alpha 0.336, beta 0.283, A 406.4, B 410.7, E 1.69). Hoffmann et al. 2022 eq. 10
 * prints the exponents rounded to 0.34 and 0.28; the paper's numbers need these three-digit ones.
 */
export const SARDANA_CHINCHILLA: Params = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.336, beta: 0.283 };
