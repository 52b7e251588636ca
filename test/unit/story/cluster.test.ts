import { describe, expect, it } from 'vitest';
import { clusterBatch, type ClusterItem, type ClusterOptions } from '../../../src/core/story/cluster.js';
import { loadStoryBackground, storyBackground, storyNames } from '../../../src/adapters/analysis-data.js';
import { storyIdFor } from '../../../src/core/story/decide.js';
import { readFileSync } from 'node:fs';
import { buildStoryBackground, evalStoryPairs } from '../../../tools/eval/eval-stories.js';
import { CENTRAL_ASIA_ITEMS, SEED_DISTRACTORS } from '../../fixtures/story/central-asia.js';
import { fixtureClusterItem, seedClusterItem } from '../../fixtures/story/items.js';
import { seedArticles, warnIfNoShared } from '../../fixtures/story/shared.js';

/** The cross-validated evaluations refit the model per fold: slow on a shared machine. */
const SLOW_MS = 120_000;

const shared = warnIfNoShared('seed and labelled-pair story tests');

/** The batch clusterer as `analyze --cluster` runs it: with the background frequencies of data/. */
const cluster = (items: ClusterItem[], o: Partial<ClusterOptions> = {}) => clusterBatch(items, { background: storyBackground(), names: storyNames(), ...o });

/** Asserts that items with one `event` share a story id and items of different events do not. */
function expectGrouping(events: string[], ids: string[]) {
  for (let i = 0; i < events.length; i++)
    for (let j = i + 1; j < events.length; j++) {
      const same = events[i] === events[j];
      expect({ pair: [i, j], same: ids[i] === ids[j] }).toEqual({ pair: [i, j], same });
    }
}

describe('clusterBatch', () => {
  it('keeps unrelated Central Asia articles of one window apart and groups reports of one event', () => {
    const ids = cluster(CENTRAL_ASIA_ITEMS.map(fixtureClusterItem));
    expectGrouping(CENTRAL_ASIA_ITEMS.map((f) => f.event), ids);
  });

  it('is deterministic and names a story after its first article', () => {
    const items = CENTRAL_ASIA_ITEMS.map(fixtureClusterItem);
    const a = cluster(items);
    const b = cluster([...items].reverse()).reverse();
    expect(b).toEqual(a);
    // ca-border-1 is the earliest of its event
    expect(a[0]).toBe(storyIdFor('ca-border-1'));
  });

  it('merges near-duplicates (a copy with a changed title and a trimmed sentence)', () => {
    const src = CENTRAL_ASIA_ITEMS.find((f) => f.id === 'ca-gas')!;
    const copy: ClusterItem = {
      ...fixtureClusterItem(src),
      id: 'ca-gas-copy',
      title: 'Gazprom to boost gas deliveries to Uzbekistan',
      text: src.text.split('. ').slice(0, 2).join('. ') + '.',
      published: '2024-03-10T18:00:00.000Z',
    };
    const ids = cluster([...CENTRAL_ASIA_ITEMS.map(fixtureClusterItem), copy]);
    expect(ids[ids.length - 1]).toBe(ids[CENTRAL_ASIA_ITEMS.indexOf(src)]);
  });

  it('never joins articles published further apart than the window', () => {
    const src = fixtureClusterItem(CENTRAL_ASIA_ITEMS[3]!);
    const later = { ...src, id: 'later', published: '2024-03-14T09:00:00.000Z' };
    expect(new Set(cluster([src, later])).size).toBe(2);
    expect(new Set(cluster([src, later], { windowHours: 24 * 5 })).size).toBe(1);
  });

  it('treats items sharing one time (no date given: "now") as within the window', () => {
    const items = CENTRAL_ASIA_ITEMS.slice(0, 2).map((f) => ({ ...fixtureClusterItem(f), published: '2030-01-01T00:00:00.000Z' }));
    const ids = cluster(items);
    expect(ids[0]).toBe(ids[1]);
  });

  it('gives every item of an empty or textless batch its own story', () => {
    expect(cluster([])).toEqual([]);
    const bare = (id: string): ClusterItem => ({ ...fixtureClusterItem(CENTRAL_ASIA_ITEMS[0]!), id, title: '', text: '' });
    const ids = cluster([bare('x'), bare('y')]);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe.skipIf(!shared)('clusterBatch on the seeds (needs ../shared)', () => {
  it('puts the Global Times and RT seeds into one story, and the distractors elsewhere', () => {
    const { gt, rt } = seedArticles(shared!);
    const items = [seedClusterItem(rt), ...SEED_DISTRACTORS.map(fixtureClusterItem), seedClusterItem(gt), ...CENTRAL_ASIA_ITEMS.map(fixtureClusterItem)];
    const ids = cluster(items);
    expect(ids[0]).toBe(ids[3]);
    expect(ids[0]).toBe(storyIdFor(gt.article.id)); // Global Times came first
    expect(ids[1]).not.toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('puts the two seeds alone in a batch into one story', () => {
    const { gt, rt } = seedArticles(shared!);
    const ids = cluster([seedClusterItem(gt), seedClusterItem(rt)]);
    expect(ids[0]).toBe(ids[1]);
  });
});

describe.skipIf(!shared)('labelled same-story pairs, one batch (needs ../shared)', () => {
  it('decides at least 88% of the dev pairs right, 5-fold cross-validated, and beats the plain TF-IDF baseline', { timeout: SLOW_MS }, () => {
    const r = evalStoryPairs(shared!, { repeats: 2 });
    expect(r.pairs).toBe(55);
    expect(r.crossValidated).toBeGreaterThanOrEqual(0.88);
    expect(r.crossValidated).toBeGreaterThan(r.baseline.accuracy);
    expect(r.pairwise.crossValidated).toBeGreaterThanOrEqual(0.88);
  });
});

describe.skipIf(!shared)('background frequencies, data/story-background.tsv (needs ../shared)', () => {
  it('are what buildStoryBackground makes from the corpus today (regenerate after changing features)', () => {
    const file = readFileSync(new URL('../../../data/story-background.tsv', import.meta.url), 'utf8');
    expect(buildStoryBackground(shared!) === file).toBe(true);
    expect(loadStoryBackground(new URL('../../../data', import.meta.url).pathname).n).toBeGreaterThan(500);
  });
});
