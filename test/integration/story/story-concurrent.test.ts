// Two workers assigning at once on one Redis (issue 16, `--workers 2`): the assigner reads the
// candidate sets without locks and commits only if none of them was written meanwhile, else takes
// the locks and places again under them (story-assign.ts). What is guaranteed: the outcome is the
// one of a serial run, the two batches one after the other in some order — so two workers never
// both start a story for one event that a single worker would have joined.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore, type AssignInput } from '../../../src/adapters/redis/story-store.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
const other = testRedis();
afterAll(async () => {
  await redis.quit();
  await other.quit();
});

const T0 = Date.parse('2026-03-02T06:00:00Z');

/** Invented words, a distinct one for each n (as story-store.test.ts). */
function word(n: number): string {
  let x = (n * 2_654_435_761) % 456_976;
  let w = '';
  for (let k = 0; k < 4; k++) {
    w += String.fromCharCode(97 + (x % 26));
    x = Math.floor(x / 26);
  }
  return `${w}an`;
}

/**
 * Topic `i` as outlet `variant` reports it (variant 1 rewrites variant 0's title and reorders its
 * sentences), with words shared by every topic too (the country, "officials"), so the topics'
 * matching keys overlap as a real stream's do.
 */
function report(i: number, variant: number): AssignInput {
  const words = Array.from({ length: 24 }, (_, k) => word((i * 24 + k) * 7 + 1));
  const Name = (k: number) => words[k]![0]!.toUpperCase() + words[k]!.slice(1);
  const title = variant === 0 ? `${Name(0)} and ${Name(1)} ${words.slice(2, 6).join(' ')} in Kazakhstan` : `Kazakhstan: ${words.slice(3, 7).join(' ')} for ${Name(0)} ${Name(1)}`;
  const sentences = [0, 1, 2, 3].map((s) => `Officials in Astana said ${Name(0)} ${words.slice(6 + s * 4, 10 + s * 4).join(' ')} with ${Name(1)} on ${1000 + i + s} items.`);
  const text = (variant === 0 ? sentences : [...sentences].reverse()).join(' ');
  const id = `conc-${i}-${variant}`;
  const published = new Date(T0 + i * 60_000 + variant * 30 * 60_000).toISOString();
  return {
    article: { id, feedId: 'conc', outletId: `conc-outlet-${variant}`, outlet: `Outlet ${variant}`, affiliation: 'unknown', url: null, title, text, published, publishedEstimated: false, firstSeen: published },
    analysis: { id, language: 'en', countries: ['KZ'], relevance: 0.5, framings: [], summary: title, title, entities: [], regional: false },
  };
}

/** Every article's story as it stands (merged ones as their survivor). */
async function outcome(store: ReturnType<typeof createRedisStoryStore>, items: readonly AssignInput[]): Promise<string[]> {
  const of = await Promise.all(items.map((x) => store.storyOf(x.article.id)));
  const stories = await store.getMany(of.map((s) => s!));
  return stories.map((s) => s!.id);
}

describe('story store: two workers at once', () => {
  it('gives the outcome of a serial run of the two batches, in one order or the other', async () => {
    // 40 topics, two reports each: one in each worker's batch (which one: alternating)
    const topics = Array.from({ length: 40 }, (_, i) => i);
    const a = topics.map((i) => report(i, i % 2));
    const b = topics.map((i) => report(i, 1 - (i % 2)));
    const items = [...a, ...b];
    const now = new Date(T0);
    const serial = async (first: AssignInput[], second: AssignInput[]) => {
      const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('story-conc')) });
      await store.assignMany(first, now);
      await store.assignMany(second, now);
      return outcome(store, items);
    };
    const ab = await serial(a, b);
    const ba = await serial(b, a);
    // one worker alone joins the two reports of each topic across the batches
    const events = (o: string[]) => new Set(o).size;
    expect(events(ab)).toBe(topics.length);
    expect(events(ba)).toBe(topics.length);
    for (let round = 0; round < 4; round++) {
      const keys = makeKeys(uniquePrefix('story-conc'));
      const one = createRedisStoryStore({ redis, keys });
      const two = createRedisStoryStore({ redis: other, keys }); // another worker: its own connection and caches
      await Promise.all([one.assignMany(a, now), two.assignMany(b, now)]);
      const got = await outcome(one, items);
      expect(got.join() === ab.join() || got.join() === ba.join(), `round ${round}: ${events(got)} stories, serial ${events(ab)} / ${events(ba)}`).toBe(true);
    }
  }, 120_000);
});
