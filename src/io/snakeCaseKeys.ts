/** `heldOutRmse` -> `held_out_rmse`, `log10Min` -> `log10_min`; symbols (`N_opt`, `K`, `alpha_N`) are left alone. */
function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z]+)/g, (_m, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

/**
 * A copy of a JSON value with every camelCase key of its objects in snake_case (docs/json-outputs.md), keys in the
 * same order. The values under the keys named in `maps` are maps keyed by names the user or a law chose (parameter
 * names, column headers): their keys are kept as they are, and their values are not walked.
 *
 * @example snakeCaseKeys({ nFree: 5, params: { logA: 1 } }, ['params']) // { n_free: 5, params: { logA: 1 } }
 */
export function snakeCaseKeys(value: unknown, maps: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCaseKeys(v, maps));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [snakeCase(k), maps.includes(k) ? v : snakeCaseKeys(v, maps)]),
  );
}
