// The TrendsSource the bot, `steppewatch trends` and the web view use: the trend counters kept by
// the pipeline, the spikes recorded by the spikes job, and the story store for queries
// (adapters/redis/trends-source.ts).
import { createTrendsSource } from '../adapters/redis/trends-source.js';
import type { TrendsSource } from '../ports/trends.js';
import type { Container } from './container.js';

export function containerTrendsSource(c: Pick<Container, 'stores'>): TrendsSource {
  return createTrendsSource({ counters: c.stores.trends, spikes: c.stores.trends, stories: c.stores.stories });
}
