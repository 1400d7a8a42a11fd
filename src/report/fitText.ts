import type { FitJson } from '../io/fitJson.ts';
import { formatNumber } from '../core/formatNumber.ts';

/**
 * The fit as readable text, in the spirit of lmfit's `[[Fit Statistics]]` / `[[Variables]]` report:
 * value ± stderr (percent) where a standard error exists, and which parameters are fixed, tied or on a bound.
 */
export function fitText(fit: FitJson, wallMs?: number): string {
  const lossText = fit.loss.kind === 'huber' ? `huber (delta ${formatNumber(fit.loss.delta)})` : fit.loss.kind;
  const lines: string[] = [];
  lines.push(`[[Model]]\n    ${fit.law}: ${fit.formula}`);
  const inp = fit.input;
  const filters = [...inp.filters, ...(inp.excludeTopLoss ? [`exclude-top-loss ${inp.excludeTopLoss}`] : [])];
  lines.push('[[Data]]');
  lines.push(`    file             = ${inp.file}`);
  lines.push(`    rows             = ${inp.rowsRead} read, ${inp.rowsDropped} dropped, ${inp.rowsKept} kept${filters.length ? ` (${filters.join('; ')})` : ''}`);
  lines.push(`    columns          = ${Object.entries(inp.columns).map(([k, v]) => `${k}<-${v}`).join(', ')}`);
  for (const w of inp.warnings) lines.push(`    warning: ${w}`);
  lines.push('[[Fit Statistics]]');
  lines.push(`    loss             = ${lossText} on ${fit.loss.space} loss, summed over runs`);
  lines.push(`    objective        = ${fit.objective === null ? 'n/a' : fit.objective.toPrecision(9)}`);
  lines.push(`    runs             = ${fit.n}`);
  lines.push(`    free parameters  = ${fit.nFree}`);
  lines.push(`    starts           = ${fit.starts.count} (${fit.starts.strategy}), ${fit.starts.converged} converged, ${fit.starts.abandoned} abandoned`);
  lines.push(`    evaluations      = ${fit.nfev} (${fit.iterations} iterations)`);
  lines.push(`    converged        = ${fit.converged ? 'yes' : 'NO'}: ${fit.message}`);
  lines.push(`    AIC, BIC         = ${formatNumber(fit.aic)}, ${formatNumber(fit.bic)} (Gaussian, from the RSS ${formatNumber(fit.rss)})`);
  if (wallMs !== undefined) lines.push(`    wall time        = ${wallMs < 1000 ? `${wallMs.toFixed(1)} ms` : `${(wallMs / 1000).toFixed(2)} s`}`);
  lines.push('[[Parameters]]');
  const stderr = (fit as { stderr?: Record<string, number | null> }).stderr ?? {};
  const ci = (fit as { ci?: Record<string, [number, number]> }).ci ?? {};
  const width = Math.max(...Object.keys(fit.params).map((k) => k.length));
  for (const [name, value] of Object.entries(fit.params)) {
    let text = `    ${name.padEnd(width)} = ${formatNumber(value).padStart(12)}`;
    const se = stderr[name];
    if (fit.fixed.includes(name)) text += '  (fixed)';
    else if (fit.tied[name]) text += `  (tied to ${fit.tied[name]})`;
    else if (typeof se === 'number' && Number.isFinite(se)) text += ` +/- ${formatNumber(se, 3)} (${formatNumber(Math.abs((100 * se) / value), 3)}%)`;
    const c = ci[name];
    if (c) text += `  ci [${formatNumber(c[0])}, ${formatNumber(c[1])}]`;
    if (fit.atBound.includes(name)) text += '  AT BOUND';
    lines.push(text);
  }
  lines.push(...uncertaintyText(fit));
  return lines.join('\n');
}

interface UncertaintyJson {
  source: string;
  level: number;
  method: string;
  note: string;
  conditionNumber: number | null;
  correlation: Record<string, Record<string, number>> | null;
  warnings: string[];
  notes?: string[];
}

interface BootstrapJson {
  K: number;
  seed: number;
  resample: string;
  succeeded: number;
  failed: number;
  derived: Record<string, { estimate: number; sd: number; ci: [number, number] }>;
}

/** The `uncertainty` and `bootstrap` sections of a fit JSON as text (nothing when absent). */
function uncertaintyText(fit: FitJson): string[] {
  const u = (fit as { uncertainty?: UncertaintyJson }).uncertainty;
  const boot = (fit as { bootstrap?: BootstrapJson }).bootstrap;
  if (!u) return [];
  const lines = ['[[Uncertainty]]'];
  const pct = `${formatNumber(100 * u.level)}%`;
  lines.push(boot
    ? `    stderr, ci       = bootstrap: sd and ${pct} percentile intervals of ${boot.succeeded} refits (${boot.K} resamples of ${boot.resample}, seed ${boot.seed}${boot.failed ? `, ${boot.failed} failed` : ''})`
    : `    stderr, ci       = asymptotic (${u.method}), ${pct} Wald intervals on the fitted scale`);
  lines.push(`    asymptotic       = ${u.method}: ${u.note}`);
  if (u.conditionNumber !== null) lines.push(`    condition number = ${formatNumber(u.conditionNumber, 3)} (JᵀJ with unit-scaled columns)`);
  for (const w of u.warnings) lines.push(`    warning: ${w}`);
  for (const n of u.notes ?? []) lines.push(`    note: ${n}`);
  if (u.correlation) {
    const names = Object.keys(u.correlation);
    const w = Math.max(...names.map((n) => n.length), 6);
    lines.push('[[Correlations]] (asymptotic)');
    lines.push(`    ${''.padEnd(w)} ${names.map((n) => n.padStart(7)).join(' ')}`);
    for (const a of names) lines.push(`    ${a.padEnd(w)} ${names.map((b) => u.correlation![a]![b]!.toFixed(3).padStart(7)).join(' ')}`);
  }
  if (boot && Object.keys(boot.derived).length) {
    lines.push(`[[Derived quantities]] (bootstrap ${pct} intervals)`);
    const w = Math.max(...Object.keys(boot.derived).map((k) => k.length));
    for (const [name, d] of Object.entries(boot.derived)) {
      lines.push(`    ${name.padEnd(w)} = ${formatNumber(d.estimate).padStart(12)} +/- ${formatNumber(d.sd, 3)}  ci [${formatNumber(d.ci[0])}, ${formatNumber(d.ci[1])}]`);
    }
  }
  return lines;
}
