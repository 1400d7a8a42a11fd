import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { criticalBatch, KAPLAN_CRITICAL_BATCH } from '../src/data/minimumSteps.ts';
import { kaplanNS } from '../src/laws/kaplan-ns.ts';
import { runCli } from './helpers/runCli.ts';

// Kaplan et al. 2020 table 3 (L(N, S) fit): N_c 6.5e13, S_c 2.1e3, alpha_N 0.077, alpha_S 0.76.
const TABLE3 = { N_c: 6.5e13, S_c: 2.1e3, alpha_N: 0.077, alpha_S: 0.76 };

/** Runs of L(N, S_min) logged as raw steps at batch B: S = S_min (1 + B_crit(L)/B) (Kaplan et al. eq. 5.4). */
function csv(withBatch: boolean): string {
  const rows: string[] = [withBatch ? 'N,steps,batch_size,loss' : 'N,steps,loss'];
  for (const N of [1e6, 4e6, 1.6e7, 6.4e7, 2.56e8, 1e9]) {
    for (const sMin of [1e3, 3e3, 1e4, 3e4, 1e5]) {
      // Batches from 2^17 to 2^21 tokens, about B_crit/4 to 4·B_crit for these losses.
      const B = 2 ** (17 + ((Math.log2(N) + Math.log10(sMin)) % 5));
      const L = kaplanNS.predict(TABLE3, { N, S: sMin });
      const S = sMin * (1 + criticalBatch(L) / B);
      rows.push(withBatch ? `${N},${S},${B},${L}` : `${N},${S},${L}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

describe('kaplan-ns reads S_min', () => {
  it('criticalBatch(L) is B*/L^(1/alpha_B) and doubles for every 13% decrease in loss, as Kaplan et al. 2020 state (section 5.1)', () => {
    expect(KAPLAN_CRITICAL_BATCH).toEqual({ bStar: 2e8, alphaB: 0.21 });
    expect(criticalBatch(3)).toBeCloseTo(2e8 / 3 ** (1 / 0.21), 6);
    // 1/0.87^(1/0.21) = 1.94: "doubling" to the 3% their rounded 13% and alpha_B allow.
    expect(criticalBatch(0.87 * 3) / criticalBatch(3)).toBeGreaterThan(1.9);
    expect(criticalBatch(0.87 * 3) / criticalBatch(3)).toBeLessThan(2.0);
  });

  it('scalefit fit --law kaplan-ns converts steps with the batch-size column and recovers table 3 exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-kaplan-ns-'));
    const file = join(dir, 'runs.csv');
    writeFileSync(file, csv(true));
    const r = await runCli(['fit', file, '--law', 'kaplan-ns', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.input.columns.S).toBe('derived: S_min = steps / (1 + B_crit(L)/B), B from "batch_size"');
    // Noise-free runs of the law in S_min: least squares on log loss recovers the generating constants to the
    // optimiser's tolerance (1e-6 relative leaves room for Levenberg-Marquardt's stopping rule).
    for (const [k, v] of Object.entries(TABLE3)) expect(Math.abs(json.params[k] / v - 1), k).toBeLessThan(1e-6);
  });

  it('scalefit fit --law kaplan-ns without a batch column takes S as S_min and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-kaplan-ns-'));
    const file = join(dir, 'runs.csv');
    writeFileSync(file, csv(false));
    const r = await runCli(['fit', file, '--law', 'kaplan-ns', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.input.warnings.join(' ')).toMatch(
      /no batch-size column .* S is taken as Kaplan et al.'s S_min, which assumes every batch was far above the critical batch/,
    );
    // Raw steps are up to 5x S_min here, so the law of S_min does not fit them as it is.
    expect(Math.abs(json.params.alpha_S / 0.76 - 1)).toBeGreaterThan(0.01);
    const text = await runCli(['fit', file, '--law', 'kaplan-ns']);
    expect(text.stdout).toMatch(/warning: no batch-size column/);
  });

  it('scalefit fit --law kaplan-ns refuses a batch cell that is not a positive number, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-kaplan-ns-'));
    const file = join(dir, 'runs.csv');
    writeFileSync(
      file,
      'N,steps,batch_size,loss\n1e8,1000,524288,3.1\n2e8,1000,n/a,3.0\n4e8,1000,524288,2.9\n8e8,2000,524288,2.7\n1e9,3000,524288,2.6\n',
    );
    const r = await runCli(['fit', file, '--law', 'kaplan-ns']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /runs\.csv:3: column "batch_size" \(batch size in tokens per step\): "n\/a" is not a positive number/,
    );
  });
});
