import { describe, expect, it } from 'vitest';
import { candidateKeys, KEY_QUOTA } from '../../../src/core/story/decide.js';
import type { ArticleFeatures } from '../../../src/core/story/features.js';
import { idf, type DocFreq } from '../../../src/core/story/similarity.js';

// The keys as first written: every kind's keys sorted in full (greatest value first, ties the
// smaller key), the quota kept, the kinds joined in order and each key kept once.
function referenceKeys(f: ArticleFeatures, d: DocFreq): string[] {
  const tooCommon = (k: string) => d.n >= 50 && d.df(k) > d.n / 5;
  const top = (scored: [string, number][], n: number) =>
    scored
      .filter(([k]) => !tooCommon(k))
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, n)
      .map(([k]) => k);
  const rarest = (keys: string[], n: number) => top(keys.map((k) => [k, idf(d, k)]), n);
  const body = top(Object.entries(f.body).map(([k, c]) => [k, (1 + Math.log(c)) * idf(d, k)]), KEY_QUOTA.body);
  return [...new Set([...rarest(Object.keys(f.title), KEY_QUOTA.title), ...rarest(f.names, KEY_QUOTA.names), ...rarest(f.xnames, KEY_QUOTA.xnames), ...rarest(f.nums, KEY_QUOTA.nums), ...body])];
}

describe('candidateKeys', () => {
  const rnd = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

  it('gives the keys a full sort of each kind would, in the same order, on 2,000 random articles (ties, shared keys, common keys)', () => {
    const r = rnd(5);
    // a small vocabulary with few distinct frequencies: many ties of value, keys shared between kinds, some too common
    const pool = Array.from({ length: 60 }, (_, i) => `w${i}`);
    const counts = new Map(pool.map((k, i) => [k, i % 7 === 0 ? 400 : Math.floor(i / 4)]));
    let ties = 0;
    for (let i = 0; i < 2_000; i++) {
      const d: DocFreq = { n: i % 3 === 0 ? 40 : 1_000, df: (k) => counts.get(k) ?? 0 };
      const some = (n: number) => [...new Set(Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)]!))];
      const counted = (ks: string[]) => Object.fromEntries(ks.map((k) => [k, 1 + Math.floor(r() * 3)]));
      const f: ArticleFeatures = { id: `a${i}`, t: 0, lang: 'en', title: counted(some(Math.floor(r() * 14))), body: counted(some(Math.floor(r() * 50))), names: some(Math.floor(r() * 12)), xnames: some(Math.floor(r() * 8)), nums: some(Math.floor(r() * 8)) };
      const want = referenceKeys(f, d);
      expect(candidateKeys(f, d)).toEqual(want);
      if (Object.keys(f.title).length > KEY_QUOTA.title) ties++;
    }
    expect(ties).toBeGreaterThan(200);
  });
});
