// The process's one ChartRenderer (charts in chat replies, spike alerts, digests, `trends --png`,
// the web view). Built on first use; fonts are checked on the first PNG, so a machine without
// fonts-dejavu-core / fonts-noto-cjk runs everything else and says what to install when a chart
// is drawn.
//
// echarts and resvg are loaded on first use too, not when this module is imported: they cost a
// process ~33 MB of RSS and ~10 MB of live heap (measured, issue 16), and a worker draws a chart
// only for a spike alert or a digest, maybe never. PNGs are asynchronous, so `png()` loads them
// itself; `svg()` is synchronous (the web view's pages), so a role that draws SVGs awaits
// `loadChartRenderer()` once at its start.
import type { ChartRenderer } from '../ports/trends.js';

let loaded: ChartRenderer | null = null;
let loading: Promise<ChartRenderer> | null = null;

/** The renderer itself, loading echarts and resvg the first time. */
export function loadChartRenderer(): Promise<ChartRenderer> {
  loading ??= import('../adapters/charts/index.js').then((m) => (loaded = m.createChartRenderer()));
  return loading;
}

/** Whether echarts and resvg are loaded in this process (for tests and the memory figures). */
export function chartRendererLoaded(): boolean {
  return loaded !== null;
}

const lazy: ChartRenderer = {
  svg(chart, size) {
    if (!loaded) throw new Error('chart renderer not loaded yet: await loadChartRenderer() before drawing an SVG');
    return loaded.svg(chart, size);
  },
  async png(chart, size) {
    return (await loadChartRenderer()).png(chart, size);
  },
};

export function chartRenderer(): ChartRenderer {
  return lazy;
}
