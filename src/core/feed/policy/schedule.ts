// Polling decisions, pure: how long until a feed's next poll, how to back off after failures,
// and the per-feed health record (`feeds list`) as a reducer over poll outcomes. The lead's
// poll job stores FeedHealth in Redis and drives the BullMQ job scheduler with these numbers.
// Times in FeedHealth are ISO 8601 strings (it is stored and shown); delays are seconds.

/** After this many failed polls in a row a feed is paused (issue 4). */
export const PAUSE_AFTER_FAILURES = 10;
/** Upper bound of the failure backoff unless the caller gives one: 6 hours. */
export const DEFAULT_FAILURE_MAX_SECONDS = 6 * 60 * 60;
/** Item dates kept for the adaptive interval. */
const RECENT_DATES = 50;
/** Outcomes kept for the 304 ratio. */
const RECENT_OUTCOMES = 50;
/** Interval for a feed whose rhythm is not known yet (fewer than two dated items). */
const UNKNOWN_RHYTHM_SECONDS = 15 * 60;

export interface PollDelayOptions {
  /** POLL_MIN_INTERVAL_SECONDS. */
  minSeconds: number;
  /** POLL_MAX_INTERVAL_SECONDS. */
  maxSeconds: number;
  /** The feed's own lower bound (feeds file `interval`). */
  feedIntervalSeconds?: number;
  now: Date;
}

export interface PollState {
  /** Publication times of recent items (ISO 8601; estimated dates left out), any order. */
  recentItemDates: readonly string[];
  /** Earliest next poll the server asked for (Cache-Control max-age / Retry-After), ISO or ms. */
  notBefore?: string | number | null;
  /** The dates' rhythm when known (FeedHealth.rhythm): saves parsing them at every poll. */
  rhythm?: Rhythm | null;
}

/**
 * What the adaptive interval needs of a feed's recent item dates, computed when they change
 * (a poll with items), not at every poll (a warm cycle's 304s; issue 16): the median gap between
 * them and the newest. Valid while the newest is not in the future (no date is left out then).
 */
export interface Rhythm {
  /** Median gap between the distinct dates, s; null with fewer than two. */
  medianGapSeconds: number | null;
  /** The newest date, ms. */
  newestMs: number;
}

/** The rhythm of `dates` (null when none is dated), leaving out those after `now` + 1 min when given. */
export function rhythmOf(dates: readonly string[], now = Number.POSITIVE_INFINITY): Rhythm | null {
  const times = recentTimes(dates, now);
  if (times.length === 0) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i - 1]! - times[i]!) / 1000);
  return { medianGapSeconds: gaps.length ? median(gaps) : null, newestMs: times[0]! };
}

const ms = (t: string | number | null | undefined): number | null => {
  if (t === null || t === undefined) return null;
  const v = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(v) ? v : null;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), Math.max(lo, hi));
}

/** Seconds until the server allows the next poll (0 when it said nothing or the time is past). */
function serverWait(notBefore: PollState['notBefore'], now: Date): number {
  const nb = ms(notBefore);
  return nb === null ? 0 : Math.max(0, Math.ceil((nb - now.getTime()) / 1000));
}

/**
 * The dates' times, newest first, distinct, none in the future (time-zone mistakes and embargoes
 * say nothing about the rhythm), at most RECENT_DATES. The health keeps them newest first and
 * distinct (recordPollOutcome), so one pass usually does: this runs at every poll, 304s included
 * (issue 16: a warm cycle's CPU); any other order takes the sort.
 */
function recentTimes(dates: readonly string[], now: number): number[] {
  const times: number[] = [];
  let ordered = true;
  for (const d of dates) {
    const t = ms(d);
    if (t === null || t > now + 60_000) continue;
    if (times.length && t >= times[times.length - 1]!) ordered = false;
    times.push(t);
  }
  if (ordered) return times.length > RECENT_DATES ? times.slice(0, RECENT_DATES) : times;
  return [...new Set(times)].sort((a, b) => b - a).slice(0, RECENT_DATES);
}

/**
 * Seconds until the next poll of a healthy feed. Half the median gap between recent item dates
 * (a feed that publishes hourly is polled every 30 minutes), at least an eighth of the time since
 * its latest item (a feed quiet for days slows down), clamped to
 * [max(minSeconds, feedIntervalSeconds), maxSeconds]; then never before the server's notBefore.
 * With fewer than two dated items, 15 minutes (clamped the same way).
 */
export function nextPollDelay(state: PollState, opts: PollDelayOptions): number {
  const lower = Math.max(opts.minSeconds, opts.feedIntervalSeconds ?? 0);
  const now = opts.now.getTime();
  const rhythm = state.rhythm && state.rhythm.newestMs <= now + 60_000 ? state.rhythm : rhythmOf(state.recentItemDates, now);
  let delay = UNKNOWN_RHYTHM_SECONDS;
  if (rhythm && rhythm.medianGapSeconds !== null) {
    const sinceLatest = Math.max(0, (now - rhythm.newestMs) / 1000);
    delay = Math.max(rhythm.medianGapSeconds / 2, sinceLatest / 8);
  }
  return Math.max(Math.round(clamp(delay, lower, opts.maxSeconds)), serverWait(state.notBefore, opts.now));
}

/**
 * Seconds to wait after the `consecutiveFailures`-th failure in a row: minSeconds·2^(n−1),
 * capped at maxSeconds, with "equal jitter" (between half and all of it) from `random` (0..1)
 * so that feeds failing together do not retry together.
 */
export function failureBackoff(consecutiveFailures: number, minSeconds: number, maxSeconds: number, random: () => number): number {
  const n = Math.max(1, Math.floor(consecutiveFailures));
  const base = Math.min(maxSeconds, minSeconds * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(minSeconds, Math.round(base / 2 + (base / 2) * r));
}

export interface FeedError {
  /** `http_404`, `timeout`, … (errorCodeLabel). */
  code: string;
  message: string;
  /** When this error (same code) started, ISO. */
  since: string;
  /** When it was last seen, ISO. */
  at: string;
}

export interface FeedHealth {
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  /** The latest error; kept after a success so `feeds list` can show the last one. */
  lastError: FeedError | null;
  consecutiveFailures: number;
  /** Outcomes of recent polls, newest last: 'ok', '304' or 'error'. */
  recentOutcomes: ('ok' | '304' | 'error')[];
  /** Share of 304 among recent successful polls, 0..1 (null before any). */
  notModifiedRatio: number | null;
  /** Items per day estimated from recent item dates (null until two dated items are seen). */
  itemsPerDay: number | null;
  /** Recent item publication times (ISO, newest first), for the adaptive interval. */
  recentItemDates: string[];
  /** Their rhythm, kept with them (absent in a health stored before it existed: computed then). */
  rhythm?: Rhythm | null;
  /** Earliest next poll the server asked for, ISO, or null. */
  notBefore: string | null;
}

export function emptyHealth(): FeedHealth {
  return {
    lastPollAt: null,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    recentOutcomes: [],
    notModifiedRatio: null,
    itemsPerDay: null,
    recentItemDates: [],
    notBefore: null,
  };
}

/** What the reducer needs of a poll (a FetchOutcome fits). */
export type PollOutcome =
  | { kind: 'ok'; items: readonly { published: string; publishedEstimated: boolean }[]; notBefore: number | null }
  | { kind: 'not-modified'; notBefore: number | null }
  | { kind: 'error'; code: string; status?: number; message: string; notBefore: number | null };

function itemsPerDay(dates: string[]): number | null {
  if (dates.length < 2) return null;
  const t = dates.map((d) => Date.parse(d));
  const span = Math.max(...t) - Math.min(...t);
  // At least an hour: ten items stamped the same minute are not 14 400 a day.
  const days = Math.max(span, 3_600_000) / 86_400_000;
  return Math.round(((dates.length - 1) / days) * 10) / 10;
}

/** Health after one poll. Pure: `now` is the poll's time. */
export function recordPollOutcome(health: FeedHealth, outcome: PollOutcome, now: Date): FeedHealth {
  const at = now.toISOString();
  const kind = outcome.kind === 'ok' ? 'ok' : outcome.kind === 'not-modified' ? '304' : 'error';
  // One copy and one count (every poll, 304s included).
  const prior = health.recentOutcomes;
  const from = Math.max(0, prior.length + 1 - RECENT_OUTCOMES);
  const recentOutcomes = prior.slice(from) as FeedHealth['recentOutcomes'];
  recentOutcomes.push(kind);
  let successes = 0;
  let notModified = 0;
  for (const o of recentOutcomes) {
    if (o !== 'error') successes += 1;
    if (o === '304') notModified += 1;
  }
  const notModifiedRatio = successes ? notModified / successes : null;
  const notBefore = outcome.notBefore ? new Date(outcome.notBefore).toISOString() : null;
  // The one copy of the health (a 304's whole cost here: most polls are 304s); each outcome then
  // sets its own fields on it (Object.assign keeps the key order a spread would give).
  const base: FeedHealth = { ...health, lastPollAt: at, recentOutcomes, notModifiedRatio, notBefore };

  if (outcome.kind === 'error') {
    const code = outcome.code === 'http_status' ? `http_${outcome.status ?? 0}` : outcome.code;
    const ongoing = health.consecutiveFailures > 0 && health.lastError?.code === code;
    return Object.assign(base, {
      consecutiveFailures: health.consecutiveFailures + 1,
      lastError: { code, message: outcome.message, since: ongoing ? health.lastError!.since : at, at },
    });
  }
  let recentItemDates = health.recentItemDates;
  // A 304 leaves the dates as they were, and so their rate (recounted only when it is missing):
  // most polls are 304s, and the rate parses every date (up to RECENT_DATES).
  const perDay = outcome.kind === 'ok' ? null : (health.itemsPerDay ?? null);
  if (outcome.kind === 'ok') {
    const fresh = outcome.items.filter((i) => !i.publishedEstimated).map((i) => i.published);
    // Each date parsed once, not twice per comparison (a cold poll sorts ~70 dates: ~1% of the cold
    // cycle's CPU went to Date.parse here); the same stable sort on the same keys, so the same order.
    recentItemDates = [...new Set([...fresh, ...health.recentItemDates])]
      .map((d) => ({ d, t: Date.parse(d) }))
      .filter((x) => Number.isFinite(x.t))
      .sort((a, b) => b.t - a.t)
      .slice(0, RECENT_DATES)
      .map((x) => x.d);
  }
  return Object.assign(base, {
    lastSuccessAt: at,
    consecutiveFailures: 0,
    recentItemDates,
    // Recomputed when the dates may have changed (a poll with items) or were stored without it.
    rhythm: outcome.kind === 'ok' || health.rhythm === undefined ? rhythmOf(recentItemDates) : health.rhythm,
    itemsPerDay: perDay ?? itemsPerDay(recentItemDates),
  });
}

/** A feed is paused after PAUSE_AFTER_FAILURES failed polls in a row. */
export function shouldPause(health: FeedHealth, threshold = PAUSE_AFTER_FAILURES): boolean {
  return health.consecutiveFailures >= threshold;
}

export interface PlanOptions extends PollDelayOptions {
  /** 0..1, for the failure backoff's jitter. */
  random: () => number;
  /** Cap of the failure backoff, seconds. Default DEFAULT_FAILURE_MAX_SECONDS. */
  failureMaxSeconds?: number;
}

/** Seconds until the next poll given the feed's health: backoff while failing, adaptive otherwise; never before notBefore. */
export function planNextPoll(health: FeedHealth, opts: PlanOptions): number {
  if (health.consecutiveFailures > 0) {
    const lower = Math.max(opts.minSeconds, opts.feedIntervalSeconds ?? 0);
    const backoff = failureBackoff(health.consecutiveFailures, lower, opts.failureMaxSeconds ?? DEFAULT_FAILURE_MAX_SECONDS, opts.random);
    return Math.max(backoff, serverWait(health.notBefore, opts.now));
  }
  return nextPollDelay({ recentItemDates: health.recentItemDates, notBefore: health.notBefore, rhythm: health.rhythm ?? null }, opts);
}

/** Per-feed polling state kept between polls (the FeedStore persists it). */
export interface FeedRuntime {
  /** Conditional request validators. */
  etag: string | null;
  lastModified: string | null;
  /** Seconds between polls now (adaptive); the feed's scheduler runs at this interval. */
  intervalSeconds: number;
  /** Polls made so far (the first poll of a feed does not alert undated items). */
  polls: number;
  paused: { reason: string; at: string; by: 'failures' | 'admin' } | null;
}

/** A feed's state before its first poll: no validators, its configured interval (≥ minSeconds, ≥ 60 s). */
export function defaultRuntime(feed: { interval?: number | null }, minSeconds: number): FeedRuntime {
  return { etag: null, lastModified: null, intervalSeconds: Math.max(minSeconds, feed.interval ?? 0, 60), polls: 0, paused: null };
}
