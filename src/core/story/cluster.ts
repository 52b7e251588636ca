// Batch clustering for `steppewatch analyze --cluster`: the live store's decision (decide.ts) over
// one input batch, with an in-memory index in place of Redis. Items are taken in publication order
// (input order among equal times); document frequencies come from the whole batch, on top of a
// background of news text the caller passes in (data/story-background.tsv, loaded by
// src/adapters/analysis-data.ts: core reads no files).
import type { AnalysisResult } from '../types.js';
import { articleFeatures, dfKeys, type ArticleFeatures } from './features.js';
import {
  candidateKeys,
  chooseStory,
  MAX_CANDIDATES,
  MEMBERS_COMPARED,
  storyIdFor,
  type CandidateStory,
  type DecideOptions,
} from './decide.js';
import { combineDocFreq, idf, vectors, type ArticleVectors, type DocFreq } from './similarity.js';

export interface ClusterOptions extends DecideOptions {
  /**
   * Document frequencies over a background of news text, added to the batch's own: they let a
   * small batch tell common words from telling ones. Without it only the batch counts.
   */
  background?: DocFreq;
}

export interface ClusterItem {
  id: string;
  title: string;
  text: string;
  /** ISO 8601 UTC. */
  published: string;
  outletId?: string;
  analysis: AnalysisResult;
}

/** Document frequencies counted over a fixed set of articles, on top of a background when given. */
export function batchDocFreq(features: readonly ArticleFeatures[], background?: DocFreq): DocFreq {
  const counts = new Map<string, number>();
  for (const f of features) for (const k of new Set(dfKeys(f))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const own: DocFreq = { n: features.length, df: (k) => counts.get(k) ?? 0 };
  return background ? combineDocFreq(background, own) : own;
}

/** Returns the story id of each item, in input order. */
export function clusterBatch(items: ClusterItem[], o: ClusterOptions = {}): string[] {
  const feats = items.map((it) => articleFeatures(it));
  return clusterFeatures(feats, batchDocFreq(feats, o.background), o);
}

interface BatchStory {
  id: string;
  members: ArticleVectors[];
  tMin: number;
  tMax: number;
}

/** The batch clusterer over precomputed features and frequencies (used by the evaluation too). */
export function clusterFeatures(feats: readonly ArticleFeatures[], d: DocFreq, o: DecideOptions = {}): string[] {
  const windowMs = (o.windowHours ?? 72) * 3_600_000;
  const order = feats.map((_, i) => i).sort((x, y) => feats[x]!.t - feats[y]!.t || x - y);
  const postings = new Map<string, Set<BatchStory>>();
  const usedIds = new Set<string>();
  const result: string[] = new Array(feats.length);

  for (const i of order) {
    const f = feats[i]!;
    const v = vectors(f, d);
    const keys = candidateKeys(f, d);
    // Retrieval: stories sharing a key and active within the window, ranked by the rarity of what they share.
    const hits = new Map<BatchStory, number>();
    for (const k of keys) {
      const w = idf(d, k);
      for (const s of postings.get(k) ?? []) {
        if (s.tMax < f.t - windowMs || s.tMin > f.t + windowMs) continue;
        hits.set(s, (hits.get(s) ?? 0) + w);
      }
    }
    const ranked = [...hits.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES);
    const candidates: CandidateStory[] = ranked.map(([s]) => ({ storyId: s.id, members: comparedMembers(s.members) }));
    const decision = chooseStory(v, candidates, o);

    let story: BatchStory;
    if (decision.storyId) {
      story = ranked.find(([s]) => s.id === decision.storyId)![0];
      story.members.push(v);
      story.tMin = Math.min(story.tMin, f.t);
      story.tMax = Math.max(story.tMax, f.t);
    } else {
      let id = storyIdFor(f.id);
      for (let n = 2; usedIds.has(id); n++) id = storyIdFor(`${f.id}#${n}`);
      usedIds.add(id);
      story = { id, members: [v], tMin: f.t, tMax: f.t };
    }
    for (const k of keys) {
      const set = postings.get(k);
      if (set) set.add(story);
      else postings.set(k, new Set([story]));
    }
    result[i] = story.id;
  }
  return result;
}

/** The story's first article and its latest ones, MEMBERS_COMPARED in all. */
export function comparedMembers<T>(members: readonly T[]): T[] {
  if (members.length <= MEMBERS_COMPARED) return [...members];
  return [members[0]!, ...members.slice(members.length - (MEMBERS_COMPARED - 1))];
}
