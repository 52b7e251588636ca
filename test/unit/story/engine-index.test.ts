// What a candidate index must answer (core/story/engine.ts), checked on the pieces both indexes
// share, and the in-memory index's filing rules (what the Redis commit writes).
import { describe, expect, it } from 'vitest';
import { storyBackground, storyNames } from '../../../src/adapters/analysis-data.js';
import { articleFeatures } from '../../../src/core/story/features.js';
import { comparedMembers, rankHits, readCandidateSet, sumHits } from '../../../src/core/story/engine.js';
import { MemoryStoryIndex } from '../../../src/core/story/memory-index.js';
import { storyIdFor } from '../../../src/core/story/decide.js';

describe('candidate set reads (as Redis ZREVRANGEBYSCORE … LIMIT)', () => {
  const set = new Map([
    ['s-a', 10],
    ['s-b', 30],
    ['s-c', 30],
    ['s-d', 50],
    ['s-e', 5],
  ]);

  it('keeps the window, then the latest `perKey`, ties to the greater id', () => {
    expect(readCandidateSet(set, { tMin: 6, tMax: 40, perKey: 10 }).sort()).toEqual(['s-a', 's-b', 's-c']);
    expect(readCandidateSet(set, { tMin: 0, tMax: 100, perKey: 2 })).toEqual(['s-d', 's-c']);
    expect(readCandidateSet(set, { tMin: 0, tMax: 100, perKey: 3 })).toEqual(['s-d', 's-c', 's-b']);
  });

  it('leaves out entries below a trim floor', () => {
    expect(readCandidateSet(set, { tMin: 0, tMax: 100, perKey: 10 }, 30).sort()).toEqual(['s-b', 's-c', 's-d']);
  });

  it('weighs a story by the keys it was found under, and ranks ties by id', () => {
    const hits = sumHits([['s-x', 's-y'], ['s-y'], ['s-z']], [1, 2, 3]);
    expect([...hits]).toEqual([['s-x', 1], ['s-y', 3], ['s-z', 3]]);
    expect(rankHits(hits)).toEqual(['s-y', 's-z', 's-x']);
  });

  it('keeps the ten a full sort would (heaviest first, ties by id), whatever the order of the hits', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const hits = new Map<string, number>();
      const n = Math.floor(rnd() * 40);
      for (let i = 0; i < n; i++) hits.set(`s-${Math.floor(rnd() * 60)}`, Math.floor(rnd() * 6) / 2);
      const full = [...hits].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([id]) => id);
      expect(rankHits(hits)).toEqual(full);
    }
  });

  it('compares a story by its first article and its latest three', () => {
    expect(comparedMembers(['a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['a', 'd', 'e', 'f']);
    expect(comparedMembers(['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('MemoryStoryIndex', () => {
  const text = 'Kazakhstan and China signed a gas pipeline deal in Astana on Tuesday. The 1,200-kilometre Beineu–Shymkent line will carry 15 billion cubic metres a year, Energy Minister Almasadam Satkaliyev said.';
  const art = (id: string, hours: number, body = text) => articleFeatures({ id, title: 'Kazakhstan and China sign Beineu–Shymkent gas pipeline deal', text: body, published: new Date(Date.UTC(2026, 2, 2) + hours * 3_600_000).toISOString() }, { names: storyNames() });

  it('joins a copy, keeps an article filed again where it is, and starts a story named after its first article', () => {
    const ix = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
    const a = ix.assign(art('a', 0), 0);
    expect(a).toMatchObject({ storyId: storyIdFor('a'), created: true, again: false });
    const b = ix.assign(art('b', 2), 0);
    expect(b).toMatchObject({ storyId: storyIdFor('a'), created: false });
    expect(ix.assign(art('a', 0), 0)).toMatchObject({ storyId: storyIdFor('a'), again: true });
    expect(ix.story(storyIdFor('a'))).toEqual(['a', 'b']);
  });

  it('never joins beyond the window, and forgets filings trimmed 2 × window before "now"', () => {
    const ix = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground(), windowHours: 72 });
    ix.assign(art('a', 0), 0);
    expect(ix.assign(art('far', 73), 0).storyId).toBe(storyIdFor('far'));
    const trimmed = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground(), windowHours: 72 });
    trimmed.assign(art('a', 0), 0);
    // a write of the same keys with "now" 146 h on (bound 2 h): x still finds a (the bound comes
    // with its write), then both filings are below it and y starts a story of its own
    const now = 146 * 3_600_000 + Date.UTC(2026, 2, 2);
    expect(trimmed.assign(art('x', 1), now).storyId).toBe(storyIdFor('a'));
    expect(trimmed.assign(art('y', 2), now).storyId).toBe(storyIdFor('y'));
    const kept = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground(), windowHours: 72 });
    kept.assign(art('a', 0), 0);
    kept.assign(art('x', 1), 145 * 3_600_000 + Date.UTC(2026, 2, 2));
    expect(kept.assign(art('y', 2), 145 * 3_600_000 + Date.UTC(2026, 2, 2)).storyId).toBe(storyIdFor('a'));
  });
});
