import { KAPLAN_REFERENCE, kaplanPowerLaw } from './kaplanPowerLaw.ts';

/**
 * Kaplan et al. 2020 eq. 1.1: L(N) = (N_c/N)^alpha_N for models trained to convergence (N non-embedding parameters;
 * published alpha_N = 0.076, N_c = 8.8e13).
 *
 * @example kaplanN.predict({ N_c: 8.8e13, alpha_N: 0.076 }, { N: 1e9 }) // ~2.37
 */
export const kaplanN = kaplanPowerLaw({
  name: 'kaplan-n',
  title: 'Kaplan L(N) (Kaplan et al. 2020)',
  variable: 'N',
  scale: 'N_c',
  exponent: 'alpha_N',
  reference: `${KAPLAN_REFERENCE}, eq. 1.1`,
  unit: 'parameters',
  typical: [8.8e13, 0.076],
});
