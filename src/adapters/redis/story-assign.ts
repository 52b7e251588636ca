// Assigning a batch of analysed articles to stories in Redis, in five round trips when nothing
// contends, whatever the batch's size (one article is a batch of one: `assign` runs this too),
// two of them under the story write lock. Single Redis only.
//
// The decisions are the story engine's (core/story/engine.ts) and come out as if the articles had
// been assigned one after another, in batch order (the contract suite checks it against the
// in-memory index). The candidate lookups are answered by this process's mirror of the candidate
// index (story-mirror.ts: why, and how the processes' mirrors agree through the change log).
//  1. `story-read-many`: the articles' story-of entries (an article filed before stays where it
//     is) and the document frequencies of all their terms; each article's frequencies are those
//     plus the batch's earlier articles, so its lookup is known before anything is locked (as
//     with the key locks before the log, the counts are read unlocked).
//  2. A read ahead, still unlocked: `story-read-versioned` of the stories the lookups rank first
//     over the mirror as it is, and of the stories new articles would start (their versions, and
//     the records of those not cached at that version); an MGET of their compared members'
//     vectors not cached. So the lock is held for the decisions, not for these round trips.
//  3. `story-write-lock-read`: the write lock, the change-log entries the mirror has not applied
//     yet, and the story-of entries again. The mirror applies the entries: it is now what every
//     writer committed, and nobody else can commit until this batch has; records the entries
//     show written since step 2 are read again when the engine asks for them. Then the
//     one-by-one pass: each article placed over the mirror, then filed into it.
//  4. `story-commit-many`: every story compare-and-set (by version), the story-of entries,
//     vectors, /story indexes, document frequencies and the batch's log entry, and the lock
//     released. A story changed meanwhile (only a writer whose lock lapsed can) is re-read and
//     re-merged, then committed again.
import { randomBytes } from 'node:crypto';
import type { Story } from '../../core/types.js';
import { storyIdFor } from '../../core/story/decide.js';
import { comparedMembers, placeSteps, publishedOr, rankHits, storyFeatures, type Hits } from '../../core/story/engine.js';
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
import { LOCK_TTL_MS } from './story-lock.js';
import { batchEntry, loadMirror, startLog, STORY_PROTOCOL, StoryProtocolError, type Filing, type StoryMirror } from './story-mirror.js';
import { streamDocFreq } from './story-set-read.js';

export { StoryLockTimeoutError, type AssignDeps, type AssignInput, type AssignResult } from './story-assign-types.js';
export { streamDocFreq } from './story-set-read.js';

type LogEntries = [string, string[]][];

interface Scripted {
  swStoryReadMany(...args: (string | number | string[])[]): Promise<[(string | null)[], number[]]>;
  /** numkeys, KEYS, ARGV as one array (ioredis flattens arguments one level). */
  swStoryWriteLockRead(args: (string | number)[]): Promise<[0] | [2] | [3] | [4] | [1, (string | null)[], LogEntries]>;
  swStoryWriteRenew(...args: (string | number)[]): Promise<number>;
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
  redis.defineCommand('swStoryWriteLockRead', { lua: luaScriptOf('story-write-lock-read') });
  redis.defineCommand('swStoryWriteRenew', { lua: luaScriptOf('story-write-renew') });
  redis.defineCommand('swStoryCommitMany', { lua: luaScriptOf('story-commit-many') });
  redis.defineCommand('swStoryUnlock', { lua: luaScriptOf('story-unlock') });
  redis.defineCommand('swStoryReadVersioned', { lua: luaScriptOf('story-read-versioned') });
  const scripts = redis as unknown as Scripted;
  // The candidate index in memory (story-mirror.ts); null until built, and after a batch that
  // failed with filings in it (rebuilt from the log before the next one).
  let mirror: StoryMirror | null = null;

  // A story's index keys, once per story value (a batch asks for the same value as `next` of one
  // article and `prev` of the next; its terms are the costly part).
  const indexKeysCache = new WeakMap<Story, string[]>();
  function indexKeysOf(s: Story): string[] {
    let ks = indexKeysCache.get(s);
    if (!ks) indexKeysCache.set(s, (ks = storyIndexKeys(keys, s)));
    return ks;
  }
  const { commit } = createStoryCommit({
    redis, keys, retentionSec, matchTtlSec, dfTtlSec, indexKeysOf,
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

  /**
   * The locks' cost so far (bench figures): batches that took locks, calls that met a held lock, ms
   * waited for locks, batches failed on a lock timeout, and ms the write lock was held (from the
   * lock script's answer to the commit's or the unlock's).
   */
  const lockStats = { batches: 0, busy: 0, waitMs: 0, timeouts: 0, holdMs: 0 };

  async function assignMany(inputs: readonly AssignInput[], now: Date): Promise<AssignResult[]> {
    if (inputs.length === 0) return [];
    const feats = inputs.map((x) => storyFeatures(x.article, x.analysis, now, { names: d.names() }));
    return new Promise((resolve, reject) => inTurn({ inputs, feats, now, resolve, reject }));
  }

  /** A batch, all of it under the write lock; `nows`: per article, the `now` its date falls back to (default `now`). */
  async function assignInTurn(inputs: readonly AssignInput[], feats: readonly Features[], now: Date, nows?: readonly Date[]): Promise<AssignResult[]> {
    const nowMs = now.getTime();
    const epoch = Math.floor(nowMs / DF_EPOCH_MS);
    const slots: Slot[] = inputs.map((input, i) => {
      const { article, analysis } = input;
      const published = publishedOr(article.published, nows?.[i] ?? now);
      const cites = findCitations(article.text, d.known, article.outletId);
      const sa: StoryArticle = { id: article.id, outletId: article.outletId, outlet: article.outlet, affiliation: article.affiliation, url: article.url, title: article.title || analysis.title, published, analysis, cites };
      return { input, again: null, sa, fk: [] };
    });
    const fks = feats.map((f) => [...new Set(dfKeys(f))]);
    const fields = [...new Set(['#n', ...fks.flat()])];

    // 1. story-of and document frequencies (read before the lock, as the key locks before the log
    // did: what the lock guards is the candidate index and the records, not the counts)
    const [of0, counts] = await scripts.swStoryReadMany(2 + inputs.length, keys.storyDf(epoch), keys.storyDf(epoch - 1), inputs.map((x) => keys.storyOf(x.article.id)), fields);
    const df = new Map<string, number>();
    fields.forEach((f, i) => df.set(f, Number(counts[i] ?? 0)));
    const seen = new Map<string, number>();
    let counted = 0;
    slots.forEach((s, i) => {
      const id = s.input.article.id;
      if (of0[i]) s.again = of0[i]!;
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

    // 2. still before the lock, a read ahead: the stories the lookups rank first over the mirror
    // as it is (before the batch's own filings and what others commit meanwhile), the stories new
    // articles would start, and their members' vectors, in one read each for the batch. Records
    // the log shows written since (step 3) are read again when the engine asks for them.
    const json = new Map<string, StoryRead | null>();
    const articleIds = new Map<string, string[]>();
    const local = new Map<string, ArticleVectors>();
    // each lookup's answer before the batch's own filings: the answer at the article's turn too
    // when the log brought nothing new and no article before it was filed under one of its keys
    const before = new Map<Slot, Hits>();
    const prefetch = new Set<string>();
    const prefetchFrom = (m: StoryMirror) => {
      for (const s of slots) {
        if (s.again !== null) continue;
        prefetch.add(storyIdFor(s.input.article.id));
        if (!s.q) continue;
        const hits = m.sets.lookup(s.q);
        before.set(s, hits);
        for (const id of rankHits(hits)) prefetch.add(id);
      }
    };
    const aheadOf = mirror;
    if (mirror) {
      prefetchFrom(mirror);
      await fetchStories([...prefetch], json, articleIds);
      await prefetchVectors(prefetch, articleIds, local);
    }

    // 3. the lock, the log's new entries and the story-of entries again (an article filed by
    // another process meanwhile stays where it is)
    const token = randomBytes(8).toString('hex');
    const { of, entries } = await lockAndRead(token, inputs.map((x) => keys.storyOf(x.article.id)));
    const heldFrom = performance.now();
    let done = false;
    try {
      const m = mirror!;
      const changed = new Set<string>();
      m.apply(entries, changed);
      let lockedAt = Date.now();
      if (m !== aheadOf) {
        // the mirror was built anew meanwhile (its basis was gone): what it changed is not known
        before.clear();
        json.clear();
        articleIds.clear();
      } else if (entries.length) before.clear();
      for (const id of changed) {
        json.delete(id);
        articleIds.delete(id);
      }
      slots.forEach((s, i) => {
        if (s.again === null && of[i]) {
          s.again = of[i]!;
          counted -= 1;
        }
      });
      if (aheadOf === null) {
        // no mirror before the lock (the process's first batch, or one after a failure): the read ahead now
        prefetchFrom(m);
        await fetchStories([...prefetch], json, articleIds);
        await prefetchVectors(prefetch, articleIds, local);
      }

      // 3. the one-by-one pass over the mirror, each article filed into it once placed
      const filings: Filing[] = [];
      const filed = new Set<string>();
      for (const s of slots) {
        if (s.again !== null) continue;
        const pre = before.get(s);
        let r = s.placement ? null : s.gen!.next(pre && !s.q!.keys.some((k) => filed.has(k)) ? pre : m.sets.lookup(s.q!));
        while (r && !r.done) {
          const ids = r.value.kind === 'members' ? r.value.ids : [];
          const missing = ids.filter((id) => !json.has(id));
          if (missing.length) await fetchStories(missing, json, articleIds);
          r = s.gen!.next(r.value.kind === 'lookup' ? m.sets.lookup(r.value.q) : await membersOf(ids, articleIds, local));
        }
        const p = (s.placement ??= r!.value);
        const id = p.decision.storyId ?? storyIdFor(s.input.article.id);
        s.storyId = id;
        const list = articleIds.get(id);
        if (list) list.push(s.input.article.id);
        else articleIds.set(id, [s.input.article.id]);
        local.set(s.input.article.id, p.stored);
        const f: Filing = { storyId: id, t: p.stored.t, keys: p.keys };
        m.file(f, nowMs);
        filings.push(f);
        for (const k of p.keys) filed.add(k);
        // a long batch (a loaded machine) keeps its lock: a lapsed one fails the commit
        if (Date.now() - lockedAt > LOCK_TTL_MS / 3) {
          if ((await scripts.swStoryWriteRenew(1, keys.storyWriteLock, token, LOCK_TTL_MS)) !== 1) throw new StoryLockTimeoutError('story write lock lapsed while deciding');
          lockedAt = Date.now();
        }
      }
      for (const s of slots) {
        if (s.again !== '') continue;
        const first = slots[seen.get(s.input.article.id)!]!;
        s.again = first.storyId ?? first.again!;
      }

      // 4. commit
      const { results, logId } = await commit(slots, json, { epoch, nowMs, counted, token, logEntry: filings.length ? batchEntry(nowMs, filings) : null });
      if (logId) m.lastId = logId;
      done = true;
      return results;
    } finally {
      if (!done) {
        // the mirror may hold filings never committed: built again from the log before the next batch
        mirror = null;
        await scripts.swStoryUnlock(1, keys.storyWriteLock, token);
      }
      lockStats.holdMs += performance.now() - heldFrom;
    }
  }

  /**
   * Takes the write lock (waiting while someone else holds it, up to `lockWaitMs`) with the reads
   * of step 1; builds the mirror first when there is none (a start, a failed batch) or its basis
   * is gone, and starts the log when there is none (story-mirror.ts).
   */
  async function lockAndRead(token: string, ofKeys: string[]): Promise<{ of: (string | null)[]; entries: LogEntries }> {
    const t0 = Date.now();
    const deadline = t0 + d.lockWaitMs;
    let busy = 0;
    for (let attempt = 0; ; attempt++) {
      mirror ??= await loadMirror(redis, keys, windowMs);
      const a: (string | number)[] = [4 + ofKeys.length, keys.storyWriteLock, keys.storyLogGen, keys.storyLog, keys.storyProtocol];
      for (const k of ofKeys) a.push(k);
      a.push(token, LOCK_TTL_MS, mirror.gen, mirror.lastId, STORY_PROTOCOL);
      const got = await scripts.swStoryWriteLockRead(a);
      if (got[0] === 1) {
        lockStats.batches += 1;
        lockStats.busy += busy;
        lockStats.waitMs += Date.now() - t0;
        return { of: got[1], entries: got[2] };
      }
      if (got[0] === 2) throw new StoryProtocolError(`the story data in Redis is of another protocol version than ${STORY_PROTOCOL}: stop the other version's workers (README, Operations)`);
      if (got[0] === 3) {
        // no log yet: start it (from the previous layout's sets, if any), then build the mirror from it
        try {
          await startLog(redis, keys, token);
        } finally {
          await scripts.swStoryUnlock(1, keys.storyWriteLock, token);
        }
        mirror = null;
      } else if (got[0] === 4) mirror = null;
      else busy += 1;
      if (Date.now() > deadline) {
        lockStats.busy += busy;
        lockStats.waitMs += Date.now() - t0;
        lockStats.timeouts += 1;
        throw new StoryLockTimeoutError(`story write lock busy for ${d.lockWaitMs} ms`);
      }
      if (got[0] === 0) await new Promise((r) => setTimeout(r, Math.min(1 + attempt, 20) + Math.random() * 3));
    }
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

