// The ChartRenderer port: echarts' server-side rendering to SVG (no DOM, no canvas), and resvg
// (a Rust rasteriser shipped inside npm) to PNG with the fonts of fonts.ts loaded by path.
import { Resvg } from '@resvg/resvg-js';
import { init, setPlatformAPI, use } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { TrendChart } from '../../core/trends/types.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { resolveChartFonts } from './fonts.js';
import { measureText } from './measure.js';
import { chartOption } from './option.js';

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, GraphicComponent, SVGRenderer]);
// Process-wide in echarts; nothing else in steppewatch draws with echarts.
setPlatformAPI({ measureText: measureText as never });

export const DEFAULT_CHART_SIZE = { width: 960, height: 480 } as const;
/** Bounds on a requested size, px (a chart is never a way to make the process allocate gigabytes). */
const MIN_SIDE = 200;
const MAX_SIDE = 4000;

export interface ChartRendererOptions {
  /** Font files for PNGs (default: fonts.ts's CHART_FONTS). Checked on the first PNG. */
  fontFiles?: readonly string[];
}

function checkedSize(size: { width: number; height: number } | undefined): { width: number; height: number } {
  const s = size ?? DEFAULT_CHART_SIZE;
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < MIN_SIDE || v > MAX_SIDE) throw new RangeError(`chart ${k} must be a whole number of pixels from ${MIN_SIDE} to ${MAX_SIDE} (got ${v})`);
  }
  return { width: s.width, height: s.height };
}

/**
 * echarts' SVG as it may sit inline in a page under a strict Content-Security-Policy
 * (`style-src 'self'`, web view): CSP blocks `style="…"` attributes and `<style>` elements, so
 * the text lost its size, weight and font there (titles at 16 px, legends overlapping). echarts
 * writes only font-size, font-family and font-weight in `style` (on <text>), each of which is an
 * SVG presentation attribute, which CSP does not govern; they become attributes. The `<style>`
 * element holds only hover rules (the chart is static) and is dropped. resvg reads both forms the
 * same, so PNGs do not change. A string rewrite of echarts' own fixed output format, not a
 * sanitiser: labels are escaped by echarts before this.
 */
export function cspSafeSvg(svg: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, decls: string) =>
      decls
        .split(';')
        .map((d) => {
          const i = d.indexOf(':');
          if (i < 0) return '';
          const prop = d.slice(0, i).trim().toLowerCase();
          if (!/^[a-z-]+$/.test(prop)) return '';
          // Already attribute text (echarts escaped it inside style="…"): it moves as it is.
          const value = d.slice(i + 1).trim();
          return value ? ` ${prop}="${value}"` : '';
        })
        .join(''),
    );
}

export function createChartRenderer(o: ChartRendererOptions = {}): ChartRenderer {
  let fonts: string[] | null = null;

  function svg(chart: TrendChart, size?: { width: number; height: number }): string {
    const { width, height } = checkedSize(size);
    const ec = init(null, null, { renderer: 'svg', ssr: true, width, height });
    try {
      ec.setOption(chartOption(chart));
      return cspSafeSvg(ec.renderToSVGString());
    } finally {
      // echarts keeps timers and handlers per instance; without dispose the process never exits.
      ec.dispose();
    }
  }

  return {
    svg,
    async png(chart, size) {
      fonts ??= resolveChartFonts(o.fontFiles);
      const text = svg(chart, size);
      const resvg = new Resvg(text, {
        background: '#ffffff',
        font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
      });
      return new Uint8Array(resvg.render().asPng());
    },
  };
}
