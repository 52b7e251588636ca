// The feeds file is the truth for file feeds (issue 13, item 7): a restart with a changed
// FEEDS_FILE stops the feeds gone from it (command feeds stay), polls changed ones at once, and
// keeps a paused feed paused with its new URL. Real Redis, real BullMQ workers and schedulers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp, type App } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { createFeedAdmin } from '../../../src/main/feed-admin.js';
import { applyFeeds, planFeeds } from '../../../src/main/feeds-sync.js';
import type { Container } from '../../../src/main/container.js';
import type { FeedConfig } from '../../../src/core/types.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { rss, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';
import { watchCommands } from '../../helpers/redis-monitor.js';

const item = (n: number) => ({ title: `Kazakhstan report ${n}`, text: `Kazakhstan's government said something, report ${n}.`, link: `https://example.org/r${n}`, date: new Date(Date.now() - 86_400_000 * 5) });

const feed = (id: string, url: string, extra: Partial<FeedConfig> = {}): FeedConfig => ({
  id,
  url,
  outlet: id,
  outletId: id,
  language: ['en'],
  affiliation: 'independent',
  source: 'file',
  ...extra,
});

describe('planFeeds', () => {
  it('removes file feeds gone from the file, keeps command feeds, tells URL changes from other changes', () => {
    const stored = [feed('a', 'http://x/a'), feed('b', 'http://x/b'), feed('c', 'http://x/c'), feed('cmd', 'http://x/cmd', { source: 'command' })];
    const file = [feed('b', 'http://x/b2'), feed('c', 'http://x/c', { outlet: 'C renamed' }), feed('d', 'http://x/d')];
    const p = planFeeds(stored, file);
    expect(p.removed.map((f) => f.id)).toEqual(['a']);
    expect(p.added.map((f) => f.id)).toEqual(['d']);
    expect(p.changed.map((x) => [x.feed.id, x.urlChanged])).toEqual([
      ['b', true],
      ['c', false],
    ]);
    expect(planFeeds(stored, stored.slice(0, 3)).changed).toEqual([]);
  });
});

describe('applying a changed feeds file at start', () => {
  const open: { app?: App; c: Container }[] = [];
  let server: TestFeedServer | null = null;
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app?.stop(2000);
      await o.c.close();
    }
    await server?.close();
  });

  it('stops feeds gone from the file, keeps command feeds, polls a moved feed at once, keeps a paused one paused', async () => {
    server = await startFeedServer();
    for (const p of ['/a.xml', '/b.xml', '/b2.xml', '/p.xml', '/p2.xml', '/cmd.xml']) server.set(p, rss(p, [item(p.length)]));
    const dir = mkdtempSync(join(tmpdir(), 'sw-sync-'));
    const file = join(dir, 'feeds.yaml');
    const write = (feeds: { id: string; path: string }[]) =>
      writeFileSync(file, YAML.stringify(feeds.map((f) => ({ id: f.id, url: server!.url(f.path), outlet: `Outlet ${f.id}`, language: 'en', affiliation: 'independent' }))));
    // Intervals far longer than the test: every poll seen after the restart is a one-off.
    const env = { FEEDS_FILE: file, POLL_MIN_INTERVAL_SECONDS: '600' };

    write([
      { id: 'a-en', path: '/a.xml' },
      { id: 'b-en', path: '/b.xml' },
      { id: 'p-en', path: '/p.xml' },
    ]);
    const c1 = await testContainer(env);
    const app1 = await startApp(c1, { roles: ['worker', 'scheduler'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    expect(await waitUntilIdle(c1, 20_000)).toBe(true);
    expect(server.requests.get('/a.xml')).toBe(1);
    // An admin adds a feed by command and pauses p-en.
    await c1.stores.feeds.upsert(feed('cmd-en', server.url('/cmd.xml'), { source: 'command' }));
    await c1.scheduler.schedule('cmd-en', 600);
    const admin = createFeedAdmin({ feeds: c1.stores.feeds, scheduler: c1.scheduler, fetcher: null as never, fileFeedIds: () => new Set(), allowPrivate: true, pollMinSeconds: 600, clock: () => new Date() });
    expect(await admin.pause('p-en', 'console')).toBe(true);
    await app1.stop(2000);

    // The same deployment restarts with a new file: a-en gone, b-en and p-en moved.
    write([
      { id: 'b-en', path: '/b2.xml' },
      { id: 'p-en', path: '/p2.xml' },
    ]);
    const c = c1;
    const app2 = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    open.push({ app: app2, c });
    expect(await waitUntilIdle(c, 20_000, async () => (server!.requests.get('/b2.xml') ?? 0) > 0)).toBe(true);

    // The moved feed was fetched at its new address at once, not after its 10-minute interval.
    expect(server.requests.get('/b2.xml')).toBe(1);
    expect((await c.stores.feeds.get('b-en'))?.url).toBe(server.url('/b2.xml'));
    // The feed gone from the file is stopped: no record, no scheduler, no more polls.
    expect(await c.stores.feeds.get('a-en')).toBeNull();
    const scheduled = await c.scheduler.scheduledFeedIds();
    expect(scheduled.sort()).toEqual(['b-en', 'cmd-en']);
    // The command feed stays.
    expect((await c.stores.feeds.get('cmd-en'))?.source).toBe('command');
    // The paused feed has its new URL and stays paused: not fetched, not scheduled.
    expect((await c.stores.feeds.get('p-en'))?.url).toBe(server.url('/p2.xml'));
    expect((await c.stores.feeds.getRuntime('p-en'))?.paused?.by).toBe('admin');
    expect(server.requests.get('/p2.xml') ?? 0).toBe(0);
    expect(await c.scheduler.nextPoll('p-en')).toBeNull();
    expect(server.requests.get('/a.xml')).toBe(1);
  }, 60_000);

  // Issue 16: a restart with 20,000 unchanged feeds sent 60,000 commands (an upsert's HSET and
  // SREM and an HGET of the runtime a feed) before the feeds file was applied.
  it('applies an unchanged file again without a command a feed, and still writes a changed feed', async () => {
    const c = await testContainer({ POLL_MIN_INTERVAL_SECONDS: '600' });
    open.push({ c });
    const n = 300;
    const file = Array.from({ length: n }, (_, i) => feed(`f${i}`, `https://h${i % 7}.example.org/f${i}.xml`));
    expect((await applyFeeds(c, file)).added).toHaveLength(n);
    const before = await c.scheduler.currentAll();
    await c.stores.feeds.setRuntime('f1', { ...(await c.stores.feeds.getRuntime('f1'))!, etag: '"kept"' });

    const watch = await watchCommands(c.redis.options.host!, c.redis.options.port!);
    const renamed = file.map((f) => (f.id === 'f2' ? { ...f, outlet: 'Renamed' } : f));
    const r = await applyFeeds(c, renamed);
    const seen = (await watch.stop()).filter((args) => args.some((a) => a.startsWith(`${c.keys.prefix}:feed`)));

    expect(r).toEqual({ added: [], updated: n, changed: ['f2'], removed: [] });
    // A few reads for all feeds and the changed feed's writes; not one command per feed.
    expect(seen.length).toBeLessThan(30);
    expect(seen.filter((a) => a[0]?.toLowerCase() === 'hset' && a[1] === c.keys.feeds).map((a) => a[2])).toEqual(['f2']);
    expect((await c.stores.feeds.get('f2'))?.outlet).toBe('Renamed');
    expect((await c.stores.feeds.getRuntime('f1'))?.etag).toBe('"kept"');
    expect(await c.scheduler.currentAll()).toEqual(before);
  }, 60_000);

  it("lists every feed's state with a few reads, not two a feed", async () => {
    const c = await testContainer({ POLL_MIN_INTERVAL_SECONDS: '600' });
    open.push({ c });
    const n = 300;
    await applyFeeds(c, Array.from({ length: n }, (_, i) => feed(`f${i}`, `https://h${i % 7}.example.org/f${i}.xml`)));
    const rt = (await c.stores.feeds.getRuntime('f3'))!;
    await c.stores.feeds.setRuntime('f3', { ...rt, paused: { reason: 'admin', by: 'admin', at: new Date(0).toISOString() } } as typeof rt);
    await c.stores.feeds.setHealth('f4', { consecutiveFailures: 2, lastSuccessAt: '2026-01-01T00:00:00.000Z' });
    const admin = createFeedAdmin({ feeds: c.stores.feeds, scheduler: c.scheduler, fetcher: null as never, fileFeedIds: () => new Set(), allowPrivate: true, pollMinSeconds: 600, clock: () => new Date() });

    const watch = await watchCommands(c.redis.options.host!, c.redis.options.port!);
    const listed = await admin.list();
    const stateReads = (await watch.stop()).filter((args) => args.includes(c.keys.feedsState)).length;

    expect(listed).toHaveLength(n);
    expect(stateReads).toBeLessThan(5);
    const byId = new Map(listed.map((s) => [s.feed.id, s]));
    expect(byId.get('f3')?.paused?.reason).toBe('admin');
    expect(byId.get('f4')?.health).toMatchObject({ consecutiveFailures: 2, lastSuccess: '2026-01-01T00:00:00.000Z' });
    expect(byId.get('f5')).toMatchObject({ paused: null, health: { consecutiveFailures: 0, lastSuccess: null } });
  }, 60_000);
});
