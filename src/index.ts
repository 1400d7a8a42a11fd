// Library entry: report (issue 5).
export { buildReport, writeReport, checkReportOverwrite } from './report/build.ts';
export type { ReportOptions, ReportResult, ReportFile } from './report/build.ts';
export { buildModel } from './report/model.ts';
export type { ReportModel } from './report/model.ts';
export { buildCharts } from './report/charts/index.ts';
export { renderSvg, svgToPng } from './report/render.ts';
export { allocate } from './report/allocation.ts';
export { publishedAllocations } from './report/published.ts';
