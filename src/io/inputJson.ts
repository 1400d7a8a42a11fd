import type { Dataset } from '../data/types.ts';
import type { FitJson } from './fitJsonSchema.ts';

/**
 * The `input` section of the fit JSON and of `isoflop --json`: which file (and its sha256), how many rows were read,
 * dropped and kept, the column mapping, the filters and outlier rule applied, the unit C was given in, and warnings.
 *
 * @example inputJson(loadRuns('data/epoch-chinchilla.csv')).rows_kept // 245
 */
export function inputJson(ds: Dataset): FitJson['input'] {
  return {
    file: ds.file,
    sha256: ds.sha256,
    rows_read: ds.rowsRead,
    rows_dropped: ds.rowsDropped,
    rows_kept: ds.runs.length,
    columns: ds.columns,
    filters: ds.filters,
    exclude_top_loss: ds.excludeTopLoss,
    compute_unit: ds.computeUnit,
    warnings: ds.warnings,
  };
}
