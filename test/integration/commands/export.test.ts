// /export (issue #17): admins only; the matching stored articles as a CSV (or JSON Lines) file on
// the reply, oldest first, capped at 50,000 rows with a note; a bad query is one ephemeral line.
// Real Redis article store and its time index.
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { createCommandHandler, parseCommandText, type CommandDeps } from '../../../src/commands/index.js';
import { exportRows } from '../../../src/commands/export.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisArticleStore } from '../../../src/adapters/redis/article-store.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../../../src/adapters/redis/subscription-store.js';
import type { AnalysedArticle } from '../../../src/core/types.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { ctx, FakeStoryStore, RecordingFeedAdmin, testVocabulary } from '../../unit/commands/fakes.js';

const redis = testRedis();
afterAll(() => redis.quit());

const NOW = new Date('2026-12-06T12:00:00Z');

function article(i: number, o: Partial<AnalysedArticle> = {}): AnalysedArticle {
  const published = new Date(NOW.getTime() - (100 - i) * 3_600_000).toISOString();
  return {
    id: `x${i}`, feedId: 'rt-en', outletId: i % 2 ? 'rt' : 'global-times', outlet: i % 2 ? 'RT' : 'Global Times', affiliation: i % 2 ? 'state:RU' : 'state:CN', url: `https://example.org/${i}`,
    title: `Kazakhstan story ${i}`, text: `Tokayev spoke of a color revolution. Item ${i}.`, published, publishedEstimated: false, firstSeen: published,
    analysis: {
      id: `x${i}`, language: 'en', countries: ['KZ'], relevance: 0.8,
      framings: [{ tag: 'color-revolution', confidence: 0.8, evidence: [{ quote: 'Tokayev spoke of a color revolution.', attributedTo: 'Tokayev' }] }],
      summary: '', title: `Kazakhstan story ${i}`, entities: [], regional: false,
    },
    storyId: `st${i % 5}`, cites: [], ...o,
  };
}

async function setup(n: number) {
  const keys = makeKeys(uniquePrefix('exp'));
  const articles = createRedisArticleStore(redis, keys);
  // stored in a scrambled order: the export comes out by publication time
  for (let k = 0; k < n; k++) await articles.put(article((k * 7) % n), 3600);
  const deps: CommandDeps = {
    stories: new FakeStoryStore([]),
    articles,
    subscriptions: createRedisSubscriptionStore(redis, keys),
    mutes: createRedisMuteStore(redis, keys),
    feedAdmin: new RecordingFeedAdmin(),
    vocabulary: testVocabulary(),
    defaultMinRelevance: 0.3,
  };
  const handle = createCommandHandler(deps);
  const run = async (text: string, isAdmin = true) => {
    const p = parseCommandText('export', text);
    if (!p.ok) return p.reply;
    const c = ctx({});
    return handle(p.cmd, { ...c, user: { ...c.user, isAdmin }, now: NOW });
  };
  return { run, articles, keys };
}

describe('/export', () => {
  it('answers admins with the file of matching articles, oldest first; others are refused', async () => {
    const { run } = await setup(30);
    const refused = await run('', false);
    expect(refused).toMatchObject({ kind: 'error', visibility: 'ephemeral' });
    expect(refused.text).toMatch(/for steppewatch admins/);
    expect(refused.files).toBeUndefined();

    const r = await run('outlet:rt since:30d');
    expect(r.kind).toBe('ok');
    expect(r.text).toMatch(/^Export: 15 articles matching outlets:rt, published since 2026-11-06/);
    expect(r.files).toHaveLength(1);
    const f = r.files![0]!;
    expect(f).toMatchObject({ filename: 'steppewatch-export-2026-12-06.csv', contentType: 'text/csv' });
    const rows = parseCsv(Buffer.from(f.data).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.articleId)).toEqual(Array.from({ length: 15 }, (_, k) => `x${2 * k + 1}`));
    expect(rows[0]).toMatchObject({ outletId: 'rt', countries: 'KZ', framings: 'color-revolution: Tokayev spoke of a color revolution. — Tokayev', storyId: 'st1' });

    const j = await run('format:jsonl since:4d');
    expect(j.files![0]!.contentType).toBe('application/x-ndjson');
    const lines = Buffer.from(j.files![0]!.data).toString('utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { articleId: string }).articleId)).toEqual(Array.from({ length: 26 }, (_, k) => `x${k + 4}`));
    expect((await run('since:2026-12-06')).text).toMatch(/^No stored articles of every story since 2026-12-06/);
  });

  it('a bad query or since is one ephemeral line pointing at the problem', async () => {
    const { run } = await setup(3);
    const q = await run('tag:color-revolution AND (');
    expect(q).toMatchObject({ kind: 'usage', visibility: 'ephemeral' });
    expect(q.text).toMatch(/^query: .* at \d+/);
    expect(q.text.split('\n')).toHaveLength(1);
    expect((await run('since:yesterday')).text).toMatch(/since: takes a date/);
  });

  it('stops at the row cap with a note (the cap of the chat file is 50,000)', async () => {
    const { articles } = await setup(12);
    const state = { truncated: false, scanned: 0 };
    const rows = [];
    for await (const r of exportRows({ articles, stories: new FakeStoryStore([]) }, { query: null, since: new Date(0), maxRows: 10, pageSize: 4 }, state)) rows.push(r.articleId);
    expect(rows).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']);
    expect(state.truncated).toBe(true);
  });
});
