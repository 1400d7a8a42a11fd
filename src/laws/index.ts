import { InputError } from '../core/errors.ts';
import { bnsl } from './bnsl.ts';
import { chinchilla } from './chinchilla.ts';
import { datacon } from './datacon.ts';
import { formulaLaw, isFormulaText } from './formula.ts';
import { kaplanC } from './kaplan-c.ts';
import { kaplanD } from './kaplan-d.ts';
import { kaplanN } from './kaplan-n.ts';
import { kaplanND } from './kaplan-nd.ts';
import { kaplanNS } from './kaplan-ns.ts';
import { lrAnnealing } from './lr-annealing.ts';
import { multiPower } from './multi-power.ts';
import type { Law } from '../core/law.ts';
import { withOffset } from './withOffset.ts';

const KAPLAN_LAWS = [kaplanN, kaplanD, kaplanC, kaplanND, kaplanNS];

/**
 * Every law, by name. Fitters, the CLI and reports look laws up here, so adding a law is one file plus one line.
 * Each Kaplan law also has an `-offset` variant (L = E + ...), which `getLaw(name, { offset: true })` picks.
 *
 * @example
 * import { LAWS } from 'scalefit';
 * Object.keys(LAWS).length; // → 13
 * LAWS.chinchilla.formula; // → 'L(N,D) = E + A/N^alpha + B/D^beta'
 */
export const LAWS: Record<string, Law> = {
  [chinchilla.name]: chinchilla,
  [datacon.name]: datacon,
  [bnsl.name]: bnsl,
  ...Object.fromEntries(
    KAPLAN_LAWS.flatMap((l) => [
      [l.name, l],
      [`${l.name}-offset`, withOffset(l)],
    ]),
  ),
};

/**
 * The loss-curve laws, by name: laws of a run's whole curve under its learning-rate schedule (S the step, the schedule
 * on each checkpoint). Kept apart from {@link LAWS}, whose laws need only a run's N, D, C, S or U: `scalefit fit-curves`
 * and `predict-curve` take these; `getLaw` finds both.
 *
 * @example
 * import { CURVE_LAWS } from 'scalefit';
 * Object.keys(CURVE_LAWS).join(', '); // → 'lr-annealing, multi-power'
 */
export const CURVE_LAWS: Record<string, Law> = {
  [lrAnnealing.name]: lrAnnealing,
  [multiPower.name]: multiPower,
};

/**
 * The law of a name from {@link LAWS} or {@link CURVE_LAWS} (`chinchilla`, `kaplan-n`, ...), or of a formula (`E + A/N^alpha + B/D^beta`)
 * or formula spec's JSON text: a formula law's name is its text, so fit files and worker threads get it back from the
 * name alone. `offset: true` gives a Kaplan law with an irreducible loss E added (L = E + (X_c/X)^alpha). Throws
 * InputError for an unknown name.
 *
 * @example
 * import { getLaw } from 'scalefit';
 * const hoffmann = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }; // Hoffmann et al. 2022, eq. 10
 * const law = getLaw('chinchilla');
 * law.paramNames.join(', '); // → 'E, A, B, alpha, beta'
 * // Hoffmann et al. 2022's fit (eq. 10) predicts Chinchilla (70B parameters, 1.4T tokens):
 * law.predict(hoffmann, { N: 70e9, D: 1.4e12 }); // → 1.937
 * getLaw('kaplan-n', { offset: true }).name; // → 'kaplan-n-offset'
 * getLaw('E + A/N^alpha').paramNames.join(', '); // → 'E, A, alpha'
 */
export function getLaw(name: string, o: { offset?: boolean } = {}): Law {
  const law = LAWS[name] ?? CURVE_LAWS[name] ?? (isFormulaText(name) ? formulaLaw(name) : undefined);
  if (!law) throw new InputError(`unknown law "${name}"; known laws: ${Object.keys(LAWS).join(', ')}`);
  if (!o.offset) return law;
  const withE = LAWS[`${name}-offset`];
  if (!withE)
    throw new InputError(
      `--offset: ${name} ${law.paramNames.includes('E') ? 'already has an irreducible term E' : 'has no offset variant'}; --offset applies to ${KAPLAN_LAWS.map((l) => l.name).join(', ')}`,
    );
  return withE;
}
