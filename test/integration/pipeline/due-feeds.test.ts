// The due-feeds schedule on real Redis and BullMQ (src/adapters/feed-scheduler.ts, jobs/poll-due.ts):
// the atomic claim with its lease, the tick polling due feeds, pause and resume, the feeds file,
// the migration of the earlier version's per-feed job schedulers, and a tick that dies after
// claiming (its feeds are polled when the claim lapses).
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { watchCommands } from '../../helpers/redis-monitor.js';
import { startApp, type App } from '../../../src/main/app.js';
import { createFeedAdmin } from '../../../src/main/feed-admin.js';
import { prepareSchedule } from '../../../src/main/due-feeds.js';
import { createDueTickProcessor } from '../../../jobs/poll-due.js';
import { createLogger, silentLogger } from '../../../src/adapters/log.js';
import { LEGACY_SCHEDULER_PREFIX } from '../../../src/adapters/feed-scheduler.js';
import type { Container } from '../../../src/main/container.js';
import type { FeedConfig } from '../../../src/core/types.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { rss, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';

const feed = (id: string, url: string): FeedConfig => ({ id, url, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
const item = { title: 'Weather in Almaty', text: 'Sunny.', link: 'https://example.org/w', date: new Date(Date.now() - 86_400_000 * 3) };

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('the due-feeds schedule', () => {
  const open: { app?: App; c: Container }[] = [];
  let server: TestFeedServer | null = null;
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app?.stop(2000);
      await o.c.close();
    }
    await server?.close();
    server = null;
  });

  it("writes a poll-due group's moved intervals with its next polls in one call, only for the feeds still scheduled", async () => {
    const c = await testContainer();
    open.push({ c });
    const t = 2_000_000;
    for (const id of ['m1', 'm2', 'm3', 'gone']) await c.scheduler.schedule(id, 60, t - 1000);
    await c.scheduler.unschedule('gone');
    // what the call sends, seen by MONITOR (other clients of the test's Redis may run scripts too,
    // so server-wide counts do not tell): the commands naming the group's feeds, not those the script runs
    const watch = await watchCommands(c.redis.options.host!, c.redis.options.port!);
    await c.scheduler.reschedule(
      [
        { feedId: 'm1', at: t + 500_000, every: 300 },
        { feedId: 'm2', every: 120 },
        { feedId: 'm3', at: t + 30_000 },
        { feedId: 'gone', at: t + 1000, every: 300 },
      ],
      t,
    );
    await watch.stop();
    const sent = watch.sent.filter((args) => args.some((a) => /^(m1|m2|m3|gone)$/.test(a) || /:(m1|m2|m3|gone)$/.test(a)));
    // only script calls, and one call: a fresh server's NOSCRIPT makes ioredis send the same call again as EVAL
    expect(sent.map((a) => a[0]!.toLowerCase()).every((n) => n === 'evalsha' || n === 'eval')).toBe(true);
    expect(new Set(sent.map((a) => a.slice(2).join('\u0000'))).size).toBe(1);
    expect(await c.scheduler.nextPoll('m1')).toBe(t + 500_000);
    expect(await c.scheduler.current('m1')).toBe(300);
    // No time given: one new interval from now.
    expect(await c.scheduler.nextPoll('m2')).toBe(t + 120_000);
    expect(await c.scheduler.current('m2')).toBe(120);
    // No new interval: the recorded one kept.
    expect(await c.scheduler.nextPoll('m3')).toBe(t + 30_000);
    expect(await c.scheduler.current('m3')).toBe(60);
    // Unscheduled during its poll: stays so, with no interval recorded.
    expect(await c.scheduler.nextPoll('gone')).toBeNull();
    expect(await c.scheduler.current('gone')).toBeNull();
    expect(await c.redis.hexists(c.keys.feedsEvery, 'gone')).toBe(0);
  });

  it('claims due feeds once, most overdue first, until their lease lapses; never brings back an unscheduled feed', async () => {
    const c = await testContainer();
    open.push({ c });
    const t = 1_000_000;
    await c.scheduler.schedule('late', 60, t - 5000);
    await c.scheduler.schedule('later', 60, t - 9000);
    await c.scheduler.schedule('future', 60, t + 60_000);
    await c.stores.feeds.upsert(feed('late', 'https://A.example.org/late.xml'));

    const first = await c.scheduler.claimDue(t, 10, t + 30_000);
    expect(first).toEqual([
      { feedId: 'later', host: '', dueAt: t - 9000 },
      { feedId: 'late', host: 'a.example.org', dueAt: t - 5000 },
    ]);
    // A second tick at the same time, or before the lease lapses, finds nothing.
    expect(await c.scheduler.claimDue(t, 10, t + 30_000)).toEqual([]);
    expect(await c.scheduler.claimDue(t + 29_000, 10, t + 60_000)).toEqual([]);
    // The claim holds the feeds' place: `feeds list` shows the lease as their next poll.
    expect(await c.scheduler.nextPoll('late')).toBe(t + 30_000);
    // Lapsed (nobody reported back): due again (one lease time: by id), with the feed that has come due meanwhile.
    expect((await c.scheduler.claimDue(t + 61_000, 10, t + 90_000)).map((f) => f.feedId)).toEqual(['late', 'later', 'future']);

    // A poll that finishes sets the next time; one interval from now when it names none.
    await c.scheduler.reschedule([{ feedId: 'late', at: t + 500_000 }, { feedId: 'later' }], t + 100_000);
    expect(await c.scheduler.nextPoll('late')).toBe(t + 500_000);
    expect(await c.scheduler.nextPoll('later')).toBe(t + 160_000);
    // A feed paused during its poll stays unscheduled when the poll reports back.
    await c.scheduler.unschedule('future');
    await c.scheduler.reschedule([{ feedId: 'future', at: t + 200_000 }], t + 100_000);
    expect(await c.scheduler.nextPoll('future')).toBeNull();
    // …and so does a poll's new interval (the per-feed poll's `schedule` is `update` under poll-due).
    expect(await c.scheduler.update('future', 90, t + 300_000)).toBe(false);
    expect(await c.scheduler.nextPoll('future')).toBeNull();
    expect(await c.scheduler.update('late', 90, t + 300_000)).toBe(true);
    expect(await c.scheduler.current('late')).toBe(90);
    await c.scheduler.update('late', 60, t + 500_000);
    expect(await c.scheduler.current('future')).toBeNull();
    expect(await c.scheduler.current('late')).toBe(60);
    expect([...(await c.scheduler.currentAll()).keys()].sort()).toEqual(['late', 'later']);

    // Many feeds' next polls in one round trip (the feeds page, `feeds list`) answer as one by
    // one: an unscheduled feed's pending one-off poll (no worker runs here) is its next poll.
    const before = Date.now();
    await c.scheduler.pollNow('nowhere', 'manual');
    const ids = ['late', 'later', 'future', 'nowhere', 'absent'];
    const many = await c.scheduler.nextPolls(ids);
    for (const id of ids) expect(many.get(id)).toBe(await c.scheduler.nextPoll(id));
    expect(many.get('nowhere')).toBeGreaterThanOrEqual(before);
    expect(many.get('nowhere')).toBeLessThanOrEqual(Date.now());
    expect(many.get('late')).toBe(t + 500_000);
    expect(many.get('future')).toBeNull();
    expect(many.get('absent')).toBeNull();
    expect((await c.scheduler.nextPolls([])).size).toBe(0);
  });

  it('polls due feeds through the tick, sets their next poll, leaves a paused feed alone and polls a resumed one at once', async () => {
    server = await startFeedServer();
    server.set('/a.xml', rss('/a.xml', [item]));
    server.set('/b.xml', rss('/b.xml', [item]));
    const dir = (await testContainer()).dir;
    const file = join(dir, 'feeds.yaml');
    writeFileSync(file, YAML.stringify(['a', 'b'].map((x) => ({ id: `${x}-en`, url: server!.url(`/${x}.xml`), outlet: `Outlet ${x}`, language: 'en', affiliation: 'independent' }))));
    const c = await testContainer({ FEEDS_FILE: file, POLL_MIN_INTERVAL_SECONDS: '600' });
    const app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    open.push({ app, c });
    // Both new feeds are polled once at once (one-off polls) and scheduled one interval ahead.
    expect(await until(() => server!.requests.get('/a.xml') === 1 && server!.requests.get('/b.xml') === 1)).toBe(true);
    // At least the minimum interval: the first poll may already have adapted it (a quiet feed waits longer).
    expect(await c.scheduler.current('a-en')).toBeGreaterThanOrEqual(600);
    const admin = createFeedAdmin({ feeds: c.stores.feeds, scheduler: c.scheduler, fetcher: null as never, fileFeedIds: () => new Set(), allowPrivate: true, pollMinSeconds: 600, clock: () => new Date() });
    expect(await admin.pause('b-en', 'console')).toBe(true);
    // Nothing pending once its first poll (a one-off job, maybe still finishing) is done.
    expect(await until(async () => (await c.scheduler.nextPoll('b-en')) === null)).toBe(true);

    // a-en comes due: the tick claims it and a poll-due job polls it (a conditional request).
    const before = Date.now();
    expect(await c.scheduler.update('a-en', (await c.scheduler.current('a-en'))!, before - 1000)).toBe(true);
    expect(await until(() => server!.requests.get('/a.xml') === 2)).toBe(true);
    expect(await until(async () => ((await c.scheduler.nextPoll('a-en')) ?? 0) >= before + 500_000)).toBe(true);
    const next = (await c.scheduler.nextPoll('a-en'))!;
    // One interval in force after the poll (the poll may have adapted it: 15 minutes for a feed of unknown rhythm).
    const every = (await c.scheduler.current('a-en'))!;
    expect(every).toBeGreaterThanOrEqual(600);
    expect(Math.abs(next - (Date.now() + every * 1000))).toBeLessThan(5000);
    // The paused feed is not polled, whatever happens to the schedule.
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.requests.get('/b.xml')).toBe(1);
    expect(await c.scheduler.nextPoll('b-en')).toBeNull();
    expect(server.requests.get('/a.xml')).toBe(2);
    // Resumed: polled at once and scheduled again.
    expect(await admin.resume('b-en')).toBe(true);
    expect(await until(() => server!.requests.get('/b.xml') === 2)).toBe(true);
    expect(await c.scheduler.current('b-en')).toBe((await c.stores.feeds.getRuntime('b-en'))!.intervalSeconds);
  }, 60_000);

  it('polls the feeds of a tick that died after claiming them, once the claim lapses', async () => {
    server = await startFeedServer();
    server.set('/c.xml', rss('/c.xml', [item]));
    const c = await testContainer({ POLL_MIN_INTERVAL_SECONDS: '600' });
    const app = await startApp(c, { roles: ['worker'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    open.push({ app, c });
    await c.stores.feeds.upsert(feed('c-en', server.url('/c.xml')));
    await c.scheduler.schedule('c-en', 600, Date.now() - 1000);
    // A tick claims it and dies before queueing anything: a 2-second claim, no job.
    const claimedAt = Date.now();
    expect((await c.scheduler.claimDue(claimedAt, 10, claimedAt + 2000)).map((f) => f.feedId)).toEqual(['c-en']);
    await prepareSchedule(c);
    // The live tick does not poll it while the claim holds, and polls it once it has lapsed.
    await new Promise((r) => setTimeout(r, 1200));
    expect(server.requests.get('/c.xml') ?? 0).toBe(0);
    expect(await until(() => server!.requests.get('/c.xml') === 1)).toBe(true);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(2000);
    expect(await until(async () => ((await c.scheduler.nextPoll('c-en')) ?? 0) > Date.now() + 500_000)).toBe(true);
  }, 30_000);

  // Chaos run 893265012: a Redis host crash kept a tick's claim (the feed's 15-min lease) and lost
  // the poll-due job it queued the next instant; the feed went unpolled past the run's end and
  // the item it had just published was never alerted.
  it('queues again the feeds of a tick that died between its claim and queueing them, without waiting out the lease', async () => {
    server = await startFeedServer();
    server.set('/d.xml', rss('/d.xml', [item]));
    const c = await testContainer({ POLL_MIN_INTERVAL_SECONDS: '600' });
    open.push({ c });
    await c.stores.feeds.upsert(feed('d-en', server.url('/d.xml')));
    await c.scheduler.schedule('d-en', 600, Date.now() - 1000);
    // The tick as the workers run it (the default 15-min lease), whose queueing never lands: the
    // process died after the claim, or a host crash lost the write.
    const dying = createDueTickProcessor({
      scheduler: c.scheduler,
      enqueueGroups: async () => {
        throw new Error('killed after the claim');
      },
      waitingGroups: async () => 0,
      log: silentLogger(),
      clock: () => new Date(),
    });
    await expect(dying()).rejects.toThrow('killed after the claim');
    expect(await c.scheduler.nextPoll('d-en')).toBeGreaterThan(Date.now() + 800_000);
    const app = await startApp(c, { roles: ['worker'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    open[open.length - 1]!.app = app;
    await prepareSchedule(c);
    // A live tick queues the claimed feed again within seconds, not 15 min.
    expect(await until(() => server!.requests.get('/d.xml') === 1, 20_000)).toBe(true);
    expect(await until(async () => ((await c.scheduler.nextPoll('d-en')) ?? 0) > Date.now() + 500_000)).toBe(true);
  }, 40_000);

  it("moves the earlier version's per-feed job schedulers into the schedule and its per-feed state hashes into the one state hash at start, once, with a log line", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const c = await testContainer();
    open.push({ c });
    const log = createLogger({ level: 'info', pretty: false, destination: sink });
    const next = Date.now() + 300_000;
    // What the earlier version wrote: one job scheduler per feed on the poll queue.
    for (const id of ['old-a', 'old-b']) {
      await c.queues.poll.upsertJobScheduler(`${LEGACY_SCHEDULER_PREFIX}${id}`, { every: 900_000, startDate: next }, { name: 'poll', data: { feedId: id, reason: 'schedule' } });
    }
    await c.queues.poll.upsertJobScheduler('daily-other', { pattern: '0 3 * * *', tz: 'UTC' }, { name: 'other', data: {} });
    // old-b already has a place in the new schedule (a half-finished upgrade): it keeps it.
    await c.scheduler.schedule('old-b', 120, next + 5);
    // And its state as the earlier version kept it, a hash per feed: moved into the one state hash.
    await c.redis.hset(c.keys.legacyFeedState('old-a'), { runtime: JSON.stringify({ etag: '"a7"', lastModified: null, intervalSeconds: 900, polls: 7, paused: null }) });

    expect(await prepareSchedule({ ...c, log })).toEqual({ migrated: 2 });
    expect((await c.stores.feeds.getRuntime('old-a'))?.etag).toBe('"a7"');
    expect(await c.redis.exists(c.keys.legacyFeedState('old-a'))).toBe(0);
    expect(lines.filter((l) => l.includes('per-feed state hashes'))).toHaveLength(1);
    expect(await c.scheduler.current('old-a')).toBe(900);
    expect(await c.scheduler.nextPoll('old-a')).toBe(next);
    expect(await c.scheduler.current('old-b')).toBe(120);
    expect(await c.scheduler.nextPoll('old-b')).toBe(next + 5);
    const left = (await c.queues.poll.getJobSchedulers(0, -1)).map((s) => s.key).sort();
    expect(left).toEqual(['daily-other', 'due-feeds-tick']);
    // Their pending runs went with them: nothing of the old shape waits in the queue.
    const delayed = await c.queues.poll.getDelayed();
    expect(delayed.filter((j) => j.name === 'poll')).toEqual([]);
    expect(lines.filter((l) => l.includes('migrated the per-feed job schedulers'))).toHaveLength(1);
    // Once: the next start finds nothing to move and says nothing.
    expect(await prepareSchedule({ ...c, log })).toEqual({ migrated: 0 });
    expect(lines.filter((l) => l.includes('migrated the per-feed job schedulers'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('per-feed state hashes'))).toHaveLength(1);
  });
});
