import { compareLaws } from '../../analysis/compare.ts';
import type { Holdout } from '../../analysis/compare.ts';
import { readRuns } from '../../data/readRuns.ts';
import { snakeCaseKeys } from '../../io/snakeCaseKeys.ts';
import { stableJson } from '../../io/stableJson.ts';
import { join } from 'node:path';
import { atomicWrite, checkOverwrite } from '../../io/atomicWrite.ts';
import { compareChart } from '../../report/charts/compareChart.ts';
import { compareSection } from '../../report/compareSection.ts';
import { compareText } from '../../report/compareText.ts';
import { renderSvg, svgToPng } from '../../report/render.ts';
import { defineCommand } from '../command.ts';
import {
  DATA_OPTIONS,
  FIT_OPTIONS,
  fitOptionsFrom,
  LAW_FORMULA,
  lawByName,
  lawNames,
  loadOptionsFrom,
  outputOptions,
  UNCERTAINTY_OPTIONS,
} from '../options.ts';
import { lawFormPredictions } from '../../bootstrap/lawFormPredictions.ts';
import { InputError } from '../../core/errors.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { levelText } from '../../report/model.ts';
import { parsePoint } from '../uncertaintyOptions.ts';
import { suggest } from '../didYouMean.ts';

const { law: _law, offset: _offset, ...FIT_OPTIONS_WITHOUT_LAW } = FIT_OPTIONS;

/**
 * `--laws` items: split at ";" and at commas outside parentheses, so `chinchilla,kaplan-nd` is two laws and a
 * formula's own commas (`E + A/max(N,1e6)^alpha`) stay in it.
 */
export function splitLawList(text: string): string[] {
  const out: string[] = [];
  let depth = 0,
    cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    if ((ch === ';' || ch === ',') && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** A law by name or formula; a misspelt name gets a "did you mean". */
function lawOrSuggestion(name: string) {
  if (!LAW_FORMULA.accepts(name) && !lawNames().includes(name)) {
    const close = suggest(name, lawNames());
    throw new InputError(
      `--laws: "${name}" is unknown; ${close.length ? `did you mean ${close.join(' or ')}? ` : ''}expected one of ${lawNames().join(', ')}, or ${LAW_FORMULA.text}`,
    );
  }
  return lawByName(name);
}

export const compareCommand = defineCommand({
  name: 'compare',
  usage: [
    '<data.csv> --laws chinchilla,datacon[,...] [options]',
    '<data.csv> --law chinchilla --law "FORMULA" [options]',
  ],
  description: `Fits each law to the same runs and scores them on one footing: the sum of squared log residuals and the
Gaussian AIC and BIC from it (whatever loss each law is fitted with; each fit's own objective is shown beside,
labelled), and leave-largest-out cross-validation: fit without the largest model size (or the top compute decile)
and predict it, then without the two largest, with intervals on the held-out RMSE of log loss from 1000 resamples of
the held-out runs (--seed, --level). Laws are ranked by held-out error where the held-out runs separate them, by
AIC where they do not, and a verdict says whether the ranking is decisive. A law fitted on the compute-efficient
frontier (kaplan-c) is fitted, scored and tested on the frontier runs and shown, not ranked. A law whose columns
the data lacks is skipped with a note.

Fit options apply to every law having the parameter.

--at N=..,D=.. with --bootstrap K carries the uncertainty about the law's form into a prediction: each law's
calibrated prediction interval beside their mixture, weighted by inverse held-out error (--weights heldout) or
Akaike weights (--weights aic); see docs/prediction-intervals.md.`,
  examples: [
    { command: 'scalefit compare data/epoch-chinchilla.csv --laws chinchilla,kaplan-nd --exclude-top-loss 5' },
  ],
  options: {
    laws: {
      type: 'string',
      value: 'A,B,...',
      repeatable: true,
      example: 'chinchilla,kaplan-nd',
      defaultText: 'chinchilla',
      description: 'laws to compare: names or formulas, split at commas outside parentheses and at ";" (repeatable)',
    },
    law: {
      type: 'string',
      value: 'NAME',
      repeatable: true,
      example: 'datacon',
      description: 'one law to compare, taken whole (a formula may contain commas); repeatable, with --laws',
    },
    holdout: {
      type: 'choice',
      choices: ['auto', 'size', 'compute'],
      default: 'auto',
      description: 'what "largest" means (auto: model size when N forms a grid, else compute)',
    },
    train: {
      type: 'string',
      value: 'EXPR',
      example: '"N<=1e9"',
      description: 'fit on runs matching EXPR (e.g. "N<=1e9") and test on the rest instead',
    },
    ...outputOptions(
      {
        value: 'DIR',
        description:
          'also write DIR/compare.md (the report section), DIR/compare.json and the chart of held-out error by law (DIR/charts/compare.svg, .png, .vl.json)',
      },
      'print ranking and per-law metrics as JSON',
    ),
    at: {
      ...UNCERTAINTY_OPTIONS.at,
      description: 'a point to predict with every law and their weighted mixture (needs --bootstrap K)',
    },
    bootstrap: UNCERTAINTY_OPTIONS.bootstrap,
    seed: UNCERTAINTY_OPTIONS.seed,
    workers: UNCERTAINTY_OPTIONS.workers,
    level: UNCERTAINTY_OPTIONS.level,
    weights: {
      type: 'choice',
      choices: ['heldout', 'aic'],
      default: 'heldout',
      group: 'Uncertainty options',
      description: 'law weights of --at: inverse held-out mean squared log error, or Akaike weights',
    },
    ...FIT_OPTIONS_WITHOUT_LAW,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  async run({ values, given, positionals, stdout }) {
    const out = values.out;
    const files = ['charts/compare.vl.json', 'charts/compare.svg', 'charts/compare.png', 'compare.json', 'compare.md'];
    if (out) for (const f of files) checkOverwrite(join(out, f), values.force);
    const replace = { replace: values.force };
    const names = [...values.laws.flatMap(splitLawList), ...values.law.map((l) => l.trim()).filter(Boolean)];
    const laws = [...new Set(names.length ? names : ['chinchilla'])].map(lawOrSuggestion);
    const holdout: Holdout = values.holdout;
    const fit = fitOptionsFrom(values, given);
    // Load without requiring any law's columns: a law whose columns are absent is skipped, not an error.
    // A law of S_min (kaplan-ns) reads S through the batch size; every law is then scored on those runs.
    const ds = await readRuns(positionals[0]!, {
      ...loadOptionsFrom(values, []),
      want: [...new Set(laws.flatMap((l) => l.variables))],
      minimumSteps: laws.some((l) => l.minimumSteps),
    });
    const points = values.at.map(parsePoint);
    if (points.length && !values.bootstrap)
      throw new InputError('compare --at: the law-averaged interval needs --bootstrap K (e.g. --bootstrap 100)');
    const c = compareLaws(laws, ds.runs, { holdout, train: values.train, fit, seed: values.seed, level: values.level });
    const lawForm = points.length
      ? await lawFormPredictions(c, ds.runs, fit, points, {
          K: values.bootstrap,
          seed: values.seed,
          workers: values.workers,
          level: values.level,
          weights: values.weights,
        })
      : [];
    // The library's results in the JSON outputs' snake_case (n_free, held_out_rmse, law_form); params keep their names.
    const json = stableJson(
      snakeCaseKeys(
        {
          input: { file: ds.file, sha256: ds.sha256, rows_kept: ds.runs.length },
          ...c,
          ...(lawForm.length ? { lawForm } : {}),
        },
        ['params'],
      ),
    );
    const iv = (lo: number, hi: number) => `[${formatNumber(lo, 5)}, ${formatNumber(hi, 5)}]`;
    const lawFormText = lawForm
      .map((p) =>
        [
          `Law-form uncertainty at ${Object.entries(p.point)
            .map(([k, v]) => `${k}=${formatNumber(v as number, 4)}`)
            .join(
              ', ',
            )} (${levelText(p.level)} prediction intervals; weights: ${p.weights === 'aic' ? 'Akaike' : 'inverse held-out MSE'}):`,
          ...p.laws.map(
            (l) =>
              `  ${l.law.padEnd(18)} ${formatNumber(l.predicted, 5).padStart(9)}  ${iv(l.lo, l.hi)}  weight ${formatNumber(l.weight, 3)}`,
          ),
          `  ${'averaged over laws'.padEnd(18)} ${formatNumber(p.averaged.predicted, 5).padStart(9)}  ${iv(p.averaged.lo, p.averaged.hi)}`,
          '',
        ].join('\n'),
      )
      .join('');
    if (out) {
      const spec = compareChart(c);
      const svg = await renderSvg(spec);
      atomicWrite(join(out, 'charts', 'compare.vl.json'), `${JSON.stringify(spec)}\n`, replace);
      atomicWrite(join(out, 'charts', 'compare.svg'), svg, replace);
      atomicWrite(join(out, 'charts', 'compare.png'), svgToPng(svg, 1.5), replace);
      atomicWrite(join(out, 'compare.json'), json, replace);
      atomicWrite(
        join(out, 'compare.md'),
        `${compareSection(c)}\n![Held-out error by law](charts/compare.svg)\n`,
        replace,
      );
    }
    if (values.json) stdout(json);
    else
      stdout(
        `${compareText(c)}${lawFormText ? `\n${lawFormText}` : ''}${out ? `wrote ${join(out, 'compare.md')}, compare.json, charts/compare.{svg,png,vl.json}\n` : ''}`,
      );
    return 0;
  },
});
