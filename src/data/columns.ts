/**
 * Column aliases. Headers are matched case-insensitively, with spaces, underscores and hyphens treated alike,
 * so `Model Size`, `model_size` and `model-size` all name N.
 */
export const COLUMN_ALIASES: Record<string, readonly string[]> = {
  N: ['N', 'params', 'parameters', 'n_params', 'model_size', 'Model Size', 'num_params', 'params_N'],
  D: ['D', 'tokens', 'n_tokens', 'train_tokens', 'num_tokens', 'tokens_D'],
  C: ['C', 'flops', 'compute', 'Training FLOP', 'training_flops'],
  loss: ['loss', 'val_loss', 'eval_loss', 'final_loss', 'train/loss', 'train_loss', 'eval/loss', 'val/loss'],
  S: ['S', 'steps', 'step', '_step', 'global_step', 'trainer/global_step'],
  U: ['U', 'unique_tokens', 'n_unique_tokens', 'unique_tokens_U'],
  // name and model come last: a file with run_id and model columns takes run_id as the id and keeps model as a tag.
  run: ['run', 'run_id', 'run_name', 'name', 'model', 'model_name'],
};

export const COLUMN_MEANING: Record<string, string> = {
  N: 'parameters',
  D: 'tokens',
  C: 'training FLOPs',
  loss: 'loss',
  S: 'steps',
  U: 'unique tokens',
  run: 'run id',
};

/** Fold a header for alias matching: lower case, and ' ', '_', '-' made equal. */
export function foldHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

const ALIAS_TO_CANONICAL = new Map<string, string>();
for (const [canonical, aliases] of Object.entries(COLUMN_ALIASES)) {
  for (const alias of aliases) ALIAS_TO_CANONICAL.set(foldHeader(alias), canonical);
}

/** The canonical name (N, D, C, loss, S, U, run) a header stands for, or undefined for a tag column. */
export function canonicalColumn(header: string): string | undefined {
  return ALIAS_TO_CANONICAL.get(foldHeader(header));
}
