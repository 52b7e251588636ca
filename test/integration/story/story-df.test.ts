// The stream document frequencies the commit writes (story-commit-many.lua: one HMGET and one HSET
// per chunk of fields instead of a HINCRBY each): counts added to what the hash holds, `#n` too,
// nothing counted twice by a retried batch, and the hash's TTL set; the same fields and values
// whichever way the counts went to the script (one JSON array, or pairs).
import { afterAll, describe, expect, it } from 'vitest';
import { storyNames } from '../../../src/adapters/analysis-data.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { DF_EPOCH_MS } from '../../../src/adapters/redis/story-assign.js';
import { dfArgument } from '../../../src/adapters/redis/story-commit.js';
import { luaScript } from '../../../src/adapters/redis/scripts.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { storyFeatures } from '../../../src/core/story/engine.js';
import { dfKeys } from '../../../src/core/story/features.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('story document frequencies', () => {
  // the counts go to the script as one argument (a JSON array), or as pairs when a field holds a
  // lone surrogate (JSON would escape it and cjson refuse it; a pair is written as UTF-8 with U+FFFD,
  // as before): both ways must count alike. An entity id can hold anything: \x1f (the separator of
  // the joined form before the JSON one) is escaped in the JSON and must come back as itself.
  it.each([
    ['fields in one JSON argument', '', false],
    ['one JSON argument, a field holding a control character', '\x1f', false],
    ['fields as pairs (a field holds a lone surrogate)', '\ud800', true],
  ])('adds each article once to every DF field it has, on top of the counts already stored (%s)', async (_, odd, pairs) => {
    const keys = makeKeys(uniquePrefix('story-df'));
    const store = createRedisStoryStore({ redis, keys });
    const now = new Date(CENTRAL_ASIA_ITEMS[0]!.published);
    const items = CENTRAL_ASIA_ITEMS.map((f) => ({ article: fixtureArticle(f), analysis: fixtureAnalysis(f) }));
    if (odd) items[1]!.analysis.entities.push({ id: `org:a${odd}b`, name: 'A B', kind: 'org' });
    expect(dfArgument(new Map(items.flatMap((x) => dfKeys(storyFeatures(x.article, x.analysis, now, { names: storyNames() })).map((k) => [k, 1] as const))))).toSatisfy((j: string | null) => (j === null) === pairs);
    const expected = new Map<string, number>();
    for (const x of items) {
      // (as Redis holds the field: UTF-8, a lone surrogate replaced)
      for (const k of new Set(dfKeys(storyFeatures(x.article, x.analysis, now, { names: storyNames() })).map((f) => Buffer.from(f).toString()))) expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    expect(expected.size).toBeGreaterThan(20);
    const dfKey = keys.storyDf(Math.floor(now.getTime() / DF_EPOCH_MS));
    // counts from before (another process's articles): added to, not replaced
    const seeded = [...expected.keys()].slice(0, 5);
    await redis.hset(dfKey, '#n', 7, ...seeded.flatMap((k, i) => [k, 10 + i]));
    await store.assignMany(items, now);
    const got = await redis.hgetall(dfKey);
    expect(got['#n']).toBe(String(7 + items.length));
    for (const [k, n] of expected) expect(Number(got[k]), k).toBe(n + (seeded.includes(k) ? 10 + seeded.indexOf(k) : 0));
    expect(Object.keys(got).length).toBe(expected.size + 1);
    expect(await redis.ttl(dfKey)).toBeGreaterThan(0);
    // a retried batch counts nothing again
    await store.assignMany(items, now);
    expect(await redis.hgetall(dfKey)).toEqual(got);
    if (odd) expect(got[`e:org:a${Buffer.from(odd).toString()}b`]).toBe('1');
  });

  // story-read-many.lua converts each distinct count once (a table of those seen): a field missing
  // from one epoch's hash or both, counts that repeat, and the same string in both hashes must all
  // sum as each field's `tonumber` did
  it('reads each field as the sum of both epochs\' counts, a missing one as 0', async () => {
    const keys = makeKeys(uniquePrefix('story-df-read'));
    const [now, prev] = [keys.storyDf(5), keys.storyDf(4)];
    await redis.hset(now, '#n', 40, 'a', 3, 'b', 3, 'c', 12, 'd', 1, 'x', 'not a number');
    await redis.hset(prev, '#n', 25, 'a', 3, 'c', 1, 'e', 12, 'f', 3);
    const sha = (await redis.script('LOAD', luaScript('story-read-many'))) as string;
    const fields = ['#n', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'x'];
    const got = (await redis.evalsha(sha, 4, now, prev, keys.storyLogGen, keys.storyLog, '', '', ...fields)) as [unknown, number[], unknown];
    expect(got[1]).toEqual([65, 6, 3, 13, 1, 12, 3, 0, 0]);
  });

  it('sends the fields then their counts as one JSON array, or null when a field holds a lone surrogate', () => {
    expect(dfArgument(new Map([['a', 1], ['б', 12], ['x\x1fy', 2]]))).toBe('["a","б","x\\u001fy",1,12,2]');
    expect(dfArgument(new Map([['a', 1], ['x\ud800y', 2]]))).toBeNull();
    expect(dfArgument(new Map([['a', 1], ['x\udc00', 2]]))).toBeNull();
    // a pair of surrogates is a character: JSON carries it as it is
    expect(dfArgument(new Map([['😀', 3]]))).toBe('["😀",3]');
  });
});
