// A TrendsSource for tests of the chart and channel half (the Redis counters are another
// module's): answers a fixed series per request and records what it was asked.
import { dayRange } from '../../src/core/trends/chart-data.js';
import type { TrendsAnswer } from '../../src/core/trends/types.js';
import type { TrendsRequest, TrendsSource } from '../../src/ports/trends.js';

export function fixedTrendsSource(): TrendsSource & { requests: TrendsRequest[] } {
  const requests: TrendsRequest[] = [];
  return {
    requests,
    async trends(req): Promise<TrendsAnswer> {
      requests.push(req);
      const days = dayRange(req.now, req.days);
      const n = days.length;
      return {
        series: [
          { key: 'color-revolution', points: days.map((day, i) => ({ day, count: i >= n - 2 ? 12 : i % 2 })) },
          { key: 'external-interference', points: days.map((day, i) => ({ day, count: i % 3 })) },
        ],
        spikes: [{ key: 'KZ|color-revolution', at: new Date(Date.parse(`${days[n - 1]}T00:00:00Z`)).toISOString(), count: 12, baseline: 0.5, z: 11.5, stories: [] }],
      };
    },
  };
}
