// The story assigner's candidate-set reads and stream document frequencies: pure helpers split
// from story-assign.ts for size (no change in behaviour).
import type { DocFreq } from '../../core/story/similarity.js';

/** A set read ('id,score,id,score…', highest score first) as ids and scores. */
export function splitRead(joined: string): { ids: string[]; ts: number[] } {
  const ids: string[] = [];
  const ts: number[] = [];
  if (!joined) return { ids, ts };
  const flat = joined.split(',');
  for (let i = 0; i + 1 < flat.length; i += 2) {
    ids.push(flat[i]!);
    ts.push(Number(flat[i + 1]));
  }
  return { ids, ts };
}

/**
 * One article's read cut from its set's read (which is in ZREVRANGEBYSCORE order and reaches far
 * enough, see story-lock-read-many.lua): the entries in [tMin, tMax], the `perKey` first — what
 * ZREVRANGEBYSCORE set tMax tMin LIMIT 0 perKey answers. Exported for its test.
 */
export function cutRead(r: { ids: readonly string[]; ts: readonly number[] }, tMax: number, tMin: number, perKey: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < r.ids.length && m.size < perKey; i++) {
    const t = r.ts[i]!;
    if (t > tMax) continue;
    if (t < tMin) break;
    m.set(r.ids[i]!, t);
  }
  return m;
}

/**
 * The stream's document frequencies as an article sees them: counts of its own DF keys only (the
 * ones read for it), as they are now (the map goes on counting the batch's later articles).
 */
export function streamDocFreq(n: number, counts: ReadonlyMap<string, number>, fields: Iterable<string>): DocFreq {
  const m = new Map<string, number>();
  for (const f of fields) m.set(f, counts.get(f) ?? 0);
  return { n, df: (k) => m.get(k) ?? 0 };
}
