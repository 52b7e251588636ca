// BatchDocFreq (story-set-read.ts) against what it replaces, a per-article map added to the
// background's (`combineDocFreq(background, streamDocFreq(…))`): the same frequencies for every
// article of a batch, its own keys and others, at its turn and afterwards (a decision taken again
// later reads them again).
import { describe, expect, it } from 'vitest';
import { BatchDocFreq, streamDocFreq } from '../../../src/adapters/redis/story-set-read.js';
import { combineDocFreq, type DocFreq } from '../../../src/core/story/similarity.js';

/** A small pseudo-random generator (a fixed seed: the same batches every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('BatchDocFreq', () => {
  it('gives each article the frequencies of streamDocFreq over the background at its turn, then and later', () => {
    const r = rng(7);
    const vocab = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (let batch = 0; batch < 20; batch++) {
      // an article's keys come as lists that may repeat a key (dfKeys: body terms, names, skeletons, numbers)
      const lists = Array.from({ length: 1 + Math.floor(r() * 30) }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => Array.from({ length: Math.floor(r() * 8) }, () => vocab[Math.floor(r() * vocab.length)]!)));
      const fks = lists.map((ls) => [...new Set(ls.flat())]);
      const read = new Map<string, number>([['#n', 1000]]);
      for (const k of vocab) if (r() < 0.7) read.set(k, Math.floor(r() * 50));
      const bgCounts = new Map<string, number>();
      for (const k of [...vocab, 'other']) if (r() < 0.5) bgCounts.set(k, Math.floor(r() * 300));
      const bg: DocFreq = { n: 5000 + batch, df: (k) => bgCounts.get(k) ?? 0 };
      // some articles are not counted (filed before): they have no frequencies
      const counted = fks.map(() => r() < 0.8);
      const live = new Map(read);
      const b = new BatchDocFreq(bg);
      const entries = lists.map((ls, i) => b.keysOf(i, ls));
      // each article's entries are its distinct keys in order, the batch's in order of first use
      entries.forEach((es, i) => expect(es.map((e) => e.key)).toEqual(fks[i]));
      expect([...b.keys()].map((e) => e.key)).toEqual([...new Set(fks.flat())]);
      const fields = b.fields();
      expect(fields).toEqual(['#n', ...new Set(fks.flat())]);
      b.read(fields.map((f) => (read.has(f) ? String(read.get(f)) : null)));
      const want: DocFreq[] = [];
      const got: DocFreq[] = [];
      fks.forEach((fk, i) => {
        if (!counted[i]) return;
        for (const k of fk) if (!live.has(k)) live.set(k, 0);
        want.push(combineDocFreq(bg, streamDocFreq(live.get('#n')!, live, fk)));
        got.push(b.count(i, entries[i]!));
        expect(got.at(-1)!.n).toBe(want.at(-1)!.n);
        for (const k of [...vocab, 'other']) expect(got.at(-1)!.df(k), `batch ${batch} article ${i} key ${k} at its turn`).toBe(want.at(-1)!.df(k));
        for (const k of fk) live.set(k, live.get(k)! + 1);
        live.set('#n', live.get('#n')! + 1);
      });
      got.forEach((g, j) => {
        for (const k of [...vocab, 'other']) expect(g.df(k), `batch ${batch} article #${j} key ${k} afterwards`).toBe(want[j]!.df(k));
      });
    }
  });
});
