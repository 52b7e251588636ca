// What the trends commands (/trends, `trends`, spike alerts, the web view's /trends page) need:
// series and spikes for a query, and a renderer that draws a chart. Implemented by
// adapters/redis (counters, spikes) and adapters/charts (echarts SSR → SVG, resvg → PNG).
import type { ResolvedQuery } from '../core/query/index.js';
import type { ShareOfVoice, Spike, TrendChart, TrendsAnswer } from '../core/trends/types.js';

export interface TrendsRequest {
  /** Null: everything (all Central Asia articles). */
  query: ResolvedQuery | null;
  /** Days ending with `now`'s UTC day, that day included. */
  days: number;
  /** How series are split: one line per framing tag (default) or per country. */
  by?: 'tag' | 'country';
  now: Date;
}

export interface TrendsSource {
  /** Daily counts for the query (every day present, zeros included) and the spikes in the window. */
  trends(req: TrendsRequest): Promise<TrendsAnswer>;
  /** Who carries a tag over the window. */
  shareOfVoice?(req: TrendsRequest & { tag: string }): Promise<ShareOfVoice>;
  /** Spikes found since `since` (newest first), for the web view and `trends --json`. */
  spikes?(since: Date): Promise<Spike[]>;
}

export interface ChartRenderer {
  /** SVG text, self-contained (fonts by family name, no external references): the web view inlines it. */
  svg(chart: TrendChart, size?: { width: number; height: number }): string;
  /** PNG bytes for chat and `trends --png`; text in Latin, Cyrillic, Kazakh and Chinese legible. */
  png(chart: TrendChart, size?: { width: number; height: number }): Promise<Uint8Array>;
}
