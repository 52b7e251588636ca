// A poison feed: one feed whose poll kills its worker every time (here the failpoint
// poll.fetch@f2=kill; in life a parser crash or out of memory). Without care its poll-due group is
// run again after each death (BullMQ's stalled check), dies on the same feed, and the other feeds
// of the group are never recorded as polled. Real `steppewatch worker` children, each killed by
// the failpoint; the test only clears the dead worker's lock (what its lapse does 20 s later).
// After a few deaths the group must finish: the other feeds polled and rescheduled one interval
// ahead (not left to their claims' 15-min lease), the poison feed set aside with `worker_killed` in its health (/feeds, the feeds page)
// and its next poll backed off.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareSchedule } from '../../../src/main/due-feeds.js';
import { createFeedAdmin } from '../../../src/main/feed-admin.js';
import { createHttpFeedFetcher } from '../../../src/adapters/http-feed/fetcher.js';
import { feedsPage } from '../../../src/adapters/web/pages.js';
import { feedRow } from '../../../src/commands/feeds.js';
import { POISON_AFTER_DEATHS, QUARANTINE_MIN_SECONDS, WORKER_KILLED } from '../../../src/core/feed/policy/poison.js';
import type { FeedHealth } from '../../../src/core/feed/policy/schedule.js';
import { POLL_DUE_JOB } from '../../../src/ports/feed-scheduler.js';
import type { FeedConfig } from '../../../src/core/types.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { rss, startFeedServer } from '../../helpers/feed-server.js';
import { containerOn, expireLocks, runCleanups, spawnWorker, until, type Cleanups } from '../../helpers/crash.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const FEEDS = 6;
const POISON = 'f2';
const EVERY = 600;

describe('a poison feed in a poll-due group', () => {
  it('is set aside after a few deaths of its worker, and the other feeds of its group are polled and rescheduled', async () => {
    const server = await startFeedServer();
    cleanups.push(() => server.close());
    const prefix = uniquePrefix('poison');
    const c = await containerOn(cleanups, prefix);
    const ids = Array.from({ length: FEEDS }, (_, i) => `f${i}`);
    const old = new Date(Date.now() - 3 * 86_400_000);
    for (const [i, id] of ids.entries()) {
      server.set(`/f${i}.xml`, rss(id, [{ title: `Weather ${i}`, text: 'Sunny.', link: `https://example.org/${id}`, date: old }]));
      const f: FeedConfig = { id, url: server.url(`/f${i}.xml`), outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' };
      await c.stores.feeds.upsert(f);
      await c.scheduler.schedule(id, EVERY, Date.now() - 1000);
    }
    await prepareSchedule(c);

    const groupDone = async () => (await c.queues.poll.getJobs(['completed'])).find((j) => j.name === POLL_DUE_JOB);
    let deaths = 0;
    let survivor: ChildProcess | null = null;
    // Each child: a real worker with the poison's failpoint. It dies polling f2, or it finishes the group and lives on.
    for (let round = 0; round <= POISON_AFTER_DEATHS + 3 && !(await groupDone()); round++) {
      const { child, stderr, exited } = await spawnWorker(prefix, {
        // Intervals of 5 min: a feed rescheduled after its poll is told from one left to its claim's 15-min lease.
        POLL_MAX_INTERVAL_SECONDS: '300',
        STEPPEWATCH_FAILPOINTS: `poll.fetch@${POISON}=kill`,
      });
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      });
      const outcome = await Promise.race([exited.then((signal) => ({ died: signal })), until('the group done', groupDone, 60_000).then(() => ({ died: undefined }))]);
      if (outcome.died === undefined) {
        survivor = child;
        break;
      }
      expect(outcome.died, stderr()).toBe('SIGKILL');
      deaths += 1;
      // What the lapse of the dead worker's lock does, without its 20 s.
      await expireLocks(c);
    }

    const done = await groupDone();
    expect(done, `the group never finished: ${deaths} workers died on it`).toBeTruthy();
    expect(survivor).not.toBeNull();
    // The first run keeps no record; the second names the feeds in flight (suspects, not charged);
    // then the poison, polled alone, is charged a death each run until it is set aside.
    expect(deaths).toBeGreaterThanOrEqual(POISON_AFTER_DEATHS + 1);
    expect(deaths).toBeLessThanOrEqual(POISON_AFTER_DEATHS + 2);
    // Its last run polled what the earlier ones had not finished, the poison among them (set aside).
    expect(done!.returnvalue).toMatchObject({ errors: 0, outcomes: { error: 1 } });

    // The others: polled (each at least once after the first death), rescheduled one interval ahead.
    for (const [i, id] of ids.entries()) {
      if (id === POISON) continue;
      expect(server.requests.get(`/f${i}.xml`) ?? 0, id).toBeGreaterThanOrEqual(1);
      const every = (await c.scheduler.current(id))!;
      expect(every, id).toBeLessThanOrEqual(300);
      // Within one interval of now (polled during the test's deaths, or again since): not at the claim's lease, ~10 min from now.
      expect((await c.scheduler.nextPoll(id))! - Date.now(), id).toBeLessThanOrEqual(every * 1000 + 5_000);
      const h = (await c.stores.feeds.getHealth<FeedHealth>(id))!;
      expect(h.consecutiveFailures, id).toBe(0);
    }
    // The poison: never answered (killed before the fetch), set aside, backed off at least an hour.
    expect(server.requests.get('/f2.xml') ?? 0).toBe(0);
    const h = (await c.stores.feeds.getHealth<FeedHealth>(POISON))!;
    expect(h.lastError).toMatchObject({ code: WORKER_KILLED });
    expect(h.lastError!.message).toMatch(/stopped the worker \d+ times/);
    expect(h.consecutiveFailures).toBe(1);
    expect((await c.scheduler.nextPoll(POISON))! - Date.now()).toBeGreaterThan((QUARANTINE_MIN_SECONDS - 60) * 1000);

    // What users see: /feeds and the feeds page.
    const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true });
    cleanups.push(() => fetcher.close());
    const admin = createFeedAdmin({ feeds: c.stores.feeds, scheduler: c.scheduler, fetcher, fileFeedIds: () => new Set(ids), allowPrivate: true, pollMinSeconds: 1, clock: () => new Date() });
    const status = (await admin.list()).find((s) => s.feed.id === POISON)!;
    expect(feedRow(status)).toContain(`(${WORKER_KILLED})`);
    const page = feedsPage([{ status, nextPoll: new Date((await c.scheduler.nextPoll(POISON))!).toISOString() }], { link: (p) => p });
    expect(page).toContain(WORKER_KILLED);
    expect(page).toContain('stopped the worker');

    survivor!.kill('SIGTERM');
  }, 240_000);
});
