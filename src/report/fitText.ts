import type { FitJson } from '../io/fitJson.ts';
import type { IntervalJson } from '../io/fitJsonSchema.ts';
import { formatNumber } from '../core/formatNumber.ts';
import { wrapLine } from './wrapLine.ts';
import { lawLabel } from './lawLabel.ts';

/**
 * The fit as readable text, in the spirit of lmfit's `[[Fit Statistics]]` / `[[Variables]]` report:
 * value ± stderr (percent) where a standard error exists, and which parameters are fixed, tied or on a bound.
 */
export function fitText(fit: FitJson, wallMs?: number): string {
  const lossText =
    fit.loss.kind === 'huber'
      ? `huber (delta ${formatNumber(fit.loss.delta)})`
      : fit.loss.kind === 'huber-mle'
        ? `huber-mle (delta ${formatNumber(fit.loss.delta)}, fitted scale sigma ${formatNumber(fit.scale ?? NaN)}; objective = negative log-likelihood)`
        : fit.loss.kind;
  const lines: string[] = [];
  lines.push(`[[Model]]\n    ${lawLabel(fit.law)}: ${fit.formula}`);
  const inp = fit.input;
  const filters = [...inp.filters, ...(inp.exclude_top_loss ? [`exclude-top-loss ${inp.exclude_top_loss}`] : [])];
  lines.push('[[Data]]');
  lines.push(`    file             = ${inp.file}`);
  lines.push(
    `    rows             = ${inp.rows_read} read, ${inp.rows_dropped} dropped, ${inp.rows_kept} kept${filters.length ? ` (${filters.join('; ')})` : ''}`,
  );
  lines.push(
    `    columns          = ${Object.entries(inp.columns)
      .map(([k, v]) => `${k}<-${v}`)
      .join(', ')}`,
  );
  for (const w of inp.warnings) lines.push(`    warning: ${w}`);
  lines.push('[[Fit Statistics]]');
  lines.push(`    loss             = ${lossText} on ${fit.loss.space} loss, summed over runs`);
  lines.push(`    objective        = ${fit.objective === null ? 'n/a' : fit.objective.toPrecision(9)}`);
  lines.push(`    runs             = ${fit.n}`);
  lines.push(`    free parameters  = ${fit.n_free}`);
  lines.push(
    `    starts           = ${fit.starts.count} (${fit.starts.strategy}), ${fit.starts.converged} converged, ${fit.starts.abandoned} abandoned`,
  );
  lines.push(`    evaluations      = ${fit.nfev} (${fit.iterations} iterations)`);
  lines.push(`    converged        = ${fit.converged ? 'yes' : 'NO'}: ${fit.message}`);
  const ident = fit.identifiability;
  if (ident) lines.push(`    status           = ${ident.status}`);
  lines.push(
    `    AIC, BIC         = ${formatNumber(fit.aic)}, ${formatNumber(fit.bic)} (Gaussian, from the RSS ${formatNumber(fit.rss)})`,
  );
  if (fit.log_likelihood !== undefined && fit.log_likelihood !== null)
    lines.push(
      `    log-likelihood   = ${fit.log_likelihood.toPrecision(9)} (${fit.loss.kind === 'mse' ? 'Gaussian' : 'Huber density with the fitted scale'}; compare nested fits with scalefit lrt)`,
    );
  const g = fit.goodness_of_fit;
  if (g) {
    const r2 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(6));
    lines.push(`    R^2              = ${r2(g.r2)} on loss, ${r2(g.r2_log)} on log loss (${g.runs} runs)`);
    lines.push(
      `    RMSE             = ${formatNumber(g.rmse)} on loss (nats), ${formatNumber(g.rmse_log)} on log loss`,
    );
  }
  if (wallMs !== undefined)
    lines.push(
      `    wall time        = ${wallMs < 1000 ? `${wallMs.toFixed(1)} ms` : `${(wallMs / 1000).toFixed(2)} s`}`,
    );
  lines.push('[[Parameters]]');
  const stderr = fit.stderr ?? {};
  const ci = fit.ci ?? {};
  const width = Math.max(...Object.keys(fit.params).map((k) => k.length));
  for (const [name, value] of Object.entries(fit.params)) {
    let text = `    ${name.padEnd(width)} = ${formatNumber(value).padStart(12)}`;
    const se = stderr[name];
    if (fit.fixed.includes(name)) text += '  (fixed)';
    else if (fit.tied[name]) text += `  (tied to ${fit.tied[name]})`;
    else if (typeof se === 'number' && Number.isFinite(se)) {
      // A heavy-tailed bootstrap (sd over 1.5x the robust spread) is summarised by the robust spread, marked so.
      const spread = heavyTailSpread(fit, name, se);
      const shown = spread ?? se;
      text += ` +/- ${formatNumber(shown, 3)} (${formatNumber(Math.abs((100 * shown) / value), 3)}%)${spread !== null ? ` robust [sd ${formatNumber(se, 3)}, heavy-tailed]` : ''}`;
    }
    const c = ci[name];
    if (c) text += `  ci [${formatNumber(c[0])}, ${formatNumber(c[1])}]`;
    if (fit.at_bound.includes(name)) text += '  AT BOUND';
    lines.push(text);
  }
  lines.push(...uncertaintyText(fit));
  lines.push(...predictionsText(fit));
  // Within 100 columns: long notes and messages wrap under their value instead of being broken by the terminal.
  return lines
    .flatMap((l) => l.split('\n'))
    .map((l) => wrapLine(l))
    .join('\n');
}

/** The bootstrap's robust spread of a parameter when its sd exceeds it by more than 1.5x (heavy tails), else null. */
export function heavyTailSpread(fit: FitJson, name: string, sd: number): number | null {
  const spread = fit.bootstrap?.params[name]?.spread;
  return typeof spread === 'number' && Number.isFinite(spread) && sd > 1.5 * spread ? spread : null;
}

function anyHeavy(fit: FitJson): boolean {
  const stderr = fit.stderr ?? {};
  return Object.entries(stderr).some(([k, v]) => typeof v === 'number' && heavyTailSpread(fit, k, v) !== null);
}

/** The `uncertainty` and `bootstrap` sections of a fit JSON as text (nothing when absent). */
function uncertaintyText(fit: FitJson): string[] {
  const u = fit.uncertainty;
  const boot = fit.bootstrap;
  if (!u) return [];
  const lines = ['[[Uncertainty]]'];
  const pct = `${formatNumber(100 * u.level)}%`;
  const shown = u.shown;
  lines.push(
    boot
      ? `    stderr, ci       = bootstrap: sd and ${pct} percentile intervals of ${boot.succeeded} refits (${boot.K} resamples of ${boot.resample}, seed ${boot.seed}${boot.failed ? `, ${boot.failed} failed` : ''})${anyHeavy(fit) ? '; "robust": half the 68% percentile interval, shown where heavy tails inflate the sd over 1.5x' : ''}`
      : shown
        ? `    stderr, ci       = none: ${shown}`
        : `    stderr, ci       = asymptotic (${u.method}), ${pct} Wald intervals on the fitted scale`,
  );
  lines.push(`    asymptotic       = ${u.method}: ${u.note}`);
  if (u.condition_number !== null)
    lines.push(`    condition number = ${formatNumber(u.condition_number, 3)} (JᵀJ with unit-scaled columns)`);
  for (const w of u.warnings) lines.push(`    warning: ${w}`);
  for (const n of u.notes ?? []) lines.push(`    note: ${n}`);
  if (u.correlation) {
    const corr = u.correlation;
    const names = Object.keys(corr);
    const cell = (a: string, b: string) => {
      const r = corr[a]?.[b];
      return typeof r === 'number' ? r.toFixed(3) : 'n/a';
    };
    const w = Math.max(...names.map((n) => n.length), 6);
    lines.push('[[Correlations]] (asymptotic)');
    lines.push(`    ${''.padEnd(w)} ${names.map((n) => n.padStart(7)).join(' ')}`);
    for (const a of names) lines.push(`    ${a.padEnd(w)} ${names.map((b) => cell(a, b).padStart(7)).join(' ')}`);
  }
  if (boot && Object.keys(boot.derived).length) {
    // Losses are predictions: [[Predictions]] gives them with the calibrated prediction interval, not this one.
    const derived = Object.entries(boot.derived).filter(([name]) => !name.startsWith('loss('));
    if (derived.length)
      lines.push(
        `[[Derived quantities]] (bootstrap ${pct} percentile intervals: confidence intervals of functions of the parameters)`,
      );
    const w = Math.max(...derived.map(([k]) => k.length));
    for (const [name, d] of derived) {
      lines.push(
        `    ${name.padEnd(w)} = ${formatNumber(d.estimate).padStart(12)} +/- ${formatNumber(d.sd, 3)}  ci [${formatNumber(d.ci[0])}, ${formatNumber(d.ci[1])}]`,
      );
    }
    const names = Object.keys(boot.derived);
    if (names.includes('a')) lines.push('    a, b: the exponents of N_opt ∝ C^a and D_opt ∝ C^b under C = 6ND');
    if (names.includes('G')) {
      lines.push('    G: the factor in N_opt = G (C/6)^a and D_opt = (C/6)^b / G, with');
      lines.push('       G = (alpha A / (beta B))^(1/(alpha+beta)) (Hoffmann et al. 2022, eq. 4)');
    }
    if (names.some((n) => n.includes('(')))
      lines.push('    units: N_opt in parameters, D_opt in tokens, C in FLOPs, loss in nats');
  }
  return lines;
}

/** "[1.89, 1.97], 12x the largest training compute" for an interval; the advice to bootstrap without one. */
function intervalPhrase(i: IntervalJson | null): string {
  if (!i) return 'interval n/a (run with --bootstrap K)';
  const far =
    i.factor !== null
      ? `${formatNumber(i.factor, 3)}x the largest training compute`
      : `${formatNumber(i.distance, 3)} decades beyond the training runs`;
  return `[${formatNumber(i.lo, 5)}, ${formatNumber(i.hi, 5)}], ${far}`;
}

/** The `predictions` section (fit --at and --compute) as text: every point estimate, with its interval when there is one. */
function predictionsText(fit: FitJson): string[] {
  const p = fit.predictions;
  if (!p) return [];
  const pct = `${formatNumber(100 * p.level)}%`;
  const lines = [`[[Predictions]] (${pct} prediction intervals)`, `    method: ${p.method}`];
  const name = (pt: Record<string, number>) =>
    Object.entries(pt)
      .filter(([k]) => ['N', 'D', 'C', 'S', 'U'].includes(k))
      .map(([k, v]) => `${k}=${formatNumber(v, 4)}`)
      .join(',');
  for (const a of p.at)
    lines.push(`    loss(${name(a.point)}) = ${formatNumber(a.predicted, 5)}  ${intervalPhrase(a.interval)}`);
  for (const c of p.compute) {
    if (c.N_opt === null || c.D_opt === null || !c.loss) {
      lines.push(
        `    C=${formatNumber(c.C, 4)}: no compute-optimal allocation (the fitted loss has no minimum along C = 6ND)`,
      );
      continue;
    }
    const ci = (x: [number | null, number | null] | null) =>
      x ? ` [${formatNumber(x[0], 4)}, ${formatNumber(x[1], 4)}]` : '';
    lines.push(
      `    C=${formatNumber(c.C, 4)}: N_opt = ${formatNumber(c.N_opt, 4)}${ci(c.N_ci)}, D_opt = ${formatNumber(c.D_opt, 4)}${ci(c.D_ci)}, ${formatNumber(c.tokens_per_param, 4)} tokens/param; loss = ${formatNumber(c.loss.predicted, 5)}  ${intervalPhrase(c.loss.interval)}`,
    );
  }
  return lines;
}
