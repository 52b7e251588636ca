// The poll stage in the running pipeline: aggregator items credited to their outlets, one
// story's articles arriving in one poll, old and undated items, failures, backoff and pausing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp, type App } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import type { FeedHealth } from '../../../src/core/feed/policy/schedule.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';
import type { Container } from '../../../src/main/container.js';

const hours = (h: number) => new Date(Date.now() - h * 3_600_000);

async function setup(feeds: { id: string; path: string; outlet: string; affiliation: string }[], server: TestFeedServer, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'sw-feeds-')), 'feeds.yaml');
  writeFileSync(file, YAML.stringify(feeds.map((f) => ({ id: f.id, url: server.url(f.path), outlet: f.outlet, language: 'en', affiliation: f.affiliation }))));
  const c = await testContainer({ FEEDS_FILE: file, ...env });
  const rec = recordingNotifier();
  const app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { console: rec.notifier }, noHttp: true });
  return { c, app, rec };
}

describe('polling', () => {
  const open: { app: App; c: Container; server: TestFeedServer }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app.stop(2000);
      await o.c.close();
      await o.server.close();
    }
  });

  it('credits aggregator items to their outlets; one story from one poll alerts its first publisher, then follows up', async () => {
    const server = await startFeedServer();
    server.set('/news.xml', rss('Central Asia news', [
      // The later article first in the document: order in the feed must not decide.
      { ...SEED_RETOLD.rt, link: 'https://example.org/rt', date: hours(1), source: 'RT' },
      { ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: hours(25), source: 'Global Times' },
      { title: 'Apple unveils a new laptop', text: 'The company showed a thinner laptop with a faster chip in California on Tuesday.', link: 'https://example.org/apple', date: hours(2), source: 'Reuters' },
    ]));
    const { c, app, rec } = await setup([{ id: 'agg-en', path: '/news.xml', outlet: 'News Aggregator', affiliation: 'unknown' }], server);
    open.push({ app, c, server });
    expect(await waitUntilIdle(c, 30_000, async () => rec.posts.length >= 2)).toBe(true);
    expect(rec.posts.map((p) => [p.alert.kind, p.alert.outlet.id, p.alert.outlet.affiliation])).toEqual([
      ['alert', 'global-times', 'state:CN'],
      ['followup', 'rt', 'state:RU'],
    ]);
    expect(rec.posts[1]!.thread?.messageId).toBe('1');
    expect(rec.posts[0]!.alert.framings.map((f) => f.tag)).toContain('color-revolution');
  });

  it('stores old items and a new feed’s undated items without alerting them; alerts undated items that appear later', async () => {
    const server = await startFeedServer();
    const kz = (n: number, date: Date | null) => ({ title: `Kazakhstan raises fuel prices in Mangystau, report ${n}`, text: `Kazakhstan's government raised liquefied gas prices in Mangystau region, report number ${n} on the Zhanaozen protests said.`, link: `https://example.org/kz${n}`, date });
    server.set('/kz.xml', rss('KZ', [kz(1, hours(24 * 10)), kz(2, null)]));
    const { c, app, rec } = await setup([{ id: 'kz-en', path: '/kz.xml', outlet: 'Steppe Ledger', affiliation: 'independent' }], server);
    open.push({ app, c, server });
    await waitUntilIdle(c, 20_000);
    expect(rec.posts).toHaveLength(0);
    const stored = await c.stores.feeds.getHealth<FeedHealth>('kz-en');
    expect(stored?.lastSuccessAt).toBeTruthy();
    server.set('/kz.xml', rss('KZ', [kz(1, hours(24 * 10)), kz(2, null), kz(3, null)]));
    await c.scheduler.pollNow('kz-en', 'manual');
    expect(await waitUntilIdle(c, 20_000, async () => rec.posts.length > 0)).toBe(true);
    expect(rec.posts.map((p) => p.alert.headline)).toEqual(['Kazakhstan raises fuel prices in Mangystau, report 3']);
  });

  it('backs off a failing feed, honours Retry-After, pauses it after ten failures and tells its channels', async () => {
    const server = await startFeedServer();
    server.set('/gone.xml', { status: 503, retryAfter: '120' });
    const { c, app, rec } = await setup([{ id: 'gone-en', path: '/gone.xml', outlet: 'Gone Daily', affiliation: 'independent' }], server);
    open.push({ app, c, server });
    await c.stores.subscriptions.add({ ...defaultSubscription('console', new Date()), id: 'sfollow', isDefault: false, outlets: ['gone-daily'] });
    await waitUntilIdle(c, 20_000);
    let health = await c.stores.feeds.getHealth<FeedHealth>('gone-en');
    expect(health?.consecutiveFailures).toBe(1);
    expect(health?.lastError?.code).toBe('http_503');
    // Retry-After: a scheduled poll before it is deferred without a request.
    expect(Date.parse(health!.notBefore!)).toBeGreaterThan(Date.now() + 100_000);
    const before = server.requests.get('/gone.xml');
    await c.queues.poll.add('poll', { feedId: 'gone-en', reason: 'schedule' });
    await waitUntilIdle(c, 10_000);
    expect(server.requests.get('/gone.xml')).toBe(before);
    // Nine more failures (manual polls go regardless), then the feed is paused.
    server.set('/gone.xml', { status: 404 });
    for (let i = 0; i < 9; i++) {
      await c.queues.poll.add('poll', { feedId: 'gone-en', reason: 'manual' });
      await waitUntilIdle(c, 10_000);
    }
    health = await c.stores.feeds.getHealth<FeedHealth>('gone-en');
    expect(health?.consecutiveFailures).toBe(10);
    const rt = await c.stores.feeds.getRuntime('gone-en');
    expect(rt?.paused?.by).toBe('failures');
    expect(rt?.paused?.reason).toMatch(/10 failed polls: http_404/);
    expect(await c.scheduler.current('gone-en')).toBeNull();
    expect(await waitUntilIdle(c, 10_000, async () => rec.replies.length > 0)).toBe(true);
    expect(rec.replies[0]!.text).toMatch(/^Paused Gone Daily \(EN\) after 10 failed polls: http_404 since \d{4}-\d{2}-\d{2}\. \/feeds resume gone-en to try again\.$/);
    // Paused: a poll does nothing.
    const n = server.requests.get('/gone.xml');
    await c.queues.poll.add('poll', { feedId: 'gone-en', reason: 'manual' });
    await waitUntilIdle(c, 10_000);
    expect(server.requests.get('/gone.xml')).toBe(n);
  }, 60_000);

  it('adapts the interval to how often a feed publishes, within the bounds', async () => {
    const server = await startFeedServer();
    const item = (n: number) => ({ title: `Uzbekistan item ${n} about Tashkent trade`, text: `Uzbekistan and Kazakhstan trade, item ${n}.`, link: `https://example.org/u${n}`, date: new Date(Date.now() - n * 20 * 60_000) });
    server.set('/u.xml', rss('UZ', Array.from({ length: 10 }, (_, i) => item(i))));
    const { c, app, server: s } = { ...(await setup([{ id: 'u-en', path: '/u.xml', outlet: 'Tashkent Wire', affiliation: 'independent' }], server, { POLL_MIN_INTERVAL_SECONDS: '60', POLL_MAX_INTERVAL_SECONDS: '3600' })), server };
    open.push({ app, c, server: s });
    await waitUntilIdle(c, 20_000);
    // Items every 20 minutes: polled about every 10 minutes.
    const every = await c.scheduler.current('u-en');
    expect(every).toBeGreaterThanOrEqual(540);
    expect(every).toBeLessThanOrEqual(660);
  });
});
