// Optimistic story assignment (story-assign.ts): a batch is decided over the process's mirror
// without the write lock, then checked against what others committed meanwhile (before the lock
// on the commit's first tries, under it on the last). Two
// assigners interleave here on one Redis: B commits between A's decisions and A's lock. The
// stories must be those of the commits one after another (B's batch, then A's), whether A's
// decisions hold (B's article is about something else) or not (B's article starts the story A's
// articles join: A must decide them again).
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys, type Keys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const conns = [testRedis(), testRedis()];
afterAll(() => Promise.all(conns.map((c) => c.quit())));

const item = (id: string) => {
  const f = CENTRAL_ASIA_ITEMS.find((x) => x.id === id)!;
  return { article: fixtureArticle(f), analysis: fixtureAnalysis(f) };
};
type Item = ReturnType<typeof item>;
const now = new Date(CENTRAL_ASIA_ITEMS.at(-1)!.published);

/**
 * Runs `f(n)` before each of the next `times` tries of the commit of the store on `conn` (after its
 * decisions: each try takes the write lock in story-commit-many.lua when nothing was committed
 * since its mirror's position).
 */
function beforeCommitTries(conn: Redis, times: number, f: (n: number) => Promise<unknown>): void {
  const c = conn as unknown as { swStoryCommitMany: (...a: unknown[]) => Promise<unknown> };
  const take = c.swStoryCommitMany.bind(conn);
  let n = 0;
  c.swStoryCommitMany = async (...a: unknown[]) => {
    if (n < times) await f(n++);
    return take(...a);
  };
}

/** The story ids of `batches` assigned one after another by one store on a fresh prefix. */
async function oneAfterAnother(batches: readonly Item[][]): Promise<string[][]> {
  const store = createRedisStoryStore({ redis: conns[0]!, keys: makeKeys(uniquePrefix('optimistic-ref')) });
  const out: string[][] = [];
  for (const b of batches) out.push((await store.assignMany(b, now)).map((r) => r.storyId));
  return out;
}

/**
 * A's batch with B's batches committed between A's decisions and each of A's commit tries (one
 * batch of B's before each); both stores warmed up by a first batch of B's.
 */
async function interleaved(first: Item[], byB: Item[][], byA: Item[]) {
  const keys: Keys = makeKeys(uniquePrefix('optimistic'));
  const a = createRedisStoryStore({ redis: conns[0]!, keys });
  const b = createRedisStoryStore({ redis: conns[1]!, keys });
  const warm = (await b.assignMany(first, now)).map((r) => r.storyId);
  const fromB: string[][] = [];
  beforeCommitTries(conns[0]!, byB.length, async (n) => fromB.push((await b.assignMany(byB[n]!, now)).map((r) => r.storyId)));
  const fromA = (await a.assignMany(byA, now)).map((r) => r.storyId);
  return { ids: [warm, ...fromB, fromA], stats: a.lockStats() };
}

describe('optimistic story assignment: two assigners interleaving', () => {
  it("B starts the story A's articles join while A decides: A's check fails, it decides them again (before the lock, its commit's first try having found B's entry), and the stories are those of B's commit then A's", async () => {
    const first = [item('ca-decree')];
    const byB = [item('ca-border-1')];
    const byA = [item('ca-border-2'), item('ca-rate-1'), item('ca-border-3'), item('ca-rate-2')];
    const expected = await oneAfterAnother([first, byB, byA]);
    // what makes the case: one after another, A's first article joins B's story (A decided it
    // without B's, as a story of its own)
    expect(expected[2]![0]).toBe(expected[1]![0]);
    const got = await interleaved(first, [byB], byA);
    expect(got.ids).toEqual(expected);
    // checked before the lock (the commit's first try found B's entry), A's second try commits
    expect(got.stats.unlockedRechecks).toBe(1);
    expect(got.stats.rechecks).toBe(0);
    expect(got.stats.redecidedUnlocked).toBeGreaterThanOrEqual(1);
    // the rate story is not one B touched: its articles' decisions hold
    expect(got.stats.redecidedUnlocked).toBeLessThan(byA.length);
  });

  it("B commits before each of A's tries: the last one keeps the lock and A checks (and decides again) under it; the stories are those of every commit one after another", async () => {
    const first = [item('ca-decree')];
    // B's first two commits before the unlocked tries, the third (the story A's first article
    // joins, one after another) before the try that keeps the lock
    const byB = [[item('ca-gas')], [item('ca-rate-1')], [item('ca-border-1')]];
    const byA = [item('ca-border-2'), item('ca-rate-2'), item('ca-border-3')];
    const expected = await oneAfterAnother([first, ...byB, byA]);
    expect(expected[4]![0]).toBe(expected[3]![0]);
    expect(expected[4]![1]).toBe(expected[2]![0]);
    const got = await interleaved(first, byB, byA);
    expect(got.ids).toEqual(expected);
    expect(got.stats.unlockedRechecks).toBe(2);
    expect(got.stats.rechecks).toBe(1);
    expect(got.stats.redecidedUnlocked).toBeGreaterThanOrEqual(1);
    expect(got.stats.redecided).toBeGreaterThanOrEqual(1);
  });

  it("B commits an article about something else while A decides: A's check passes and its decisions are committed as they are", async () => {
    const first = [item('ca-decree')];
    const byB = [item('ca-gas')];
    const byA = [item('ca-rate-1'), item('ca-rate-2'), item('ca-rogun')];
    const expected = await oneAfterAnother([first, byB, byA]);
    const got = await interleaved(first, [byB], byA);
    expect(got.ids).toEqual(expected);
    expect(got.stats.unlockedRechecks).toBe(1);
    expect(got.stats.redecidedUnlocked + got.stats.redecided).toBe(0);
  });
});
