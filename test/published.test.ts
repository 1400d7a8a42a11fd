import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_CHINCHILLA, PUBLISHED_KAPLAN, publishedAllocationsText } from '../src/report/published.ts';

// data/published/scaling_law_constants.json is the transcription of record (each value with its source); the report's
// comparison constants must be the same numbers, not a second copy that can drift.
const constants = JSON.parse(readFileSync('data/published/scaling_law_constants.json', 'utf8'));

describe('published constants: one home in code, equal to the transcription', () => {
  it('PUBLISHED_CHINCHILLA Hoffmann et al. 2022 equals approach3_parametric (eq. 10)', () => {
    const t = constants.hoffmann2022.approach3_parametric;
    expect(PUBLISHED_CHINCHILLA[0].params).toEqual({ E: t.E, A: t.A, B: t.B, alpha: t.alpha, beta: t.beta });
  });

  it('PUBLISHED_CHINCHILLA Besiroglu et al. 2024 equals the paper-reported values (eq. 4)', () => {
    const t = constants.besiroglu2024_epoch_replication.paper_reported_values;
    expect(PUBLISHED_CHINCHILLA[1].params).toEqual({ E: t.E, A: t.A, B: t.B, alpha: t.alpha, beta: t.beta });
  });

  it('PUBLISHED_KAPLAN equals the compute-efficient table (N_opt = N_e C^p_N, PF-days)', () => {
    const t = constants.kaplan2020.compute_efficient_table.N_opt;
    expect({ N_e: PUBLISHED_KAPLAN.N_e, p_N: PUBLISHED_KAPLAN.p_N }).toEqual({ N_e: t.N_e, p_N: t.p_N });
    expect(t.C_min_units).toBe('PF-days');
  });

  it('publishedAllocationsText() names every published law with its constants', () => {
    expect(publishedAllocationsText()).toBe(
      'Hoffmann et al. 2022 (E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28), Besiroglu et al. 2024 (E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658), Kaplan et al. 2020 (N_opt = 1.3e9 C^0.73, C in PF-days)',
    );
  });
});
