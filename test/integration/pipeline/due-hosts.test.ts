// A warm cycle over many small hosts, on real Redis, BullMQ and HTTP (jobs/poll-due.ts,
// core/feed/policy/due-groups.ts packDueGroups): the tick packs hosts with few due feeds into
// shared poll-due jobs instead of one job per host, each host's politeness limit still holds
// (the fetcher's host limiter), and every feed's 304 is recorded and its next poll set.
//
// Hosts are told apart by host name (feedHost, HostLimiter): the feeds' URLs name `h<i>.test`,
// which the fetcher's resolver maps to one loopback server; the server sees each request's Host.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../src/main/app.js';
import { createHttpFeedFetcher } from '../../../src/adapters/http-feed/fetcher.js';
import { defaultRuntime } from '../../../src/core/feed/policy/schedule.js';
import { DUE_TICK_JOB, POLL_DUE_JOB } from '../../../src/ports/feed-scheduler.js';
import type { FeedConfig } from '../../../src/core/types.js';
import type { Container } from '../../../src/main/container.js';
import type { PollDueResult } from '../../../jobs/poll-due.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';

const PER_HOST = 2;

/** A server for every host name: 304 to the right validator, after a short wait (so requests overlap). */
async function startHostsServer(delayMs: number) {
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const requests = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const host = (req.headers.host ?? '').split(':')[0]!;
    const key = `${host}${req.url ?? ''}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
    maxInFlight.set(host, Math.max(maxInFlight.get(host) ?? 0, inFlight.get(host)!));
    total += 1;
    maxTotal = Math.max(maxTotal, total);
    setTimeout(() => {
      inFlight.set(host, inFlight.get(host)! - 1);
      total -= 1;
      if (req.headers['if-none-match'] === `"${key}"`) res.writeHead(304, { etag: `"${key}"` }).end();
      else res.writeHead(500).end('unexpected request');
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    maxInFlight,
    maxTotal: () => maxTotal,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('a warm cycle over many small hosts', () => {
  const open: { app?: App; c: Container; close?: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app?.stop(2000);
      await o.c.close();
      await o.close?.();
    }
  });

  it('polls 300 hosts in a few shared jobs, each host within its politeness limit, and records every 304', async () => {
    const server = await startHostsServer(30);
    const c = await testContainer({ POLL_MIN_INTERVAL_SECONDS: '600', POLL_MAX_INTERVAL_SECONDS: '600' });
    // 290 hosts with one feed, 10 with six (politeness shows on those): 350 feeds.
    const feeds: FeedConfig[] = [];
    for (let h = 0; h < 300; h++) {
      for (let k = 0; k < (h < 10 ? 6 : 1); k++) {
        const id = `h${h}-f${k}`;
        feeds.push({ id, url: `http://h${h}.test:${server.port}/f${k}.xml`, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
      }
    }
    const due = Date.now() - 1000;
    for (const f of feeds) {
      await c.stores.feeds.upsert(f);
      const key = `h${f.id.split('-')[0]!.slice(1)}.test/${f.id.split('-')[1]}.xml`;
      await c.stores.feeds.setRuntime(f.id, { ...defaultRuntime(f, 600), etag: `"${key}"`, polls: 1 });
      await c.scheduler.schedule(f.id, 600, due);
    }
    const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true, perHostConcurrency: PER_HOST, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const app = await startApp(c, { roles: ['worker'], notifiers: { console: recordingNotifier().notifier }, fetcher, noHttp: true });
    open.push({ app, c, close: server.close });
    const groups: { feeds: number; hosts: number; result: PollDueResult }[] = [];
    app.workers
      .find((w) => w.name === 'poll')!
      .on('completed', (job: Job, result: PollDueResult) => {
        if (job.name === POLL_DUE_JOB) groups.push({ feeds: job.data.feedIds.length, hosts: job.data.hosts ?? 1, result });
      });
    // One tick, as the scheduler role's repeating one would run it.
    await c.queues.poll.add(DUE_TICK_JOB, {}, { jobId: 'test-tick', removeOnComplete: true });

    expect(await until(() => groups.reduce((n, g) => n + g.result.polled + g.result.errors, 0) >= feeds.length)).toBe(true);
    // Every feed polled once, as a 304 (the validator sent); no errors.
    expect(groups.reduce((n, g) => n + (g.result.outcomes['not-modified'] ?? 0), 0)).toBe(feeds.length);
    expect(groups.every((g) => g.result.errors === 0)).toBe(true);
    expect(server.requests.size).toBe(feeds.length);
    expect([...server.requests.values()].every((n) => n === 1)).toBe(true);
    // 350 feeds of 300 hosts: 4 jobs (100 feeds at most each), not 300; each host's feeds in one job.
    expect(groups.length).toBe(4);
    expect(groups.reduce((n, g) => n + g.hosts, 0)).toBe(300);
    // Politeness: never more than PER_HOST requests at once to a host, the six-feed hosts included…
    expect(Math.max(...server.maxInFlight.values())).toBeLessThanOrEqual(PER_HOST);
    expect(server.maxInFlight.get('h0.test')).toBe(PER_HOST);
    // …while a shared job polls several hosts at once: more requests in flight than the four jobs
    // could make with one host's PER_HOST lanes each.
    expect(server.maxTotal()).toBeGreaterThan(PER_HOST * groups.length);
    // Each 304 recorded, and the next poll one interval on.
    const health = await c.stores.feeds.loadManyForPoll<{ recentOutcomes: string[]; lastPollAt: string | null }>(feeds.map((f) => f.id));
    expect(feeds.every((f) => health.get(f.id)!.health?.recentOutcomes.at(-1) === '304')).toBe(true);
    expect(feeds.every((f) => health.get(f.id)!.runtime!.polls === 2)).toBe(true);
    const next = await c.scheduler.nextPolls(feeds.map((f) => f.id));
    expect(feeds.every((f) => (next.get(f.id) ?? 0) > Date.now() + 500_000)).toBe(true);
  }, 60_000);
});
