// BatchDocFreq (story-set-read.ts) against streamDocFreq, the per-article map it replaces: the same
// frequencies for every article of a batch, its own keys and others, at its turn and afterwards
// (a decision taken again later reads them again).
import { describe, expect, it } from 'vitest';
import { BatchDocFreq, streamDocFreq } from '../../../src/adapters/redis/story-set-read.js';

/** A small pseudo-random generator (a fixed seed: the same batches every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('BatchDocFreq', () => {
  it('gives each article the frequencies of streamDocFreq at its turn, then and later', () => {
    const r = rng(7);
    const vocab = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (let batch = 0; batch < 20; batch++) {
      const fks = Array.from({ length: 1 + Math.floor(r() * 30) }, () => [...new Set(Array.from({ length: Math.floor(r() * 12) }, () => vocab[Math.floor(r() * vocab.length)]!))]);
      const read = new Map<string, number>([['#n', 1000]]);
      for (const k of vocab) if (r() < 0.7) read.set(k, Math.floor(r() * 50));
      // some articles are not counted (filed before): they have no frequencies
      const counted = fks.map(() => r() < 0.8);
      const live = new Map(read);
      const b = new BatchDocFreq(read, read.get('#n')!);
      const want: ReturnType<typeof streamDocFreq>[] = [];
      const got: ReturnType<typeof streamDocFreq>[] = [];
      fks.forEach((fk, i) => {
        if (!counted[i]) return;
        for (const k of fk) if (!live.has(k)) live.set(k, 0);
        want.push(streamDocFreq(live.get('#n')!, live, fk));
        got.push(b.count(i, fk));
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
