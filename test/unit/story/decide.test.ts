import { describe, expect, it } from 'vitest';
import { chooseStory, withinWindow } from '../../../src/core/story/decide.js';
import type { ArticleVectors, WeightedVector } from '../../../src/core/story/similarity.js';

const vec = (entries: Record<string, number>): WeightedVector => {
  const w = new Map(Object.entries(entries));
  return { w, norm: Math.sqrt([...w.values()].reduce((s, x) => s + x * x, 0)) };
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

  it('does not chain: a match with a later member is not enough when the story’s first article is unrelated', () => {
    const first = av('f', { p: 1, q: 1 });
    const bridge = av('b', { p: 1, q: 1, x: 1, y: 1 });
    const a = av('a', { x: 1, y: 1 });
    expect(chooseStory(a, [{ storyId: 's', members: [bridge] }]).storyId).toBe('s');
    expect(chooseStory(a, [{ storyId: 's', members: [first, bridge] }]).storyId).toBeNull();
  });

  it('ignores members outside the window', () => {
    const a = av('a', { x: 1 }, 0);
    expect(chooseStory(a, [{ storyId: 's', members: [av('m', { x: 1 }, 73 * 3_600_000)] }]).storyId).toBeNull();
    expect(chooseStory(a, [{ storyId: 's', members: [av('m', { x: 1 }, 73 * 3_600_000)] }], { windowHours: 96 }).storyId).toBe('s');
    expect(withinWindow(0, 72 * 3_600_000)).toBe(true);
  });
});
