import type { CommandEntry } from '../command.ts';

/**
 * Every CLI command, in the order `scalefit --help` lists them. The summaries live here (not in the modules) so the
 * top-level help loads no command; a test checks that each module's own summary matches.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'fit',
    summary: 'fit a scaling law to a CSV of training runs',
    load: async () => (await import('./fit.ts')).fitCommand,
  },
  {
    name: 'inspect',
    summary: 'show what the loader makes of a CSV (columns, rows, ranges, warnings)',
    load: async () => (await import('./inspect.ts')).inspectCommand,
  },
  {
    name: 'predict',
    summary: 'predict the loss of a fitted law at given model sizes, tokens, compute',
    load: async () => (await import('./predict.ts')).predictCommand,
  },
  {
    name: 'optimal',
    summary: 'compute-optimal model size, tokens and loss for a compute budget (or the budget for a model size)',
    load: async () => (await import('./optimal.ts')).optimalCommand,
  },
  {
    name: 'isoflop',
    summary: 'compute-optimal exponents from isoFLOP profiles (Hoffmann et al. 2022 approach 2)',
    load: async () => (await import('./isoflop.ts')).isoflopCommand,
  },
  {
    name: 'envelope',
    summary: 'compute-optimal exponents from the lower envelope of loss curves (Hoffmann et al. 2022 approach 1)',
    load: async () => (await import('./isoflop.ts')).envelopeCommand,
  },
  {
    name: 'fit-curves',
    summary: 'fit a loss-curve law (multi-power, lr-annealing) to whole curves under their learning-rate schedules',
    load: async () => (await import('./fitCurves.ts')).fitCurvesCommand,
  },
  {
    name: 'predict-curve',
    summary: "predict a new schedule's loss curve (cosine, WSD with a cooldown, ...) from a curve fit, with intervals",
    load: async () => (await import('./predictCurve.ts')).predictCurveCommand,
  },
  {
    name: 'compare',
    summary: 'fit several laws and rank them by held-out error on the largest runs',
    load: async () => (await import('./compare.ts')).compareCommand,
  },
  {
    name: 'lrt',
    summary: 'likelihood-ratio test of a restricted fit (fixed or tied parameters) against the free fit',
    load: async () => (await import('./lrt.ts')).lrtCommand,
  },
  {
    name: 'optimal-datacon',
    summary: 'best model size and epochs for a compute budget when unique data is limited',
    load: async () => (await import('./optimalDatacon.ts')).optimalDataconCommand,
  },
  {
    name: 'optimal-inference',
    summary: 'inference-aware allocation: smaller, longer-trained models when inference is counted',
    load: async () => (await import('./optimalInference.ts')).optimalInferenceCommand,
  },
  {
    name: 'report',
    summary: 'fit the small runs, predict the large ones: HTML and Markdown report with charts',
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'app',
    summary: 'the browser app: drop a CSV, get the fit, charts and report offline (opens or writes one HTML file)',
    load: async () => (await import('./app.ts')).appCommand,
  },
  {
    name: 'reproduce',
    summary: 'regenerate the published scaling-law numbers from the bundled data, with verdicts',
    load: async () => (await import('./reproduce.ts')).reproduceCommand,
  },
];
