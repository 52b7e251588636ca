import { describe, expect, it } from 'vitest';
import { chooseStory, decisionMargin, proximity, withinWindow } from '../../../src/core/story/decide.js';
import { DEFAULT_MODEL, margin, similarity as similarityOf, weighted, type ArticleVectors, type WeightedVector } from '../../../src/core/story/similarity.js';

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
