import { PF_DAY } from '../data/load.ts';
import type { Law, Params } from '../core/law.ts';
import { formatNumber } from '../core/formatNumber.ts';

/** The units of a law's parameters for the fit JSON (compute is always stored in FLOPs). */
export function unitsJson(law: Law): Record<string, string> {
  return { ...law.paramUnits, compute: 'FLOPs' };
}

/**
 * One line per parameter with a unit, e.g. `units: C_c in FLOPs (= 3.1e+8 PF-days)`; compute-valued parameters are
 * also shown in PF-days (1 PF-day = 8.64e19 FLOPs), the unit Kaplan et al. 2020 quote C_c in. Empty without units.
 *
 * @example unitsText(kaplanC, { C_c: 2.6784e28, alpha_C: 0.05 }) // 'units: C_c in FLOPs (= 3.1e+8 PF-days)\n'
 */
export function unitsText(law: Law, params: Params): string {
  const units = law.paramUnits ?? {};
  const parts = Object.entries(units).map(([name, unit]) =>
    unit === 'FLOPs' && params[name] !== undefined
      ? `${name} in FLOPs (= ${formatNumber(params[name]! / PF_DAY)} PF-days)`
      : `${name} in ${unit}`,
  );
  return parts.length ? `units: ${parts.join(', ')}\n` : '';
}
