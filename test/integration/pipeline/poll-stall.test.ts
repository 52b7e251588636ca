// Issue 16 #3: a worker that dies holding a poll-due group. A real `steppewatch worker` child
// SIGKILLs itself after the first poll of its group (failpoint poll-due.after-poll); a second
// worker with the product's lock timing (LOCK_TIMING.poll: 20 s lock, 10-s stalled check) polls
// the group again within 30 s of the death — not before the dead worker's lock lapsed — and its
// own run of the group, longer than the lock, is not taken for a stall (the lock is renewed).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../../src/main/app.js';
import { prepareSchedule } from '../../../src/main/due-feeds.js';
import { LOCK_TIMING } from '../../../src/main/workers.js';
import { POLL_DUE_JOB } from '../../../src/ports/feed-scheduler.js';
import type { FeedConfig } from '../../../src/core/types.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { containerOn, runCleanups, spawnWorker, until, type Cleanups } from '../../helpers/crash.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const FEEDS = 14;
/** Each answer takes this long; with the fetcher's 2 requests per host, the group takes FEEDS / 2 × DELAY_MS = 21 s, more than the 20-s lock. */
const DELAY_MS = 3_000;

/** A feed server on loopback that answers every feed after DELAY_MS and logs when each request came. */
async function slowFeeds(): Promise<{ url: (i: number) => string; hits: Map<string, number[]> }> {
  const hits = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, [...(hits.get(path) ?? []), Date.now()]);
    setTimeout(() => {
      const date = new Date(Date.now() - 3 * 86_400_000).toUTCString();
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>Weather ${path}</title><link>https://example.org${path}</link><pubDate>${date}</pubDate><description>Sunny.</description></item></channel></rss>`);
    }, DELAY_MS);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: (i) => `${base}/f${i}.xml`, hits };
}

describe('a worker killed in the middle of a poll-due group', () => {
  it('has its group polled again by another worker within 30 s, and that run, longer than the lock, does not stall', async () => {
    expect(LOCK_TIMING.poll.lockDurationMs + LOCK_TIMING.poll.stalledIntervalMs).toBeLessThanOrEqual(30_000);
    expect((FEEDS / 2) * DELAY_MS).toBeGreaterThan(LOCK_TIMING.poll.lockDurationMs);
    const feeds = await slowFeeds();
    const prefix = uniquePrefix('pollstall');
    const c = await containerOn(cleanups, prefix);
    const ids = Array.from({ length: FEEDS }, (_, i) => `f${i}`);
    for (const [i, id] of ids.entries()) {
      const f: FeedConfig = { id, url: feeds.url(i), outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' };
      await c.stores.feeds.upsert(f);
      await c.scheduler.schedule(id, 600, Date.now() - 1000);
    }
    await prepareSchedule(c);

    // The worker that dies: its tick claims the 14 feeds (one host: one group) and it is killed
    // after the group's first poll, before the group's writes.
    const { child, stderr } = await spawnWorker(prefix, { STEPPEWATCH_FAILPOINTS: 'poll-due.after-poll=kill' });
    const died = await new Promise<{ signal: NodeJS.Signals | null; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the worker was not killed by its failpoint:\n${stderr()}`))), 90_000);
      child.once('exit', (_code, signal) => (clearTimeout(timer), resolve({ signal, at: Date.now() })));
    });
    expect(died.signal, stderr()).toBe('SIGKILL');
    const before = new Map(ids.map((id, i) => [id, feeds.hits.get(`/f${i}.xml`)?.length ?? 0]));
    expect([...before.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect([...before.values()].some((n) => n === 0)).toBe(true); // the group was cut short
    const [held] = await c.queues.poll.getJobs(['active']).then((js) => js.filter((j) => j.name === POLL_DUE_JOB));
    expect(held?.data.feedIds).toHaveLength(FEEDS);

    // The survivor, with the product's lock timing (no test overrides).
    const app = await startApp(c, { roles: ['worker'], notifiers: { console: recordingNotifier().notifier }, noHttp: true });
    cleanups.push(() => app.stop(5_000));
    const firstRetry = await until(
      'the group polled again',
      () => {
        const after = [...feeds.hits.values()].flat().filter((t) => t > died.at);
        return after.length ? Math.min(...after) : null;
      },
      40_000,
    );
    const tookMs = firstRetry - died.at;
    // Not before the dead worker's lock lapsed (taken at most ~3 s before the death), and within 30 s.
    expect(tookMs).toBeGreaterThan(LOCK_TIMING.poll.lockDurationMs - DELAY_MS - 3_000);
    expect(tookMs).toBeLessThanOrEqual(LOCK_TIMING.poll.lockDurationMs + LOCK_TIMING.poll.stalledIntervalMs + 1_000);

    // The survivor's run of the group (~21 s) finishes with the group stalled once only (the death):
    // every feed polled once more, none twice (a false stall would run the group again).
    const done = await until(
      'the group done',
      async () => (await c.queues.poll.getJobs(['completed'])).find((j) => j.name === POLL_DUE_JOB && j.id === held!.id),
      60_000,
    );
    expect(done.returnvalue).toMatchObject({ polled: FEEDS, errors: 0 });
    expect(done.stalledCounter).toBe(1);
    await new Promise((r) => setTimeout(r, LOCK_TIMING.poll.stalledIntervalMs + 1_000)); // room for a late second run to show
    for (const [i, id] of ids.entries()) {
      expect(feeds.hits.get(`/f${i}.xml`)?.length ?? 0, id).toBe(before.get(id)! + 1);
    }
    // Every feed reported back: its next poll is one of its intervals after the poll, not the claim's lease.
    for (const id of ids) {
      const every = (await c.scheduler.current(id))!;
      expect(Math.abs((await c.scheduler.nextPoll(id))! - (Date.now() + every * 1000)), id).toBeLessThan(40_000);
    }
  }, 180_000);
});
