// Assigning a batch of analysed articles to stories in Redis, in three round trips when nothing
// contends, whatever the batch's size (one article is a batch of one: `assign` runs this too). The
// decisions are taken optimistically, without the story write lock, and checked against what
// others committed meanwhile; the lock is held inside one script when nothing was. Single Redis only.
//
// The decisions are the story engine's (core/story/engine.ts) and come out as if the articles had
// been assigned one after another, in batch order, after every batch committed before this one's
// commit (the contract suite checks it against the in-memory index). The candidate lookups are
// answered by this process's mirror of the candidate index (story-mirror.ts: why, and how the
// processes' mirrors agree through the change log).
//  1. `story-read-many`: the articles' story-of entries (an article filed before stays where it
//     is), the document frequencies of all their terms (each article's are those plus the batch's
//     earlier articles; read unlocked, as before the optimistic decisions), and the change-log
//     entries after the mirror's position: the mirror applies them. The checks below do not look
//     at the frequencies: a batch that others' commits overtake decides with counts that lack
//     theirs, as it did when it waited for the lock (a test replaying two concurrent assigners'
//     batches in commit order through one found 3 of ~210 articles placed otherwise in 2 of ~30
//     runs: a borderline decision tipped by the counts of an unrelated batch committed between its
//     step 1 and its lock; 0 of 8 runs of the locked version, whose window is shorter). Exactly
//     serial counts would need the commit to compare them too (every commit moves `#n`).
//  2. Still unlocked: a read ahead (`story-read-versioned` of the stories the lookups rank first
//     and of those new articles would start, an MGET of their compared members' vectors not
//     cached), then the one-by-one pass: each article placed over the mirror, then filed into it
//     with a journal (CandidateSets.undo takes the filings back).
//  3. `story-commit-many`, its first try: it takes the write lock and, when nothing was committed
//     since the mirror's position and no article of the batch was filed meanwhile, makes every
//     write (below) and releases the lock, in one script: the common case with one process.
//     Else it answers the log's entries since, and the story-of entries again, and `recheck` runs:
//     the batch's filings taken back, the entries applied, and each article in turn checked — a
//     decision reads only the lookup's ranking and the members of the stories it ranks (engine.ts
//     `placeSteps`), so it stands when the lookup over the mirror as it is now ranks the same
//     stories and none of them gained or lost members (through the entries, or through an article
//     of the batch now decided otherwise) — and filed again, or decided again there (its records
//     read again when the entries wrote them). The first tries release the lock before they answer
//     (the check runs unlocked, then the next try goes from the new position); the last keeps it
//     (UNLOCKED_TRIES: a batch is not starved by others' commits), and its check runs under the
//     lock. A busy lock (a process checking under it, a merge) is waited for as before
//     (`story-write-lock-read`: the lock, the entries since, the story-of entries).
//  4. `story-commit-many` under the lock: every story compare-and-set (by version), the story-of
//     entries, vectors, /story indexes, document frequencies and the batch's log entry, and the
//     lock released (the writes prepared before the lock are sent as they are when every decision
//     held). A story changed meanwhile (only a writer whose lock lapsed can) is re-read and
//     re-merged, then committed again.
// Failures are as they were with the decisions under the lock: a batch that fails anywhere after
// filing into the mirror drops it (rebuilt from the log before the next batch); a lapsed lock
// fails the commit (nothing written); a mirror whose basis is gone at step 1 or 3 (a flushed
// Redis, a trimmed log) is rebuilt, at 3 with every article decided again over it under the lock.
// A commit Redis ran whose reply was lost (ioredis sends unanswered commands again after a
// reconnect): a first try run again finds its articles filed and the log past the mirror, so the
// batch answers the stories its first run wrote (story-resend.test.ts); a commit under the lock run
// again finds the lock gone (released by the first run) and fails; the retried batch finds them filed.
// Rolling upgrade: nothing in Redis changes shape (the lock, the log and its entries are those of
// protocol 2), so processes deciding under the lock (the previous version) and these can run side
// by side: both commit under the one lock, and each checks what the other committed through the log.
import { randomBytes } from 'node:crypto';
import type { Story } from '../../core/types.js';
import { storyIdFor } from '../../core/story/decide.js';
import { placeSteps, publishedOr, rankHits, storyFeatures, type Hits, type Placement } from '../../core/story/engine.js';
import { dfKeyLists } from '../../core/story/features.js';
import { LookupReads, type ReadLookup } from '../../core/story/candidate-sets.js';
import type { FilingJournal } from '../../core/story/memory-index.js';
import type { StoryArticle } from '../../core/story/record.js';
import { findCitations } from '../../core/story/trail.js';
import { luaScript as luaScriptOf } from './scripts.js';
import { createTurns } from './story-assign-queue.js';
import { addMember, batchReads, createAssignReads, readMembers, type BatchReads } from './story-assign-reads.js';
import { StoryLockTimeoutError, type AssignDeps, type AssignInput, type AssignResult, type Slot } from './story-assign-types.js';
import { createStoryCommit, type CommitArgs, type Prepared } from './story-commit.js';
import { storyIndexKeys } from './story-index-keys.js';
import { LOCK_TTL_MS } from './story-lock.js';
import { batchEntry, loadMirror, startLog, STORY_PROTOCOL, StoryProtocolError, type StoryMirror } from './story-mirror.js';
import { BatchDocFreq } from './story-set-read.js';

export { StoryLockTimeoutError, type AssignDeps, type AssignInput, type AssignResult } from './story-assign-types.js';
export { streamDocFreq } from './story-set-read.js';

type LogEntries = [string, string[]][];

interface Scripted {
  swStoryReadMany(...args: (string | number | string[])[]): Promise<[(string | null)[], number[], [4] | [1, LogEntries]]>;
  /** numkeys, KEYS, ARGV as one array (ioredis flattens arguments one level). */
  swStoryWriteLockRead(args: (string | number)[]): Promise<[0] | [2] | [3] | [4] | [1, (string | null)[], LogEntries, number]>;
  swStoryWriteRenew(...args: (string | number)[]): Promise<number>;
  swStoryUnlock(...args: (string | number)[]): Promise<number>;
}

export const DF_EPOCH_MS = 30 * 86_400_000;
type Features = ReturnType<typeof storyFeatures>;
/** Tries of the commit that check the decisions without the lock when others committed first; the last keeps the lock. */
const UNLOCKED_TRIES = 3;
/** Story numbers (4 bytes each) of a batch's lookups' reads kept for the next batch: 1 MB. */
const READS_KEPT = 262_144;

export function createStoryAssigner(d: AssignDeps) {
  const { redis, keys } = d;
  const windowMs = d.windowHours * 3_600_000;
  const retentionSec = Math.ceil(d.retentionMs / 1000);
  const matchTtlSec = Math.ceil((2 * windowMs) / 1000);
  const dfTtlSec = Math.ceil((2 * DF_EPOCH_MS) / 1000);
  const engineOptions = { windowHours: d.windowHours };
  // story records and members' vectors, through the assigner's caches (story-assign-reads.ts)
  const reads = createAssignReads(redis, keys);

  redis.defineCommand('swStoryReadMany', { lua: luaScriptOf('story-read-many') });
  redis.defineCommand('swStoryWriteLockRead', { lua: luaScriptOf('story-write-lock-read') });
  redis.defineCommand('swStoryWriteRenew', { lua: luaScriptOf('story-write-renew') });
  redis.defineCommand('swStoryCommitMany', { lua: luaScriptOf('story-commit-many') });
  redis.defineCommand('swStoryUnlock', { lua: luaScriptOf('story-unlock') });
  const scripts = redis as unknown as Scripted;
  // The candidate index in memory (story-mirror.ts); null until built, and after a batch that
  // failed with filings in it (rebuilt from the log before the next one).
  let mirror: StoryMirror | null = null;
  // what the read ahead's lookups read (CandidateSets.lookupRead), kept batch after batch (one
  // batch at a time); a buffer grown past READS_KEPT by a big batch is not kept
  let lookupReads = new LookupReads();

  // A story's index keys, once per story value (a batch asks for the same value as `next` of one
  // article and `prev` of the next; its terms are the costly part).
  const indexKeysCache = new WeakMap<Story, string[]>();
  function indexKeysOf(s: Story): string[] {
    let ks = indexKeysCache.get(s);
    if (!ks) indexKeysCache.set(s, (ks = storyIndexKeys(keys, s)));
    return ks;
  }
  const commits = createStoryCommit({
    redis, keys, retentionSec, matchTtlSec, dfTtlSec, indexKeysOf,
    knowIndexKeys: (st, ks) => indexKeysCache.set(st, ks),
    cacheVectors: reads.cacheVectors, rememberStory: reads.rememberStory, readStories: reads.readStories,
  });

  // One batch at a time per assigner (per process), joined with those that waited: story-assign-queue.ts.
  const inTurn = createTurns<Features>(assignInTurn);

  /**
   * The locks' cost so far (bench figures): batches that took locks, calls that met a held lock, ms
   * waited for locks, batches failed on a lock timeout, ms the write lock was held (from the lock
   * script's answer to the commit's or the unlock's, as the client saw it; `redisHoldMs`: from
   * the lock's taking to the commit's release as Redis saw them, committed batches only), batches
   * checked again under the lock (`recheck`: others committed meanwhile) and articles decided
   * again under it; the same checked before the lock (`unlockedRechecks`, `redecidedUnlocked`).
   */
  const lockStats = { batches: 0, busy: 0, waitMs: 0, timeouts: 0, holdMs: 0, redisHoldMs: 0, rechecks: 0, redecided: 0, unlockedRechecks: 0, redecidedUnlocked: 0 };

  async function assignMany(inputs: readonly AssignInput[], now: Date): Promise<AssignResult[]> {
    if (inputs.length === 0) return [];
    const feats = inputs.map((x) => storyFeatures(x.article, x.analysis, now, { names: d.names() }));
    return new Promise((resolve, reject) => inTurn({ inputs, feats, now, resolve, reject }));
  }

  /**
   * A batch: decided over the mirror without the lock, then checked and committed under it;
   * `nows`: per article, the `now` its date falls back to (default `now`).
   */
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
    // each article's DF keys once, in order, and the batch's fields ('#n' first, then the keys in
    // order of first use), one entry a key for the batch (story-set-read.ts)
    const batchDf = new BatchDocFreq(d.background());
    const fks = feats.map((f, i) => batchDf.keysOf(i, dfKeyLists(f)));
    const fields = batchDf.fields();

    // 1. story-of and document frequencies (read before the lock, as the key locks before the log
    // did: what the lock guards is the candidate index and the records, not the counts)
    // (with the log's entries since the mirror's position: the decisions run over the mirror brought up to date)
    const m0 = (mirror ??= await loadMirror(redis, keys, windowMs));
    const [of0, counts, since] = await scripts.swStoryReadMany(4 + inputs.length, keys.storyDf(epoch), keys.storyDf(epoch - 1), keys.storyLogGen, keys.storyLog, inputs.map((x) => keys.storyOf(x.article.id)), m0.gen, m0.lastId, fields);
    // each article's frequencies: the counts read plus the batch's earlier articles
    batchDf.read(counts);
    const seen = new Map<string, number>();
    const dups: number[] = [];
    let counted = 0;
    const fillDups = () => {
      for (const i of dups) {
        const first = slots[seen.get(slots[i]!.input.article.id)!]!;
        slots[i]!.again = first.storyId ?? first.again!;
      }
    };
    slots.forEach((s, i) => {
      const id = s.input.article.id;
      if (of0[i]) s.again = of0[i]!;
      // filled in once the first one is placed (`fillDups`)
      else if (seen.has(id)) {
        s.again = '';
        dups.push(i);
      }
      if (s.again !== null) return;
      seen.set(id, i);
      s.fk = fks[i]!;
      s.feat = feats[i]!;
      // (this article counts in the frequencies of the ones after it)
      s.df = batchDf.count(i, s.fk);
      s.gen = placeSteps(s.feat, s.df, engineOptions);
      s.step = s.gen.next();
      if (!s.step.done && s.step.value.kind === 'lookup') s.q = s.step.value.q;
      counted += 1;
    });

    // 2. without the lock: the mirror brought up to the log's end, a read ahead of the stories the
    // lookups rank first and the stories new articles would start (and their members' vectors), in
    // one read each for the batch; then every article decided over the mirror and filed into it,
    // with a journal to take the filings back
    let m = m0;
    if (since[0] === 1) m.apply(since[1]);
    else m = await catchUp();
    const b = batchReads();
    // each lookup's answer before the batch's own filings, with what it read: at the article's
    // turn, brought up to date with what the batch filed since (CandidateSets.relookup: the keys
    // filed under read again, the answer a lookup then would give)
    if (lookupReads.nums.length > READS_KEPT) lookupReads = new LookupReads();
    lookupReads.n = 0;
    const before = new Map<Slot, ReadLookup>();
    const prefetch = new Set<string>();
    for (const s of slots) {
      if (s.again !== null) continue;
      prefetch.add(storyIdFor(s.input.article.id));
      if (!s.q) continue;
      const r = m.sets.lookupRead(s.q, lookupReads);
      before.set(s, r);
      for (const id of rankHits(r.hits)) prefetch.add(id);
    }
    const journal: FilingJournal = [];
    const token = randomBytes(8).toString('hex');
    let heldFrom = -1;
    let done = false;
    try {
      await reads.fetchStories([...prefetch], b);
      await reads.prefetchVectors(prefetch, b);
      const filed = new Set<string>();
      for (const s of slots) {
        if (s.again !== null) continue;
        const pre = before.get(s);
        fileSlot(s, await decide(s, m, b, pre ? m.sets.relookup(pre, filed) : null, false), m, b, nowMs, journal);
        for (const k of s.placement!.keys) filed.add(k);
      }

      // 3. the commit's first try takes the lock and writes when nothing was committed since the
      // mirror's position (one round trip, the lock held inside one script); else it holds the lock
      // now (or the lock is busy: waited for as usual) with the log's entries committed since the
      // decisions' mirror position and the story-of entries again (an article filed by another
      // process meanwhile stays where it is)
      fillDups();
      const filingsOf = () => slots.filter((s) => s.again === null).map((s) => s.filing!);
      const argsOf = (): CommitArgs => {
        const filings = filingsOf();
        return { epoch, nowMs, counted, token, logEntry: filings.length ? batchEntry(nowMs, filings) : null };
      };
      // the stories the batch filed articles into that were filed elsewhere meanwhile (`of`: story-of entries read again)
      const takeGone = (of: readonly (string | null)[]): string[] => {
        const gone: string[] = [];
        slots.forEach((s, i) => {
          if (s.again === null && of[i]) {
            s.again = of[i]!;
            counted -= 1;
            gone.push(s.storyId!);
            s.storyId = undefined;
          }
        });
        return gone;
      };
      let prepared: Prepared | undefined;
      let first: Awaited<ReturnType<typeof commits.tryFirst>>;
      for (let attempt = 1; ; attempt++) {
        prepared ??= commits.prepare(slots, b.json, argsOf());
        first = await commits.tryFirst(slots, prepared, { gen: m.gen, lastId: m.lastId, protocol: STORY_PROTOCOL, ttlMs: LOCK_TTL_MS, keepLock: attempt >= UNLOCKED_TRIES });
        if (first.kind !== 'moved') break;
        // others committed since: the decisions checked against what they committed, still without
        // the lock, and tried again from the mirror's new position (the last try keeps the lock:
        // a batch is not starved by others' commits)
        const gone = takeGone(first.of);
        if ((await recheck(slots, m, b, first.entries, gone, journal, nowMs, null)) || gone.length) prepared = undefined;
        fillDups();
      }
      if (first.kind === 'done') {
        lockStats.batches += 1;
        if (first.c.logId) m.lastId = first.c.logId;
        done = true;
        return first.c.results;
      }
      let got: { of: (string | null)[]; entries: LogEntries; takenUs: number };
      if (first.kind === 'locked') got = first;
      else if (first.kind === 'stale') got = { of: slots.map(() => null), entries: [], takenUs: Number.NaN };
      else {
        if (first.kind === 'busy') lockStats.busy += 1;
        got = await lockAndRead(token, inputs.map((x) => keys.storyOf(x.article.id)));
      }
      if (first.kind === 'locked' || first.kind === 'stale') lockStats.batches += 1;
      const { of, entries, takenUs } = got;
      heldFrom = performance.now();
      let lockedAt = Date.now();
      // a long pass under the lock (a loaded machine) keeps its lock: a lapsed one fails the commit
      const keepLock = async () => {
        if (Date.now() - lockedAt <= LOCK_TTL_MS / 3) return;
        if ((await scripts.swStoryWriteRenew(1, keys.storyWriteLock, token, LOCK_TTL_MS)) !== 1) throw new StoryLockTimeoutError('story write lock lapsed while deciding');
        lockedAt = Date.now();
      };
      const gone = takeGone(of);
      const now2 = mirror!;
      if (now2 !== m) {
        // the mirror was built anew meanwhile (its basis was gone): every article decided again over it
        prepared = undefined;
        const stale = new Set<string>();
        now2.apply(entries, stale);
        b.json.clear();
        b.articleIds.clear();
        b.own.clear();
        for (const s of slots) {
          if (s.again !== null) continue;
          fileSlot(s, await decide(s, now2, b, null, true), now2, b, nowMs, null);
          lockStats.redecided += 1;
          await keepLock();
        }
      } else if (entries.length || gone.length) {
        // the first try's writes stand when every decision did
        if ((await recheck(slots, m, b, entries, gone, journal, nowMs, keepLock)) || gone.length) prepared = undefined;
      }
      fillDups();

      // 4. commit
      const { results, logId, releasedUs } = await commits.commit(slots, b.json, argsOf(), prepared);
      if (logId) now2.lastId = logId;
      if (Number.isFinite(takenUs)) lockStats.redisHoldMs += (releasedUs - takenUs) / 1000;
      done = true;
      return results;
    } finally {
      if (!done) {
        // the mirror may hold filings never committed: built again from the log before the next batch
        mirror = null;
        if (heldFrom >= 0) await scripts.swStoryUnlock(1, keys.storyWriteLock, token);
      }
      if (heldFrom >= 0) lockStats.holdMs += performance.now() - heldFrom;
    }
  }

  /**
   * Under the lock, when others committed since the batch was decided (`entries`) or some of its
   * articles were filed elsewhere meanwhile: the batch's filings taken back, the entries applied,
   * and each article in turn checked and filed again, as if the batch had been decided after them.
   * A decision reads the lookup's ranking and the members of the stories it ranks (engine.ts
   * `placeSteps`); it stands when the lookup over the mirror as it is now ranks the same stories
   * and none of them changed members (written by the entries, or by an article of the batch
   * decided otherwise now). Otherwise the article is decided again, over the mirror as it is now.
   */
  async function recheck(slots: readonly Slot[], m: StoryMirror, b: BatchReads, entries: LogEntries, gone: readonly string[], journal: FilingJournal, nowMs: number, keepLock: (() => Promise<void>) | null): Promise<boolean> {
    // without the lock (`keepLock` null) the filings stay taken back by `journal`: they are not committed yet
    m.undo(journal);
    const stale = new Set<string>();
    m.apply(entries, stale);
    // stories whose members differ from what the decisions saw
    const moved = new Set([...stale, ...gone]);
    for (const id of stale) b.json.delete(id);
    // each story's members as read; the batch's own filings are added again as they are refiled
    for (const id of [...b.articleIds.keys()]) readMembers(b, id, b.json.get(id)?.articleIds);
    if (keepLock) lockStats.rechecks += 1;
    else lockStats.unlockedRechecks += 1;
    const j = keepLock ? null : journal;
    let redecided = false;
    for (const s of slots) {
      if (s.again !== null) continue;
      const hits = s.q ? m.sets.lookup(s.q) : null;
      const ranked = s.ranked ?? [];
      let holds = !hits || sameIds(rankHits(hits), ranked);
      for (const id of ranked) if (moved.has(id)) holds = false;
      if (holds) {
        fileSlot(s, s.placement!, m, b, nowMs, j);
        continue;
      }
      const was = s.storyId!;
      fileSlot(s, await decide(s, m, b, hits, true), m, b, nowMs, j);
      if (keepLock) lockStats.redecided += 1;
      else lockStats.redecidedUnlocked += 1;
      redecided = true;
      if (s.storyId !== was) moved.add(was).add(s.storyId!);
      await keepLock?.();
    }
    return redecided;
  }

  /**
   * An article's placement over the mirror `m`: the engine's steps from the start (`fresh`: its
   * decision taken again) or from the first (step 1's); `hits`: the lookup's answer when known.
   */
  async function decide(s: Slot, m: StoryMirror, b: BatchReads, hits: Hits | null, fresh: boolean): Promise<Placement> {
    const g = fresh ? placeSteps(s.feat!, s.df!, engineOptions) : s.gen!;
    let r = fresh ? g.next() : s.step!;
    s.gen = undefined;
    s.step = undefined;
    s.ranked = undefined;
    while (!r.done) {
      if (r.value.kind === 'lookup') {
        s.q = r.value.q;
        r = g.next(hits ?? m.sets.lookup(r.value.q));
        continue;
      }
      const ids = r.value.ids;
      s.ranked = ids;
      const missing = ids.filter((id) => !b.json.has(id));
      if (missing.length) await reads.fetchStories(missing, b);
      r = g.next(await reads.membersOf(ids, b));
    }
    return r.value;
  }

  /** Files a placed article into the mirror (with `journal`: to be taken back) and the batch's members. */
  function fileSlot(s: Slot, p: Placement, m: StoryMirror, b: BatchReads, nowMs: number, journal: FilingJournal | null): void {
    s.placement = p;
    const id = p.decision.storyId ?? storyIdFor(s.input.article.id);
    s.storyId = id;
    addMember(b, id, s.input.article.id);
    b.local.set(s.input.article.id, p.stored);
    s.filing = { storyId: id, t: p.stored.t, keys: p.keys };
    m.file(s.filing, nowMs, journal ?? undefined);
  }

  /**
   * The mirror built anew from the log (its basis was gone at step 1): a flushed Redis, a log
   * started by another process, entries trimmed away. No lock: the log is only appended to.
   */
  async function catchUp(): Promise<StoryMirror> {
    mirror = await loadMirror(redis, keys, windowMs);
    return mirror;
  }

  /**
   * Takes the write lock (waiting while someone else holds it, up to `lockWaitMs`) with the reads
   * of step 1; builds the mirror first when there is none (a start, a failed batch) or its basis
   * is gone, and starts the log when there is none (story-mirror.ts).
   */
  async function lockAndRead(token: string, ofKeys: string[]): Promise<{ of: (string | null)[]; entries: LogEntries; takenUs: number }> {
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
        return { of: got[1], entries: got[2], takenUs: got[3] };
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

  return { assignMany, lockStats: () => ({ ...lockStats }) };
}


function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
