// CandidateSets.undo (memory-index.ts): the Redis store's optimistic decisions file into the
// mirror with a journal and take the filings back when others committed first
// (adapters/redis/story-assign.ts). After undo, every lookup answers as if the filings never were.
import { describe, expect, it } from 'vitest';
import { CandidateSets, type FilingJournal } from '../../../src/core/story/memory-index.js';
import type { Lookup } from '../../../src/core/story/engine.js';

const H = 3_600_000;
const WINDOW = 72 * H;

function rng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('candidate sets: undo', () => {
  it('takes back journaled filings (new sets, raised times, raised floors, new stories) exactly', () => {
    const r = rng(9);
    const sets = new CandidateSets(WINDOW);
    const twin = new CandidateSets(WINDOW);
    let t = 10 * 24 * H;
    const keysOf = (n: number) => Array.from({ length: n }, () => `k${Math.floor(r() * 200)}`);
    for (let i = 0; i < 2_000; i++) {
      t += 5 * 60_000;
      const story = `s-${Math.floor(r() * 700)}`;
      const ks = keysOf(10);
      const at = t - Math.floor(r() * 12 * H);
      sets.file(story, at, ks, t);
      twin.file(story, at, ks, t);
    }
    const queries: Lookup[] = Array.from({ length: 300 }, () => {
      const keys = [...keysOf(12), `fresh-${Math.floor(r() * 5)}`];
      const tt = t - Math.floor(r() * 48 * H);
      return { keys, weights: keys.map(() => 1 + r() * 3), tMin: tt - WINDOW, tMax: tt + WINDOW, perKey: 50, want: 10 };
    });
    const before = queries.map((q) => [...twin.lookup(q)]);
    // a batch filed with a journal: existing and new stories, existing and new keys, a later `now`
    // (its floors rise: entries that counted no longer do until undone)
    const journal: FilingJournal = [];
    for (let i = 0; i < 60; i++) {
      const story = i % 3 ? `s-${Math.floor(r() * 700)}` : `new-${i}`;
      sets.file(story, t + i * 60_000, [...keysOf(8), `fresh-${i % 5}`], t + 3 * 24 * H, journal);
    }
    expect(queries.some((q, i) => JSON.stringify([...sets.lookup(q)]) !== JSON.stringify(before[i]))).toBe(true);
    sets.undo(journal);
    expect(journal).toHaveLength(0);
    queries.forEach((q, i) => expect([...sets.lookup(q)], String(i)).toEqual(before[i]));
    // and it goes on as its twin does
    sets.file('s-1', t + H, ['k1', 'fresh-1'], t + H);
    twin.file('s-1', t + H, ['k1', 'fresh-1'], t + H);
    sets.sweep(t + 30 * 24 * H);
    twin.sweep(t + 30 * 24 * H);
    expect(sets.stats().entries).toBe(twin.stats().entries);
    queries.forEach((q) => expect([...sets.lookup(q)]).toEqual([...twin.lookup(q)]));
  });
});
