// The analyse job's dependencies on a test container's stores: the real analyser and stores, the
// container's deliver queue; `over` replaces some (a counting analyser, a crash's losing stores,
// deliveries collected in an array).
import { defaultAnalyzer } from '../../src/adapters/analysis-data.js';
import { silentLogger } from '../../src/adapters/log.js';
import type { Container } from '../../src/main/container.js';
import { queueJobs } from '../../src/main/workers.js';
import type { AnalyseDeps } from '../../jobs/analyse.js';

export function analyseDepsOn(c: Container, over: Partial<AnalyseDeps> = {}): AnalyseDeps {
  return {
    analyzer: defaultAnalyzer(),
    articles: c.stores.articles,
    batches: c.stores.batches,
    stories: c.stores.stories,
    subscriptions: c.stores.subscriptions,
    mutes: c.stores.mutes,
    deliveries: c.stores.deliveries,
    enqueueDeliver: (jobs) => queueJobs(c.queues.deliver, 'deliver', jobs.map((j) => ({ data: j.payload, id: j.id }))),
    config: { alertMinRelevance: 0.3, retentionDays: 90 },
    log: silentLogger(),
    clock: () => new Date(),
    ...over,
  };
}
