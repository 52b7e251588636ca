// The story record's version (keys.storyVersion): the compare-and-set of the story store's commit
// compares it instead of a hash of the JSON, and records written before versions existed (no
// version key) are read and joined as version '0'.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { markLostFrom } from '../../helpers/lost-writes.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('story versions', () => {
  it('joins a story stored without a version (the old format) and versions it from then on', async () => {
    const keys = makeKeys(uniquePrefix('story-ver'));
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const first = await createRedisStoryStore({ redis, keys }).assign(fixtureArticle(src), fixtureAnalysis(src), new Date(src.published));
    expect(await redis.get(keys.storyVersion(first.storyId))).not.toBeNull();
    // as the old format left it: the record, no version
    await redis.del(keys.storyVersion(first.storyId));
    const store = createRedisStoryStore({ redis, keys });
    const copy = { ...fixtureArticle(src), id: 'old-format-join', outletId: 'outlet-x', outlet: 'Outlet X' };
    const r = await store.assign(copy, { ...fixtureAnalysis(src), id: copy.id }, new Date(src.published));
    expect(r.storyId).toBe(first.storyId);
    expect(r.story.articleIds).toEqual([src.id, copy.id]);
    expect((await store.get(first.storyId))!.articleIds).toEqual([src.id, copy.id]);
    expect(await redis.get(keys.storyVersion(first.storyId))).not.toBeNull();
  });

  it('sees a record rewritten without a version by another writer while it held it cached (old-format record: always read)', async () => {
    const keys = makeKeys(uniquePrefix('story-ver'));
    const store = createRedisStoryStore({ redis, keys });
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const first = await store.assign(fixtureArticle(src), fixtureAnalysis(src), new Date(src.published));
    const copy = (i: number) => ({ ...fixtureArticle(src), id: `v-${i}`, outletId: `outlet-${i}`, outlet: `Outlet ${i}` });
    await store.assign(copy(0), { ...fixtureAnalysis(src), id: 'v-0' }, new Date(src.published));
    // an old-format writer: changes the record and drops nothing but the version key
    const s = JSON.parse((await redis.get(keys.story(first.storyId)))!) as { headline: string };
    await redis.set(keys.story(first.storyId), JSON.stringify({ ...s, headline: 'rewritten elsewhere' }));
    await redis.del(keys.storyVersion(first.storyId));
    const r = await store.assign(copy(1), { ...fixtureAnalysis(src), id: 'v-1' }, new Date(src.published));
    expect(r.storyId).toBe(first.storyId);
    expect(r.story.headline).toBe('rewritten elsewhere');
    expect(r.story.articleIds).toEqual([src.id, 'v-0', 'v-1']);
  });

  it('fails the compare-and-set when the version moved, and re-merges: no article lost', async () => {
    const keys = makeKeys(uniquePrefix('story-ver'));
    const a = createRedisStoryStore({ redis, keys });
    const b = createRedisStoryStore({ redis: testRedis(), keys });
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const first = await a.assign(fixtureArticle(src), fixtureAnalysis(src), new Date(src.published));
    const copy = (i: number) => ({ ...fixtureArticle(src), id: `w-${i}`, outletId: `outlet-${i}`, outlet: `Outlet ${i}` });
    const vers = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await (i % 2 ? a : b).assign(copy(i), { ...fixtureAnalysis(src), id: `w-${i}` }, new Date(src.published));
      expect(r.story.articleIds).toHaveLength(i + 2);
      vers.add((await redis.get(keys.storyVersion(first.storyId)))!);
    }
    // a new version on every write, never one seen before
    expect(vers.size).toBe(4);
  });

  it('hands out no version twice when a host crash took back the last writes: a process holding a lost record reads the story anew', async () => {
    // A host crash (appendfsync everysec) takes back the version counter with the last second of
    // writes, while a process keeps the record it wrote then, cached by version. Before, the first
    // write after the restart got that version again for other bytes: the process took its lost
    // record for the story as it is, and its compare-and-set wrote it over the other's join.
    const prefix = uniquePrefix('story-ver');
    const keys = makeKeys(prefix);
    const a = createRedisStoryStore({ redis, keys });
    const b = createRedisStoryStore({ redis: testRedis(), keys });
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const at = new Date(src.published);
    const first = await a.assign(fixtureArticle(src), fixtureAnalysis(src), at);
    const copy = (id: string) => [{ ...fixtureArticle(src), id, outletId: `outlet-${id}`, outlet: `Outlet ${id}` }, { ...fixtureAnalysis(src), id }] as const;
    const crash = await markLostFrom(redis, prefix);
    expect((await a.assign(...copy('lost'), at)).story.articleIds).toEqual([src.id, 'lost']);
    await crash.lose();
    // the first write after the restart, by another process
    expect((await b.assign(...copy('kept'), at)).story.articleIds).toEqual([src.id, 'kept']);
    const r = await a.assign(...copy('later'), at);
    expect(r.storyId).toBe(first.storyId);
    expect(r.story.articleIds).toEqual([src.id, 'kept', 'later']);
    expect((await b.get(first.storyId))!.articleIds).toEqual([src.id, 'kept', 'later']);
  });
});
