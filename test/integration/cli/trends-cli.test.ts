// `steppewatch trends` spawned from source against a real Redis with stories in it: --json in the
// contract's shape (every day present, zeros included), --png writes the chart, bad queries are
// one-line usage errors (exit 64).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { cleanEnv, runCli } from '../../helpers/cli.js';
import { pngSize } from '../../helpers/charts.js';
import { testRedis, testRedisUrl, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
const prefix = uniquePrefix('trendscli');
const dir = mkdtempSync(join(tmpdir(), 'sw-trends-'));
const env = () => cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: prefix });
const DAY = 86_400_000;
const today = new Date();
const dayAgo = (n: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - n * DAY + 10 * 3_600_000);

beforeAll(async () => {
  const stories = createRedisStoryStore({ redis, keys: makeKeys(prefix) });
  // Three unrelated KZ stories framed as color-revolution (days 2, 2, 5 ago) and one UZ story without framing.
  const items = [
    { id: 'a1', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', ago: 2, title: 'Western NGOs stir colour revolution in Almaty, RT says', country: 'KZ', tag: true },
    { id: 'a2', outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', ago: 2, title: 'Beijing warns of foreign meddling before Astana vote', country: 'KZ', tag: true },
    { id: 'a3', outletId: 'sputnik', outlet: 'Sputnik', affiliation: 'state:RU', ago: 5, title: 'Opposition rally in Karaganda called orchestrated', country: 'KZ', tag: true },
    { id: 'a4', outletId: 'gazeta-uz', outlet: 'Gazeta.uz', affiliation: 'independent', ago: 1, title: 'Tashkent signs gas supply deal', country: 'UZ', tag: false },
  ] as const;
  for (const it of items) {
    const published = dayAgo(it.ago).toISOString();
    const article: Article = { id: it.id, feedId: `${it.outletId}-en`, outletId: it.outletId, outlet: it.outlet, affiliation: it.affiliation, url: `https://example.org/${it.id}`, title: it.title, text: it.title, published, publishedEstimated: false, firstSeen: published };
    const analysis: AnalysisResult = {
      id: it.id, language: 'en', countries: [it.country], relevance: 0.9, summary: it.title, title: it.title, entities: [], regional: false,
      framings: it.tag ? [{ tag: 'color-revolution', confidence: 0.9, evidence: [{ quote: it.title, attributedTo: null }] }] : [],
    };
    await stories.assign(article, analysis, new Date(published));
  }
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await redis.quit();
});

describe('steppewatch trends', () => {
  it('--json: daily counts per tag, every day present, zeros included', async () => {
    const r = await runCli(['trends', 'kazakhstan', '--days', '7', '--json'], { env: env(), cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { series: { key: string; points: { day: string; count: number }[] }[]; spikes: unknown[] };
    expect(out.spikes).toEqual([]);
    expect(out.series.map((s) => s.key)).toEqual(['color-revolution']);
    const points = out.series[0]!.points;
    expect(points).toHaveLength(7);
    expect(points[6]!.day).toBe(today.toISOString().slice(0, 10));
    expect(points.map((p) => p.count)).toEqual([0, 1, 0, 0, 2, 0, 0]);
    expect(Object.keys(out.series[0]!)).toEqual(['key', 'points']);
  }, 120_000);

  it('--png FILE writes the chart, and stdout keeps the text summary', async () => {
    const file = join(dir, 'kz.png');
    const r = await runCli(['trends', 'kazakhstan', '--png', file], { env: env(), cwd: dir, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Chart: ${file}`);
    expect(pngSize(readFileSync(file))).toEqual({ width: 960, height: 480 });
    expect(r.stdout).toContain('Trends: Kazakhstan, last 30 days');
    expect(r.stdout).toMatch(/3 articles/);
    // Series carry their display label ("Color revolution"), as the chart's legend shows it.
    expect(r.stdout).toMatch(/colou?r revolution 3 \(peak 2 on/i);
  }, 120_000);

  it('--by country splits by country', async () => {
    // With a query the series come from the matching stories (without one, from the pipeline's
    // counters, which this test's directly stored stories never passed through).
    const r = await runCli(['trends', 'kazakhstan OR uzbekistan', '--days', '7', '--by', 'country', '--json'], { env: env(), cwd: dir, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { series: { key: string }[] };
    expect(out.series.map((s) => s.key)).toEqual(['KZ', 'UZ']);
  }, 120_000);

  it('a query that does not parse never reaches Redis: story, trends and export refuse it at once with Redis unreachable', async () => {
    // Port 1 answers nothing: a CLI that connected first would wait 15 s and exit 3 ("Redis … did not answer").
    const offline = cleanEnv({ REDIS_URL: 'redis://127.0.0.1:1' });
    const runs = await Promise.all(
      [['story', '(kazakhstan OR'], ['trends', 'tokayev NEAR/0 terrorists'], ['export', 'outlet:rt )']].map((a) => runCli(a, { env: offline, cwd: dir, timeoutMs: 90_000 })),
    );
    expect(runs.map((r) => [r.code, r.stderr.trim()])).toEqual([
      [64, 'query: nothing after "OR" at 13'],
      [64, 'query: NEAR/n takes n from 1 to 20: "NEAR/0" at 9'],
      [64, 'steppewatch export: query: unexpected ")" at 11'],
    ]);
  }, 120_000);

  it('a bad query or window is one line and exit 64', async () => {
    const bad = await runCli(['trends', '(kazakhstan OR', '--json'], { env: env(), cwd: dir, timeoutMs: 120_000 });
    expect(bad.code).toBe(64);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/query/);
    const days = await runCli(['trends', 'kazakhstan', '--days', '400'], { env: env(), cwd: dir, timeoutMs: 120_000 });
    expect(days.code).toBe(64);
    expect(days.stderr).toContain('days is a whole number from 1 to 90');
  }, 240_000);
});
