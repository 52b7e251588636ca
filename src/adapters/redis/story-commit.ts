// The story assigner's last step (story-assign.ts, step 4): every story of a batch compare-and-set
// by version, with the story-of entries, vectors, /story indexes, document frequencies and the
// batch's change-log entry (story-mirror.ts), in one script (story-commit-many.lua), the write
// lock released; and the results in input order. Split from
// story-assign.ts for size: `commit` and `results` were its functions of the same names.
import type { Redis } from 'ioredis';
import type { Story } from '../../core/types.js';
import { mergeIntoStory } from '../../core/story/record.js';
import type { ArticleVectors } from '../../core/story/similarity.js';
import type { Keys } from './keys.js';
import { parseStory, StoryLockTimeoutError, type AssignResult, type Slot, type StoryRead } from './story-assign-types.js';
import { indexScore } from './story-index-keys.js';
import type { BatchKey } from './story-set-read.js';

interface Scripted {
  /** numkeys, KEYS, ARGV as one array (ioredis flattens arguments one level). */
  swStoryCommitMany(args: (string | number)[]): Promise<(number | string)[]>;
}

export interface CommitDeps {
  redis: Redis;
  keys: Keys;
  retentionSec: number;
  /** Vectors' TTL, s (2 × window). */
  matchTtlSec: number;
  dfTtlSec: number;
  /** A story's /story index keys (memoised per value by the assigner). */
  indexKeysOf(s: Story): string[];
  /** Tells the memo a story value's index keys (those kept with its read). */
  knowIndexKeys(s: Story, ks: string[]): void;
  cacheVectors(id: string, v: ArticleVectors, expiresAt: number): void;
  rememberStory(id: string, r: StoryRead): void;
  readStories(ids: readonly string[]): Promise<Map<string, StoryRead | null>>;
}

export interface CommitArgs {
  epoch: number;
  nowMs: number;
  counted: number;
  token: string;
  logEntry: string | null;
}

/** A try's arguments (`a`; the first-try flags at `at`) and what they write. */
export interface Prepared {
  a: (string | number)[];
  at: number;
  placed: Slot[];
  storyIds: string[];
  state: Map<string, Story | null>;
  after: { story: Story; created: boolean }[];
  written: [string, number][];
  logged: boolean;
}

export interface Committed {
  results: AssignResult[];
  logId: string | null;
  /** Redis's clock (µs) when the lock was released. */
  releasedUs: number;
}

export function createStoryCommit(d: CommitDeps) {
  const { redis, keys, retentionSec, matchTtlSec, dfTtlSec, indexKeysOf, cacheVectors, rememberStory, readStories } = d;
  const scripts = redis as unknown as Scripted;
  // `prepare`'s tallies of the DF keys (BatchKey.stamp)
  let tallies = 0;

  /**
   * The batch's writes as story-commit-many.lua takes them, from the records as read (`json`):
   * made once per try (a compare-and-set that fails reads the stale records again), and before
   * the lock when the batch's decisions are (story-assign.ts: its first try takes the lock).
   */
  function prepare(slots: readonly Slot[], json: Map<string, StoryRead | null>, c: CommitArgs): Prepared {
    const placed = slots.filter((s) => s.again === null);
    const storyIds = [...new Set(placed.map((s) => s.storyId!))];
    // the DF keys of the placed articles, in order of first use, and how many have each (tallied
    // on the batch's entries: no map of them a try)
    const stamp = ++tallies;
    const dfFields: BatchKey[] = [];
    for (const s of placed) {
      for (const e of s.fk) {
        if (e.stamp !== stamp) {
          e.stamp = stamp;
          e.n = 0;
          dfFields.push(e);
        }
        e.n++;
      }
    }
    // the stories as each article leaves them, and the index entries every step adds or raises
    const state = new Map<string, Story | null>(storyIds.map((id) => [id, parseStory(json.get(id) ?? null)]));
    // the records as read (parsed once, readStory); their index keys are those kept with the read
    for (const id of storyIds) {
      const r = json.get(id);
      const st = state.get(id);
      if (r?.indexKeys && st) d.knowIndexKeys(st, r.indexKeys);
    }
    const index = new Map<string, Map<string, number>>();
    const byTime = new Map<string, number>();
    const after: { story: Story; created: boolean }[] = [];
    const changed = new Set<string>();
    for (const s of placed) {
      const prev = state.get(s.storyId!) ?? null;
      const next = mergeIntoStory(prev, s.sa, { storyId: s.storyId! });
      if (next !== prev) changed.add(next.id);
      state.set(s.storyId!, next);
      after.push({ story: next, created: prev === null });
      const score = Date.parse(next.lastSeen) || c.nowMs;
      if (prev === null || prev.lastSeen !== next.lastSeen) byTime.set(next.id, Math.max(byTime.get(next.id) ?? -Infinity, score));
      // the index sets: every key when the story's day score moves (story-index-keys.ts), else the new ones only
      const day = indexScore(score);
      let ks: string[];
      if (prev === null || indexScore(Date.parse(prev.lastSeen) || c.nowMs) !== day) ks = indexKeysOf(next);
      else if (prev === next) ks = [];
      else {
        const had = new Set(indexKeysOf(prev));
        ks = indexKeysOf(next).filter((k) => !had.has(k));
      }
      for (const k of ks) {
        let m = index.get(k);
        if (!m) index.set(k, (m = new Map()));
        m.set(next.id, Math.max(m.get(next.id) ?? -Infinity, day));
      }
    }
    const storyArgs: string[] = [];
    const written: Array<[string, number]> = [];
    for (const id of storyIds) {
      const read = json.get(id) ?? null;
      if (!changed.has(id)) {
        storyArgs.push('-', '');
        continue;
      }
      const text = JSON.stringify(state.get(id));
      written.push([id, text.length]);
      storyArgs.push(read === null ? '' : read.ver, text);
    }
    // numkeys, KEYS and ARGV in one array, filled in place (story-commit-many.lua's format; a
    // batch's call runs to thousands of arguments, and the spreads and flatMaps that built it
    // were a copy per part and a small array per pair)
    const a: (string | number)[] = [0];
    for (const id of storyIds) a.push(keys.story(id));
    for (const id of storyIds) a.push(keys.storyVersion(id));
    for (const s of placed) a.push(keys.storyOf(s.input.article.id));
    for (const s of placed) a.push(keys.storyVectors(s.input.article.id));
    for (const key of index.keys()) a.push(key);
    a.push(keys.storiesByTime, keys.storyIndexKeys, keys.storyDf(c.epoch), keys.storyVersionSeq, keys.storyWriteLock, keys.storyLog, keys.storyLogGen, keys.storyProtocol);
    a[0] = a.length - 1;
    // the DF counts as one argument (a JSON array; nd negative) when every field is well-formed,
    // else as pairs: a batch adds to thousands of fields, and an argument each was ~85% of the
    // commit's arguments, each encoded apart by ioredis and parsed apart by Redis (only the script's
    // arguments change, not Redis's data: each process runs its own script by SHA, so workers of the
    // previous versions and these commit side by side)
    const dfJoined = dfFields.length ? dfArgumentOf(dfFields) : null;
    a.push(storyIds.length, placed.length, index.size, byTime.size, dfJoined === null ? dfFields.length : -dfFields.length);
    // the log keeps 2 × window of wall-clock time (what the candidate sets kept: story-mirror.ts)
    // (then ARGV[13..18], the first try's flags: story-commit-many.lua)
    a.push(c.token, retentionSec, matchTtlSec, dfTtlSec, c.counted, c.logEntry ?? '', Date.now() - 2 * matchTtlSec * 1000 - 3_600_000, '', '', '', '', '', '');
    const at = a.length - 6;
    for (const x of storyArgs) a.push(x);
    for (const s of placed) a.push(s.storyId!, s.placement!.packed);
    const pairs = (m: Map<string, number>) => {
      a.push(m.size);
      for (const [id, t] of m) a.push(t, id);
    };
    for (const m of index.values()) pairs(m);
    for (const [id, t] of byTime) a.push(t, id);
    if (dfJoined !== null) a.push(dfJoined);
    else for (const e of dfFields) a.push(e.key, e.n);
    return { a, at, placed, storyIds, state, after, written, logged: c.logEntry !== null };
  }

  /** What a sent try answered: written (`done`), or the stories (1-based) that changed since they were read. */
  function finish(slots: readonly Slot[], p: Prepared, res: (number | string)[]): Promise<Committed> | null {
    if (res[0] !== 1) return null;
    const expiresAt = Date.now() + matchTtlSec * 1000 - 1000;
    for (const s of p.placed) cacheVectors(s.input.article.id, s.placement!.stored, expiresAt);
    // the records as written are what the next batches read back: parsed already
    const ver = String(res[1]);
    for (const [id, bytes] of p.written) rememberStory(id, { ver, bytes, articleIds: p.state.get(id)!.articleIds, indexKeys: indexKeysOf(p.state.get(id)!), story: p.state.get(id)! });
    return results(slots, p.after, p.state).then((r) => ({ results: r, logId: p.logged ? String(res[2]) : null, releasedUs: Number(res[3]) }));
  }

  /**
   * The first try of an optimistic batch: the lock taken in the commit script, and the writes
   * made when nothing was committed since the mirror's position `fast.lastId` (no article filed
   * meanwhile either). Else the lock is busy, the basis is not the caller's (`retry`: take the
   * lock the usual way), or others committed since: the lock is the caller's now with what they
   * committed (`locked`), or, without `keepLock`, it is not held and the caller checks its
   * decisions against what they committed before it tries again (`moved`).
   */
  async function tryFirst(slots: readonly Slot[], p: Prepared, fast: { gen: string; lastId: string; protocol: string; ttlMs: number; keepLock: boolean }): Promise<
    { kind: 'done'; c: Committed } | { kind: 'busy' | 'retry' } | { kind: 'locked' | 'moved'; of: (string | null)[]; entries: [string, string[]][]; takenUs: number } | { kind: 'stale' }
  > {
    p.a[p.at] = '1';
    p.a[p.at + 1] = fast.gen;
    p.a[p.at + 2] = fast.lastId;
    p.a[p.at + 3] = fast.protocol;
    p.a[p.at + 4] = fast.ttlMs;
    p.a[p.at + 5] = fast.keepLock ? '1' : '';
    const res = (await scripts.swStoryCommitMany(p.a)) as unknown[];
    p.a[p.at] = '';
    if (res[0] === -2) return { kind: 'busy' };
    if (res[0] === -3) return { kind: 'retry' };
    if (res[0] === -4 || res[0] === -5) {
      // the story-of entries of the placed articles, back in the batch's order
      const got = res[1] as (string | null)[];
      const of: (string | null)[] = slots.map(() => null);
      let n = 0;
      slots.forEach((s, i) => {
        if (s.again === null) of[i] = got[n++] ?? null;
      });
      return { kind: res[0] === -4 ? 'locked' : 'moved', of, entries: res[2] as [string, string[]][], takenUs: Number(res[3]) };
    }
    const done = finish(slots, p, res as (number | string)[]);
    // a story changed without a log entry since (a writer whose lock lapsed): the lock is ours, the usual commit follows
    return done ? { kind: 'done', c: await done } : { kind: 'stale' };
  }

  /** The batch's writes under the lock held (`prepared`: made before, still right), compare-and-set, tried again on stale records. */
  async function commit(slots: readonly Slot[], json: Map<string, StoryRead | null>, c: CommitArgs, prepared?: Prepared): Promise<Committed> {
    let p = prepared ?? prepare(slots, json, c);
    for (let attempt = 0; attempt < 50; attempt++) {
      // one array argument: ioredis flattens a command's arguments (Command's args.flat())
      const res = await scripts.swStoryCommitMany(p.a);
      if (res[0] === -1) throw new StoryLockTimeoutError('story write lock lapsed before the commit');
      const done = finish(slots, p, res);
      if (done) return done;
      // someone else wrote these stories since: read them again and re-merge
      await sleep(Math.random() * Math.min(attempt + 1, 10));
      const stale = res.slice(1).map((j) => p.storyIds[Number(j) - 1]!);
      for (const [id, r] of await readStories(stale)) json.set(id, r);
      p = prepare(slots, json, c);
    }
    throw new StoryLockTimeoutError('stories kept changing while being written');
  }

  async function results(slots: readonly Slot[], after: { story: Story; created: boolean }[], state: Map<string, Story | null>): Promise<AssignResult[]> {
    const again = [...new Set(slots.filter((s) => s.again !== null && !state.has(s.again)).map((s) => s.again!))];
    const got = again.length ? await redis.mget(again.map((id) => keys.story(id))) : [];
    const stored = new Map(again.map((id, i) => [id, got[i] ? (JSON.parse(got[i]!) as Story) : null]));
    let n = 0;
    const out: AssignResult[] = [];
    for (const s of slots) {
      if (s.again === null) {
        const a = after[n++]!;
        out.push({ story: a.story, storyId: a.story.id, created: a.created, cites: s.sa.cites, matched: s.placement!.decision.matched, alsoMatched: s.placement!.decision.alsoMatched });
        continue;
      }
      const story = state.get(s.again) ?? stored.get(s.again) ?? null;
      if (!story) {
        // its story expired while its story-of entry lives on: file it again
        throw new Error(`story ${s.again} of article ${s.input.article.id} is gone`);
      }
      const entry = story.outlets.find((x) => x.articleId === s.input.article.id);
      out.push({ story, storyId: s.again, created: false, cites: entry?.cites ?? [], matched: null, alsoMatched: [] });
    }
    return out;
  }

  return { prepare, tryFirst, commit };
}

/**
 * The DF counts as the commit's one argument of them (story-commit-many.lua, which decodes it with
 * cjson): a JSON array of the fields, then their counts in the same order. Null when a field holds
 * a lone surrogate: JSON would carry it as an escape that cjson refuses, where the pairs carry it as
 * ioredis writes every string (U+FFFD), the value stored until now.
 */
export function dfArgument(counts: ReadonlyMap<string, number>): string | null {
  return dfArgumentOf([...counts].map(([key, n]) => ({ key, n })));
}

/** `dfArgument` of the fields and counts as a list (prepare's tally). */
export function dfArgumentOf(counts: readonly { key: string; n: number }[]): string | null {
  const parts: (string | number)[] = new Array(2 * counts.length);
  for (let i = 0; i < counts.length; i++) {
    parts[i] = counts[i]!.key;
    parts[counts.length + i] = counts[i]!.n;
  }
  const json = JSON.stringify(parts);
  // JSON.stringify writes a lone surrogate as \udXXX (lower case); a field holding a backslash and
  // such letters matches too, and goes as pairs: right, only slower
  return LONE_SURROGATE.test(json) ? null : json;
}

const LONE_SURROGATE = /\\ud[89a-f]/;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
