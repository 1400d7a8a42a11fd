type Json = Record<string, unknown>;

/** Keys scalefit wrote in camelCase before its JSON outputs were made snake_case, per section, with their new name. */
const RENAMED: Array<{ at: (fit: Json) => unknown[]; keys: Record<string, string> }> = [
  {
    at: (f) => [f],
    keys: {
      nFree: 'n_free',
      atBound: 'at_bound',
      heldOut: 'held_out',
      logLikelihood: 'log_likelihood',
      goodnessOfFit: 'goodness_of_fit',
    },
  },
  { at: (f) => [f.goodness_of_fit], keys: { r2Log: 'r2_log', rmseLog: 'rmse_log' } },
  {
    at: (f) => [f.input],
    keys: {
      rowsRead: 'rows_read',
      rowsDropped: 'rows_dropped',
      rowsKept: 'rows_kept',
      excludeTopLoss: 'exclude_top_loss',
      computeUnit: 'compute_unit',
    },
  },
  { at: (f) => [f.uncertainty], keys: { conditionNumber: 'condition_number' } },
  { at: (f) => [f.bootstrap], keys: { notConverged: 'not_converged' } },
  { at: (f) => [f.prediction], keys: { sigmaRun: 'sigma_run', rollingOrigin: 'rolling_origin' } },
  {
    at: (f) => [field(f.prediction, 'range')],
    keys: { log10Min: 'log10_min', log10Max: 'log10_max', maxCompute: 'max_compute' },
  },
  { at: (f) => [field(f.prediction, 'rolling_origin')], keys: { logError: 'log_error' } },
  { at: (f) => list(field(f.predictions, 'compute')), keys: { tokensPerParam: 'tokens_per_param' } },
  {
    at: (f) =>
      [...list(field(f.predictions, 'at')), ...list(field(f.predictions, 'compute')).map((c) => field(c, 'loss'))].map(
        (p) => field(p, 'interval'),
      ),
    keys: { sigmaRun: 'sigma_run', sigmaParam: 'sigma_param', sigmaExtrapolation: 'sigma_extrapolation' },
  },
];

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(x: unknown, key: string): unknown {
  return isObject(x) ? x[key] : undefined;
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/** Rename keys in place, keeping their position (files stay in the order they were written); a new key wins. */
function renameKeys(o: Json, rename: (key: string) => string): void {
  const entries = Object.entries(o);
  if (!entries.some(([k]) => rename(k) !== k)) return;
  for (const [k] of entries) delete o[k];
  for (const [k, v] of entries) {
    const to = rename(k);
    if (to === k || !entries.some(([other]) => other === to)) o[to] = v;
  }
}

/**
 * A parsed fit JSON with the camelCase keys of scalefit's earlier files (`nFree`, `input.rowsKept`,
 * `prediction.rollingOrigin.logError`, `bootstrap.derived["tokensPerParam(C=...)"]`, ...) renamed to today's
 * snake_case, so a fit saved before the rename still reads. Anything else is left as it is (the schema judges it).
 * Mutates and returns `raw`.
 *
 * @example snakeCaseFitJson({ nFree: 5, input: { rowsKept: 240 } }) // { n_free: 5, input: { rows_kept: 240 } }
 */
export function snakeCaseFitJson(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  for (const { at, keys } of RENAMED) {
    for (const o of at(raw)) if (isObject(o)) renameKeys(o, (k) => (Object.hasOwn(keys, k) ? keys[k]! : k));
  }
  const derived = field(raw.bootstrap, 'derived');
  if (isObject(derived)) renameKeys(derived, (k) => k.replace(/^tokensPerParam\(/, 'tokens_per_param('));
  return raw;
}
