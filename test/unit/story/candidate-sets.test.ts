// The candidate sets (memory-index.ts CandidateSets), as the Redis store's mirror keeps them for
// months of news: memory bounded by the window's filings (`sweep`), and the same answers as
// without the sweep.
import { describe, expect, it } from 'vitest';
import { CandidateSets } from '../../../src/core/story/memory-index.js';
import type { Lookup } from '../../../src/core/story/engine.js';

const H = 3_600_000;
const WINDOW = 72 * H;

/** A small deterministic generator. */
function rng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('candidate sets: bounded by the window', () => {
  it('keeps memory to the window whatever the stream’s length, answering as if nothing were dropped', () => {
    const swept = new CandidateSets(WINDOW);
    const kept = new CandidateSets(WINDOW);
    const r = rng(5);
    let t = 0;
    const sizes: number[] = [];
    const query = (tt: number): Lookup => {
      const keys = Array.from({ length: 12 }, () => `k${Math.floor(r() * 3000)}`);
      return { keys, weights: keys.map(() => 1 + Math.floor(r() * 4)), tMin: tt - WINDOW, tMax: tt + WINDOW, perKey: 50, want: 10 };
    };
    // 30 days of news, an article every 4 minutes, 12 of 3,000 keys each (common and rare ones);
    // a story per ~3 articles, some stories filed under keys that then go quiet
    for (let day = 0; day < 30; day++) {
      for (let i = 0; i < 360; i++) {
        t += 4 * 60_000;
        const story = `s-${Math.floor((day * 360 + i) / 3)}`;
        const keys = Array.from({ length: 12 }, () => `k${day < 15 || r() < 0.5 ? Math.floor(r() * 3000) : 3000 + day * 10 + Math.floor(r() * 10)}`);
        const filed = t - Math.floor(r() * 6 * H);
        swept.file(story, filed, keys, t);
        kept.file(story, filed, keys, t);
      }
      swept.sweep(t);
      sizes.push(swept.stats().entries);
      for (let q = 0; q < 20; q++) {
        const qq = query(t - Math.floor(r() * 24 * H));
        expect([...swept.lookup(qq)].sort()).toEqual([...kept.lookup(qq)].sort());
      }
    }
    // at most 4 × window of filings (twelve days × 360 × 12: a set keeps what was filed up to 2 ×
    // window before its last write, and goes 2 × window after it), however long the stream ran
    const bound = 12 * 360 * 12;
    expect(Math.max(...sizes.slice(10))).toBeLessThanOrEqual(bound);
    expect(kept.stats().entries).toBeGreaterThan(1.5 * bound);
    // story numbers are given anew once most belong to stories gone
    expect(swept.stats().numbered).toBeLessThan(kept.stats().numbered / 2);
  });

  it('moves a merged story’s entries to the survivor (the later time wins), as story-merge did in Redis', () => {
    const s = new CandidateSets(WINDOW);
    s.file('a', 100, ['x', 'y'], 100);
    s.file('b', 200, ['y', 'z'], 200);
    s.move('b', 'a', ['y', 'z']);
    const q = (k: string): Lookup => ({ keys: [k], weights: [1], tMin: 0, tMax: 1000, perKey: 50, want: 10 });
    expect([...s.lookup(q('y'))]).toEqual([['a', 1]]);
    expect([...s.lookup(q('z'))]).toEqual([['a', 1]]);
    // the survivor's time under y is the later one: a read that stops before it no longer finds it
    expect([...s.lookup({ ...q('y'), tMax: 150 })]).toEqual([]);
  });
});
