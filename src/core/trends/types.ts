// Shared shapes of the trends feature (issue #17): series, spikes and the charts drawn from them.
// Pure values; the counters (adapters/redis), the chart renderer (adapters/charts), the chat
// renderers and the web view all speak these, so each can be built and tested on its own.
import type { StoryCard } from '../alert/values.js';

/** One UTC day, `YYYY-MM-DD`. */
export type DayKey = string;

/** A count per day; every day of the range is present, zeros included, oldest first. */
export interface TrendPoint {
  day: DayKey;
  count: number;
}

/** One line of a chart: `KZ|color-revolution`, `state:RU|external-forces`, a tag, a country … */
export interface TrendSeries {
  key: string;
  /** What a reader sees in a legend ("Kazakhstan · color revolution"); defaults to `key`. */
  label?: string;
  points: TrendPoint[];
}

/** The expected range a series is judged against (the spike baseline), per day. */
export interface TrendBand {
  key: string;
  points: { day: DayKey; mean: number; sd: number }[];
}

/** A spike: the last 24 h of one key against the trailing 14 days before them. */
export interface Spike {
  /** `<CC>|<tag>` or `<affiliation>|<tag>`: `KZ|color-revolution`, `state:RU|color-revolution`. */
  key: string;
  /** End of the 24-hour window, ISO 8601 UTC. */
  at: string;
  count: number;
  /** Mean daily count over the 14 days before the window. */
  baseline: number;
  sd: number;
  z: number;
  /** The stories behind it, most articles first (3–6 in an alert), as `story --json` objects. */
  stories: StoryCard[];
}

/** Share of voice for one tag: who carries it. Percentages sum to ~100. */
export interface ShareOfVoice {
  tag: string;
  total: number;
  byAffiliation: { affiliation: string; count: number; percent: number }[];
  topOutlets: { outletId: string; outlet: string; affiliation: string; count: number }[];
}

/** What a chart shows: the input of the renderer (SVG for the web view, PNG for chat). */
export interface TrendChart {
  title: string;
  /** One line under the title, e.g. the query and the window. */
  subtitle?: string;
  series: TrendSeries[];
  bands?: TrendBand[];
  /** Days to mark (spike windows). */
  marks?: { day: DayKey; label: string }[];
}

/** The answer of `trends --json` (the contract in ../shared/design.md). */
export interface TrendsAnswer {
  series: TrendSeries[];
  spikes: Omit<Spike, 'sd'>[];
}
