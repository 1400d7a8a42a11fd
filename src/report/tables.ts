import type { FitJson } from '../io/fitJson.ts';
import { formatNumber as f } from '../core/formatNumber.ts';
import type { ReportModel } from './model.ts';
import { levelText, NO_BOOTSTRAP } from './model.ts';
import { publishedAllocationsText } from './published.ts';
import { lawLabel } from './lawLabel.ts';

/** A table as plain text cells; HTML and Markdown escape every cell when they format it. */
export interface Table {
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
  /** Text under the table (plain). */
  note?: string;
}

const interval = (lo: number | null, hi: number | null) =>
  lo === null || hi === null ? 'n/a' : `[${f(lo, 4)}, ${f(hi, 4)}]`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * One sentence on how well the train runs predicted the held-out runs, e.g. "Fitted on 217 runs (C<1e21), the law
 * predicts the 23 held-out runs with mean absolute relative error 1.20% (max 3.40%); 21 of 23 inside their 95%
 * intervals." Null when there is no backtest.
 */
export function headline(m: ReportModel): string | null {
  const b = m.backtest;
  // A fit the data do not determine leads the headline: its numbers below mean little.
  const status = !m.trust.identified && m.trust.status ? `The fit is ${m.trust.status}. ` : '';
  if (!b) return status ? status.trim() : null;
  const nTrain = m.runs.filter((r) => r.set === 'train').length;
  const coverage =
    b.inside === null
      ? NO_BOOTSTRAP
      : `${b.inside} of ${b.count} (${pct(b.inside / b.count)}) inside their ${levelText(m.level)} prediction intervals`;
  const bias =
    m.trust.heldOutOverPredicted === null ? '' : `; it over-predicted ${m.trust.heldOutOverPredicted} of ${b.count}`;
  const published = m.fit.published;
  const fitted = published
    ? `With published constants (${published.citation}), fitted on none of these runs,`
    : `Fitted on the ${nTrain} runs with ${m.train},`;
  return `${status}${fitted} the law predicts the ${b.count} held-out runs with mean absolute relative error ${pct(b.meanAbsRelError)} (max ${pct(b.maxAbsRelError)}; mean absolute error ${f(b.meanAbsError, 4)} nats); ${coverage}${bias}.`;
}

function dataTable(m: ReportModel): Table {
  const inp = m.fit.input;
  const rng = (xs: number[]) => {
    const v = xs.filter(Number.isFinite);
    return v.length ? `${f(Math.min(...v), 4)} to ${f(Math.max(...v), 4)}` : 'n/a';
  };
  const filters = [...inp.filters, ...(inp.exclude_top_loss ? [`exclude-top-loss ${inp.exclude_top_loss}`] : [])];
  const held = m.runs.filter((r) => r.set === 'held-out').length;
  const rows: string[][] = [
    ['file', inp.file],
    ['sha256', inp.sha256],
    ['rows', `${inp.rows_read} read, ${inp.rows_dropped} dropped`],
    [
      'columns',
      Object.entries(inp.columns)
        .map(([k, v]) => `${k} <- ${v}`)
        .join(', '),
    ],
    ['filters', filters.length ? filters.join('; ') : 'none'],
    ['train', m.train === null ? 'all runs (none held out, so no backtest)' : `runs with ${m.train}`],
    ['runs', `${m.runs.length - held} train, ${held} held out`],
    ['N (parameters)', rng(m.runs.map((r) => r.N))],
    ['D (tokens)', rng(m.runs.map((r) => r.D))],
    ['C (FLOPs)', rng(m.runs.map((r) => r.C))],
    ['loss', rng(m.runs.map((r) => r.loss))],
    ...inp.warnings.map((w) => ['warning', w]),
  ];
  return { id: 'data', title: 'Data', headers: ['', ''], rows };
}

function fitTable(m: ReportModel): Table {
  const fit = m.fit;
  const loss =
    fit.loss.kind === 'huber'
      ? `huber (delta ${f(fit.loss.delta)})`
      : fit.loss.kind === 'huber-mle'
        ? `huber-mle (delta ${f(fit.loss.delta)}, fitted scale ${f(fit.scale ?? NaN)})`
        : fit.loss.kind;
  return {
    id: 'fit',
    title: 'Fit',
    headers: ['', ''],
    rows: [
      ['law', `${lawLabel(m.law.name)}: ${m.formula}`],
      [
        'objective',
        `${loss} on ${fit.loss.space} loss, summed over ${fit.n} runs: ${fit.objective === null ? 'n/a' : f(fit.objective)}`,
      ],
      ['converged', `${fit.converged ? 'yes' : 'NO'}: ${fit.message}`],
      ...(m.trust.status ? [['status', m.trust.status]] : []),
      ...m.trust.warnings.map((w) => ['warning', w]),
      ['starts', `${fit.starts.count} (${fit.starts.strategy}), ${fit.starts.converged} converged`],
      ['AIC, BIC', `${f(fit.aic)}, ${f(fit.bic)}`],
      ...(fit.goodness_of_fit ? [['R², RMSE', goodnessText(fit.goodness_of_fit)]] : []),
      ['residual scatter', `${f(m.sigmaLog, 4)} (rms log residual of the train runs)`],
    ],
  };
}

function paramTable(m: ReportModel): Table {
  // The note column (fixed, tied, at bound) only when some parameter has one: an empty column reads as missing data.
  const notes = m.paramRows.some((p) => p.note !== '');
  return {
    id: 'params',
    title: 'Parameters',
    headers: ['parameter', 'value', 'stderr', `${levelText(m.level)} interval`, ...(notes ? ['note'] : [])],
    rows: m.paramRows.map((p) => [
      p.name,
      f(p.value),
      p.stderr === null ? 'n/a' : f(p.stderr, 4),
      interval(p.lo, p.hi),
      ...(notes ? [p.note] : []),
    ]),
    ...(m.bootstrap || m.paramRows.some((p) => p.lo !== null) ? {} : { note: NO_BOOTSTRAP }),
  };
}

function backtestTables(m: ReportModel): Table[] {
  const b = m.backtest;
  if (!b) return [];
  const held = m.runs.filter((r) => r.set === 'held-out').sort((x, y) => x.C - y.C);
  const rows = held.map((r) => [
    r.label ? `${r.label} (line ${r.line})` : `line ${r.line}`,
    f(r.N, 4),
    f(r.D, 4),
    f(r.C, 4),
    f(r.loss, 5),
    f(r.predicted, 5),
    interval(r.lo, r.hi),
    f(r.predicted - r.loss, 4),
    pct((r.predicted - r.loss) / r.loss),
    factorText(r.factor),
  ]);
  const summary: string[][] = [
    ['held-out runs', String(b.count)],
    ['mean absolute error', f(b.meanAbsError, 4)],
    ['max absolute error', f(b.maxAbsError, 4)],
    ['mean absolute relative error', pct(b.meanAbsRelError)],
    ['max absolute relative error', pct(b.maxAbsRelError)],
    [
      `inside ${levelText(m.level)} interval`,
      b.inside === null ? `n/a (${NO_BOOTSTRAP})` : `${b.inside} of ${b.count} (${pct(b.inside / b.count)})`,
    ],
  ];
  return [
    {
      id: 'backtest',
      title: 'Backtest: held-out runs',
      headers: [
        'run',
        'N',
        'D',
        'C',
        'actual loss',
        'predicted loss',
        `${levelText(m.level)} interval`,
        'error',
        'relative error',
        'x training compute',
      ],
      rows,
      note: `error = predicted - actual; ${INTERVAL_NOTE}`,
    },
    { id: 'backtest-summary', title: 'Backtest summary', headers: ['', ''], rows: summary },
  ];
}

function allocationTable(m: ReportModel): Table[] {
  if (!m.allocations.length) return [];
  const names = m.allocations[0]!.published.map((p) => p.name);
  return [
    {
      id: 'allocation',
      title: 'Compute-optimal allocation (C = 6ND)',
      headers: [
        'C (FLOPs)',
        'N_opt',
        `N_opt ${levelText(m.level)}`,
        'D_opt',
        `D_opt ${levelText(m.level)}`,
        'tokens per parameter',
        'loss',
        `loss ${levelText(m.level)}`,
        ...names.map((n) => `N_opt, ${n}`),
      ],
      rows: m.allocations.map((a) => [
        f(a.C, 3),
        f(a.N_opt, 4) + outside(a.N_opt, a.N_lo, a.N_hi),
        interval(a.N_lo, a.N_hi),
        f(a.D_opt, 4) + outside(a.D_opt, a.D_lo, a.D_hi),
        interval(a.D_lo, a.D_hi),
        f(a.tokensPerParam, 4),
        f(a.loss, 5),
        interval(a.loss_lo, a.loss_hi),
        ...a.published.map((p) => f(p.N_opt, 4)),
      ]),
      note: `N_opt and D_opt intervals: bootstrap percentiles of each resample's own allocation (* marks an estimate outside its interval: the bootstrap distribution is skewed or shifted there, so read the interval as the spread, not as centred on the estimate). Loss: ${INTERVAL_NOTE}${m.trust.identified ? '' : ' The fit is not identified: these allocations are not determined by the data.'} Published allocations: ${publishedAllocationsText()}.${comparison(m)}`,
    },
  ];
}

/** " At 1e+26 FLOPs this fit's N_opt is 0.8x Hoffmann et al. 2022's, ..." for the largest budget ('' without one). */
export function comparison(m: ReportModel): string {
  const a = m.allocations[m.allocations.length - 1];
  if (!a) return '';
  return ` At ${f(a.C, 3)} FLOPs this fit's N_opt is ${a.published.map((p) => `${f(a.N_opt / p.N_opt, 3)}x ${p.name}'s`).join(', ')}.`;
}

function atTable(m: ReportModel): Table[] {
  if (!m.at.length) return [];
  return [
    {
      id: 'at',
      title: 'Predictions',
      headers: ['N', 'D', 'C', 'x training compute', 'predicted loss', `${levelText(m.level)} interval`],
      rows: m.at.map((a) => [
        f(a.point.N, 4),
        f(a.point.D, 4),
        f(a.point.C, 4),
        factorText(a.factor),
        f(a.predicted, 5),
        interval(a.lo, a.hi),
      ]),
      note: INTERVAL_NOTE,
    },
  ];
}

const INTERVAL_NOTE =
  'prediction intervals are calibrated on rolling-origin backtests inside the train runs and widen with the distance beyond them (docs/prediction-intervals.md).';
const factorText = (x: number | null) => (x === null ? 'n/a' : `${f(x, 3)}x`);
const outside = (x: number, lo: number | null, hi: number | null) =>
  lo !== null && hi !== null && (x < lo || x > hi) ? ' *' : '';

/**
 * "How far to trust this": the fit's status and warnings, the backtests (held out, and rolling-origin inside the train
 * runs) with their errors, coverage and bias, then per prediction its extrapolation factor and calibrated interval.
 */
function trustTables(m: ReportModel): Table[] {
  const t = m.trust;
  const b = m.backtest;
  const lvl = levelText(m.level);
  const rows: string[][] = [
    ['fit', t.status ?? `${m.fit.converged ? 'converged' : 'NOT converged'}`],
    ...t.warnings.map((w) => ['warning', w]),
    ['largest training compute', t.maxTrainCompute === null ? 'n/a' : `${f(t.maxTrainCompute, 3)} FLOPs`],
  ];
  if (b) {
    rows.push([
      'held-out backtest',
      `${b.count} runs with mean |relative error| ${pct(b.meanAbsRelError)} (max ${pct(b.maxAbsRelError)}); ${b.inside === null ? 'intervals n/a' : `${b.inside} of ${b.count} inside their ${lvl} intervals`}`,
    ]);
    if (t.heldOutOverPredicted !== null) rows.push(['held-out bias', biasText(t.heldOutOverPredicted, b.count)]);
  }
  const r = t.rollingOrigin;
  if (r) {
    rows.push([
      'rolling-origin backtest',
      `${r.folds} folds inside the train runs predicted ${r.predictions} later runs: median |log error| ${pct(r.medianAbsError)}; ${biasText(r.overPredicted, r.predictions)}`,
    ]);
    rows.push([
      'calibration',
      `at ${lvl}: spread sqrt(${f(r.calibration.floor, 3)} + ${f(r.calibration.slope, 3)}·d²) on the log scale, d in decades beyond the train runs, times ${f(r.calibration.multiplier, 4)}`,
    ]);
  } else if (m.bootstrap) {
    rows.push([
      'rolling-origin backtest',
      'none (too few runs, or a fit file written without one): the intervals have no extrapolation term',
    ]);
  } else {
    rows.push(['intervals', NO_BOOTSTRAP]);
  }
  const preds: string[][] = [
    ...m.at.map((a) => [
      `loss at N=${f(a.point.N, 3)}, D=${f(a.point.D, 3)}`,
      factorText(a.factor),
      f(a.predicted, 5),
      interval(a.lo, a.hi),
      a.lo === null ? 'n/a' : `±${pct((a.hi! - a.lo) / 2 / a.predicted)}`,
    ]),
    ...m.allocations.map((a) => [
      `loss at N_opt for C=${f(a.C, 3)}`,
      factorText(a.factor),
      f(a.loss, 5),
      interval(a.loss_lo, a.loss_hi),
      a.loss_lo === null ? 'n/a' : `±${pct((a.loss_hi! - a.loss_lo) / 2 / a.loss)}`,
    ]),
  ];
  return [
    { id: 'trust', title: 'How far to trust this', headers: ['', ''], rows },
    ...(preds.length
      ? [
          {
            id: 'trust-predictions',
            title: 'How far each prediction extrapolates',
            headers: ['prediction', 'x training compute', 'predicted loss', `${lvl} prediction interval`, 'half-width'],
            rows: preds,
            note: `x training compute = target compute over the largest training compute. ${INTERVAL_NOTE}`,
          },
        ]
      : []),
  ];
}

function biasText(over: number, n: number): string {
  const share = over / n;
  const lean =
    share >= 0.75
      ? 'mostly over-predicted (the law is too pessimistic at scale)'
      : share <= 0.25
        ? 'mostly under-predicted (the law is too optimistic at scale)'
        : 'no consistent sign';
  return `over-predicted ${over} of ${n}: ${lean}`;
}

/** Every table of the report, in order: how far to trust it first. */
export function reportTables(m: ReportModel): Table[] {
  return [
    ...trustTables(m),
    dataTable(m),
    fitTable(m),
    paramTable(m),
    ...backtestTables(m),
    ...allocationTable(m),
    ...atTable(m),
  ];
}

function goodnessText(g: NonNullable<FitJson['goodness_of_fit']>): string {
  const r2 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  return `R² ${r2(g.r2)} on loss, ${r2(g.r2_log)} on log loss; RMSE ${f(g.rmse, 4)} nats, ${f(g.rmse_log, 4)} on log loss (${g.runs} runs)`;
}
