// A commit that Redis ran twice (story-assign.ts, story-commit-many.lua). When the connection drops
// after Redis ran a command but before its reply came (a Redis SIGTERM or SIGKILL in the chaos
// suite), ioredis sends the unanswered commands again on the new connection
// (autoResendUnfulfilledCommands, on by default): the commit's first try, which takes the write
// lock inside the script, then runs a second time and its first run's writes are there already.
// The batch must come out as committed once: the same stories as one after another, one log entry,
// every article counted once in the document frequencies and once in its story.
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { DF_EPOCH_MS } from '../../../src/adapters/redis/story-assign.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import type { Story } from '../../../src/core/types.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const conn = testRedis();
afterAll(() => conn.quit());

const item = (id: string) => {
  const f = CENTRAL_ASIA_ITEMS.find((x) => x.id === id)!;
  return { article: fixtureArticle(f), analysis: fixtureAnalysis(f) };
};
const now = new Date(CENTRAL_ASIA_ITEMS.at(-1)!.published);

/** The next commit script call is run twice by Redis, its caller given the second run's answer (a resend after a lost reply). */
function resendNextCommit(redis: Redis): { runs: () => number } {
  const c = redis as unknown as { swStoryCommitMany: (...a: unknown[]) => Promise<unknown> };
  const take = c.swStoryCommitMany.bind(redis);
  let runs = 0;
  c.swStoryCommitMany = async (...a: unknown[]) => {
    runs += 1;
    if (runs > 1) return take(...a);
    // the arguments as sent: the caller reuses its array between tries
    const sent = structuredClone(a);
    await take(...sent);
    return take(...structuredClone(sent));
  };
  return { runs: () => runs };
}

describe('a story commit run twice by Redis (its reply lost, the command sent again)', () => {
  it('the batch is committed once: the same stories as without the resend, one log entry, each article counted once', async () => {
    const first = [item('ca-decree'), item('ca-gas')];
    const batch = [item('ca-border-1'), item('ca-rate-1'), item('ca-border-2'), item('ca-rate-2'), item('ca-rogun')];

    const refKeys = makeKeys(uniquePrefix('resend-ref'));
    const ref = createRedisStoryStore({ redis: conn, keys: refKeys });
    const expected = [(await ref.assignMany(first, now)).map((r) => r.storyId), (await ref.assignMany(batch, now)).map((r) => r.storyId)];

    const keys = makeKeys(uniquePrefix('resend'));
    const redis = testRedis();
    const store = createRedisStoryStore({ redis, keys });
    const warm = (await store.assignMany(first, now)).map((r) => r.storyId);
    const resend = resendNextCommit(redis);
    const got = await store.assignMany(batch, now);
    expect(resend.runs()).toBeGreaterThanOrEqual(2); // the second run's answer made the batch try again
    expect([warm, got.map((r) => r.storyId)]).toEqual(expected);
    // a later batch sees it as committed once
    expect((await store.assignMany(batch, now)).map((r) => r.storyId)).toEqual(expected[1]);

    const all = [...first, ...batch];
    expect(await redis.xlen(keys.storyLog)).toBe(await conn.xlen(refKeys.storyLog));
    const epoch = Math.floor(now.getTime() / DF_EPOCH_MS);
    expect(Number(await redis.hget(keys.storyDf(epoch), '#n'))).toBe(all.length);
    expect(await redis.hgetall(keys.storyDf(epoch))).toEqual(await conn.hgetall(refKeys.storyDf(epoch)));
    const ids = [...new Set(expected.flat())];
    const stories = (await redis.mget(ids.map((id) => keys.story(id)))).map((s) => JSON.parse(s!) as Story);
    const members = stories.flatMap((s) => s.articleIds);
    expect(members.sort()).toEqual(all.map((x) => x.article.id).sort());
    for (const s of stories) expect(s.outlets.length).toBe(new Set(s.outlets.map((o) => o.articleId)).size);
    await redis.quit();
  });
});
