// Batch clustering for `steppewatch analyze --cluster`: the story engine (engine.ts) over one input
// batch, with an in-memory index (memory-index.ts) in place of Redis. Items are taken in publication order
// (input order among equal times); document frequencies come from the whole batch, on top of a
// background of news text the caller passes in (data/story-background.tsv, loaded by
// src/adapters/analysis-data.ts: core reads no files), with the cross-script names (the same
// loader's storyNames).
import type { AnalysisResult } from '../types.js';
import { articleFeatures, dfKeys, type ArticleFeatures, type FeatureOptions } from './features.js';
import type { DecideOptions } from './decide.js';
import { MemoryStoryIndex } from './memory-index.js';
import { combineDocFreq, type DocFreq } from './similarity.js';

export interface ClusterOptions extends DecideOptions, FeatureOptions {
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
export function clusterBatch(items: ClusterItem[], o: ClusterOptions): string[] {
  const feats = items.map((it) => articleFeatures(it, o));
  return clusterFeatures(feats, batchDocFreq(feats, o.background), o);
}

/**
 * The batch clusterer over precomputed features and frequencies (used by the evaluation too): the
 * story engine (engine.ts) over a MemoryStoryIndex, articles taken in publication order (input
 * order among equal times), each "now" its own publication time. An article id that comes again
 * in a batch is another item: it is filed as `<id>#2`, `#3`…
 */
export function clusterFeatures(feats: readonly ArticleFeatures[], d: DocFreq, o: DecideOptions = {}): string[] {
  const order = feats.map((_, i) => i).sort((x, y) => feats[x]!.t - feats[y]!.t || x - y);
  const index = new MemoryStoryIndex({ ...o, docFreq: d });
  const result: string[] = new Array(feats.length);
  for (const i of order) {
    let f = feats[i]!;
    for (let n = 2; index.storyOf(f.id) !== null; n++) f = { ...feats[i]!, id: `${feats[i]!.id}#${n}` };
    result[i] = index.assign(f, f.t).storyId;
  }
  return result;
}

export { comparedMembers } from './engine.js';
