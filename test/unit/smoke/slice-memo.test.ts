// src/core/memo.ts pureSliceMemo: a memo keyed by a piece of a text where it stands (text, from,
// to), found without slicing it out. It must answer what f(text.slice(from, to)) answers, whatever
// the pieces' hashes do (collisions, a full table emptied), and call f once per distinct piece
// while the table holds it.
import { describe, expect, it } from 'vitest';
import { pureHashedSliceMemo, pureSliceMemo, SLICE_HASH_SEED, sliceHashStep } from '../../../src/core/memo.js';

describe('pureSliceMemo', () => {
  it('answers f of the piece, calling f once per distinct piece', () => {
    const seen: string[] = [];
    const m = pureSliceMemo((p) => {
      seen.push(p);
      return { p, n: p.length };
    }, 100);
    const text = 'Tokayev met Tokayev’s guests; Токаев, 中国 and 😀 met Tokayev.';
    const words = [...text.matchAll(/[\p{L}\p{N}’]+|😀/gu)].map((x) => [x.index, x.index + x[0].length] as const);
    const first = words.map(([a, b]) => m(text, a, b));
    const again = words.map(([a, b]) => m(text, a, b));
    words.forEach(([a, b], i) => {
      expect(first[i]!.p).toBe(text.slice(a, b));
      expect(again[i]).toBe(first[i]); // the same value, remembered
    });
    expect(seen).toEqual([...new Set(words.map(([a, b]) => text.slice(a, b)))]);
    // the same characters elsewhere (another text) are the same piece
    expect(m('xx Tokayev', 3, 10)).toBe(first[0]);
    // the empty piece is a piece too
    expect(m(text, 4, 4).p).toBe('');
  });

  it('stays right on many pieces: colliding slots, and the table emptied when full', () => {
    let calls = 0;
    const m = pureSliceMemo((p) => {
      calls++;
      return p.split('').reverse().join('');
    }, 50);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'abcдеж中';
    let text = '';
    for (let i = 0; i < 5_000; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
    for (let i = 0; i < 20_000; i++) {
      const a = Math.floor(rand() * (text.length - 4));
      const b = a + Math.floor(rand() * 4);
      expect(m(text, a, b)).toBe(text.slice(a, b).split('').reverse().join(''));
    }
    // a few hundred distinct pieces over a table of 50: emptied and refilled, so f ran more often than there are pieces…
    expect(calls).toBeGreaterThan(600);
    // …but far less than once a call
    expect(calls).toBeLessThan(20_000);
  });

  it('given the hash (pureHashedSliceMemo), answers as pureSliceMemo; a wrong hash only misses', () => {
    const hashOf = (s: string) => {
      let h = SLICE_HASH_SEED;
      for (let i = 0; i < s.length; i++) h = sliceHashStep(h, s.charCodeAt(i));
      return h;
    };
    let calls = 0;
    const m = pureHashedSliceMemo((p) => {
      calls++;
      return `<${p}>`;
    }, 100);
    const text = 'Tokayev met Tokayev’s guests; Токаев, 中国 and 😀 met Tokayev.';
    const words = [...text.matchAll(/[\p{L}\p{N}’]+|😀/gu)].map((x) => [x.index, x.index + x[0].length] as const);
    for (const [a, b] of words) expect(m(text, a, b, hashOf(text.slice(a, b)))).toBe(`<${text.slice(a, b)}>`);
    expect(calls).toBe(new Set(words.map(([a, b]) => text.slice(a, b))).size);
    // the plain memo files pieces under the same hash
    const plain = pureSliceMemo((p) => p, 100);
    expect(plain(text, 0, 7)).toBe('Tokayev');
    // a wrong hash (another piece's) never answers for the other piece
    expect(m(text, 12, 21, hashOf('Tokayev'))).toBe('<Tokayev’s>');
    expect(m(text, 0, 7, 0)).toBe('<Tokayev>');
  });
});
