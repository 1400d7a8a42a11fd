import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intervalInputsFromFit } from '../src/analysis/intervalInputsFromFit.ts';
import { readFitJson } from '../src/io/fitJson.ts';
import { snakeCaseFitJson } from '../src/io/snakeCaseFitJson.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { runCli } from './helpers/runCli.ts';

/** A report's fit.json as scalefit wrote it before the snake_case rename (test/fixtures/old-format/SOURCE.md). */
const OLD = 'test/fixtures/old-format/report-fit.json';
const raw = JSON.parse(readFileSync(OLD, 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'scalefit-oldfit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFitJson on a file in the old camelCase spelling', () => {
  const fit = readFitJson(OLD);

  it('readFitJson(old file) renames every old key and keeps its value', () => {
    expect(fit.n_free).toBe(raw.nFree);
    expect(fit.at_bound).toEqual(raw.atBound);
    expect(fit.held_out).toBe(raw.heldOut);
    expect(fit.input).toEqual({
      file: raw.input.file,
      sha256: raw.input.sha256,
      rows_read: raw.input.rowsRead,
      rows_dropped: raw.input.rowsDropped,
      rows_kept: raw.input.rowsKept,
      columns: raw.input.columns,
      filters: raw.input.filters,
      exclude_top_loss: raw.input.excludeTopLoss,
      compute_unit: raw.input.computeUnit,
      warnings: raw.input.warnings,
    });
    expect(fit.uncertainty!.condition_number).toBe(raw.uncertainty.conditionNumber);
    expect(fit.bootstrap!.not_converged).toBe(raw.bootstrap.notConverged);
    expect(fit.bootstrap!.derived['tokens_per_param(C=1e+22)']).toEqual(
      raw.bootstrap.derived['tokensPerParam(C=1e+22)'],
    );
    expect(Object.keys(fit.bootstrap!.derived)).toEqual(
      Object.keys(raw.bootstrap.derived).map((k) => k.replace('tokensPerParam', 'tokens_per_param')),
    );
    expect(fit.prediction!.sigma_run).toBe(raw.prediction.sigmaRun);
    expect(fit.prediction!.range).toEqual({
      variables: raw.prediction.range.variables,
      log10_min: raw.prediction.range.log10Min,
      log10_max: raw.prediction.range.log10Max,
      max_compute: raw.prediction.range.maxCompute,
    });
    expect(fit.prediction!.rolling_origin.log_error).toEqual(raw.prediction.rollingOrigin.logError);
    expect(fit.predictions!.compute[0]!.tokens_per_param).toBe(raw.predictions.compute[0].tokensPerParam);
    const interval = fit.predictions!.at[0]!.interval!;
    const old = raw.predictions.at[0].interval;
    expect([interval.sigma_param, interval.sigma_run, interval.sigma_extrapolation]).toEqual([
      old.sigmaParam,
      old.sigmaRun,
      old.sigmaExtrapolation,
    ]);
    expect(fit.predictions!.compute[0]!.loss!.interval!.sigma_run).toBe(
      raw.predictions.compute[0].loss.interval.sigmaRun,
    );
  });

  it('snakeCaseFitJson(old file) leaves no camelCase key and keeps the order of the keys', () => {
    const converted = snakeCaseFitJson(structuredClone(raw)) as Record<string, unknown>;
    expect(JSON.stringify(converted)).not.toMatch(
      /"(nFree|atBound|heldOut|rows[A-Z]\w*|excludeTopLoss|computeUnit|conditionNumber|notConverged|tokensPerParam[^"]*|sigma[A-Z]\w*|log10M\w+|maxCompute|rollingOrigin|logError)":/,
    );
    expect(Object.keys(converted)).toEqual(
      Object.keys(raw).map((k) => ({ nFree: 'n_free', atBound: 'at_bound', heldOut: 'held_out' })[k] ?? k),
    );
  });

  it('intervalInputsFromFit(old file) reads its rolling-origin backtests (the prediction section, not the fallback)', () => {
    const inputs = intervalInputsFromFit(fit, chinchilla)!;
    expect(inputs.nested!.length).toBe(raw.prediction.rollingOrigin.logError.length);
    expect(inputs.nested!.length).toBeGreaterThan(0);
    expect(inputs.sigmaRun).toBe(raw.prediction.sigmaRun);
    expect(inputs.range.maxCompute).toBe(raw.prediction.range.maxCompute);
  });

  it('scalefit predict gives the same intervals from the old file and from the file report --from rewrites', async () => {
    const rewritten = join(dir, 'report');
    expect((await runCli(['report', '--from', OLD, '--out', rewritten, '--quiet'])).code).toBe(0);
    const newFile = join(rewritten, 'fit.json');
    expect(readFileSync(newFile, 'utf8')).toContain('"n_free"');
    const args = ['--N', '70B', '--D', '1.4T', '--json'];
    const fromOld = await runCli(['predict', OLD, ...args]);
    const fromNew = await runCli(['predict', newFile, ...args]);
    expect(fromOld.code).toBe(0);
    expect(fromOld.stdout).toBe(fromNew.stdout);
    expect(JSON.parse(fromOld.stdout).points[0].lo).toBeLessThan(JSON.parse(fromOld.stdout).points[0].loss);
  }, 120_000);
});

function sourceFiles(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.ts$/.test(f) ? [p] : [];
  });
}

describe('the fit JSON is typed, not cast', () => {
  it('src/ reads and builds fit JSON sections without casts (no `as unknown as FitJson`, no `fit as {`)', () => {
    const casts = sourceFiles('src').flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/as unknown as FitJson|\bfit as \{|as FitJson\b/.test(line) ? [`${f}:${i + 1}`] : [])),
    );
    expect(casts).toEqual([]);
  });
});
