// Feeds (from the feeds file and from /feeds add) and their runtime state and health.
//
// Every feed's state is fields of one hash (keys.feedsState: `r:<id>` its runtime, `h:<id>` its
// health, and the two small fields below), not a hash per feed: a poll-due group of 50 feeds reads its state with one HMGET
// and writes it with one HSET (a warm cycle at 1,000 feeds sent ~2,000 commands for it, one HMGET
// and one HSET per feed; issue 16). The earlier version's per-feed hashes are moved in once, at
// start (`migrateState`).
//
// What changes at every poll of a feed that answers 304 (or unchanged) is the poll's bookkeeping
// alone: it is two small fields of its own (`pr:<id>` the runtime's `polls`, `ph:<id>` the
// health's `lastPollAt`, `lastSuccessAt`, `recentOutcomes` and `notModifiedRatio`), laid over
// the runtime and health when read ('' lays nothing over). A group's save writes only those two
// when nothing else of a feed's runtime and health changed since its load, instead of the
// health's JSON again (~2 KB with its recent item dates: its stringify and write were a few % of
// a warm cycle's CPU, issue 16). Every write of the runtime or health writes its small field
// too, so a small field is never older than the JSON it lies over.
import type { Redis } from 'ioredis';
import type { FeedConfig } from '../../core/types.js';
import type { FeedRuntime, FeedStore, PollGuard } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';
import { OUTBOX } from './seen-store.js';
import { feedHost } from '../../core/feed/policy/due-groups.js';

const runtimeField = (id: string) => `r:${id}`;
const healthField = (id: string) => `h:${id}`;
const pollsField = (id: string) => `pr:${id}`;
const timesField = (id: string) => `ph:${id}`;
const parsed = <T>(s: string | null | undefined): T | null => (s ? (JSON.parse(s) as T) : null);

/** The health's fields a poll sets every time, kept in `ph:<id>`. */
type PollTimes = { lastPollAt?: string | null; lastSuccessAt?: string | null; recentOutcomes?: unknown; notModifiedRatio?: number | null };
type HasPolls = { polls?: unknown };

const OUTCOME_CODE: Record<string, string> = { ok: 'o', '304': 'n', error: 'e' };
const CODE_OUTCOME: Record<string, string> = { o: 'ok', n: '304', e: 'error' };

/**
 * `ph:<id>`'s value: the poll's times, its recent outcomes one letter each and the 304 ratio,
 * tab-separated; '' (no overlay) for a health without them or with an outcome of another kind.
 */
function timesValue(h: unknown): string {
  if (!h || typeof h !== 'object' || !('lastPollAt' in h)) return '';
  const t = h as PollTimes;
  let outcomes = '';
  if (!Array.isArray(t.recentOutcomes)) return '';
  for (const o of t.recentOutcomes) {
    const c = OUTCOME_CODE[o as string];
    if (c === undefined) return '';
    outcomes += c;
  }
  const ratio = t.notModifiedRatio;
  if (ratio !== null && typeof ratio !== 'number') return '';
  return `${t.lastPollAt ?? ''}\t${t.lastSuccessAt ?? ''}\t${outcomes}\t${ratio ?? ''}`;
}

/** `pr:<id>`'s value: the runtime's poll count ('' for none). */
function pollsValue(r: unknown): string {
  const n = (r as HasPolls | null)?.polls;
  return typeof n === 'number' ? String(n) : '';
}

type Parse = <T>(json: string | null | undefined) => T | null;

/** The runtime and health as stored, with their small fields laid over (see the top of the file); `runtime` and `health` parse their texts. */
function overlaid<T>(
  runtimeJson: string | null | undefined,
  healthJson: string | null | undefined,
  polls: string | null | undefined,
  times: string | null | undefined,
  parseRuntime: Parse = parsed,
  parseHealth: Parse = parsed,
) {
  const runtime = parseRuntime<FeedRuntime>(runtimeJson);
  const health = parseHealth<T>(healthJson);
  if (runtime && polls) runtime.polls = Number(polls);
  if (health && times) {
    const [lastPollAt, lastSuccessAt, outcomes, ratio] = times.split('\t') as [string, string, string, string];
    const t = health as PollTimes;
    t.lastPollAt = lastPollAt || null;
    t.lastSuccessAt = lastSuccessAt || null;
    const recent: string[] = [];
    for (let i = 0; i < outcomes.length; i++) recent.push(CODE_OUTCOME[outcomes[i]!]!);
    t.recentOutcomes = recent;
    t.notModifiedRatio = ratio === '' || ratio === undefined ? null : Number(ratio);
  }
  return { runtime, health };
}

/** Equal as JSON would write them (a key whose value is undefined counts as absent), leaving out `skip`'s keys at the top. */
function sameJson(a: unknown, b: unknown, skip?: readonly string[]): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!skip?.includes(k) && !sameJson(x[k], y[k])) return false;
  for (const k in y) if (!skip?.includes(k) && x[k] === undefined && y[k] !== undefined) return false;
  return true;
}

/**
 * Feeds whose texts and parses a store keeps (FeedParses) at the least: ~3.1 KB of heap a feed
 * with 20 recent item dates (texts ~1.2 KB, parses ~2 KB; measured with 20,000 feeds loaded and
 * saved, bench/README.md), so ~31 MB, and ~63 MB at 20,000 feeds. The bound
 * grows with the installation (FeedParses.fit: 1.25 x the feeds in the feeds hash, read at most
 * once a minute), so a warm cycle over all feeds of a big installation finds each one kept; past
 * the bound a feed not kept yet is parsed each time (a cycle over all feeds would only churn an
 * evicting cache).
 */
export const PARSED_FEEDS_MAX = 10_000;

/** One field's text as last read or written, and its value (its parse; for a config, also its host). */
type Slot = { text: string; value: unknown };
/** What is kept of one feed: one entry for its three fields (one Map entry a feed, not one a field and cache). */
type Kept = { config?: Slot; runtime?: Slot; health?: Slot; hostOf?: string; host?: string };
export type FeedField = 'config' | 'runtime' | 'health';

/** True when JSON.parse(JSON.stringify(v)) gives back the same value: plain objects and arrays of strings, finite numbers, booleans and null. */
function sameAsItsJson(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (Array.isArray(v)) {
        for (const x of v) if (!sameAsItsJson(x)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      for (const k in o) if (!sameAsItsJson(o[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * The texts last read or written of each feed's config, runtime and health, with their parses
 * (and the config's host, for the scheduler's tick). A warm cycle reads every due feed's config,
 * runtime and health, and what a 304 changes is written to the small fields only (above): the
 * JSON texts come back the same poll after poll, and their JSON.parse was ~7% of a warm cycle's
 * CPU (issue 16). Same text, same value: the value kept is handed out as a shallow copy (callers
 * set top-level fields, as `overlaid` does; nested arrays and objects are shared and must not be
 * changed in place, which the poll's reducers do not). A poll's save keeps what it wrote (`keep`,
 * when the value is what its JSON parses back to), so the first warm cycle after a cold one finds
 * the runtime and health the cold polls wrote instead of parsing them (issue 16: the first warm
 * cycle cost 1.7 x the second). One instance is shared by the feed store and the scheduler
 * (src/main/container.ts): the tick's host of a feed comes from the config the polls parsed.
 * Bounded by feed count (PARSED_FEEDS_MAX, or what `fit` raised it to).
 */
export class FeedParses {
  private readonly byFeed = new Map<string, Kept>();
  private max: number;
  constructor(private readonly floor = PARSED_FEEDS_MAX) {
    this.max = floor;
  }

  /** Raises (or lowers, not below the floor) the bound to fit an installation of `feeds` feeds. */
  fit(feeds: number): void {
    this.max = Math.max(this.floor, Math.ceil(feeds * 1.25));
  }

  get size(): number {
    return this.byFeed.size;
  }

  private entry(id: string): Kept | undefined {
    let e = this.byFeed.get(id);
    if (e === undefined && this.byFeed.size < this.max) {
      e = {};
      this.byFeed.set(id, e);
    }
    return e;
  }

  /** `field`'s text parsed (null for none), as last parsed when the text was the same; an object as a shallow copy. */
  parsed<T>(id: string, field: FeedField, text: string | null | undefined): T | null {
    if (!text) return null;
    const e = this.byFeed.get(id) ?? this.entry(id);
    const slot = e?.[field];
    let value: unknown;
    if (slot !== undefined && slot.text === text) value = slot.value;
    else {
      value = JSON.parse(text);
      if (e) e[field] = { text, value };
    }
    return (typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : value) as T;
  }

  /** Keeps `value` as the parse of `text`, just written (when it is what that text parses back to). */
  keep(id: string, field: FeedField, text: string, value: unknown): void {
    const e = this.byFeed.get(id);
    if (e === undefined && this.byFeed.size >= this.max) return;
    if (!sameAsItsJson(value)) {
      if (e) delete e[field];
      return;
    }
    // A copy of the top level: the caller may go on setting fields of its object.
    const kept = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : value;
    (e ?? this.entry(id)!)[field] = { text, value: kept };
  }

  /** The host a config text names (feedHost of its URL; '' for a text that does not parse or has no URL). */
  host(id: string, configText: string): string {
    const e = this.byFeed.get(id) ?? this.entry(id);
    if (e?.hostOf === configText) return e.host!;
    let url = '';
    try {
      url = String(this.parsed<{ url?: unknown }>(id, 'config', configText)?.url ?? '');
    } catch {
      url = '';
    }
    const host = feedHost(url);
    if (e) {
      e.hostOf = configText;
      e.host = host;
    }
    return host;
  }

  forget(id: string): void {
    this.byFeed.delete(id);
  }
}

/** How often a store reads the feed count to fit its parses' bound (FeedParses.fit), ms. */
const FIT_EVERY_MS = 60_000;

const TIMES_KEYS = ['lastPollAt', 'lastSuccessAt', 'recentOutcomes', 'notModifiedRatio'];
const POLLS_KEYS = ['polls'];

export interface RedisFeedStore extends FeedStore {
  /**
   * Moves the earlier version's per-feed state hashes (`<prefix>:feed:<id>:state`, fields
   * `runtime` and `health`) into the one state hash, and deletes them. A value already in the
   * state hash (written by this version) is kept. Returns how many feeds' hashes it moved: 0 once
   * done, so it is safe at every start.
   *
   * It walks the whole keyspace (SCAN: ~1 s of Redis CPU and 1,000 round trips at a million keys),
   * so once a walk finds nothing to move it is recorded (keys.migrations, step `feed-state-hash`)
   * and later starts skip it. A walk that moved something is not recorded: in a rolling upgrade
   * the earlier version's workers may still write per-feed hashes after it, and the next start
   * moves those; the step is recorded once no earlier worker writes any more.
   */
  migrateState(): Promise<number>;
}

/** migrateState's step in keys.migrations (recorded once a walk finds no per-feed hash). */
const MIGRATION_STEP = 'feed-state-hash';

/** `*`, `?`, `[` and `\` of a key prefix escaped for SCAN's MATCH. */
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * The feed store on `redis`. `parses`: the texts and parses it keeps (shared with the scheduler,
 * see FeedParses), or the least bound of its own (tests; default PARSED_FEEDS_MAX).
 */
export function createRedisFeedStore(redis: Redis, keys: Keys, parses: FeedParses | number = PARSED_FEEDS_MAX): RedisFeedStore {
  const stateKey = keys.feedsState;
  // The poll path's parses (loadForPoll, loadManyForPoll), by feed and field.
  const kept = typeof parses === 'number' ? new FeedParses(parses) : parses;
  const config = (id: string, json: string | null | undefined) => kept.parsed<FeedConfig>(id, 'config', json);
  const parsers = (id: string) => [<T>(json: string | null | undefined) => kept.parsed<T>(id, 'runtime', json), <T>(json: string | null | undefined) => kept.parsed<T>(id, 'health', json)] as const;
  /** When the feed count was last read to fit the parses' bound (loadManyForPoll reads it beside the configs). */
  let fittedAt = Number.NEGATIVE_INFINITY;
  /**
   * What a group's load read, by the health's `recentItemDates` array: a poll that changes no
   * item dates (a 304, an unchanged document) hands the same array on in the health it saves
   * (core/feed/policy/schedule.ts recordPollOutcome), so the save finds what was loaded and
   * compares. A WeakMap: a load whose save never comes (a deferred or failed poll) keeps nothing; a save drops its entry.
   * The comparison decides; the array only finds what to compare with (no match: a full write).
   * Each entry names its feed: two feeds whose kept healths share an array (a caller that saved
   * one object for both) never compare with each other's load.
   */
  const asLoaded = new WeakMap<object, { id: string; runtime: FeedRuntime; health: unknown }>();
  if (!('swFeedsKeepValidators' in redis)) redis.defineCommand('swFeedsKeepValidators', { lua: luaScript('feeds-keep-validators') });
  type Check = { keys: string[]; argv: string[]; ids: string[] };
  const keeper = redis as Redis & { swFeedsKeepValidators(n: number, ...args: string[]): Promise<string[]> };
  /**
   * A guarded save's check (scripts/feeds-keep-validators.lua), added to `check`: the runtime goes
   * in `args` without its validators, and with them to the script, which writes it when the guard holds.
   */
  const guarded = (check: Check, id: string, runtime: FeedRuntime, guard: PollGuard | undefined): FeedRuntime => {
    if (!guard || (runtime.etag == null && runtime.lastModified == null) || guard.claims.length + guard.queued.length === 0) return runtime;
    check.ids.push(id);
    check.argv.push(runtimeField(id), JSON.stringify(runtime), String(guard.claims.length), String(guard.queued.length));
    for (const c of guard.claims) check.keys.push(keys.seen(c.scope, c.key));
    for (const q of guard.queued) {
      check.keys.push(keys.seen(q.scope, OUTBOX));
      check.argv.push(q.articleId);
    }
    return { ...runtime, etag: null, lastModified: null };
  };
  /** The HSET of a save's fields, then its guarded validators' check: one round trip (one connection keeps their order). */
  const saveWithCheck = async (args: string[], check: Check): Promise<string[]> => {
    if (check.argv.length === 0) {
      await redis.hset(stateKey, ...args);
      return [];
    }
    const [, kept] = await Promise.all([redis.hset(stateKey, ...args), keeper.swFeedsKeepValidators(1 + check.keys.length, stateKey, ...check.keys, ...check.argv)]);
    const keptFields = new Set(kept);
    return check.ids.filter((id) => !keptFields.has(runtimeField(id)));
  };
  /** The fields and values of one feed's save: the small fields alone when only they changed. */
  const saveArgs = (args: string[], id: string, runtime: FeedRuntime, health: unknown, check: Check, guard: PollGuard | undefined) => {
    const polls = pollsValue(runtime);
    const times = timesValue(health);
    const dates = (health as { recentItemDates?: unknown } | null)?.recentItemDates;
    const loaded = dates && typeof dates === 'object' ? asLoaded.get(dates) : undefined;
    const was = loaded?.id === id ? loaded : undefined;
    // Used once: a kept health's array would keep the copies alive until the next load (~0.3 KB a feed).
    if (was) asLoaded.delete(dates as object);
    // Only with both small fields in use: a field left '' would not lay the new value over.
    const written = guarded(check, id, runtime, guard);
    const steady = written === runtime && was !== undefined && times !== '' && polls !== '' && sameJson(was.runtime, runtime, POLLS_KEYS) && sameJson(was.health, health, TIMES_KEYS);
    if (!steady) {
      const runtimeJson = JSON.stringify(runtime);
      const healthJson = JSON.stringify(health);
      // A guarded runtime goes without validators here (the check writes them); the one kept is
      // the one the check most likely leaves (a different text read back is parsed anew).
      args.push(runtimeField(id), written === runtime ? runtimeJson : JSON.stringify(written), healthField(id), healthJson);
      // What the next load reads back (unless another writer comes first): kept as its parse.
      kept.keep(id, 'runtime', runtimeJson, runtime);
      kept.keep(id, 'health', healthJson, health);
    }
    args.push(pollsField(id), polls, timesField(id), times);
  };
  return {
    async upsert(feed) {
      const created = (await redis.hset(keys.feeds, feed.id, JSON.stringify(feed))) === 1;
      await redis.srem(keys.feedsRemoved, feed.id);
      return { created };
    },
    async get(id) {
      return parsed<FeedConfig>(await redis.hget(keys.feeds, id));
    },
    async list() {
      const all = await redis.hvals(keys.feeds);
      return all.map((s) => JSON.parse(s) as FeedConfig).sort((a, b) => a.id.localeCompare(b.id));
    },
    async remove(id) {
      const removed = (await redis.hdel(keys.feeds, id)) === 1;
      if (removed) {
        kept.forget(id);
        await redis.sadd(keys.feedsRemoved, id);
        await redis.hdel(stateKey, runtimeField(id), healthField(id), pollsField(id), timesField(id));
      }
      return removed;
    },
    async wasRemoved(id) {
      return (await redis.sismember(keys.feedsRemoved, id)) === 1;
    },
    async getRuntime(id) {
      const [runtime, polls] = await redis.hmget(stateKey, runtimeField(id), pollsField(id));
      return overlaid(runtime, null, polls, null).runtime;
    },
    async setRuntime(id, r) {
      await redis.hset(stateKey, runtimeField(id), JSON.stringify(r), pollsField(id), pollsValue(r));
    },
    async getHealth<T>(id: string) {
      const [health, times] = await redis.hmget(stateKey, healthField(id), timesField(id));
      return overlaid<T>(null, health, null, times).health;
    },
    async setHealth<T>(id: string, h: T) {
      await redis.hset(stateKey, healthField(id), JSON.stringify(h), timesField(id), timesValue(h));
    },
    async loadForPoll<T>(id: string) {
      // One round trip, two calls (not a pipeline: see connection.ts).
      const [feed, state] = await Promise.all([redis.hget(keys.feeds, id), redis.hmget(stateKey, runtimeField(id), healthField(id), pollsField(id), timesField(id))]);
      const [runtime, health, polls, times] = state;
      return { feed: config(id, feed), ...overlaid<T>(runtime ?? null, health ?? null, polls ?? null, times ?? null, ...parsers(id)) };
    },
    async saveAfterPoll<T>(id: string, runtime: FeedRuntime, health: T, guard?: PollGuard) {
      const args: string[] = [];
      const check: Check = { keys: [], argv: [], ids: [] };
      saveArgs(args, id, runtime, health, check, guard);
      return (await saveWithCheck(args, check)).length === 0;
    },
    async loadManyForPoll<T>(ids: readonly string[]) {
      type Loaded = { feed: FeedConfig | null; runtime: FeedRuntime | null; health: T | null };
      const out = new Map<string, Loaded>();
      if (ids.length === 0) return out;
      // One round trip, two commands: the configs, then every feed's runtime and health.
      const fields: string[] = [];
      for (const id of ids) fields.push(runtimeField(id), healthField(id), pollsField(id), timesField(id));
      const p = redis.pipeline().hmget(keys.feeds, ...ids).hmget(stateKey, ...fields);
      // The feed count, once a minute, in the same round trip: the parses kept fit the installation.
      const fit = Date.now() - fittedAt >= FIT_EVERY_MS;
      if (fit) p.hlen(keys.feeds);
      const res = (await p.exec()) ?? [];
      for (const [err] of res) if (err) throw err;
      if (fit) {
        fittedAt = Date.now();
        kept.fit(Number(res[2]?.[1] ?? 0));
      }
      const configTexts = (res[0]?.[1] ?? []) as (string | null)[];
      const state = (res[1]?.[1] ?? []) as (string | null)[];
      ids.forEach((id, i) => {
        const { runtime, health } = overlaid<T>(state[4 * i], state[4 * i + 1], state[4 * i + 2], state[4 * i + 3], ...parsers(id));
        const dates = (health as { recentItemDates?: unknown } | null)?.recentItemDates;
        // A copy of what was read: the poll may change the objects it was handed.
        if (runtime && health && dates && typeof dates === 'object') asLoaded.set(dates, { id, runtime: { ...runtime }, health: { ...health } });
        out.set(id, { feed: config(id, configTexts[i]), runtime, health });
      });
      return out;
    },
    async saveManyAfterPoll<T>(saves: readonly { id: string; runtime: FeedRuntime; health: T; guard?: PollGuard }[]) {
      if (saves.length === 0) return [];
      const args: string[] = [];
      const check: Check = { keys: [], argv: [], ids: [] };
      for (const s of saves) saveArgs(args, s.id, s.runtime, s.health, check, s.guard);
      return saveWithCheck(args, check);
    },
    async migrateState() {
      if (await redis.hexists(keys.migrations, MIGRATION_STEP)) return 0;
      // `<prefix>:feed:<id>:state`: the feed id is what lies between `start` and `end`.
      const end = ':state';
      const start = keys.legacyFeedState('').slice(0, -end.length);
      let moved = 0;
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${globEscape(start)}*${end}`, 'COUNT', 1000);
        cursor = next;
        const legacy = batch.filter((k) => k.startsWith(start) && k.endsWith(end) && k.length > start.length + end.length);
        if (legacy.length === 0) continue;
        const read = redis.pipeline();
        for (const k of legacy) read.hmget(k, 'runtime', 'health');
        const res = (await read.exec()) ?? [];
        const write = redis.pipeline();
        legacy.forEach((k, i) => {
          const [err, v] = res[i] ?? [];
          if (err) throw err;
          const [runtime, health] = (v as (string | null)[] | undefined) ?? [null, null];
          const id = k.slice(start.length, k.length - end.length);
          // HSETNX: a value this version already wrote is newer than the earlier version's.
          if (runtime) write.hsetnx(stateKey, runtimeField(id), runtime);
          if (health) write.hsetnx(stateKey, healthField(id), health);
          write.del(k);
        });
        for (const [err] of (await write.exec()) ?? []) if (err) throw err;
        moved += legacy.length;
      } while (cursor !== '0');
      if (moved === 0) await redis.hset(keys.migrations, MIGRATION_STEP, new Date().toISOString());
      return moved;
    },
  };
}
