// matchOutlet prepares each outlet list's aliases once and finds whole words without a regex an
// alias; this checks it answers as the plain form it replaced (below, written out as the rule
// reads) on the real outlet list and on names made to sit on every edge the rule has.
import { describe, expect, it } from 'vitest';
import { matchOutlet, type KnownOutlet } from '../../../src/core/story/trail.js';
import { builtInOutlets } from '../../../src/main/outlets.js';
import { rng as makeRng } from '../../../bench/farm/rng.js';

function norm(s: string): string {
  return s.toLowerCase().replace(/ё/gu, 'е').replace(/^the\s+/u, '').replace(/[«»"“”'’.,]/gu, '').replace(/\s+/gu, ' ').trim();
}
function stems(s: string): string {
  return s
    .split(' ')
    .map((w) => (w.length > 4 ? w.replace(/(ами|ями|ого|его|ей|ой|ом|ем|ах|ях|ы|и|а|я|у|ю|е)$/u, '') : w))
    .join(' ');
}
/** The rule: the longest alias that equals the name, sits in it as a whole word, or (Cyrillic) matches on stems. */
function plainMatch(name: string, known: readonly KnownOutlet[]): string | null {
  const n = norm(name);
  let best: { id: string; len: number } | null = null;
  for (const o of known) {
    for (const alias of o.names) {
      const a = norm(alias);
      if (!a) continue;
      const escaped = a.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
      const inside = (a.length >= 4 || n.startsWith(`${a} `)) && new RegExp(String.raw`(?:^|[\s-])${escaped}(?:$|[\s-])`, 'u').test(n);
      const inflected = /\p{Script=Cyrillic}/u.test(a) && a.length >= 4 && stems(n).includes(stems(a));
      if ((n === a || inside || inflected) && (!best || a.length > best.len)) best = { id: o.id, len: a.length };
    }
  }
  return best?.id ?? null;
}

describe('matchOutlet', () => {
  const known: KnownOutlet[] = builtInOutlets().map((o) => ({ id: o.id, names: [...o.names] }));
  const aliases = known.flatMap((o) => o.names);

  it('answers as the plain rule on the real outlet list, for names around every alias', () => {
    const rng = makeRng(20261207);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
    const words = ['the', 'агентство', 'газеты', 'news', 'agency', 'newspaper', 'пресс-служба', 'of', 'RT', 'AP', 'Ministry', '—', '-'];
    const names: string[] = [];
    for (const a of aliases) {
      names.push(a, a.toUpperCase(), `the ${a}`, `${a}'s`, `«${a}»`, `${pick(words)} ${a}`, `${a} ${pick(words)}`, `${pick(words)}-${a}`, `${a}ей`, `${a}а`, a.slice(0, -1));
    }
    for (let i = 0; i < 400; i++) names.push(`${pick(aliases)} ${pick(words)} ${pick(aliases)}`, `${pick(words)}  ${pick(aliases)}.`);
    let matched = 0;
    for (const name of names) {
      const want = plainMatch(name, known);
      expect(matchOutlet(name, known), name).toBe(want);
      if (want) matched++;
    }
    // the names exercise both answers
    expect(matched).toBeGreaterThan(names.length / 3);
    expect(matched).toBeLessThan(names.length);
  });

  it('sees a changed list as a new list', () => {
    expect(matchOutlet('Kun.uz', [{ id: 'kun', names: ['Kun.uz'] }])).toBe('kun');
    expect(matchOutlet('Kun.uz', [{ id: 'other', names: ['Gazeta.uz'] }])).toBeNull();
  });
});
