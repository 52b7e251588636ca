// The counters and histograms the pipeline records; src/adapters/metrics.ts implements them
// with prom-client (its Counter and Histogram are these) and serves /metrics.
type Labels<L extends string> = Partial<Record<L, string | number>>;

export interface CounterMetric<L extends string> {
  inc(labels: Labels<L>, value?: number): void;
}

export interface HistogramMetric {
  observe(value: number): void;
}

export interface Metrics {
  /** Jobs completed, per queue. */
  jobsCompleted: CounterMetric<'queue'>;
  /** Job attempts that failed, per queue. */
  jobsFailed: CounterMetric<'queue'>;
  /** Feed polls by outcome (ok, not_modified, deferred, paused, or an error code). */
  polls: CounterMetric<'outcome'>;
  /** Feed items by fate: new or seen. */
  articles: CounterMetric<'fate'>;
  /** Messages posted, per platform and kind. */
  alertsDelivered: CounterMetric<'platform' | 'kind'>;
  /** Seconds from the end of the fetch of a changed feed to the post of its alert. */
  alertLatency: HistogramMetric;
  /** Deliveries that found their article or story gone (after waiting for it: jobs/deliver.ts GONE_WAIT_MS), per platform. */
  deliveriesGone?: CounterMetric<'platform'>;
}
