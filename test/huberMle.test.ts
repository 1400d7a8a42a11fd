import { describe, expect, it } from 'vitest';
import { loadRuns } from '../src/data/load.ts';
import { huberMle } from '../src/fit/huberMle.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';

describe('huberMle', () => {
  it("huberMle(chinchilla, epoch runs, Hoffmann start) gives Besiroglu et al. 2024's headline estimate", () => {
    const runs = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;
    // Start and reference: Epoch's notebook (data_analysis.ipynb, cell 24) and
    // ../shared/reference/chinchilla_fit_scipy.py --epoch-mle: E 1.81686, A 482.006, B 2085.43, alpha 0.347813,
    // beta 0.365854, log sigma -12.2666.
    const r = huberMle(chinchilla, runs, [6.0073404, 6.0179186, 0.5267228, 0.33917084, 0.2849083]);
    expect(r.converged).toBe(true);
    expect(r.params.E).toBeCloseTo(1.81686, 5);
    expect(r.params.A! / 482.006).toBeCloseTo(1, 4);
    expect(r.params.B! / 2085.43).toBeCloseTo(1, 4);
    expect(r.params.alpha).toBeCloseTo(0.347813, 5);
    expect(r.params.beta).toBeCloseTo(0.365854, 5);
    expect(r.logSigma).toBeCloseTo(-12.2666, 3);
  });
});
