// Assigning a batch of analysed articles to stories in Redis, in five round trips whatever the
// batch's size (one article is a batch of one: `assign` runs this too). Single Redis only.
//
// The decisions are the story engine's (core/story/engine.ts) and come out as if the articles had
// been assigned one after another, in batch order (the contract suite checks it against the
// in-memory index): the batch is a local overlay on what Redis holds, and each article sees the
// filings of the articles before it.
//  1. `story-read-many`: the articles' story-of entries (an article filed before stays where it is)
//     and the document frequencies of all their terms; each article's frequencies are those plus
//     the batch's earlier articles, so its matching keys are known before anything is locked.
//  2. `story-lock-read-many`: the locks of every matching key of the batch, all or nothing, and the
//     candidate sets each article's lookup reads (the `perKey` latest in its window). Under those
//     locks no other writer can file under these keys until the commit, so the local overlay (the
//     batch's own filings) plus what was read is what a one-by-one run would have seen.
//  3. `story-read-versioned` of the stories the lookups rank first (as they rank without the
//     batch's own filings; a story only the overlay brings up is fetched when the engine asks),
//     and of the stories new articles would start: their versions, and the records of those not
//     cached at that version;
//  4. MGET of their compared members' vectors (those this process filed are cached);
//  5. `story-commit-many`: every story compare-and-set (by version), the story-of entries, vectors, candidate
//     sets, /story indexes and document frequencies, and the locks released. A story someone else
//     changed meanwhile (a join through a key we do not hold) is re-read and re-merged, then
//     committed again.
import { randomBytes } from 'node:crypto';
import type { Story } from '../../core/types.js';
import { storyIdFor } from '../../core/story/decide.js';
import { comparedMembers, placeSteps, publishedOr, readCandidateSet, rankHits, storyFeatures, sumHits, type Hits } from '../../core/story/engine.js';
import { dfKeys } from '../../core/story/features.js';
import type { StoryArticle } from '../../core/story/record.js';
import { combineDocFreq, type ArticleVectors } from '../../core/story/similarity.js';
import { unpackVectors } from '../../core/story/vector-pack.js';
import { findCitations } from '../../core/story/trail.js';
import { ByteLru } from '../byte-lru.js';
import { luaScript as luaScriptOf } from './scripts.js';
import { VectorCache } from './story-vector-cache.js';
import { StoryLockTimeoutError, type AssignDeps, type AssignInput, type AssignResult, type Slot, type StoryRead } from './story-assign-types.js';
import { createStoryCommit } from './story-commit.js';
import { storyIndexKeys } from './story-index-keys.js';
import { takeStoryLocks } from './story-lock.js';
import { cutRead, splitRead, streamDocFreq } from './story-set-read.js';

export { StoryLockTimeoutError, type AssignDeps, type AssignInput, type AssignResult } from './story-assign-types.js';
export { cutRead, splitRead, streamDocFreq } from './story-set-read.js';

interface Scripted {
  swStoryReadMany(...args: (string | number | string[])[]): Promise<[(string | null)[], number[]]>;
  swStoryUnlock(...args: (string | number)[]): Promise<number>;
  swStoryReadVersioned(...args: string[]): Promise<(string | null)[]>;
}

export const DF_EPOCH_MS = 30 * 86_400_000;
/** How long vectors read from Redis are kept (their key's remaining life is not known). */
const READ_VECTOR_TTL_MS = 10 * 60_000;
/**
 * Story records kept parsed (LRU, keyed by content; see `readStory`): at most this many estimated
 * bytes (the record's bytes, plus the parsed value at ~3 × them) and entries.
 */
const STORY_CACHE = { maxBytes: 16 * 1024 * 1024, maxEntries: 4_000 };
const STORY_BYTES_PER_BYTE = 4;
/** Articles at most in one run of batches joined while they waited (see `inTurn`). */
const MAX_JOINED = 200;

type Features = ReturnType<typeof storyFeatures>;
/** A batch waiting for its turn. */
interface Turn {
  inputs: readonly AssignInput[];
  feats: readonly Features[];
  now: Date;
  resolve(r: AssignResult[]): void;
  reject(e: unknown): void;
}

export function createStoryAssigner(d: AssignDeps) {
  const { redis, keys } = d;
  const windowMs = d.windowHours * 3_600_000;
  const retentionSec = Math.ceil(d.retentionMs / 1000);
  const matchTtlSec = Math.ceil((2 * windowMs) / 1000);
  const dfTtlSec = Math.ceil((2 * DF_EPOCH_MS) / 1000);
  // Articles' vectors as stored, parsed (story-vector-cache.ts; read ones for READ_VECTOR_TTL_MS).
  const vectorCache = new VectorCache();
  const cacheVectors = (id: string, v: ArticleVectors, expiresAt: number) => vectorCache.set(id, v, expiresAt);
  // Story records by id, parsed once per content (`readStory`).
  const storyCache = new ByteLru<StoryRead>(STORY_CACHE);

  redis.defineCommand('swStoryReadMany', { lua: luaScriptOf('story-read-many') });
  redis.defineCommand('swStoryLockReadMany', { lua: luaScriptOf('story-lock-read-many') });
  redis.defineCommand('swStoryCommitMany', { lua: luaScriptOf('story-commit-many') });
  redis.defineCommand('swStoryUnlock', { lua: luaScriptOf('story-unlock') });
  redis.defineCommand('swStoryReadVersioned', { lua: luaScriptOf('story-read-versioned') });
  const scripts = redis as unknown as Scripted;

  // A story's index keys, once per story value (a batch asks for the same value as `next` of one
  // article and `prev` of the next; its terms are the costly part).
  const indexKeysCache = new WeakMap<Story, string[]>();
  function indexKeysOf(s: Story): string[] {
    let ks = indexKeysCache.get(s);
    if (!ks) indexKeysCache.set(s, (ks = storyIndexKeys(keys, s)));
    return ks;
  }
  const { commit } = createStoryCommit({
    redis, keys, windowMs, retentionSec, matchTtlSec, dfTtlSec, indexKeysOf,
    knowIndexKeys: (st, ks) => indexKeysCache.set(st, ks),
    cacheVectors, rememberStory, readStories: (ids) => readStories(ids),
  });

  // One batch at a time per assigner (per process), in the order they come: a process runs many
  // analyse jobs at once, and their batches share matching keys (a country's name, a leader's), so
  // run side by side they waited for each other's locks in Redis anyway, polling it, while holding
  // the locks they had; a second worker process then met locks held through several interleaved
  // batches' CPU. Queued here, a process holds the locks of one batch at a time, for that batch's
  // own work only, and the batches of one process never meet in Redis. The pure feature work runs
  // before the queue; the document frequencies are read inside it, so a batch counts the ones the
  // process committed before it (as one by one).
  // The batches that queued up meanwhile go as one (up to MAX_JOINED articles), in queue order: the
  // same decisions as one after another (the assigner's contract), and a poll's few Central Asia
  // articles share the round trips, the locks and the candidate-set reads of the others. A joined
  // run that fails on anything but busy locks is run again batch by batch, so one batch's error is
  // its own (what was committed is found filed the second time: assigns are idempotent).
  const waiting: Turn[] = [];
  let running = false;
  function inTurn(t: Turn): void {
    waiting.push(t);
    if (!running) void drain();
  }
  async function drain(): Promise<void> {
    running = true;
    while (waiting.length) {
      const group = [waiting.shift()!];
      let n = group[0]!.inputs.length;
      while (waiting.length && n + waiting[0]!.inputs.length <= MAX_JOINED) {
        n += waiting[0]!.inputs.length;
        group.push(waiting.shift()!);
      }
      await runJoined(group);
    }
    running = false;
  }
  async function runJoined(group: Turn[]): Promise<void> {
    if (group.length > 1) {
      try {
        // the latest `now` for what the batch shares (its DF epoch, the trim bounds); each article's own for its date
        const now = new Date(Math.max(...group.map((t) => t.now.getTime())));
        const all = await assignInTurn(group.flatMap((t) => t.inputs), group.flatMap((t) => t.feats), now, group.flatMap((t) => t.inputs.map(() => t.now)));
        let at = 0;
        for (const t of group) {
          t.resolve(all.slice(at, at + t.inputs.length));
          at += t.inputs.length;
        }
        return;
      } catch (e) {
        if (e instanceof StoryLockTimeoutError) {
          for (const t of group) t.reject(e);
          return;
        }
      }
    }
    for (const t of group) {
      try {
        t.resolve(await assignInTurn(t.inputs, t.feats, t.now));
      } catch (e) {
        t.reject(e);
      }
    }
  }

  /** The locks' cost so far (bench figures): batches that took locks, calls that met a held lock, ms waited for locks, batches failed on a lock timeout. */
  const lockStats = { batches: 0, busy: 0, waitMs: 0, timeouts: 0 };

  async function assignMany(inputs: readonly AssignInput[], now: Date): Promise<AssignResult[]> {
    if (inputs.length === 0) return [];
    const feats = inputs.map((x) => storyFeatures(x.article, x.analysis, now, { names: d.names() }));
    return new Promise((resolve, reject) => inTurn({ inputs, feats, now, resolve, reject }));
  }

  /** A batch, all of it under one set of locks; `nows`: per article, the `now` its date falls back to (default `now`). */
  async function assignInTurn(inputs: readonly AssignInput[], feats: readonly Features[], now: Date, nows?: readonly Date[]): Promise<AssignResult[]> {
    const nowMs = now.getTime();
    const epoch = Math.floor(nowMs / DF_EPOCH_MS);

    // 1. story-of and document frequencies
    const slots: Slot[] = inputs.map((input, i) => {
      const { article, analysis } = input;
      const published = publishedOr(article.published, nows?.[i] ?? now);
      const cites = findCitations(article.text, d.known, article.outletId);
      const sa: StoryArticle = { id: article.id, outletId: article.outletId, outlet: article.outlet, affiliation: article.affiliation, url: article.url, title: article.title || analysis.title, published, analysis, cites };
      return { input, again: null, sa, fk: [] };
    });
    const fks = feats.map((f) => [...new Set(dfKeys(f))]);
    const fields = [...new Set(['#n', ...fks.flat()])];
    // the fields (thousands a batch) as one array argument, not spread into the call: ioredis flattens arguments one level
    const [of, counts] = await scripts.swStoryReadMany(2 + inputs.length, keys.storyDf(epoch), keys.storyDf(epoch - 1), inputs.map((x) => keys.storyOf(x.article.id)), fields);
    const df = new Map<string, number>();
    fields.forEach((f, i) => df.set(f, Number(counts[i] ?? 0)));
    const seen = new Map<string, number>();
    let counted = 0;
    slots.forEach((s, i) => {
      const id = s.input.article.id;
      if (of[i]) s.again = of[i]!;
      else if (seen.has(id)) s.again = ''; // filled in once the first one is placed
      if (s.again !== null) return;
      seen.set(id, i);
      s.fk = fks[i]!;
      s.gen = placeSteps(feats[i]!, combineDocFreq(d.background(), streamDocFreq(df.get('#n')!, df, s.fk)), { windowHours: d.windowHours });
      const first = s.gen.next();
      if (first.done) s.placement = first.value;
      else if (first.value.kind === 'lookup') s.q = first.value.q;
      // this article counts in the frequencies of the ones after it
      for (const k of s.fk) df.set(k, (df.get(k) ?? 0) + 1);
      df.set('#n', df.get('#n')! + 1);
      counted += 1;
    });

    // 2. locks and candidate sets
    // sorted: the one order every taker of these locks follows (story-lock.ts)
    const lockOrder = [...new Set(slots.flatMap((s) => s.q?.keys ?? []))].sort();
    const setNo = new Map(lockOrder.map((k, i) => [k, i + 1]));
    // One read per candidate set for the whole batch (story-lock-read-many.lua), not one per
    // article and set: the articles' windows differ, so the read spans them all (highest tMax to
    // lowest tMin) and is long enough for each article's own `perKey` latest; each article's
    // request is then cut from it (`cutRead`), the entries and order its own read would give.
    const reqIndex = new Map<string, number>();
    const cuts: { set: number; tMax: number; tMin: number; perKey: number }[] = [];
    const setReads = new Map<string, { no: number; maxB: number; minA: number; minB: number; perKey: number; at: number }>();
    for (const s of slots) {
      if (!s.q) continue;
      const q = s.q;
      s.reads = q.keys.map((k) => {
        const no = setNo.get(k)!;
        const r = `${no}|${q.tMax}|${q.tMin}|${q.perKey}`;
        let n = reqIndex.get(r);
        if (n === undefined) {
          reqIndex.set(r, (n = reqIndex.size));
          const sk = `${no}|${q.perKey}`;
          let sr = setReads.get(sk);
          if (!sr) setReads.set(sk, (sr = { no, maxB: q.tMax, minA: q.tMin, minB: q.tMax, perKey: q.perKey, at: setReads.size }));
          sr.maxB = Math.max(sr.maxB, q.tMax);
          sr.minB = Math.min(sr.minB, q.tMax);
          sr.minA = Math.min(sr.minA, q.tMin);
          cuts.push({ set: sr.at, tMax: q.tMax, tMin: q.tMin, perKey: q.perKey });
        }
        return n;
      });
    }
    const requests: (string | number)[] = [];
    for (const sr of setReads.values()) requests.push(sr.no, sr.maxB, sr.minA, sr.minB, sr.perKey);
    const lockKeys = lockOrder.map((k) => keys.storyLock(k));
    const token = randomBytes(8).toString('hex');
    const read = await lockAndRead(lockKeys, lockOrder.map((k) => keys.storyCandidates(k)), token, requests);
    let released = lockKeys.length === 0;
    try {
      // each set's entries came as one 'id,score,id,score…' string (story-lock-read-many.lua)
      const sets = read.map(splitRead);
      const remote: Map<string, number>[] = cuts.map((c) => cutRead(sets[c.set]!, c.tMax, c.tMin, c.perKey));

      // 3–4. the stories the lookups rank first (without the overlay), the stories new articles
      // would start, and their members' vectors
      const json = new Map<string, StoryRead | null>();
      const articleIds = new Map<string, string[]>();
      const local = new Map<string, ArticleVectors>();
      const prefetch = new Set<string>();
      for (const s of slots) {
        if (s.again !== null) continue;
        prefetch.add(storyIdFor(s.input.article.id));
        if (s.q && s.reads) for (const id of rankHits(sumHits(s.reads.map((r) => remote[r]!.keys()), s.q.weights))) prefetch.add(id);
      }
      await fetchStories([...prefetch], json, articleIds);
      // and their compared members' vectors, in one MGET for the batch (not one per article that
      // meets a member not cached: ~0.3 a article, each a round trip and an event-loop turn)
      await prefetchVectors(prefetch, articleIds, local);

      // the one-by-one pass over the overlay
      const overlay = new Map<string, Map<string, number>>();
      const floor = nowMs - 2 * windowMs;
      const lookup = (s: Slot): Hits => {
        const q = s.q!;
        return sumHits(
          q.keys.map((k, j) => {
            const mine = overlay.get(k);
            const theirs = remote[s.reads![j]!]!;
            // theirs is this article's own cut (cutRead): in its window, at most perKey, in order
            if (!mine) return theirs.keys();
            // theirs with ours on top (ZADD GT: the later time wins), without copying theirs
            const merged: [string, number][] = [];
            for (const [id, t] of theirs) merged.push([id, Math.max(t, mine.get(id) ?? -Infinity)]);
            for (const [id, t] of mine) if (!theirs.has(id)) merged.push([id, t]);
            return readCandidateSet(merged, q, floor);
          }),
          q.weights,
        );
      };
      for (const s of slots) {
        if (s.again !== null) continue;
        let r = s.placement ? null : s.gen!.next(lookup(s));
        while (r && !r.done) {
          const ids = r.value.kind === 'members' ? r.value.ids : [];
          const missing = ids.filter((id) => !json.has(id));
          if (missing.length) await fetchStories(missing, json, articleIds);
          r = s.gen!.next(await membersOf(ids, articleIds, local));
        }
        const p = (s.placement ??= r!.value);
        const id = p.decision.storyId ?? storyIdFor(s.input.article.id);
        s.storyId = id;
        const list = articleIds.get(id);
        if (list) list.push(s.input.article.id);
        else articleIds.set(id, [s.input.article.id]);
        local.set(s.input.article.id, p.stored);
        for (const k of p.keys) {
          let set = overlay.get(k);
          if (!set) overlay.set(k, (set = new Map()));
          if (p.stored.t > (set.get(id) ?? -Infinity)) set.set(id, p.stored.t);
        }
      }
      for (const s of slots) if (s.again === '') s.again = slots[seen.get(s.input.article.id)!]!.storyId!;

      // 5. commit
      const results = await commit(slots, json, { epoch, nowMs, counted, lockKeys, token });
      released = true;
      return results;
    } finally {
      if (!released) await scripts.swStoryUnlock(lockKeys.length, ...lockKeys, token);
    }
  }

  /** Takes the locks (waiting while others hold any: story-lock.ts) and reads the requested sets. */
  async function lockAndRead(lockKeys: string[], sets: string[], token: string, requests: (string | number)[]): Promise<string[]> {
    const wait = { busy: 0, ms: 0 };
    const got = await takeStoryLocks(redis, lockKeys, sets, token, requests, d.lockWaitMs, wait);
    lockStats.batches += 1;
    lockStats.busy += wait.busy;
    lockStats.waitMs += wait.ms;
    if (!got) {
      lockStats.timeouts += 1;
      throw new StoryLockTimeoutError(`story locks busy for ${d.lockWaitMs} ms`);
    }
    return got;
  }

  async function fetchStories(ids: string[], json: Map<string, StoryRead | null>, articleIds: Map<string, string[]>): Promise<void> {
    if (ids.length === 0) return;
    for (const [id, r] of await readStories(ids)) {
      json.set(id, r);
      if (r) articleIds.set(id, [...r.articleIds]);
    }
  }

  /**
   * Story records as they are now: parsed once per version. Candidate stories come back batch
   * after batch unchanged, and reading and parsing them only to learn their members was a large
   * part of an assign's CPU; the cache is keyed by id and checked against the version read (so a
   * record someone else rewrote — a join through another key, a merge — is read and parsed
   * again). Versions come from one counter and are never reused (story-commit-many.lua), so an
   * equal version is an equal record; a record of the old format (version '0') is always read.
   */
  async function readStories(ids: readonly string[]): Promise<Map<string, StoryRead | null>> {
    // the entries as they are when asked (another batch may replace or drop them meanwhile)
    const held = ids.map((id) => storyCache.get(id));
    const got = await scripts.swStoryReadVersioned(String(ids.length * 2), ...ids.map((id) => keys.story(id)), ...ids.map((id) => keys.storyVersion(id)), ...held.map((c) => c?.ver ?? ''));
    const out = new Map<string, StoryRead | null>();
    ids.forEach((id, i) => {
      const ver = got[2 * i];
      const text = got[2 * i + 1];
      if (ver == null || text == null) {
        out.set(id, null);
        return;
      }
      if (text === '') {
        const c = held[i]!;
        rememberStory(id, c);
        out.set(id, c);
        return;
      }
      const story = JSON.parse(text) as Story;
      const r: StoryRead = { ver, bytes: text.length, articleIds: story.articleIds, story };
      rememberStory(id, r);
      out.set(id, r);
    });
    return out;
  }

  function rememberStory(id: string, r: StoryRead): void {
    storyCache.set(id, r, r.bytes * STORY_BYTES_PER_BYTE);
  }

  /**
   * The compared members' vectors of `storyIds` into `known` (the batch's own map: what this batch
   * files, and what it read), from the cache or, those not cached, one MGET.
   */
  async function prefetchVectors(storyIds: Iterable<string>, articleIds: Map<string, string[]>, known: Map<string, ArticleVectors>): Promise<void> {
    const wallMs = Date.now();
    const missing: string[] = [];
    const asked = new Set<string>();
    for (const id of storyIds) {
      const as = articleIds.get(id);
      if (!as) continue;
      for (const a of comparedMembers(as)) {
        if (known.has(a) || asked.has(a)) continue;
        const c = vectorCache.get(a, wallMs);
        if (c) known.set(a, c);
        else {
          asked.add(a);
          missing.push(a);
        }
      }
    }
    if (missing.length === 0) return;
    const packed = await redis.mget(missing.map((a) => keys.storyVectors(a)));
    for (let i = 0; i < missing.length; i++) {
      const s = packed[i];
      if (!s) continue;
      const v = unpackVectors(s);
      known.set(missing[i]!, v);
      cacheVectors(missing[i]!, v, wallMs + READ_VECTOR_TTL_MS);
    }
  }

  /** Per story of `ids` (those known), its compared members' vectors (those still stored), reading the ones not known yet (`prefetchVectors`). */
  async function membersOf(ids: readonly string[], articleIds: Map<string, string[]>, known: Map<string, ArticleVectors>): Promise<Map<string, ArticleVectors[]>> {
    const wanted: [string, string[]][] = [];
    let complete = true;
    for (const id of ids) {
      const as = articleIds.get(id);
      if (!as) continue;
      const cm = comparedMembers(as);
      wanted.push([id, cm]);
      if (complete) for (const a of cm) if (!known.has(a)) complete = false;
    }
    if (!complete) await prefetchVectors(ids, articleIds, known);
    const out = new Map<string, ArticleVectors[]>();
    for (const [id, as] of wanted) {
      const vs: ArticleVectors[] = [];
      for (const a of as) {
        const v = known.get(a);
        if (v) vs.push(v);
      }
      out.set(id, vs);
    }
    return out;
  }

  return { assignMany, lockStats: () => ({ ...lockStats }) };
}

