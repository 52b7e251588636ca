// The story engine's client CPU without Redis (not a test; run by hand):
//
//   npx tsx bench/story-core.ts [--warm 40000] [--articles 2000] [--profile <file.cpuprofile>] [--out <ids.json>]
//
// The same input as bench/story-rate.ts (the farm's Central Asia items, warmed with `warm` copies
// an hour further back per round), filed into a MemoryStoryIndex with streamed document
// frequencies over the shipped background, as the Redis store counts them. Then `articles` fresh
// items are timed in two parts, CPU µs per article: their story features (`storyFeatures`) and
// their placement (the engine over the warm index: keys, lookup, scoring, filing). `--out` writes
// the story id of every timed article, to compare the decisions of two versions (same ids = same
// decisions); the printed `decisions` digest says the same in one line.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { storyNames } from '../src/adapters/analysis-data.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { STORY_CORE_START, storyCoreItems, warmStoryIndex } from './story-input.js';

const { values: opt } = parseArgs({ options: { warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, profile: { type: 'string' }, out: { type: 'string' } } });
const N = Number(opt.articles);
const WARM = Number(opt.warm);
const START = STORY_CORE_START;
const base = storyCoreItems(N);

const names = storyNames();
const index = warmStoryIndex(base, WARM, names);

const session = opt.profile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const now = new Date(START);
const us = (c: NodeJS.CpuUsage) => c.user + c.system;
const c0 = process.cpuUsage();
const feats = base.map((x) => storyFeatures(x.article, x.analysis, now, { names }));
const c1 = process.cpuUsage();
const ids = feats.map((f) => index.assign(f, START).storyId);
const c2 = process.cpuUsage();
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(opt.profile!, JSON.stringify(profile));
  session.disconnect();
}
if (opt.out) writeFileSync(opt.out, JSON.stringify(ids));
const featUs = us(process.cpuUsage(c0)) - us(process.cpuUsage(c1));
// (run with node --expose-gc: the heap figure is then the live heap, after a full GC)
(globalThis as { gc?: () => void }).gc?.();
const placeUs = us(process.cpuUsage(c1)) - us(process.cpuUsage(c2));
console.log(
  JSON.stringify({
    articles: N,
    warm: WARM,
    featuresUsPerArticle: Math.round(featUs / N),
    placeUsPerArticle: Math.round(placeUs / N),
    stories: new Set(ids).size,
    decisions: createHash('sha1').update(JSON.stringify(ids)).digest('hex').slice(0, 12),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  }),
);
