// Prometheus metrics (prom-client), names prefixed `steppewatch_`. One registry per process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from './queues.js';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steppewatch_' });
  const jobsCompleted = new Counter({
    name: 'steppewatch_jobs_completed_total',
    help: 'Jobs completed, per queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const jobsFailed = new Counter({
    name: 'steppewatch_jobs_failed_total',
    help: 'Job attempts that failed, per queue (a retried job counts each failure)',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const polls = new Counter({
    name: 'steppewatch_polls_total',
    help: 'Feed polls by outcome (ok, not_modified, deferred, paused, or an error code such as timeout, http_404)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const articles = new Counter({
    name: 'steppewatch_articles_total',
    help: 'Feed items by fate: new (queued for analysis) or seen (dropped as a repeat)',
    labelNames: ['fate'] as const,
    registers: [registry],
  });
  const alertsDelivered = new Counter({
    name: 'steppewatch_alerts_delivered_total',
    help: 'Messages posted, per platform and kind (alert, followup, notice, digest)',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });
  const alertLatency = new Histogram({
    name: 'steppewatch_alert_latency_seconds',
    help: 'From the end of the fetch of a changed feed to the post of its alert',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const deliveriesGone = new Counter({
    name: 'steppewatch_deliveries_gone_total',
    help: 'Deliveries that found their article or story gone, after waiting for it (jobs/deliver.ts GONE_WAIT_MS), per platform',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'steppewatch_queue_jobs',
    help: 'Jobs in each queue by state (read from Redis at scrape time)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  let queues: Queues | null = null;
  return {
    registry,
    jobsCompleted,
    jobsFailed,
    polls,
    articles,
    alertsDelivered,
    alertLatency,
    deliveriesGone,
    /** Queue depths are read when /metrics is scraped. */
    watchQueues(q: Queues) {
      queues = q;
    },
    async render(): Promise<string> {
      if (queues) {
        await Promise.all(
          Object.entries(queues).map(async ([name, q]) => {
            const counts = await q.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children');
            for (const [state, n] of Object.entries(counts)) queueDepth.set({ queue: name, state }, n);
          }),
        );
      }
      return registry.metrics();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
