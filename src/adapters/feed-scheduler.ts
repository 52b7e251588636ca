// When feeds are polled, over Redis and BullMQ. Every scheduled feed is one member of a sorted set
// (feed id → next poll, ms) with its interval in a hash: two small entries a feed, whatever the
// number of feeds. One repeating BullMQ job scheduler on the poll queue (the tick) runs
// jobs/poll-due.ts, which claims the due feeds with one Lua call (scripts/feeds-claim-due.lua) and
// queues them in groups per host. One-off polls (a new feed, a command) stay jobs of their own.
//
// The earlier version gave each feed a BullMQ job scheduler of its own (`feed--<id>`): at 20,000
// feeds that is 20,000 scheduler hashes, 20,000 delayed jobs, and a repeat key that BullMQ walks
// on every upsert. `migrateLegacy` turns those into entries of the sorted set, once, at start.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { feedHost, type DueFeed } from '../core/feed/policy/due-groups.js';
import type { FeedScheduler, PollRunLedger } from '../ports/feed-scheduler.js';
import { formatDeaths, parseDeaths } from '../core/feed/policy/poison.js';
import { DUE_TICK_JOB } from '../ports/feed-scheduler.js';
import { jobId, type PollPayload } from '../ports/queue-payloads.js';
import type { Keys } from './redis/keys.js';
import { luaScript } from './redis/scripts.js';
import { FeedParses } from './redis/feed-store.js';

/** The scheduler with its upkeep at start (the scheduler role): migration and the tick. */
export interface RedisFeedScheduler extends FeedScheduler, PollRunLedger {
  /**
   * Moves the per-feed BullMQ job schedulers of the earlier version (`feed--<id>`) into the
   * sorted set — the time of their next run and their interval kept — and removes them. Returns
   * how many it moved (0 once done: it is safe to call at every start).
   */
  migrateLegacy(): Promise<number>;
  /** Upserts the one repeating tick on the poll queue (every `everyMs`, default 1 s). */
  ensureTick(everyMs?: number): Promise<void>;
}


/** Job scheduler id of a feed in the earlier version. */
export const LEGACY_SCHEDULER_PREFIX = 'feed--';
const ONE_OFF_REASONS: PollPayload['reason'][] = ['new', 'manual'];
/** The tick's job scheduler on the poll queue (kept by the scheduler role: src/main/schedules.ts). */
export const TICK_SCHEDULER_ID = 'due-feeds-tick';
/** A re-run's record outlives the claims of its feeds (DueTickConfig.leaseSeconds, 900 s). */
const RUN_RECORD_SECONDS = 3_600;

type ClaimRedis = Redis & {
  swFeedsClaimDue(due: string, claims: string, now: number, limit: number, leaseUntil: number, claimId: string): Promise<string[]>;
  swFeedsUpdate(due: string, every: string, feedId: string, everySeconds: number, at: number): Promise<number>;
  swFeedsReschedule(due: string, every: string, ...triples: (string | number)[]): Promise<number>;
};

export interface FeedSchedulerOptions {
  poll: Queue;
  /** The stores' connection (the claim script is defined on it). */
  redis: Redis;
  keys: Keys;
  clock?: () => number;
  /** The feed store's kept parses (the configs' hosts come from them); default: its own. */
  parses?: FeedParses;
}

export function createFeedScheduler(o: FeedSchedulerOptions): RedisFeedScheduler {
  const { poll, keys } = o;
  const clock = o.clock ?? Date.now;
  // defineCommand: EVALSHA with the script cached by Redis, instead of its source every call.
  if (!('swFeedsClaimDue' in o.redis)) o.redis.defineCommand('swFeedsClaimDue', { numberOfKeys: 2, lua: luaScript('feeds-claim-due') });
  if (!('swFeedsUpdate' in o.redis)) o.redis.defineCommand('swFeedsUpdate', { numberOfKeys: 2, lua: luaScript('feeds-update') });
  // A new script, no new data: workers of the earlier version (which never call it) run beside it unchanged.
  if (!('swFeedsReschedule' in o.redis)) o.redis.defineCommand('swFeedsReschedule', { numberOfKeys: 2, lua: luaScript('feeds-reschedule') });
  const redis = o.redis as ClaimRedis;

  /** Claimed feeds (flat: id, due, …) with their hosts, for grouping: read from the feeds hash (the feed store's key) in one call. */
  const withHosts = async (flat: readonly string[]): Promise<DueFeed[]> => {
    if (flat.length === 0) return [];
    const ids: string[] = [];
    const dueAt: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i]!);
      dueAt.push(Number(flat[i + 1]));
    }
    const configs = await redis.hmget(keys.feeds, ...ids);
    return ids.map((feedId, i): DueFeed => ({ feedId, host: hostOf(feedId, configs[i]), dueAt: dueAt[i]! }));
  };
  /**
   * The host of a feed's config text, from the last time this text was read (a tick reads the
   * configs of every due feed, the same texts cycle after cycle: their JSON.parse and URL parse
   * were a few % of a warm cycle's CPU, issue 16), with the config parsed by the polls when the
   * feed store shares its FeedParses (the container does).
   */
  const parses = o.parses ?? new FeedParses();
  const hostOf = (feedId: string, json: string | null | undefined): string => (json ? parses.host(feedId, json) : feedHost(''));

  const schedule = async (feedId: string, everySeconds: number, startAt?: number) => {
    const every = Math.max(1, Math.round(everySeconds));
    await redis
      .multi()
      .zadd(keys.feedsDue, startAt ?? clock() + every * 1000, feedId)
      .hset(keys.feedsEvery, feedId, String(every))
      .exec();
  };

  /**
   * `nextPoll` for many feeds in one round trip (the feeds page and `feeds list` at 20,000 feeds
   * were ~3 round trips a feed): each one-off poll's job hash read directly (BullMQ keeps a job as
   * the hash at `toKey(id)`: timestamp, delay, finishedOn) and the schedule's scores with ZMSCORE.
   */
  async function nextPolls(feedIds: readonly string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    if (feedIds.length === 0) return out;
    const p = redis.pipeline();
    for (const id of feedIds) for (const reason of ONE_OFF_REASONS) p.hmget(poll.toKey(jobId('now', id, reason)), 'timestamp', 'delay', 'finishedOn');
    p.zmscore(keys.feedsDue, ...feedIds);
    const replies = (await p.exec()) ?? [];
    const fail = replies.find(([e]) => e);
    if (fail) throw fail[0]!;
    const scores = replies[replies.length - 1]![1] as (string | null)[];
    feedIds.forEach((id, i) => {
      const times: number[] = [];
      ONE_OFF_REASONS.forEach((_, j) => {
        const [ts, delay, finishedOn] = replies[i * ONE_OFF_REASONS.length + j]![1] as (string | null)[];
        // A finished one-off (failed jobs are kept a while) is not a pending poll.
        if (ts != null && !finishedOn) times.push(Number(ts) + Number(delay ?? 0));
      });
      if (scores[i] != null) times.push(Number(scores[i]));
      out.set(id, times.length ? Math.min(...times) : null);
    });
    return out;
  }

  return {
    schedule,
    async unschedule(feedId) {
      await redis.multi().zrem(keys.feedsDue, feedId).hdel(keys.feedsEvery, feedId).exec();
    },
    async update(feedId, everySeconds, startAt) {
      const every = Math.max(1, Math.round(everySeconds));
      return (await redis.swFeedsUpdate(keys.feedsDue, keys.feedsEvery, feedId, every, Math.round(startAt))) === 1;
    },
    async pollNow(feedId, reason) {
      // One pending one-off poll per feed and reason at a time (the job id dedupes).
      await poll.add('poll', { feedId, reason } satisfies PollPayload, {
        jobId: jobId('now', feedId, reason),
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      });
    },
    async current(feedId) {
      const [score, every] = await Promise.all([redis.zscore(keys.feedsDue, feedId), redis.hget(keys.feedsEvery, feedId)]);
      return score === null ? null : Number(every ?? 0) || null;
    },
    async currentAll() {
      const [ids, every] = await Promise.all([redis.zrange(keys.feedsDue, '0', '-1'), redis.hgetall(keys.feedsEvery)]);
      const out = new Map<string, number>();
      for (const id of ids) {
        const s = Number(every[id] ?? 0);
        if (s > 0) out.set(id, s);
      }
      return out;
    },
    async nextPoll(feedId) {
      return (await nextPolls([feedId])).get(feedId) ?? null;
    },
    nextPolls,
    async scheduledFeedIds() {
      return redis.zrange(keys.feedsDue, '0', '-1');
    },
    async claimDue(now, limit, leaseUntil, claimId) {
      return withHosts(await redis.swFeedsClaimDue(keys.feedsDue, keys.feedsClaims, now, limit, leaseUntil, claimId ?? ''));
    },
    async unqueuedClaims(claimedBefore) {
      const all = await redis.hgetall(keys.feedsClaims);
      const out: { claimId: string; feeds: DueFeed[] }[] = [];
      for (const [claimId, json] of Object.entries(all)) {
        if (!(Number(claimId.split('-')[0]) < claimedBefore)) continue;
        let flat: string[] = [];
        try {
          const v = JSON.parse(json) as unknown;
          if (Array.isArray(v)) flat = v.map(String);
        } catch {
          flat = [];
        }
        out.push({ claimId, feeds: await withHosts(flat) });
      }
      return out;
    },
    async claimQueued(claimIds) {
      if (claimIds.length) await redis.hdel(keys.feedsClaims, ...claimIds);
    },
    async reschedule(entries, now) {
      if (entries.length === 0) return;
      const everyOf = (e: { every?: number }) => (e.every === undefined ? null : Math.max(1, Math.round(e.every)));
      const open = entries.filter((e) => e.at === undefined && everyOf(e) === null).map((e) => e.feedId);
      const every = open.length ? await redis.hmget(keys.feedsEvery, ...open) : [];
      const byId = new Map(open.map((id, i) => [id, Number(every[i] ?? 0)]));
      // Some intervals moved: each feed as a triple (id, next poll, interval or '') for the script.
      const moved = entries.some((e) => everyOf(e) !== null);
      const args: (string | number)[] = [];
      for (const e of entries) {
        const newEvery = everyOf(e);
        // A feed without a recorded interval keeps its claim; it is due again when that lapses.
        const at = e.at ?? (newEvery !== null ? now + newEvery * 1000 : byId.get(e.feedId) ? now + byId.get(e.feedId)! * 1000 : null);
        if (at === null) continue;
        if (moved) args.push(e.feedId, Math.round(at), newEvery ?? '');
        else args.push(Math.round(at), e.feedId);
      }
      if (args.length === 0) return;
      // The next polls and the moved intervals of the feeds still scheduled, in one call; without
      // moved intervals ZADD XX does it (XX: a feed paused or removed during its poll stays so).
      if (moved) await redis.swFeedsReschedule(keys.feedsDue, keys.feedsEvery, ...args);
      else await redis.zadd(keys.feedsDue, 'XX', ...args);
    },
    // The run record and the deaths are two keys (two cluster slots): no script or MULTI over
    // both. One worker holds a group at a time, so the read-then-write below has no other writer;
    // the record's entries go before the deaths are written, so a Redis that stops between the
    // two counts a death less, never twice.
    async reopenRun(runId, feedIds, now) {
      const res = (await redis.pipeline().hgetall(keys.pollRun(runId)).hmget(keys.feedsDeaths, ...feedIds).exec()) ?? [];
      for (const [err] of res) if (err) throw err;
      const rec = res[0]?.[1] ?? {};
      const raw = res[1]?.[1] ?? [];
      const record = rec as Record<string, string>;
      const finished = new Set<string>();
      const suspects = new Set<string>();
      const deaths = new Map<string, number>();
      const charged: string[] = [];
      feedIds.forEach((id, i) => {
        const n = parseDeaths((raw as (string | null)[])[i], now);
        if (n > 0) deaths.set(id, n);
        if (record[id] === 'done') finished.add(id);
        else if (record[id] === 'alone') {
          charged.push(id);
          deaths.set(id, n + 1);
        } else if (record[id] === 'run') suspects.add(id);
      });
      const cleared = [...charged, ...suspects];
      if (cleared.length) {
        const p = redis.pipeline().hdel(keys.pollRun(runId), ...cleared);
        if (charged.length) p.hset(keys.feedsDeaths, Object.fromEntries(charged.map((id) => [id, formatDeaths(deaths.get(id)!, now)])));
        for (const [err] of (await p.exec()) ?? []) if (err) throw err;
      }
      return { finished, suspects, deaths };
    },
    async pollStarting(runId, feedId, alone) {
      const key = keys.pollRun(runId);
      await redis.multi().hset(key, feedId, alone ? 'alone' : 'run').expire(key, RUN_RECORD_SECONDS).exec();
    },
    async pollFinished(runId, feedId, keepDeaths) {
      const p = redis.pipeline().hset(keys.pollRun(runId), feedId, 'done').expire(keys.pollRun(runId), RUN_RECORD_SECONDS);
      if (!keepDeaths) p.hdel(keys.feedsDeaths, feedId);
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
    async closeRun(runId) {
      await redis.del(keys.pollRun(runId));
    },
    async migrateLegacy() {
      const now = clock();
      const legacy = (await poll.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(LEGACY_SCHEDULER_PREFIX));
      // Nothing to move (every start once migrated): no read of the whole schedule (20,000 ids).
      if (legacy.length === 0) return 0;
      const have = new Set(await redis.zrange(keys.feedsDue, '0', '-1'));
      // A hundred at a time: one feed's move is independent of the others'. Their places in the
      // schedule are written with one MULTI a hundred (was a MULTI of four commands a feed),
      // before their schedulers go (BullMQ's removal is one call a scheduler: ~8 commands).
      for (let i = 0; i < legacy.length; i += 100) {
        const chunk = legacy.slice(i, i + 100);
        const due: (string | number)[] = [];
        const every: string[] = [];
        for (const s of chunk) {
          const feedId = s.key.slice(LEGACY_SCHEDULER_PREFIX.length);
          const seconds = s.every ? Math.max(1, Math.round(Number(s.every) / 1000)) : null;
          // A feed that already has a schedule keeps it; otherwise the old scheduler's next run.
          if (!seconds || have.has(feedId)) continue;
          due.push(s.next ? Number(s.next) : now, feedId);
          every.push(feedId, String(seconds));
        }
        if (due.length) await redis.multi().zadd(keys.feedsDue, ...due).hset(keys.feedsEvery, ...every).exec();
        await Promise.all(chunk.map((s) => poll.removeJobScheduler(s.key)));
      }
      return legacy.length;
    },
    async ensureTick(everyMs = 1000) {
      await poll.upsertJobScheduler(
        TICK_SCHEDULER_ID,
        { every: everyMs },
        { name: DUE_TICK_JOB, data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 }, attempts: 1 } },
      );
    },
  };
}
