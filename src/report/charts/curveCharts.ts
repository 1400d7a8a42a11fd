import type { CurvesReportModel } from '../curvesModel.ts';
import type { Chart } from './index.ts';
import { curvesFitChart } from './curvesFit.ts';
import { curvesHeldOutChart } from './curvesHeldOut.ts';
import { curvesPredictedChart } from './curvesPredicted.ts';

/** A loss-curve report's charts in order: fitted curves, the held-out end (with --holdout), the asked schedules (with --schedule). */
export function buildCurveCharts(model: CurvesReportModel): Chart[] {
  const out: Chart[] = [{ id: 'curves-1-fit', title: 'Observed and fitted curves', spec: curvesFitChart(model) }];
  const held = curvesHeldOutChart(model);
  if (held) out.push({ id: 'curves-2-held-out', title: 'Held-out end of each curve', spec: held });
  const predicted = curvesPredictedChart(model);
  if (predicted)
    out.push({ id: 'curves-3-predicted', title: 'Predicted curves of the asked schedules', spec: predicted });
  return out;
}
