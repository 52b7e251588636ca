// The story assigner's stream document frequencies: a pure helper split from story-assign.ts for
// size. (The candidate-set read helpers that lived here went with the candidate sets: story-mirror.ts.)
import type { DocFreq } from '../../core/story/similarity.js';

/**
 * The stream's document frequencies as an article sees them: counts of its own DF keys only (the
 * ones read for it), as they are now (the map goes on counting the batch's later articles).
 */
export function streamDocFreq(n: number, counts: ReadonlyMap<string, number>, fields: Iterable<string>): DocFreq {
  const m = new Map<string, number>();
  for (const f of fields) m.set(f, counts.get(f) ?? 0);
  return { n, df: (k) => m.get(k) ?? 0 };
}
