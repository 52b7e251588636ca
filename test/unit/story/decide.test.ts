import { describe, expect, it } from 'vitest';
import { chooseStory, decisionMargin, marginBound, PairScreen, proximity, withinWindow } from '../../../src/core/story/decide.js';
import { DEFAULT_MODEL, margin, PairParts, similarity as similarityOf, weighted, type ArticleVectors, type SimilarityParts, type WeightedVector } from '../../../src/core/story/similarity.js';

const vec = (entries: Record<string, number>): WeightedVector => {
  const vals = Object.values(entries);
  return weighted(Object.keys(entries), vals, Math.sqrt(vals.reduce((s, x) => s + x * x, 0)));
};
const empty = vec({});
function av(id: string, body: Record<string, number>, t = 0, title: Record<string, number> = body): ArticleVectors {
  return { id, t, lang: 'en', body: vec(body), title: vec(title), names: empty, nums: empty, xnames: empty };
}

describe('chooseStory', () => {
  it('joins the best-matching story and says why', () => {
    const a = av('a', { x: 1, y: 1 });
    const d = chooseStory(a, [
      { storyId: 's1', members: [av('m1', { z: 1 })] },
      { storyId: 's2', members: [av('m2', { x: 1, y: 1 })] },
    ]);
    expect(d.storyId).toBe('s2');
    expect(d.matched?.articleId).toBe('m2');
    expect(d.margin).toBeGreaterThan(0);
  });

  it('names the other stories the article joins on its own too (two stories that are one event)', () => {
    const a = av('a', { x: 1, y: 1, z: 1 });
    const d = chooseStory(a, [
      { storyId: 's1', members: [av('m1', { x: 1, y: 1 })] },
      { storyId: 's2', members: [av('m2', { x: 1, y: 1, z: 1 })] },
      { storyId: 's3', members: [av('m3', { q: 1 })] },
    ]);
    expect(d.storyId).toBe('s2');
    expect(d.alsoMatched).toEqual(['s1']);
    expect(chooseStory(a, [{ storyId: 's3', members: [av('m3', { q: 1 })] }]).alsoMatched).toEqual([]);
  });

  it('starts a new story when nothing passes the threshold', () => {
    expect(chooseStory(av('a', { x: 1 }), [{ storyId: 's', members: [av('m', { z: 1 })] }]).storyId).toBeNull();
  });

  it('joins through a later member even when the story’s first article alone would not match (a retelling)', () => {
    const first = av('f', { p: 1, q: 1 });
    const bridge = av('b', { p: 1, q: 1, x: 1, y: 1 });
    const a = av('a', { x: 1, y: 1 });
    expect(chooseStory(a, [{ storyId: 's', members: [first] }]).storyId).toBeNull();
    const d = chooseStory(a, [{ storyId: 's', members: [first, bridge] }]);
    expect(d.storyId).toBe('s');
    expect(d.matched?.articleId).toBe('b');
  });

  it('ignores members outside the window', () => {
    const a = av('a', { x: 1 }, 0);
    expect(chooseStory(a, [{ storyId: 's', members: [av('m', { x: 1 }, 73 * 3_600_000)] }]).storyId).toBeNull();
    expect(chooseStory(a, [{ storyId: 's', members: [av('m', { x: 1 }, 73 * 3_600_000)] }], { windowHours: 96 }).storyId).toBe('s');
    expect(withinWindow(0, 72 * 3_600_000)).toBe(true);
  });
});

describe('time proximity', () => {
  const same = { body: 0.5, title: 0.5, names: 0.5, nums: 0, sameLanguage: true, xnames: 0.5, titleBody: 0.5, lead: false, sharedNums: 0, sharedEntities: 0, entityCover: 1, numCover: 1 };
  const model = { ...DEFAULT_MODEL, time: 0.2, xtime: 0.3 };

  it('is 1 for articles published together and falls linearly to 0 at the window edge', () => {
    expect(proximity(0, 0)).toBe(1);
    expect(proximity(0, 36 * 3_600_000, 72)).toBeCloseTo(0.5);
    expect(proximity(0, 100 * 3_600_000, 72)).toBe(0);
  });

  it('can only keep apart: no penalty for pairs published together, a growing one for pairs days apart', () => {
    expect(decisionMargin(same, 1, model)).toBeCloseTo(margin(same, model));
    expect(decisionMargin(same, 0.5, model)).toBeCloseTo(margin(same, model) - 0.1);
    expect(decisionMargin({ ...same, sameLanguage: false }, 0, model)).toBeCloseTo(margin({ ...same, sameLanguage: false }, model) - 0.3);
  });

  it('keeps a story apart from a member days away that would join at the same time', () => {
    const a = av('a', { x: 1, y: 1, z: 1 }, 60 * 3_600_000);
    const m = av('m', { x: 1, y: 1, w: 1 }, 0);
    const now = { ...m, id: 'm2', t: a.t };
    const atOnce = decisionMargin(similarityOf(a, now), 1, model);
    expect(atOnce).toBeGreaterThan(0);
    expect(chooseStory(a, [{ storyId: 's', members: [now] }], { model }).storyId).toBe('s');
    const apart = decisionMargin(similarityOf(a, m), proximity(a.t, m.t), model);
    expect(apart).toBeLessThan(atOnce);
  });
});

// ── the bound: pairs set aside without their full cosines (decide.ts marginBound) ──
// The decision as it was before the bound: every pair scored in full, in order.
function referenceChoice(a: ArticleVectors, candidates: { storyId: string; members: ArticleVectors[] }[]) {
  let best: { storyId: string; margin: number; articleId: string; parts: SimilarityParts } | null = null;
  let bestRejected = -1;
  const passed: { storyId: string; margin: number }[] = [];
  for (const c of candidates) {
    let sb: { storyId: string; margin: number; articleId: string; parts: SimilarityParts } | null = null;
    for (const m of c.members) {
      if (m.id === a.id || !withinWindow(a.t, m.t)) continue;
      const parts = similarityOf(a, m);
      const mg = decisionMargin(parts, proximity(a.t, m.t));
      if (!sb || mg > sb.margin) sb = { storyId: c.storyId, margin: mg, articleId: m.id, parts };
    }
    if (!sb) continue;
    if (sb.margin < 0) {
      bestRejected = Math.max(bestRejected, sb.margin);
      continue;
    }
    passed.push({ storyId: c.storyId, margin: sb.margin });
    if (!best || sb.margin > best.margin) best = sb;
  }
  if (!best) return { storyId: null, margin: bestRejected, articleId: null, parts: null, alsoMatched: [] as string[] };
  const chosen = best.storyId;
  const also = passed.filter((p) => p.storyId !== chosen).sort((x, y) => y.margin - x.margin).map((p) => p.storyId);
  return { storyId: best.storyId, margin: best.margin, articleId: best.articleId, parts: best.parts, alsoMatched: also };
}

describe('chooseStory with pairs set aside by their bound', () => {
  // a small vocabulary so pairs share terms often; countries so some pairs conflict
  const rnd = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = (r: () => number, pool: string[], n: number): Record<string, number> => {
    const out: Record<string, number> = {};
    for (let i = 0; i < n; i++) out[pool[Math.floor(r() * pool.length)]!] = 0.2 + r() * 3;
    return out;
  };
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const nameKeys = [...Array.from({ length: 12 }, (_, i) => `n:p${i}`), 'e:country:KZ', 'e:country:UZ', 'e:country:KG'];
  const article = (r: () => number, id: string, lang: string): ArticleVectors => {
    const body = pick(r, words, 3 + Math.floor(r() * 25));
    // a title that is the whole text now and then (a title against a copy's text is then 1: the bound is tight)
    const title = r() < 0.3 ? body : pick(r, words, 1 + Math.floor(r() * 6));
    const names = pick(r, nameKeys, Math.floor(r() * 5));
    const xn = pick(r, nameKeys, Math.floor(r() * 4));
    return { id, t: Math.floor(r() * 100) * 3_600_000, lang, ...(r() < 0.2 ? { lead: true } : {}), body: vec(body), title: vec(title), names: vec(names), nums: vec(pick(r, ['#:1', '#:2', '#:3'], Math.floor(r() * 3))), xnames: vec(xn) };
  };

  // a member: another article, or (four in ten) one close to `a`: a copy of its vectors, or its body and title with their weights jittered
  const member = (r: () => number, a: ArticleVectors, id: string): ArticleVectors => {
    const m = article(r, id, r() < 0.9 ? a.lang : 'zh');
    const x = r();
    if (x < 0.6) return m;
    if (x < 0.7) return { ...m, body: a.body, title: a.title, names: a.names, xnames: a.xnames };
    const near = (v: WeightedVector) => vec(Object.fromEntries(v.keys.map((k, i) => [k, v.vals[i]! * (0.9 + 0.2 * r())])));
    return { ...m, body: near(a.body), title: near(a.title) };
  };

  it('decides as scoring every pair in full would: story, margin (rejected ones too), matched article, also-matched, on 3,000 random articles', () => {
    const r = rnd(7);
    let joined = 0;
    let rejected = 0;
    for (let i = 0; i < 3_000; i++) {
      const a = article(r, `a${i}`, r() < 0.9 ? 'en' : 'ru');
      const cands = Array.from({ length: 1 + Math.floor(r() * 10) }, (_, s) => ({ storyId: `s${s}`, members: Array.from({ length: 1 + Math.floor(r() * 4) }, (_, k) => member(r, a, `m${i}-${s}-${k}`)) }));
      const want = referenceChoice(a, cands);
      const d = chooseStory(a, cands);
      expect(d.storyId).toBe(want.storyId);
      expect(Object.is(d.margin, want.margin)).toBe(true);
      expect(d.matched?.articleId ?? null).toBe(want.articleId);
      // the matched pair's parts as `similarity` gives them (the screen's cosines are its doubles)
      expect(d.matched?.parts ?? null).toStrictEqual(want.parts);
      expect(d.alsoMatched).toEqual(want.alsoMatched);
      if (d.storyId) joined++;
      else if (d.margin > -1) rejected++;
    }
    // both kinds are exercised (a rejected margin above the floor needs the set-aside pairs scored)
    expect(joined).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(150);
  });

  it('never sets aside a pair that passes: the bound is at least the margin', () => {
    const r = rnd(11);
    for (let i = 0; i < 2_000; i++) {
      const a = article(r, 'a', 'en');
      const m = member(r, a, 'm');
      if (m.lang !== a.lang) continue;
      const exact = decisionMargin(similarityOf(a, m), proximity(a.t, m.t));
      const bound = marginBound(new PairParts(a, m), proximity(a.t, m.t), DEFAULT_MODEL);
      expect(bound).toBeGreaterThanOrEqual(exact);
    }
  });

  it('screens a pair with a bound never below its margin, and scores it (past the screen) as decisionMargin does, on 3,000 random pairs', () => {
    const r = rnd(13);
    let scored = 0;
    let conflicts = 0;
    for (let i = 0; i < 3_000; i++) {
      const a = article(r, 'a', 'en');
      const m = member(r, a, 'm');
      if (m.lang !== a.lang) continue;
      const prox = proximity(a.t, m.t);
      const parts = similarityOf(a, m);
      if (parts.countryConflict) conflicts++;
      const exact = decisionMargin(parts, prox);
      // each pair with the article's own screen (its query stamped anew), as the decision makes one an article
      const screen = new PairScreen(a, DEFAULT_MODEL);
      const bound = screen.screen(m, prox);
      expect(bound).toBeGreaterThanOrEqual(exact);
      if (bound < 0) continue;
      expect(Object.is(screen.score(prox), exact)).toBe(true);
      scored++;
    }
    expect(scored).toBeGreaterThan(300);
    expect(conflicts).toBeGreaterThan(50);
  });
});
