import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { View } from 'vega';
import { ScalefitError } from '../core/errors.ts';
import type { ChartSpec } from './charts/common.ts';

/** Fonts tried for PNG text, first found wins; resvg draws no text at all without a font. */
const FONT_CANDIDATES = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', 'Liberation Sans'],
] as const;

/** A vega logger that hands warnings to `onWarn` instead of printing them (the CLI's output stays clean). */
function collectingLogger(onWarn: (message: string) => void) {
  let level = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      onWarn(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/**
 * Render a Vega-Lite spec to SVG server-side: compile with vega-lite, then a headless vega View
 * (`renderer: 'none'`) produces the SVG markup. Warnings of either go to `onWarn` (default: dropped); throws
 * ScalefitError when the spec does not compile or render.
 */
export async function renderSvg(spec: ChartSpec, onWarn: (message: string) => void = () => {}): Promise<string> {
  let view: View | undefined;
  try {
    // vega and vega-lite take most of a second to load: only the commands that draw charts pay for them.
    const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
    const log = collectingLogger(onWarn);
    const vg = compile(spec, { logger: log }).spec;
    view = new View(parse(vg), { renderer: 'none', logger: log });
    return await view.toSVG();
  } catch (e) {
    throw new ScalefitError(`cannot render chart "${String(spec.title)}": ${(e as Error).message}`);
  } finally {
    view?.finalize();
  }
}

/** Rasterise an SVG to PNG with resvg at `scale` times its size, with system fonts (sans-serif = DejaVu/Liberation). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const font = FONT_CANDIDATES.find(([path]) => existsSync(path));
  // Loaded on first use (a native module; CommonJS, so it can be required synchronously here).
  const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, ...(font ? { defaultFontFamily: font[1], sansSerifFamily: font[1] } : {}) },
  });
  return resvg.render().asPng();
}
