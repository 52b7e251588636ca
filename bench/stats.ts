// Small statistics for benchmark figures: percentiles of samples and {median, min, max} of repeats.

/** A figure measured several times: median and range over the repeats. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every repeat, in run order. */
  runs: number[];
}

/**
 * The p-th percentile (0..100) of `values` by the nearest-rank method: the smallest value such that
 * at least p% of the samples are ≤ it. Nearest rank never invents a value between two samples, so a
 * p99 over 40 samples is honestly the largest one. NaN for no samples.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The median: the middle value, or the mean of the two middle values for an even count. NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function spread(runs: readonly number[]): Spread {
  if (runs.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [] };
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs: [...runs] };
}

/** Rounds to `digits` decimals (for the report; NaN and infinities stay as they are). */
export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A spread rounded for the report, with its runs. One run reports as a plain number. */
export function reportSpread(s: Spread, digits = 2): number | { median: number; min: number; max: number; runs: number[] } {
  if (s.runs.length === 1) return round(s.runs[0]!, digits);
  return { median: round(s.median, digits), min: round(s.min, digits), max: round(s.max, digits), runs: s.runs.map((r) => round(r, digits)) };
}

/** The median of a figure that may be a plain number or a reported spread. */
export function central(x: number | { median: number }): number {
  return typeof x === 'number' ? x : x.median;
}
