// The story assigner's candidate index in memory, kept in step through a change log in Redis
// (issue 15, item 5). Single Redis only.
//
// Why: the engine asks the candidate index one lookup per article (engine.ts `Lookup`: the
// stories filed under ~18 matching keys near a time). Asked of Redis, that was a sorted set per key
// read under a lock per key, and a ZADD + ZREMRANGEBYSCORE + EXPIRE per key on commit: ~75 Redis
// commands an article and the client's decoding of the reads, most of an assignment's Redis CPU.
// Now each assigner process holds the candidate sets in memory (`CandidateSets`, the one
// implementation the in-memory index of `analyze --cluster` and `eval` runs too, so the answers
// are the same by construction) and the lookups cost no round trip.
//
// How the mirrors agree (the contract: every process decides as one process filing the articles
// one after another would):
// - One write lock (keys.storyWriteLock) for every story writer: an assign batch (story-assign.ts)
//   and a merge (story-merge.ts). Per-key locks are gone: with the lookups in memory, a batch's
//   decisions take milliseconds, and one lock needs no lock order and no per-key round trips.
// - A change log (keys.storyLog, a Redis Stream): each committed batch appends ONE entry in the
//   same script as its writes (story-commit-many.lua): per article its story, time and matching
//   keys, and the batch's `now` (which bounds the sets as the trim on write did); each merge one
//   entry (story-merge.lua: survivor, absorbed, the keys whose entries move).
// - A batch decides every article over the mirror brought up to the log's end (filing each into
//   it as it goes, so each sees the ones before it) without the lock; then commits, taking the
//   lock in the commit script when no entry came after its mirror's position, or else reads the
//   entries after it (with the articles' story-of entries), checks its decisions against them
//   (deciding again those they change: story-assign.ts, `recheck`) and commits from there. The
//   commit checks the lock is still its own; if it lapsed, nothing is written and the mirror is
//   dropped.
// - The mirror knows the log's generation (keys.storyLogGen, random, set when the log starts) and
//   its last entry id. A mirror whose generation differs (a flushed Redis started a new log) or
//   whose last entry is no longer in the log (trimmed away after a long pause, or lost when Redis
//   restarted from an older snapshot) is rebuilt from the log, as a process does when it starts
//   (`loadMirror`, outside the lock: the log is append-only). A batch that fails after filing
//   into its mirror drops the mirror too (it may hold filings never committed).
// - The log is trimmed (XADD MINID ~) to 2 × window of wall-clock time, what the candidate sets
//   kept (their entries were trimmed 2 × window behind `now` and the sets expired 2 × window after
//   their last write); the mirror drops the same (`CandidateSets.sweep`), so its memory is bounded
//   by the window's filings, not by the installation's age. Members' vectors and story records are
//   not in the mirror: they stay in Redis with the assigner's bounded caches (story-assign.ts).
//
// Upgrade from the previous layout (candidate sets story:cand:*, no log): the first new process
// finds no log and, under the write lock, starts it with the old sets' entries (one 's' entry per
// chunk of sets, `startLog`), then deletes the old sets. Rolling upgrade: old workers do not take
// the write lock and do not append to the log, so old and new workers must not run at once on one
// Redis: stop the analyse workers of the old version, then start the new ones (README,
// Operations). keys.storyProtocol records the layout ('2'); a process speaking another version
// refuses to write (StoryProtocolError) rather than corrupt the other's data.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CandidateSets, type FilingJournal } from '../../core/story/candidate-sets.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

export const STORY_PROTOCOL = '2';
/** Separators of the log entries' values (story ids are `s-<hex>`, matching keys are text terms: neither holds control characters). */
const REC = '\x1e';
const FLD = '\x1f';
/** Log entries read per call when a mirror is built. */
const LOAD_CHUNK = 200;
/** Candidate sets read per call, and put in one seed entry, by the migration. */
const SEED_CHUNK = 500;
/** Filings applied between two sweeps of the mirror. */
const SWEEP_EVERY = 20_000;

export class StoryProtocolError extends Error {
  override name = 'StoryProtocolError';
}

/** One article's filing as the log carries it. */
export interface Filing {
  storyId: string;
  t: number;
  keys: readonly string[];
}

/** A batch's log entry (field 'b'). */
export function batchEntry(nowMs: number, filings: readonly Filing[]): string {
  let s = String(nowMs);
  for (const f of filings) {
    s += REC + f.storyId + FLD + f.t;
    for (const k of f.keys) s += FLD + k;
  }
  return s;
}

/** A merge's log entry (field 'm'). */
export function mergeEntry(survivor: string, absorbed: string, keys: readonly string[]): string {
  return [survivor, absorbed, ...keys].join(FLD);
}

export class StoryMirror {
  readonly sets: CandidateSets;
  /** The log generation and the last entry applied ('' before any). */
  gen = '';
  lastId = '';
  #sinceSweep = 0;
  #latestNow = -Infinity;

  constructor(readonly windowMs: number) {
    this.sets = new CandidateSets(windowMs);
  }

  /**
   * Files an article decided here (not yet committed: a failed batch drops the mirror); with a
   * journal, so that `undo` can take it back (no sweep until then: it would change what undo restores).
   */
  file(f: Filing, nowMs: number, journal?: FilingJournal): void {
    this.sets.file(f.storyId, f.t, f.keys, nowMs, journal);
    this.#counted(1, nowMs, !!journal);
  }

  /** Takes back the filings of `journal` (CandidateSets.undo). */
  undo(journal: FilingJournal): void {
    this.sets.undo(journal);
  }

  /**
   * Applies log entries as XRANGE returns them ([id, [field, value, ...]]), in order; `changed`
   * gets the stories whose records they wrote (filed into, merged): a record read before is stale.
   */
  apply(entries: readonly (readonly [string, readonly string[]])[], changed?: Set<string>): void {
    for (const [id, fv] of entries) {
      for (let i = 0; i + 1 < fv.length; i += 2) this.#applyField(fv[i]!, fv[i + 1]!, changed);
      this.lastId = id;
    }
  }

  #applyField(field: string, value: string, changed?: Set<string>): void {
    if (field === 'b') {
      const recs = value.split(REC);
      const nowMs = Number(recs[0]);
      for (let r = 1; r < recs.length; r++) {
        const p = recs[r]!.split(FLD);
        this.sets.file(p[0]!, Number(p[1]), p.slice(2), nowMs);
        changed?.add(p[0]!);
      }
      this.#counted(recs.length - 1, nowMs);
    } else if (field === 'm') {
      const p = value.split(FLD);
      this.sets.move(p[1]!, p[0]!, p.slice(2));
      changed?.add(p[0]!).add(p[1]!);
    } else if (field === 's') {
      for (const rec of value.split(REC)) {
        const p = rec.split(FLD);
        for (let i = 1; i + 1 < p.length; i += 2) this.sets.seed(p[0]!, p[i]!, Number(p[i + 1]));
      }
    }
    // 'g': the log's start; nothing to apply
  }

  #counted(n: number, nowMs: number, journaled = false): void {
    if (nowMs > this.#latestNow) this.#latestNow = nowMs;
    this.#sinceSweep += n;
    if (this.#sinceSweep >= SWEEP_EVERY && !journaled) {
      this.#sinceSweep = 0;
      this.sets.sweep(this.#latestNow);
    }
  }
}

type Entries = [string, string[]][];

/**
 * A mirror built from the whole log (a process's start, or a mirror whose basis is gone): read in
 * chunks, without the lock (entries are only appended; those appended meanwhile are read under the
 * lock with the next batch). An empty mirror without a generation when there is no log yet.
 */
export async function loadMirror(redis: Redis, keys: Keys, windowMs: number): Promise<StoryMirror> {
  for (;;) {
    const m = new StoryMirror(windowMs);
    const gen = await redis.get(keys.storyLogGen);
    if (!gen) return m;
    let from = '-';
    for (;;) {
      const got = (await redis.xrange(keys.storyLog, from, '+', 'COUNT', LOAD_CHUNK)) as Entries;
      m.apply(got);
      if (got.length < LOAD_CHUNK) break;
      from = `(${got.at(-1)![0]}`;
    }
    // a log started anew while it was read (a flush): read the new one
    if ((await redis.get(keys.storyLogGen)) !== gen) continue;
    m.gen = gen;
    return m;
  }
}

interface Scripted {
  swStoryLogStart(...args: (string | number)[]): Promise<number>;
}

/**
 * Starts the log under the write lock (held with `token`): the previous layout's candidate sets
 * become its first entries ('s': per set its key and entries), then the sets go. False when the
 * lock was lost or a log exists (the caller goes on with it either way).
 */
export async function startLog(redis: Redis, keys: Keys, token: string): Promise<boolean> {
  redis.defineCommand('swStoryLogStart', { lua: luaScript('story-log-start') });
  const prefix = keys.storyCandidates('');
  const pattern = `${prefix.replace(/[*?[\]\\]/gu, '\\$&')}*`;
  const seeds: string[] = [];
  const old: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', String(SEED_CHUNK));
    cursor = next;
    if (found.length === 0) continue;
    const p = redis.pipeline();
    for (const k of found) p.zrange(k, '0', '-1', 'WITHSCORES');
    const res = (await p.exec()) ?? [];
    const recs: string[] = [];
    found.forEach((k, i) => {
      const flat = (res[i]?.[1] as string[] | null) ?? [];
      if (flat.length) recs.push([k.slice(prefix.length), ...flat].join(FLD));
    });
    if (recs.length) seeds.push(recs.join(REC));
    old.push(...found);
  } while (cursor !== '0');
  const ok = (await (redis as unknown as Scripted).swStoryLogStart(4, keys.storyWriteLock, keys.storyLogGen, keys.storyLog, keys.storyProtocol, token, randomBytes(8).toString('hex'), STORY_PROTOCOL, ...seeds)) === 1;
  // the old layout's sets are in the log now; nobody reads them any more
  if (ok) for (let i = 0; i < old.length; i += SEED_CHUNK) await redis.unlink(...old.slice(i, i + SEED_CHUNK));
  return ok;
}
