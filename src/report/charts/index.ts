import type { ReportModel } from '../model.ts';
import { allocationChart } from './allocation.ts';
import { bootstrapChart } from './bootstrap.ts';
import type { ChartSpec } from './common.ts';
import { contourChart } from './contours.ts';
import { isoflopChart } from './isoflop.ts';
import { lossVsComputeChart } from './lossVsCompute.ts';
import { predictedActualChart } from './predictedActual.ts';
import { residualsChart } from './residuals.ts';

export interface Chart {
  /** File stem, e.g. `1-loss-vs-compute`. */
  id: string;
  title: string;
  spec: ChartSpec;
}

/** The report's charts in order; charts that need N and D or a bootstrap are left out when the fit lacks them. */
export function buildCharts(model: ReportModel): Chart[] {
  const dataND = model.runs.every((r) => Number.isFinite(r.N) && Number.isFinite(r.D));
  const hasND = model.lawHasND && dataND;
  const out: Chart[] = [];
  const add = (id: string, title: string, spec: ChartSpec | null) => {
    if (spec) out.push({ id, title, spec });
  };
  add('1-loss-vs-compute', 'Loss against compute', lossVsComputeChart(model));
  if (hasND) {
    add('2-isoflop', 'IsoFLOP profiles', isoflopChart(model));
    add('3-contours', 'Iso-loss contours and the compute-efficient frontier', contourChart(model));
  }
  add('4-predicted-vs-actual', 'Predicted against actual loss', predictedActualChart(model));
  if (dataND) add('5-residuals', 'Residuals against N and D', residualsChart(model));
  if (hasND) add('6-allocation', 'Compute-optimal N and D', allocationChart(model));
  add('7-bootstrap', 'Bootstrap distributions of the exponents', bootstrapChart(model));
  return out;
}
