// Grouping the due feeds per host (src/core/feed/policy/due-groups.ts), the next poll after an outcome
// and the tick's claiming loop (jobs/poll-due.ts), over an in-memory schedule that behaves like
// the Redis one (claims move a feed to its lease time).
import { describe, expect, it } from 'vitest';
import { feedHost, groupDueFeeds, packDueGroups, type DueFeed } from '../../../src/core/feed/policy/due-groups.js';
import { createDueTickProcessor, createPollDueProcessor, nextPollAfter } from '../../../jobs/poll-due.js';
import type { PollDuePayload } from '../../../src/ports/feed-scheduler.js';
import { openPollGroup, pollFeed, type PollDeps, type PollResult } from '../../../jobs/poll.js';
import { defaultRuntime } from '../../../src/core/feed/policy/schedule.js';
import type { FeedConfig } from '../../../src/core/types.js';
import type { FeedRuntime, FeedStore } from '../../../src/ports/stores.js';
import { silentLogger } from '../../../src/adapters/log.js';

const due = (feedId: string, host: string, dueAt: number): DueFeed => ({ feedId, host, dueAt });

describe('groupDueFeeds', () => {
  it('groups per host, the most overdue group and feed first', () => {
    const g = groupDueFeeds([due('b1', 'b.org', 30), due('a1', 'a.org', 20), due('b2', 'b.org', 10), due('a2', 'a.org', 40)], 10);
    expect(g).toEqual([
      { host: 'b.org', feedIds: ['b2', 'b1'], dueAt: 10, hosts: 1 },
      { host: 'a.org', feedIds: ['a1', 'a2'], dueAt: 20, hosts: 1 },
    ]);
  });

  it('splits a big host into groups of at most maxGroup, and lists each feed once', () => {
    const feeds = Array.from({ length: 7 }, (_, i) => due(`f${i}`, 'big.org', i));
    const g = groupDueFeeds([...feeds, due('f3', 'big.org', 100)], 3);
    expect(g.map((x) => x.feedIds)).toEqual([['f0', 'f1', 'f2'], ['f3', 'f4', 'f5'], ['f6']]);
    expect(() => groupDueFeeds(feeds, 0)).toThrow(RangeError);
    expect(groupDueFeeds([], 5)).toEqual([]);
  });

  it('packs hosts with few due feeds into shared groups, each host whole, interleaved host by host', () => {
    // Due order: s1 (1 feed), big (5 feeds: a full group of 4 and 1 more), m (3), s2 (1), s3 (2).
    const feeds = [
      due('s1', 's1.org', 1),
      ...Array.from({ length: 5 }, (_, i) => due(`big${i}`, 'big.org', 2 + i)),
      due('m0', 'm.org', 3),
      due('m1', 'm.org', 4),
      due('m2', 'm.org', 9),
      due('s2', 's2.org', 10),
      due('s3a', 's3.org', 11),
      due('s3b', 's3.org', 12),
    ];
    const perHost = groupDueFeeds(feeds, 4);
    expect(perHost.map((g) => g.feedIds)).toEqual([['s1'], ['big0', 'big1', 'big2', 'big3'], ['m0', 'm1', 'm2'], ['big4'], ['s2'], ['s3a', 's3b']]);
    const packed = packDueGroups(perHost, 4);
    expect(packed).toEqual([
      // s1 opens a shared group; m (3 feeds) fills it; big's rest and s2 go to the next, s3 (2) does not fit there.
      { host: 's1.org +1 hosts', feedIds: ['s1', 'm0', 'm1', 'm2'], dueAt: 1, hosts: 2 },
      { host: 'big.org', feedIds: ['big0', 'big1', 'big2', 'big3'], dueAt: 2, hosts: 1 },
      { host: 'big.org +2 hosts', feedIds: ['big4', 's2', 's3a', 's3b'], dueAt: 6, hosts: 3 },
    ]);
    // Every feed once; no group over maxGroup; a host's feeds in one group unless it has more than maxGroup.
    expect(packed.flatMap((g) => g.feedIds).sort()).toEqual(feeds.map((f) => f.feedId).sort());
    expect(packed.every((g) => g.feedIds.length <= 4)).toBe(true);
    for (const host of ['s1.org', 'm.org', 's2.org', 's3.org']) {
      expect(packed.filter((g) => g.feedIds.some((id) => feeds.find((f) => f.feedId === id)!.host === host))).toHaveLength(1);
    }
    // Interleaved host by host: each host's feeds keep their order.
    expect(packDueGroups([{ host: 'a', feedIds: ['a1', 'a2', 'a3'], dueAt: 1, hosts: 1 }, { host: 'b', feedIds: ['b1'], dueAt: 2, hosts: 1 }, { host: 'c', feedIds: ['c1', 'c2'], dueAt: 3, hosts: 1 }], 10)[0]!.feedIds).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    // 1,000 hosts of one feed each: 10 jobs of 100, not 1,000.
    const many = groupDueFeeds(Array.from({ length: 1000 }, (_, i) => due(`f${i}`, `h${i}.org`, i)), 100);
    expect(many).toHaveLength(1000);
    const packedMany = packDueGroups(many, 100);
    expect(packedMany.map((g) => [g.feedIds.length, g.hosts])).toEqual(Array.from({ length: 10 }, () => [100, 100]));
    expect(packedMany.map((g) => g.dueAt)).toEqual(Array.from({ length: 10 }, (_, i) => i * 100));
    expect(packDueGroups([], 5)).toEqual([]);
    expect(() => packDueGroups(perHost, 0)).toThrow(RangeError);
  });

  it('takes the host from the URL, lower case; a bad URL groups under ""', () => {
    expect(feedHost('https://WWW.Example.org:8443/feed.xml')).toBe('www.example.org');
    expect(feedHost('not a url')).toBe('');
  });
});

describe('nextPollAfter', () => {
  const now = 1_000_000;
  it('one interval after a poll; none for a paused or removed feed; the held interval after a deferred poll', () => {
    expect(nextPollAfter({ status: 'not-modified', nextSeconds: 600 }, now)).toBe(now + 600_000);
    expect(nextPollAfter({ status: 'ok', items: 1, fresh: 1, queued: 1, nextSeconds: 60 }, now)).toBe(now + 60_000);
    expect(nextPollAfter({ status: 'error', code: 'timeout', failures: 2, paused: false, nextSeconds: 900 }, now)).toBe(now + 900_000);
    expect(nextPollAfter({ status: 'error', code: 'timeout', failures: 10, paused: true, nextSeconds: 0 }, now)).toBeNull();
    expect(nextPollAfter({ status: 'paused' }, now)).toBeNull();
    expect(nextPollAfter({ status: 'gone' }, now)).toBeNull();
    expect(nextPollAfter({ status: 'deferred' }, now)).toBeUndefined();
  });
});

/** An in-memory schedule with the Redis one's claim semantics (the integration test runs the real one). */
function memorySchedule(entries: Record<string, number>, host = (id: string) => `${id[0]}.org`) {
  const at = new Map(Object.entries(entries));
  const claims = new Map<string, DueFeed[]>();
  return {
    at,
    claims,
    async claimDue(now: number, limit: number, leaseUntil: number, claimId?: string) {
      const ready = [...at].filter(([, t]) => t <= now).sort((a, b) => a[1] - b[1]).slice(0, limit);
      for (const [id] of ready) at.set(id, leaseUntil);
      const out = ready.map(([feedId, dueAt]) => ({ feedId, host: host(feedId), dueAt }));
      if (claimId && out.length) claims.set(claimId, out);
      return out;
    },
    async unqueuedClaims(before: number) {
      return [...claims].filter(([id]) => Number(id.split('-')[0]) < before).map(([claimId, feeds]) => ({ claimId, feeds }));
    },
    async claimQueued(ids: readonly string[]) {
      for (const id of ids) claims.delete(id);
    },
    async reschedule(xs: readonly { feedId: string; at?: number }[], now: number) {
      for (const x of xs) if (at.has(x.feedId)) at.set(x.feedId, x.at ?? now + 60_000);
    },
  };
}

describe('the due-feeds tick', () => {
  it('claims every due feed (in several claims when many are due) and queues them in host groups', async () => {
    const entries: Record<string, number> = {};
    for (let i = 0; i < 25; i++) entries[`${i % 2 ? 'a' : 'b'}${i}`] = i;
    entries.later = 5_000;
    const s = memorySchedule(entries);
    const queued: PollDuePayload[] = [];
    const tick = createDueTickProcessor({
      scheduler: s,
      enqueueGroups: async (g) => void queued.push(...g),
      waitingGroups: async () => 0,
      config: { claimBatch: 10, maxGroup: 4, leaseSeconds: 60, packHosts: false },
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    expect(await tick()).toMatchObject({ claimed: 25, heldBack: false });
    expect(queued.flatMap((g) => g.feedIds).sort()).toEqual(Object.keys(entries).filter((k) => k !== 'later').sort());
    expect(queued.every((g) => g.feedIds.length <= 4 && g.feedIds.every((id) => `${id[0]}.org` === g.host) && g.hosts === undefined)).toBe(true);
    // Packed (the default), a claim's rest of each host shares one job when it fits: 5 a's and 5
    // b's (a claim of 10) make 3 jobs, not 4; the last claim's 3 b's and 2 a's do not fit in 4.
    const packed: PollDuePayload[] = [];
    const s2 = memorySchedule(entries);
    const tick2 = createDueTickProcessor({
      scheduler: s2,
      enqueueGroups: async (g) => void packed.push(...g),
      waitingGroups: async () => 0,
      config: { claimBatch: 10, maxGroup: 4, leaseSeconds: 60 },
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    expect(await tick2()).toMatchObject({ claimed: 25, groups: 8, heldBack: false });
    expect(packed.flatMap((g) => g.feedIds).sort()).toEqual(Object.keys(entries).filter((k) => k !== 'later').sort());
    expect(packed.map((g) => [g.feedIds.length, g.hosts ?? 1])).toEqual([[4, 1], [4, 1], [2, 2], [4, 1], [4, 1], [2, 2], [3, 1], [2, 1]]);
    expect(packed.filter((g) => g.hosts).map((g) => g.host)).toEqual(['b.org +1 hosts', 'b.org +1 hosts']);
    // Claimed feeds hold their lease: a second tick finds nothing due.
    expect((await tick()).claimed).toBe(0);
    expect(s.at.get('a1')).toBe(61_000);
    expect(s.at.get('later')).toBe(5_000);
    expect(s.claims.size).toBe(0);
  });

  it('queues the claims an earlier tick made and never queued, under the same claim id, once', async () => {
    const s = memorySchedule({ a1: 0, b1: 0 });
    let t = 1000;
    const calls: { claimId: string; feeds: string[] }[] = [];
    let dying = true;
    const tick = createDueTickProcessor({
      scheduler: s,
      enqueueGroups: async (g, claimId) => {
        if (dying) throw new Error('killed after the claim');
        calls.push({ claimId, feeds: g.flatMap((x) => x.feedIds).sort() });
      },
      waitingGroups: async () => 0,
      config: { leaseSeconds: 900, requeueAfterSeconds: 5 },
      log: silentLogger(),
      clock: () => new Date(t),
    });
    await expect(tick()).rejects.toThrow('killed after the claim');
    const [claimId] = [...s.claims.keys()];
    dying = false;
    // Too recent: a live tick may still be queueing it.
    t = 4000;
    expect(await tick()).toMatchObject({ claimed: 0, groups: 0 });
    t = 7000;
    // One job: the two hosts' one feed each share it.
    expect(await tick()).toMatchObject({ claimed: 0, groups: 1 });
    expect(calls).toEqual([{ claimId, feeds: ['a1', 'b1'] }]);
    expect(s.claims.size).toBe(0);
    t = 20_000;
    await tick();
    expect(calls).toHaveLength(1);
  });

  it('reads the waiting groups and the unqueued claims at once (one round trip before the first claim)', async () => {
    const s = memorySchedule({ a: 0 });
    const order: string[] = [];
    const unqueued = s.unqueuedClaims.bind(s);
    s.unqueuedClaims = async (before: number) => {
      order.push('unqueuedClaims asked');
      return unqueued(before);
    };
    const tick = createDueTickProcessor({
      scheduler: s,
      enqueueGroups: async () => {},
      // Answers a tick later than asked, as a round trip would: the claims must be asked meanwhile.
      waitingGroups: async () => {
        order.push('waitingGroups asked');
        await new Promise((r) => setTimeout(r, 20));
        order.push('waitingGroups answered');
        return 0;
      },
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    expect(await tick()).toMatchObject({ claimed: 1, heldBack: false });
    expect(order).toEqual(['waitingGroups asked', 'unqueuedClaims asked', 'waitingGroups answered']);
  });

  it('claims nothing while the workers are behind', async () => {
    const s = memorySchedule({ a: 0 });
    const tick = createDueTickProcessor({ scheduler: s, enqueueGroups: async () => {}, waitingGroups: async () => 400, log: silentLogger(), clock: () => new Date(1000) });
    expect(await tick()).toEqual({ claimed: 0, groups: 0, heldBack: true });
    expect(s.at.get('a')).toBe(0);
  });
});

describe('a poll-due job', () => {
  it('polls every feed of its group, sets each next poll from its outcome, and leaves a failed one to its lease', async () => {
    const s = memorySchedule({ a1: 10, a2: 10, a3: 10, a4: 10 });
    const results: Record<string, PollResult | Error> = {
      a1: { status: 'not-modified', nextSeconds: 300 },
      a2: { status: 'paused' },
      a3: new Error('redis went away'),
      a4: { status: 'deferred' },
    };
    let inFlight = 0;
    let maxInFlight = 0;
    const job = createPollDueProcessor({
      pollFeed: async (id) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        const r = results[id]!;
        if (r instanceof Error) throw r;
        if (r.status === 'paused') s.at.delete(id);
        return r;
      },
      scheduler: s,
      concurrency: 2,
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    const out = await job({ data: { host: 'a.org', feedIds: ['a1', 'a2', 'a3', 'a4'], dueAt: 10 } });
    expect(out).toEqual({ polled: 3, errors: 1, outcomes: { 'not-modified': 1, paused: 1, deferred: 1 } });
    expect(maxInFlight).toBe(2);
    expect(s.at.get('a1')).toBe(301_000);
    expect(s.at.has('a2')).toBe(false);
    expect(s.at.get('a3')).toBe(10); // untouched here: the real claim had moved it to its lease
    expect(s.at.get('a4')).toBe(61_000);
    await expect(job({ data: { host: 'a.org', feedIds: [], dueAt: 0 } })).rejects.toThrow();
  });
});

describe('a poll-due job with its group (jobs/poll.ts openPollGroup)', () => {
  it("reads the group's feeds in one call and writes their 304s in one call, after every poll", async () => {
    const ids = ['g1', 'g2', 'g3', 'g4', 'g5'];
    const calls: string[] = [];
    const state = new Map<string, { runtime: FeedRuntime; health: unknown }>();
    const feedOf = (id: string): FeedConfig => ({ id, url: `https://g.org/${id}.xml`, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
    for (const id of ids) state.set(id, { runtime: { ...defaultRuntime(feedOf(id), 600), polls: 3, etag: `"${id}-0"` }, health: null });
    const feeds = {
      loadForPoll: async () => void calls.push('loadForPoll') as never,
      saveAfterPoll: async () => void calls.push('saveAfterPoll'),
      async loadManyForPoll(xs: readonly string[]) {
        calls.push(`loadMany ${xs.length}`);
        return new Map(xs.map((id) => [id, { feed: feedOf(id), runtime: state.get(id)!.runtime, health: null }]));
      },
      async saveManyAfterPoll(saves: readonly { id: string; runtime: FeedRuntime; health: unknown }[]) {
        calls.push(`saveMany ${saves.length}`);
        for (const s of saves) state.set(s.id, { runtime: s.runtime, health: s.health });
        return [];
      },
    } as unknown as FeedStore;
    const fetches: (string | null | undefined)[] = [];
    const deps = {
      feeds,
      fetcher: {
        fetch: async (r: { url: string; etag?: string | null }) => {
          fetches.push(r.etag);
          calls.push('fetch');
          return { kind: 'not-modified', validators: { etag: `${r.etag}+` }, notBefore: null, fetchedAt: Date.now() };
        },
      },
      scheduler: { schedule: async () => void calls.push('schedule'), unschedule: async () => void calls.push('unschedule') },
      config: { alertMaxAgeHours: 48, retentionDays: 30, pollMinSeconds: 600, pollMaxSeconds: 600 },
      log: silentLogger(),
      clock: () => new Date(),
    } as unknown as PollDeps;
    const s = memorySchedule(Object.fromEntries(ids.map((id) => [id, 0])));
    const job = createPollDueProcessor({
      pollFeed: (id, group) => pollFeed(deps, { feedId: id, reason: 'schedule' }, group),
      openGroup: (xs) => openPollGroup(deps, xs),
      scheduler: { reschedule: async (xs, now) => void (calls.push(`reschedule ${xs.length}`), await s.reschedule(xs, now)) },
      concurrency: 3,
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    expect(await job({ data: { host: 'g.org', feedIds: ids, dueAt: 0 } })).toEqual({ polled: 5, errors: 0, outcomes: { 'not-modified': 5 } });
    // One read before, one write (and the schedule beside it) after; nothing per feed but the fetch.
    expect(calls.filter((c) => c !== 'fetch')).toEqual(['loadMany 5', 'saveMany 5', 'reschedule 5']);
    expect(fetches).toEqual(ids.map((id) => `"${id}-0"`));
    expect(ids.map((id) => [state.get(id)!.runtime.etag, state.get(id)!.runtime.polls])).toEqual(ids.map((id) => [`"${id}-0"+`, 4]));
    expect(s.at.get('g1')).toBe(601_000);
  });

  it("hands the feeds' moved intervals to the group's one reschedule, with no scheduler call a feed", async () => {
    const ids = ['h1', 'h2', 'h3'];
    const calls: string[] = [];
    const feedOf = (id: string): FeedConfig => ({ id, url: `https://h.org/${id}.xml`, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
    // h1 and h2 ran at 60 s; the policy (600 s) moves them. h3 is at 600 s already.
    const runtimeOf = (id: string): FeedRuntime => ({ ...defaultRuntime(feedOf(id), 60), polls: 3, etag: `"${id}"`, intervalSeconds: id === 'h3' ? 600 : 60 });
    const feeds = {
      loadForPoll: async () => void calls.push('loadForPoll') as never,
      saveAfterPoll: async () => void calls.push('saveAfterPoll'),
      loadManyForPoll: async (xs: readonly string[]) => new Map(xs.map((id) => [id, { feed: feedOf(id), runtime: runtimeOf(id), health: null }])),
      saveManyAfterPoll: async (saves: readonly { id: string; runtime: FeedRuntime }[]) => (calls.push(`saveMany ${saves.map((x) => `${x.id}:${x.runtime.intervalSeconds}`).join(' ')}`), []),
    } as unknown as FeedStore;
    const deps = {
      feeds,
      fetcher: { fetch: async (r: { etag?: string | null }) => ({ kind: 'not-modified', validators: { etag: r.etag }, notBefore: null, fetchedAt: Date.now() }) },
      scheduler: { schedule: async (id: string) => void calls.push(`schedule ${id}`), unschedule: async () => void calls.push('unschedule') },
      config: { alertMaxAgeHours: 48, retentionDays: 30, pollMinSeconds: 600, pollMaxSeconds: 600 },
      log: silentLogger(),
      clock: () => new Date(1000),
    } as unknown as PollDeps;
    const entries: { feedId: string; at?: number; every?: number }[] = [];
    const job = createPollDueProcessor({
      pollFeed: (id, group) => pollFeed(deps, { feedId: id, reason: 'schedule' }, group),
      openGroup: (xs) => openPollGroup(deps, xs),
      scheduler: { reschedule: async (xs) => void (calls.push('reschedule'), entries.push(...xs)) },
      concurrency: 1,
      log: silentLogger(),
      clock: () => new Date(1000),
    });
    expect(await job({ data: { host: 'h.org', feedIds: ids, dueAt: 0 } })).toEqual({ polled: 3, errors: 0, outcomes: { 'not-modified': 3 } });
    expect(calls).toEqual(['saveMany h1:600 h2:600 h3:600', 'reschedule']);
    expect(entries).toEqual([
      { feedId: 'h1', at: 601_000, every: 600 },
      { feedId: 'h2', at: 601_000, every: 600 },
      { feedId: 'h3', at: 601_000 },
    ]);
  });
});
