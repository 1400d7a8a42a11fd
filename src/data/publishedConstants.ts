import { readFileSync } from 'node:fs';

/** data/published/scaling_law_constants.json: hand-transcribed constants, each with its source (see SOURCE.md). */
export function publishedConstants(): PublishedConstants {
  return JSON.parse(
    readFileSync(new URL('../../data/published/scaling_law_constants.json', import.meta.url), 'utf8'),
  ) as PublishedConstants;
}

type Num = number;
export interface PublishedConstants {
  kaplan2020: {
    'single_variable_fits_sec1.2_and_appendixA': {
      alpha_N: Num;
      N_c: Num;
      alpha_D: Num;
      D_c: Num;
      alpha_C_min: Num;
      C_c_min: Num;
      alpha_S: Num;
      S_c: Num;
    };
    L_ND_fit_table2: { alpha_N: Num; alpha_D: Num; N_c: Num; D_c: Num };
    L_NS_fit_table3: { alpha_N: Num; alpha_S: Num; N_c: Num; S_c: Num };
    compute_efficient_table: { N_opt: { p_N: Num; N_e: Num }; D_opt: { p_D: Num; D_e: Num } };
  };
  hoffmann2022: {
    approach3_parametric: {
      E: Num;
      A: Num;
      B: Num;
      alpha: Num;
      beta: Num;
      unrounded_params_used_by_epoch_notebook: { log_A: Num; log_B: Num; log_E: Num; alpha: Num; beta: Num };
    };
    table2_exponents: Record<string, { a: Num; b: Num }>;
    tableA3_approach2_and_3: { rows: Num[][] };
    chinchilla_and_gopher: { chinchilla: { params: Num; tokens: Num }; gopher_compute_flops: Num };
  };
  besiroglu2024_epoch_replication: {
    estimates_mle: { A: Num; B: Num; E: Num; alpha: Num; beta: Num; log_sigma: Num };
    estimates_grid_lbfgsb_sum_huber: { A: Num; B: Num; E: Num; alpha: Num; beta: Num; objective: Num };
    standard_errors_bootstrap: { A: Num; B: Num; E: Num; alpha: Num; beta: Num };
    ci95_bootstrap_percentile: Record<'A' | 'B' | 'E' | 'alpha' | 'beta', [Num, Num]>;
    a_equals_beta_over_alpha_plus_beta: { estimate: Num; bootstrap_sd: Num };
    paper_reported_values: { E: Num; A: Num; B: Num; alpha: Num; beta: Num; a: Num };
    independent_check: { objective_at_hoffmann_rounded_params_sum_huber: Num };
  };
}
