// unpackVectors reads the packed JSON by hand (vector-pack.ts `readPacked`) and leaves any other
// text to JSON.parse (`unpackJson`): both must give the same vectors, every weight the same double.
import { describe, expect, it } from 'vitest';
import { packStored, readPacked, storedForm, unpackJson, unpackVectors } from '../../../src/core/story/vector-pack.js';
import { weighted, type ArticleVectors } from '../../../src/core/story/similarity.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['tok', 'аев', '哈萨', 'e:', 'country:', 'person:wei-fenghe', 'x', '😀', 'é', '-', '_', '#:', '1', 'd:04-26'];

function term(r: () => number): string {
  let out = '';
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(r() * PIECES.length)]!;
  return out;
}

/** Weights of every form a double prints in: rounded to 4 decimals (what is stored), integers, long fractions, exponents, negatives, -0. */
function weight(r: () => number, stored: boolean): number {
  const k = stored ? r() * 0.7 : r();
  if (k < 0.6) return Math.round(r() * 1e4) / 1e4;
  if (k < 0.7) return Math.floor(r() * 100);
  if (k < 0.8) return r();
  if (k < 0.85) return r() * 1e-9;
  if (k < 0.9) return -Math.round(r() * 1e4) / 1e4;
  if (k < 0.95) return r() * 1e21;
  return -0;
}

function vec(r: () => number, n: number, stored: boolean) {
  const keys: string[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(term(r));
    vals.push(weight(r, stored));
  }
  return weighted(keys, vals, n ? 1 : 0);
}

function same(a: ArticleVectors, b: ArticleVectors): void {
  expect([a.id, a.t, a.lang, a.lead]).toEqual([b.id, b.t, b.lang, b.lead]);
  for (const k of ['body', 'title', 'names', 'nums', 'xnames'] as const) {
    expect(a[k].keys).toEqual(b[k].keys);
    expect(a[k].norm).toBe(b[k].norm);
    expect(a[k].vals.length).toBe(b[k].vals.length);
    // Object.is: -0 and 0 apart, every bit of each weight
    a[k].vals.forEach((v, i) => expect(Object.is(v, b[k].vals[i]), `${k}[${i}]: ${v} vs ${b[k].vals[i]}`).toBe(true));
  }
}

describe('unpackVectors read by hand', () => {
  it('gives what JSON.parse gives on random packed vectors (weights of every printed form, terms in any script)', () => {
    const r = rng(7);
    let byHand = 0;
    for (let i = 0; i < 2_000; i++) {
      // half with weights of the stored forms only (rounded to 4 decimals, integers, negatives): read by hand
      const stored = i % 2 === 0;
      const n = () => (r() < 0.1 ? 0 : Math.floor(r() * 40));
      const head = { id: `https://x.kz/${i}/${term(r)}`, t: i % 7 === 0 ? -1 : 1_700_000_000_000 + i, lang: r() < 0.5 ? 'ru' : 'zh', ...(i % 3 ? {} : { lead: true }) };
      const v: ArticleVectors = { ...head, body: vec(r, n(), stored), title: vec(r, n(), stored), names: vec(r, n(), stored), nums: vec(r, n(), stored), xnames: vec(r, n(), stored) };
      const s = packStored(v);
      same(unpackVectors(s), unpackJson(s));
      if (readPacked(s)) byHand++;
      else expect(stored).toBe(false);
    }
    expect(byHand).toBeGreaterThanOrEqual(1_000);
  });

  it('rounds weights as a correct parser does (stored weights: digits / 10^4)', () => {
    const s = packStored(storedForm({ id: 'a', t: 1, lang: 'en', body: weighted(['a', 'b', 'c', 'd'], [0.1, 0.7, 0.3, 0.123456789012345], 1), title: weighted([], [], 0), names: weighted(['e:x'], [3], 1), nums: weighted([], [], 0), xnames: weighted([], [], 0) }));
    same(unpackVectors(s), unpackJson(s));
    for (const w of ['0.1', '0.3', '0.7', '0.0001', '0.9999', '123456789.012345', '-0', '-0.5', '5e-7', '1E+21', '0', '7']) {
      const text = `{"i":"a","t":1,"l":"en","b":[["k",${w}]],"h":[],"n":[],"u":[],"x":[]}`;
      expect(Object.is(unpackVectors(text).body.vals[0], Number(w)), w).toBe(true);
    }
  });

  it('leaves other texts to JSON.parse: escapes, white space, keys in another order, a lead flag', () => {
    const texts = [
      '{"i":"a\\"b","t":1,"l":"en","b":[["k\\\\",0.5]],"h":[],"n":[],"u":[],"x":[]}',
      '{ "i": "a", "t": 1, "l": "en", "b": [["k", 0.5]], "h": [], "n": [], "u": [], "x": [] }',
      '{"x":[["q",1]],"u":[],"n":[],"h":[],"b":[["k",0.25]],"l":"kk","t":5,"i":"z","e":1}',
      '{"i":"a","t":1,"l":"en","e":0,"b":[],"h":[],"n":[],"u":[],"x":[],"i":"b"}',
      '{"i":"a","t":1,"l":"en","b":[["\\ud800",0.5]],"h":[],"n":[],"u":[],"x":[]}',
    ];
    for (const t of texts) same(unpackVectors(t), unpackJson(t));
    for (const bad of ['{"i":"a","t":01,"l":"en","b":[],"h":[],"n":[],"u":[],"x":[]}', '{"i":"a"', '']) expect(() => unpackVectors(bad)).toThrow();
  });
});
