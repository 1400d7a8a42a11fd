import type { BootstrapJson } from '../io/fitJsonSchema.ts';
import type { BootstrapResult } from './bootstrap.ts';

/**
 * A bootstrap result as the fit JSON's `bootstrap` section: the same figures under the JSON's snake_case keys
 * (`not_converged`, derived `tokens_per_param(C=...)`), in the order they are written.
 *
 * @example bootstrapJson(await bootstrapFit(chinchilla, runs, fit, {}, { K: 100 })).not_converged // 0
 */
export function bootstrapJson(b: BootstrapResult): BootstrapJson {
  return {
    K: b.K,
    seed: b.seed,
    level: b.level,
    resample: b.resample,
    refit: b.refit,
    succeeded: b.succeeded,
    failed: b.failed,
    not_converged: b.notConverged,
    stderr: b.stderr,
    ci: b.ci,
    covariance: b.covariance,
    params: b.params,
    derived: b.derived,
    resamples: b.resamples,
  };
}
