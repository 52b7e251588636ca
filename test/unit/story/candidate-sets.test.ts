// The candidate sets (memory-index.ts CandidateSets), as the Redis store's mirror keeps them for
// months of news: memory bounded by the window's filings (`sweep`), and the same answers as
// without the sweep.
import { describe, expect, it } from 'vitest';
import { CandidateSets } from '../../../src/core/story/memory-index.js';
import { readCandidateSet, sumHits, type Lookup } from '../../../src/core/story/engine.js';
import { ownString } from '../../../src/core/text/own-string.js';

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

/** The candidate sets as Redis kept them, spelled out: per key a map story → time, its trim bound and last write; read by the engine's own `readCandidateSet` and `sumHits`. */
class ReferenceSets {
  readonly sets = new Map<string, { t: Map<string, number>; floor: number; written: number }>();
  constructor(readonly windowMs: number) {}
  #set(k: string) {
    let s = this.sets.get(k);
    if (!s) this.sets.set(k, (s = { t: new Map(), floor: -Infinity, written: -Infinity }));
    return s;
  }
  file(id: string, t: number, keys: readonly string[], nowMs: number): void {
    for (const k of keys) {
      const s = this.#set(k);
      const cur = s.t.get(id);
      if (cur === undefined || t > cur) s.t.set(id, t);
      s.floor = Math.max(s.floor, nowMs - 2 * this.windowMs);
      s.written = Math.max(s.written, nowMs);
    }
  }
  move(absorbed: string, survivor: string, keys: readonly string[]): void {
    for (const k of keys) {
      const s = this.sets.get(k);
      const t = s?.t.get(absorbed);
      if (!s || t === undefined) continue;
      s.t.delete(absorbed);
      s.t.set(survivor, Math.max(s.t.get(survivor) ?? -Infinity, t));
    }
  }
  /** A key not written for 2 × window expires (Redis's EXPIRE on write). */
  sweep(nowMs: number): void {
    for (const [k, s] of this.sets) if (s.written < nowMs - 2 * this.windowMs) this.sets.delete(k);
  }
  lookup(q: Lookup): [string, number][] {
    const hits = sumHits(q.keys.map((k) => {
      const s = this.sets.get(k);
      return s ? readCandidateSet(s.t, q, s.floor) : [];
    }), q.weights);
    const ws = [...hits.values()].sort((a, b) => b - a);
    const bar = ws.length < q.want ? -Infinity : ws[q.want - 1]!;
    return [...hits].filter(([, w]) => w >= bar);
  }
}

describe('candidate sets: the compact layout answers as the sorted sets did', () => {
  it('big and small sets, equal times, later and earlier filings, merges and sweeps: every lookup the same', () => {
    const r = rng(11);
    const sets = new CandidateSets(WINDOW);
    const ref = new ReferenceSets(WINDOW);
    let now = 1_000 * H;
    const stories: string[] = [];
    // few keys, so some sets grow past the sizes where the layout changes (32 and 48 entries), and
    // times on a coarse grid, so equal times (ordered by id) are common
    const keysOf = () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => `k${Math.floor(r() ** 2 * 60)}`);
    for (let step = 0; step < 6_000; step++) {
      now += Math.floor(r() * 20) * 60_000;
      const x = r();
      if (x < 0.02 && stories.length > 2) {
        const a = stories[Math.floor(r() * stories.length)]!;
        const b = stories[Math.floor(r() * stories.length)]!;
        if (a === b) continue;
        const ks = keysOf();
        sets.move(a, b, ks);
        ref.move(a, b, ks);
      } else if (x < 0.025) {
        sets.sweep(now);
        ref.sweep(now);
      } else {
        const id = r() < 0.3 && stories.length ? stories[Math.floor(r() * stories.length)]! : `s-${step.toString(16).padStart(12, '0')}`;
        if (!stories.includes(id)) stories.push(id);
        const t = now - Math.floor(r() * 100) * 30 * 60_000;
        const ks = keysOf();
        sets.file(id, t, ks, now);
        ref.file(id, t, ks, now);
      }
      if (step % 7 === 0) {
        const keys = keysOf();
        const tt = now - Math.floor(r() * 2 * WINDOW);
        const q: Lookup = { keys, weights: keys.map(() => 1 + Math.floor(r() * 3)), tMin: tt - WINDOW, tMax: tt + WINDOW, perKey: 1 + Math.floor(r() * 60), want: 1 + Math.floor(r() * 12) };
        // the same stories and weights (the order first found differs with readCandidateSet's for small sets, and rankHits does not depend on it)
        expect([...sets.lookup(q)].sort()).toEqual(ref.lookup(q).sort());
      }
    }
    let entries = 0;
    for (const s of ref.sets.values()) entries += [...s.t.values()].filter((t) => t >= s.floor).length;
    // the sweep dropped only what no longer counts
    sets.sweep(now);
    expect(sets.stats().entries).toBe(entries);
    expect(Math.max(...[...ref.sets.values()].map((s) => s.t.size))).toBeGreaterThan(60);
  });

  it('keeps no view of a longer string: ids and keys cut out of a log entry do not keep the entry', () => {
    // story ids are 14 characters: as a slice they would be views of the entry they came from
    const entry = `${'x'.repeat(100_000)}|s-0123456789ab|some-long-matching-key`;
    const [, id, key] = entry.split('|') as [string, string, string];
    const s = new CandidateSets(WINDOW);
    s.file(id, 1, [key], 1);
    const q: Lookup = { keys: ['some-long-matching-key'], weights: [1], tMin: 0, tMax: 2, perKey: 5, want: 5 };
    expect([...s.lookup(q)]).toEqual([['s-0123456789ab', 1]]);
    expect(ownString(id)).toBe(id);
  });
});
