// The story engine: the one place that decides which story an article joins. Every path runs it —
// `analyze --cluster` and `eval` (cluster.ts, over a MemoryStoryIndex), the Redis store (assign and
// assignMany, over the Redis candidate sets), the bench — so what eval measures is what production
// runs. The engine asks an index two questions (`CandidateIndex`): which stories are filed under
// these keys near this time, and what the compared articles of these stories look like. How the
// index answers (in memory, or under locks in Redis) is the index's business; what the answer
// must be is written down here, so two indexes holding the same filings give the same answers and
// the same decisions (test/integration/story/engine-contract.test.ts runs one stream through both).
//
// The steps are a generator (`placeSteps`) so one decision drives a synchronous index (memory) and
// an asynchronous one (Redis) alike: `place` and `placeAsync` only feed it the index's answers.
import type { AnalysisResult, Article } from '../types.js';
import { articleFeatures, type ArticleFeatures, type FeatureOptions } from './features.js';
import { candidateKeys, chooseStory, DEFAULT_WINDOW_HOURS, MAX_CANDIDATES, MEMBERS_COMPARED, type CandidateStory, type Decision, type DecideOptions } from './decide.js';
import { idf, termWeights, vectors, type ArticleVectors, type DocFreq } from './similarity.js';
import { packStored, storedForm } from './vector-pack.js';

/** Stories read per matching key: the most recently filed ones within the window. */
export const PER_KEY_LIMIT = 50;

/** A candidate lookup: the stories filed under `keys` whose latest filing time under a key is in [tMin, tMax]. */
export interface Lookup {
  keys: readonly string[];
  /** Per key (same order): its weight, the key's idf. */
  weights: readonly number[];
  tMin: number;
  tMax: number;
  /** Per key, only the `perKey` most recently filed stories count (ties: the greater story id first, as Redis's ZREVRANGEBYSCORE). */
  perKey: number;
  /** The index may leave out stories lighter than the `want`-th heaviest (ties must stay). */
  want: number;
}

/**
 * Story id → weight: the sum of the weights of the keys it was found under, added in key order
 * (so that two indexes compute the same double).
 */
export type Hits = ReadonlyMap<string, number>;

/** What the engine asks of the index it runs over. */
export interface CandidateIndex {
  lookup(q: Lookup): Hits;
  /** Per story: the vectors (as stored: `storedVectors`) of its compared members (`comparedMembers`), first article first. Stories gone may be left out. */
  members(storyIds: readonly string[]): ReadonlyMap<string, readonly ArticleVectors[]>;
}

/** The same, answered asynchronously (the Redis store). */
export interface AsyncCandidateIndex {
  lookup(q: Lookup): Promise<Hits>;
  members(storyIds: readonly string[]): Promise<ReadonlyMap<string, readonly ArticleVectors[]>>;
}

/** Where an article goes and what it is filed under. */
export interface Placement {
  /** The article's vectors as the index stores them (`storedVectors`). */
  stored: ArticleVectors;
  /** The same, packed (`packVectors`): what Redis keeps. Made when first read. */
  readonly packed: string;
  /** The keys it is found and filed under (`candidateKeys`). */
  keys: string[];
  decision: Decision;
}

type Step = { kind: 'lookup'; q: Lookup } | { kind: 'members'; ids: string[] };

/** The decision as a sequence of questions to the index (see `place`). */
export function* placeSteps(f: ArticleFeatures, d: DocFreq, o: DecideOptions = {}): Generator<Step, Placement, unknown> {
  const windowMs = (o.windowHours ?? DEFAULT_WINDOW_HOURS) * 3_600_000;
  // each key's frequency read once for both (similarity.ts termWeights)
  const w = termWeights(f, d);
  const v = vectors(f, d, w);
  const keys = candidateKeys(f, d, w);
  const q: Lookup = { keys, weights: keys.map((k) => idf(d, k)), tMin: v.t - windowMs, tMax: v.t + windowMs, perKey: PER_KEY_LIMIT, want: MAX_CANDIDATES };
  const hits = keys.length ? ((yield { kind: 'lookup', q }) as Hits) : new Map<string, number>();
  const ranked = rankHits(hits);
  const members = ranked.length ? ((yield { kind: 'members', ids: ranked }) as ReadonlyMap<string, readonly ArticleVectors[]>) : new Map<string, ArticleVectors[]>();
  const candidates: CandidateStory[] = [];
  for (const id of ranked) {
    const ms = members.get(id);
    // the index's list as it is (the decision only reads it)
    if (ms?.length) candidates.push({ storyId: id, members: ms });
  }
  const stored = storedForm(v);
  const decision = chooseStory(v, candidates, o);
  // made when first read (the Redis store writes it; the memory index does not need it)
  let packed: string | undefined;
  return {
    stored,
    get packed() {
      return (packed ??= packStored(stored));
    },
    keys,
    decision,
  };
}

/** Places an article over a synchronous index. */
export function place(f: ArticleFeatures, d: DocFreq, index: CandidateIndex, o: DecideOptions = {}): Placement {
  const g = placeSteps(f, d, o);
  let r = g.next();
  while (!r.done) r = g.next(r.value.kind === 'lookup' ? index.lookup(r.value.q) : index.members(r.value.ids));
  return r.value;
}

/** Places an article over an asynchronous index. */
export async function placeAsync(f: ArticleFeatures, d: DocFreq, index: AsyncCandidateIndex, o: DecideOptions = {}): Promise<Placement> {
  const g = placeSteps(f, d, o);
  let r = g.next();
  while (!r.done) r = g.next(r.value.kind === 'lookup' ? await index.lookup(r.value.q) : await index.members(r.value.ids));
  return r.value;
}

/** The MAX_CANDIDATES heaviest stories of a lookup; ties go to the smaller id. */
export function rankHits(hits: Hits): string[] {
  // a bounded insertion (hits run to hundreds, ten are kept): the order a full sort would give
  const ids: string[] = [];
  const ws: number[] = [];
  for (const [id, w] of hits) {
    let i = ids.length;
    if (i === MAX_CANDIDATES) {
      const lw = ws[i - 1]!;
      if (w < lw || (w === lw && id > ids[i - 1]!)) continue;
      // the last one gives way
      i--;
    }
    // shifted by hand (`splice` makes a new array a call)
    while (i > 0 && (ws[i - 1]! < w || (ws[i - 1] === w && ids[i - 1]! > id))) {
      ids[i] = ids[i - 1]!;
      ws[i] = ws[i - 1]!;
      i--;
    }
    ids[i] = id;
    ws[i] = w;
  }
  return ids;
}

/**
 * An article's vectors as an index keeps them: packed and read back (weights rounded), so a member
 * compares the same whether it comes from memory, a cache or Redis.
 */
export function storedVectors(v: ArticleVectors): ArticleVectors {
  return storedForm(v);
}

/** The story's first article and its latest ones, MEMBERS_COMPARED in all. */
export function comparedMembers<T>(members: readonly T[]): T[] {
  if (members.length <= MEMBERS_COMPARED) return [...members];
  return [members[0]!, ...members.slice(members.length - (MEMBERS_COMPARED - 1))];
}

/**
 * The stories of one candidate set (story id, latest filing time; each story once) that a lookup reads: those in
 * [tMin, tMax], the `perKey` latest, ties to the greater id (Redis's ZREVRANGEBYSCORE … LIMIT).
 */
export function readCandidateSet(set: Iterable<readonly [string, number]>, q: Pick<Lookup, 'tMin' | 'tMax' | 'perKey'>, floor = -Infinity): string[] {
  const inRange: [string, number][] = [];
  for (const [id, t] of set) if (t >= q.tMin && t <= q.tMax && t >= floor) inRange.push([id, t]);
  if (inRange.length > q.perKey) inRange.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
  return inRange.slice(0, q.perKey).map(([id]) => id);
}

/** Sums the weights of the sets each story was read from, in key order (see `Hits`); a set's ids may be any iterable (a read's `keys()`, without copying them out). */
export function sumHits(perKey: readonly Iterable<string>[], weights: readonly number[]): Map<string, number> {
  const hits = new Map<string, number>();
  for (let i = 0; i < perKey.length; i++) {
    const w = weights[i]!;
    for (const id of perKey[i]!) hits.set(id, (hits.get(id) ?? 0) + w);
  }
  return hits;
}

/**
 * What the engine knows of a stored article: its title (the analysis's when the feed gave none)
 * and text; an unparsable publication time counts as `now`.
 */
export function storyFeatures(article: Pick<Article, 'id' | 'title' | 'text' | 'published'>, analysis: AnalysisResult, now: Date, o: FeatureOptions): ArticleFeatures {
  return articleFeatures({ id: article.id, title: article.title || analysis.title, text: article.text, published: publishedOr(article.published, now), analysis }, o);
}

/** The publication time, or `now` when it does not parse. */
export function publishedOr(published: string, now: Date): string {
  return Number.isFinite(Date.parse(published)) ? published : now.toISOString();
}
