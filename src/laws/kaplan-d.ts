import { KAPLAN_REFERENCE, kaplanPowerLaw } from './kaplanPowerLaw.ts';

/**
 * Kaplan et al. 2020 eq. 1.2: L(D) = (D_c/D)^alpha_D for large models trained with early stopping
 * (published alpha_D = 0.095, D_c = 5.4e13 tokens).
 *
 * @example kaplanD.predict({ D_c: 5.4e13, alpha_D: 0.095 }, { D: 1e10 }) // ~2.26
 */
export const kaplanD = kaplanPowerLaw({
  name: 'kaplan-d',
  title: 'Kaplan L(D) (Kaplan et al. 2020)',
  variable: 'D',
  scale: 'D_c',
  exponent: 'alpha_D',
  reference: `${KAPLAN_REFERENCE}, eq. 1.2`,
  unit: 'tokens',
  typical: [5.4e13, 0.095],
});
