/**
 * What a loss-curve report shows, as plain numbers: built by the pipeline (src/pipeline/buildCurvesReport.ts) from a
 * curve fit, read by the chart builders and tables. Nothing from the user's file but run names and numbers.
 */
export interface CurvesReportModel {
  title: string;
  law: { name: string; formula: string; reference: string };
  file: string;
  params: Record<string, number>;
  /** Percentile intervals of the parameters, with a bootstrap. */
  ci?: Record<string, [number, number]>;
  level: number;
  bootstrapNote?: string;
  fitNote: string;
  curves: Array<{
    run: string;
    tokensPerStep?: number;
    steps: number[];
    lr: number[];
    observed: number[];
    fitted: number[];
  }>;
  heldOut?: {
    cut: number;
    rms: number;
    max: number;
    mean: number;
    /** Per run: the steps below the cut were fitted, the fit's curve at every checkpoint of the run. */
    curves: Array<{
      run: string;
      cutStep: number;
      steps: number[];
      observed: number[];
      predicted: number[];
      rms: number;
      max: number;
      count: number;
    }>;
  };
  predicted: Array<{ label: string; steps: number[]; lr: number[]; loss: number[]; lo?: number[]; hi?: number[] }>;
  /** Final loss of each predicted schedule and its paired difference from the first, with an interval. */
  finals: Array<{
    label: string;
    loss: number;
    lo?: number;
    hi?: number;
    diff?: number;
    diffLo?: number;
    diffHi?: number;
  }>;
}
