/**
 * src/report/render.ts in the browser app: charts are drawn by vega-embed in the page (and saved from there as SVG or
 * PNG), so the server-side renderer, with vega and resvg, is left out of the worker's bundle.
 */
export async function renderSvg(): Promise<string> {
  throw new Error('renderSvg is not available in the browser app (the page renders charts with vega-embed)');
}
export function svgToPng(): Uint8Array {
  throw new Error('svgToPng is not available in the browser app (the page renders charts with vega-embed)');
}
