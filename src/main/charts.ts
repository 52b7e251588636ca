// The process's one ChartRenderer (charts in chat replies, spike alerts, digests, `trends --png`,
// the web view). Built on first use; fonts are checked on the first PNG, so a machine without
// fonts-dejavu-core / fonts-noto-cjk runs everything else and says what to install when a chart
// is drawn.
import { createChartRenderer } from '../adapters/charts/index.js';
import type { ChartRenderer } from '../ports/trends.js';

let renderer: ChartRenderer | null = null;

export function chartRenderer(): ChartRenderer {
  renderer ??= createChartRenderer();
  return renderer;
}
