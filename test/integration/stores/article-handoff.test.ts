// The handoff's memory (src/adapters/redis/article-handoff.ts) on real Redis: an analyse job of
// the process that handed articles over takes them from memory only while Redis holds the very
// records that process wrote; any other state of a record (there before the handoff, analysed
// since by another job or process, written whole again, gone with a host crash or its TTL) is read
// from Redis as before. Each case here fails if the memory were trusted alone.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisArticleStore } from '../../../src/adapters/redis/article-store.js';
import { ArticleHandoff } from '../../../src/adapters/redis/article-handoff.js';
import type { AnalysedArticle, AnalysisResult, Article } from '../../../src/core/types.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const TTL = 3_600;

function article(i: number, text = `Текст ${i} — Астана`): Article {
  const published = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString();
  return { id: `h-${i}`, feedId: 'f', outletId: 'x', outlet: 'X', affiliation: 'independent', url: `https://x.test/${i}`, title: `Заголовок ${i}`, text, published, publishedEstimated: false, firstSeen: '2026-12-01T12:00:00.000Z', languageHint: 'ru' };
}

function analysed(a: Article, storyId: string | null): AnalysedArticle {
  const analysis = { relevance: 0.5, language: 'ru', countries: ['KZ'] } as unknown as AnalysisResult;
  return { ...a, analysis, storyId, cites: storyId ? ['rt'] : [] };
}

/** A store of one process (its own memory) and another process's store over the same Redis keys. */
function setup() {
  const keys = makeKeys(uniquePrefix('handoff'));
  const handoff = new ArticleHandoff();
  return { keys, handoff, mine: createRedisArticleStore(redis, keys, handoff), other: createRedisArticleStore(redis, keys) };
}

describe('the handoff memory: articles an analyse job takes from memory instead of Redis', () => {
  it('the articles this process stored come from memory (copies, field for field), once; a second take reads Redis', async () => {
    const { mine, handoff } = setup();
    const raw = [article(1), article(2)];
    await mine.putNew(raw, TTL);
    const got = await mine.takeForAnalysis(raw.map((a) => a.id));
    expect(got.map((a) => JSON.stringify(a))).toEqual(raw.map((a) => JSON.stringify(a)));
    expect(handoff.counts).toMatchObject({ kept: 2, taken: 2, used: 2 });
    expect(handoff.size).toBe(0);
    const again = await mine.takeForAnalysis(raw.map((a) => a.id));
    expect(again).toEqual(raw);
    expect(handoff.counts).toMatchObject({ taken: 2, used: 2, absent: 2 });
  });

  it('an article whose record was there before the handoff (SET NX did nothing) is read: the stored copy, not the poll’s', async () => {
    const { mine, other } = setup();
    const a = article(1);
    const done = analysed(a, 's1');
    await other.put(done, TTL);
    // Another process's handoff of the same item, its text edited to one of the same length: only
    // the record's owner may take it from memory (Redis's check cannot tell the two apart).
    const b = article(2, 'Текст A — Астана');
    const theirs = article(2, 'Текст B — Астана');
    await other.putNew([theirs], TTL);
    await mine.putNew([a, b, article(3)], TTL);
    expect(await mine.takeForAnalysis([a.id, b.id, 'h-3'])).toEqual([done, theirs, article(3)]);
  });

  it('an article analysed since (its analysis stored by another process’s job) is read analysed', async () => {
    const { mine, other } = setup();
    const a = article(1);
    await mine.putNew([a], TTL);
    await other.putAnalysis([analysed(a, 's1')], TTL);
    expect(await mine.takeForAnalysis([a.id])).toEqual([analysed(a, 's1')]);
  });

  it('a record written whole since is read, even one of exactly the raw record’s length (the `]}` ending tells it)', async () => {
    const { mine, other, keys } = setup();
    const a = article(1, 'x'.repeat(200));
    await mine.putNew([a], TTL);
    // An analysed copy of another version of the item (shorter text), padded to the raw record's length.
    const rawBytes = Buffer.byteLength(JSON.stringify(a));
    const base = analysed({ ...a, text: '' }, 's1');
    const whole = { ...base, text: 'y'.repeat(rawBytes - Buffer.byteLength(JSON.stringify(base))) };
    await other.put(whole, TTL);
    expect(await redis.strlen(keys.article(a.id))).toBe(rawBytes);
    expect(await mine.takeForAnalysis([a.id])).toEqual([whole]);
  });

  it('a record written again raw with another text (its length differs) is read', async () => {
    const { mine, keys } = setup();
    const a = article(1);
    await mine.putNew([a], TTL);
    const edited = article(1, 'Другой текст — Бишкек');
    await redis.set(keys.article(a.id), JSON.stringify(edited));
    expect(await mine.takeForAnalysis([a.id])).toEqual([edited]);
  });

  it('a record gone (a host crash lost Redis’s last writes, or it expired) is gone for the job too', async () => {
    const { mine, keys } = setup();
    const [a, b] = [article(1), article(2)];
    await mine.putNew([a, b], TTL);
    await redis.del(keys.article(a.id));
    expect(await mine.takeForAnalysis([a.id, b.id])).toEqual([null, b]);
  });

  it('another process (a batch retried elsewhere, a restarted worker) has no memory of them: it reads Redis', async () => {
    const { mine, other, handoff } = setup();
    const a = article(1);
    await mine.putNew([a], TTL);
    expect(await other.takeForAnalysis([a.id])).toEqual([a]);
    expect(handoff.size).toBe(1);
  });
});

describe('the handoff memory’s bounds', () => {
  const a = (i: number) => article(i);
  it('keeps articles up to its bytes and refuses the next ones (the queue’s next jobs keep theirs)', () => {
    const h = new ArticleHandoff({ maxBytes: 250, maxAgeMs: 60_000 });
    h.keep(a(1), 100);
    h.keep(a(2), 100);
    h.keep(a(3), 100);
    expect(h.size).toBe(2);
    expect(h.counts).toMatchObject({ kept: 2, refused: 1 });
    expect(h.take(['h-3', 'h-1']).map((e) => e?.article.id)).toEqual([undefined, 'h-1']);
    h.keep(a(4), 100); // room again
    expect(h.take(['h-2', 'h-4', 'h-2']).map((e) => e?.article.id)).toEqual(['h-2', 'h-4', undefined]);
    expect(h.size).toBe(0);
  });

  it('drops entries past the age limit, and an id kept again replaces its entry', () => {
    let now = 0;
    const h = new ArticleHandoff({ maxBytes: 1_000, maxAgeMs: 10 }, () => now);
    h.keep(a(1), 100);
    now = 5;
    h.keep(a(2), 100);
    h.keep(a(2), 300);
    now = 12;
    expect(h.take(['h-1', 'h-2']).map((e) => e?.bytes)).toEqual([undefined, 300]);
    expect(h.counts.dropped).toBe(1);
  });
});
