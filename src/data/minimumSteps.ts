import { InputError } from '../core/errors.ts';
import { foldHeader } from './columns.ts';
import type { Dataset } from './types.ts';

/**
 * Kaplan et al. 2020's critical batch size (eq. 5.2 and section 1.2, eq. 1.4): B_crit(L) = B* / L^(1/alpha_B), with
 * B* ~ 2e8 tokens and alpha_B ~ 0.21 (their appendix table prints B* = 2.1e8; the text's 2e8 is used, as in
 * data/published/scaling_law_constants.json).
 */
export const KAPLAN_CRITICAL_BATCH = { bStar: 2e8, alphaB: 0.21 } as const;

/** Headers read as the batch size in tokens per step (matched like the other aliases: case, ' ', '_', '-' alike). */
export const BATCH_ALIASES = [
  'B',
  'batch',
  'batch_size',
  'batch_tokens',
  'tokens_per_step',
  'batch_size_tokens',
] as const;

/** B_crit(L) = B* / L^(1/alpha_B), tokens (Kaplan et al. 2020 eq. 5.2). */
export function criticalBatch(loss: number, c: { bStar: number; alphaB: number } = KAPLAN_CRITICAL_BATCH): number {
  return c.bStar / loss ** (1 / c.alphaB);
}

/**
 * The runs with S replaced by Kaplan et al. 2020's S_min (eq. 5.4): the steps the run would have needed at a batch
 * far above the critical one, S_min = S / (1 + B_crit(L)/B), with B the run's batch size in tokens per step (a
 * column named B, batch, batch_size, batch_tokens or tokens_per_step) and L its loss. Their L(N, S) (eq. 1.6) is a
 * law of S_min, not of the raw steps: with B near B_crit a run needs about twice the steps. Without a batch column
 * S is taken as S_min, and the dataset's warnings say so (it holds when every batch is far above B_crit(L)).
 * A batch cell that is not a positive number is refused with the line.
 *
 * @example withMinimumSteps(ds).columns.S // 'derived: S_min = steps / (1 + B_crit(L)/B), B from "batch_size"'
 */
export function withMinimumSteps(ds: Dataset, c: { bStar: number; alphaB: number } = KAPLAN_CRITICAL_BATCH): Dataset {
  const aliases = new Set(BATCH_ALIASES.map(foldHeader));
  const batch = ds.tagColumns.find((h) => aliases.has(foldHeader(h)));
  const stepsHeader = ds.columns.S ?? 'S';
  if (batch === undefined) {
    return {
      ...ds,
      warnings: [
        ...ds.warnings,
        `no batch-size column (${BATCH_ALIASES.join(', ')}; tokens per step): S is taken as Kaplan et al.'s S_min, which assumes every batch was far above the critical batch B_crit(L) = ${c.bStar.toExponential(1)}/L^(1/${c.alphaB}) tokens; at B = B_crit a run takes twice S_min steps`,
      ],
    };
  }
  const runs = ds.runs.map((r) => {
    if (r.S === undefined) return r;
    const text = r.tags[batch] ?? '';
    const B = Number(text.trim());
    if (!(B > 0) || !Number.isFinite(B))
      throw new InputError(
        `${ds.file}:${r.line}: column "${batch}" (batch size in tokens per step): "${text}" is not a positive number; fix it or drop the row with --where`,
      );
    return { ...r, S: r.S / (1 + criticalBatch(r.loss, c) / B) };
  });
  return {
    ...ds,
    runs,
    columns: { ...ds.columns, S: `derived: S_min = ${stepsHeader} / (1 + B_crit(L)/B), B from "${batch}"` },
  };
}
