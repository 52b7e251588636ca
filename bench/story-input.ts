// The input of the pure-engine benches (story-core.ts, story-stages.ts, story-place.ts): the farm's
// Central Asia items as story-rate.ts makes them (cached in the temp directory: they take a while),
// and a MemoryStoryIndex warmed with copies of them, an hour further back per round.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storyBackground } from '../src/adapters/analysis-data.js';
import type { CrossScriptNames } from '../src/core/story/names.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { MemoryStoryIndex } from '../src/core/story/memory-index.js';
import type { AssignInput } from '../src/adapters/redis/story-store.js';
import { centralAsiaItems } from './story-rate.js';

/** The timed articles' "now" (the warm copies are an hour earlier per round). */
export const STORY_CORE_START = Date.parse('2026-11-24T12:00:00Z');

/** `n` of the farm's Central Asia items (as analysed for story-rate.ts), read from the temp directory when made before. */
export function storyCoreItems(n: number): AssignInput[] {
  const cache = join(tmpdir(), `steppewatch-story-core-${n}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as AssignInput[];
  const base = centralAsiaItems(n);
  writeFileSync(cache, JSON.stringify(base));
  return base;
}

/**
 * A MemoryStoryIndex (streamed document frequencies over the shipped background, as the Redis store
 * counts them) with `warm` articles filed: `base` again and again under other ids, an hour further
 * back per round, so the candidate sets and stories are those of a busy window.
 */
export function warmStoryIndex(base: readonly AssignInput[], warm: number, names: CrossScriptNames): MemoryStoryIndex {
  const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
  for (let round = 1, filed = 0; filed < warm; round++) {
    const shift = round * 3_600_000;
    const now = new Date(STORY_CORE_START - shift);
    for (const x of base.slice(0, Math.min(base.length, warm - filed))) {
      const published = new Date(Date.parse(x.article.published) - shift).toISOString();
      index.assign(storyFeatures({ ...x.article, id: `${x.article.id}~w${round}`, published }, x.analysis, now, { names }), now.getTime());
      filed++;
    }
  }
  return index;
}
