// The feed store's guarded save (PollGuard) and the seen store's release with witnesses: what keeps
// a poll's ETag from outliving the claims and jobs Redis lost in a host crash (jobs/poll.ts;
// test/integration/pipeline/poll-lost-writes.test.ts runs the whole poll).
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisSeenStore } from '../../../src/adapters/redis/seen-store.js';
import { createRedisFeedStore } from '../../../src/adapters/redis/feed-store.js';
import type { FeedRuntime } from '../../../src/ports/stores.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('feed store: validators guarded by the poll\'s work (PollGuard)', () => {
  it('keeps a guarded feed\'s ETag only while its claim is recorded and its queued items are out of the outbox; the release waits for its witnesses', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    const seen = createRedisSeenStore(redis, keys);
    const rt = (etag: string) => ({ intervalSeconds: 600, paused: null, etag, lastModified: null, polls: 1 }) as unknown as FeedRuntime;
    await seen.claimMany([{ scope: 'o1', keys: ['guid:1'], articleId: 'o1-1', pending: 'a' }, { scope: 'o2', keys: ['guid:2'], articleId: 'o2-2', pending: 'b' }], 3600);
    // o1's item released (its witness exists); o2's not (its witness is missing): it stays.
    await redis.set(`${keys.bullPrefix}:witness`, '1');
    expect(await seen.release([{ scope: 'o1', articleId: 'o1-1' }], [`${keys.bullPrefix}:witness`])).toBe(true);
    expect(await seen.release([{ scope: 'o2', articleId: 'o2-2' }], [`${keys.bullPrefix}:missing`])).toBe(false);
    expect((await seen.pending(['o1', 'o2'])).map((p) => p.articleId)).toEqual(['o2-2']);
    const dropped = await feeds.saveManyAfterPoll([
      { id: 'a', runtime: rt('"a"'), health: { n: 1 }, guard: { claims: [{ scope: 'o1', key: 'guid:1' }], queued: [{ scope: 'o1', articleId: 'o1-1' }] } },
      { id: 'b', runtime: rt('"b"'), health: { n: 1 }, guard: { claims: [{ scope: 'o2', key: 'guid:2' }], queued: [{ scope: 'o2', articleId: 'o2-2' }] } },
      { id: 'c', runtime: rt('"c"'), health: { n: 1 }, guard: { claims: [{ scope: 'o1', key: 'guid:lost' }], queued: [] } },
      { id: 'd', runtime: rt('"d"'), health: { n: 1 } },
    ]);
    expect(dropped).toEqual(['b', 'c']);
    const fresh = createRedisFeedStore(redis, keys);
    expect(await Promise.all(['a', 'b', 'c', 'd'].map(async (id) => (await fresh.getRuntime(id))?.etag ?? null))).toEqual(['"a"', null, null, '"d"']);
    expect(await feeds.saveAfterPoll('b', rt('"b2"'), { n: 2 }, { claims: [{ scope: 'o2', key: 'guid:2' }], queued: [{ scope: 'o2', articleId: 'o2-2' }] })).toBe(false);
    await seen.release([{ scope: 'o2', articleId: 'o2-2' }]);
    expect(await feeds.saveAfterPoll('b', rt('"b3"'), { n: 3 }, { claims: [{ scope: 'o2', key: 'guid:2' }], queued: [{ scope: 'o2', articleId: 'o2-2' }] })).toBe(true);
    expect((await createRedisFeedStore(redis, keys).getRuntime('b'))?.etag).toBe('"b3"');
  });
});
