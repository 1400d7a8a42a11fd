import { KAPLAN_REFERENCE, kaplanPowerLaw } from './kaplanPowerLaw.ts';

/**
 * Kaplan et al. 2020 eq. 1.3: L(C_min) = (C_c/C_min)^alpha_C on the compute-efficient frontier (published
 * alpha_C = 0.050, C_c = 3.1e8 PF-days). C and C_c are in FLOPs here (1 PF-day = 8.64e19 FLOPs); read PF-day
 * files with --compute-unit pf-days. Fitted only on the runs of the frontier (`fitOnFrontier`), because runs
 * off the frontier used their compute inefficiently and would bias the exponent.
 *
 * @example kaplanC.predict({ C_c: 3.1e8 * 8.64e19, alpha_C: 0.05 }, { C: 8.64e19 }) // ~2.65
 */
export const kaplanC = kaplanPowerLaw({
  name: 'kaplan-c',
  title: 'Kaplan L(C_min) (Kaplan et al. 2020)',
  variable: 'C',
  scale: 'C_c',
  exponent: 'alpha_C',
  reference: `${KAPLAN_REFERENCE}, eq. 1.3 (compute-efficient frontier)`,
  unit: 'FLOPs',
  typical: [3.1e8 * 8.64e19, 0.05],
  fitOnFrontier: true,
});
