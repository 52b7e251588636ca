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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { storyBackground, storyNames } from '../src/adapters/analysis-data.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { MemoryStoryIndex } from '../src/core/story/memory-index.js';
import type { AssignInput } from '../src/adapters/redis/story-store.js';
import { centralAsiaItems } from './story-rate.js';

const { values: opt } = parseArgs({ options: { warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, profile: { type: 'string' }, out: { type: 'string' } } });
const N = Number(opt.articles);
const WARM = Number(opt.warm);
const START = Date.parse('2026-11-24T12:00:00Z');
const cache = join(tmpdir(), `steppewatch-story-core-${N}.json`);
const base: AssignInput[] = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8')) as AssignInput[]) : centralAsiaItems(N);
if (!existsSync(cache)) writeFileSync(cache, JSON.stringify(base));

const names = storyNames();
const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
for (let round = 1, filed = 0; filed < WARM; round++) {
  const shift = round * 3_600_000;
  const now = new Date(START - shift);
  for (const x of base.slice(0, Math.min(base.length, WARM - filed))) {
    const published = new Date(Date.parse(x.article.published) - shift).toISOString();
    const f = storyFeatures({ ...x.article, id: `${x.article.id}~w${round}`, published }, x.analysis, now, { names });
    index.assign(f, now.getTime());
    filed++;
  }
}

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
