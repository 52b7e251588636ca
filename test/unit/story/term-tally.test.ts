// term-tally.ts TermTally: terms and counts in first-seen order, as a Map keyed by the term would
// keep them, whatever the terms' hashes do (the table grown many times over, equal hashes).
import { describe, expect, it } from 'vitest';
import { termHash, TermTally } from '../../../src/core/story/term-tally.js';

describe('TermTally', () => {
  it('counts as a Map does, in first-seen order, through many growths', () => {
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const expected of [1, 8, 300]) {
      const t = new TermTally(expected);
      const ref = new Map<string, number>();
      for (let i = 0; i < 5000; i++) {
        const term = `w${Math.floor(rand() * rand() * 2000)}` + (rand() < 0.1 ? 'ё中' : '');
        const n = 1 + Math.floor(rand() * 3);
        if (rand() < 0.5) t.add(term, n);
        else t.add(term, n, termHash(term));
        ref.set(term, (ref.get(term) ?? 0) + n);
      }
      expect(t.keys).toEqual([...ref.keys()]);
      expect(t.counts).toEqual([...ref.values()]);
      expect(t.size).toBe(ref.size);
    }
  });

  it('tells apart terms whose hashes collide, and adds a tally to another (addAll)', () => {
    // different strings, one hash: the slot is shared, the terms are not
    const t = new TermTally();
    t.add('a', 1, 7);
    t.add('b', 2, 7);
    t.add('a', 3, 7);
    expect(t.keys).toEqual(['a', 'b']);
    expect(t.counts).toEqual([4, 2]);
    const body = new TermTally();
    body.add('b', 1);
    const title = new TermTally();
    title.add('c', 1);
    title.add('b', 1);
    body.addAll(title, 2);
    expect(body.keys).toEqual(['b', 'c']);
    expect(body.counts).toEqual([3, 2]);
  });
});
