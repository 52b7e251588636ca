// The story features alone (`storyFeatures`), over story-core.ts's timed articles (not a test; run by hand):
//
//   npx tsx bench/story-features.ts [--articles 2000] [--rounds 10] [--alloc]
//
// Each round computes the features of every article (the word memos warm after the first round,
// as they are in story-core.ts after its warm index); prints CPU µs an article (the median and
// the least of the rounds after the first) and a digest of the features of every article as JSON
// (title and body records included): two builds must print the same digest. `--alloc`: also the KB
// allocated an article (a sampling heap profile of three more rounds, objects collected counted).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { storyNames } from '../src/adapters/analysis-data.js';
import { storyFeatures } from '../src/core/story/engine.js';
import type { AssignInput } from '../src/adapters/redis/story-store.js';
import { centralAsiaItems } from './story-rate.js';

const { values: opt } = parseArgs({ options: { articles: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '10' }, alloc: { type: 'boolean' } } });
const N = Number(opt.articles);
const R = Number(opt.rounds);
const START = Date.parse('2026-11-24T12:00:00Z');
const cache = join(tmpdir(), `steppewatch-story-core-${N}.json`);
const base: AssignInput[] = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8')) as AssignInput[]) : centralAsiaItems(N);
if (!existsSync(cache)) writeFileSync(cache, JSON.stringify(base));
const names = storyNames();
const now = new Date(START);
const digest = createHash('sha1').update(JSON.stringify(base.map((x) => storyFeatures(x.article, x.analysis, now, { names })))).digest('hex').slice(0, 12);
const rounds: number[] = [];
for (let r = 0; r < R; r++) {
  const c0 = process.cpuUsage();
  for (const x of base) storyFeatures(x.article, x.analysis, now, { names });
  const c = process.cpuUsage(c0);
  rounds.push((c.user + c.system) / N);
}
rounds.sort((a, b) => a - b);
let allocKBPerArticle: number | undefined;
if (opt.alloc) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  for (let r = 0; r < 3; r++) for (const x of base) storyFeatures(x.article, x.analysis, now, { names });
  const { profile } = await session.post('HeapProfiler.stopSampling');
  type Node = { selfSize: number; children: Node[] };
  const total = (n: Node): number => n.children.reduce((s, c) => s + total(c), n.selfSize);
  allocKBPerArticle = Math.round((total(profile.head as Node) / 3 / N / 1024) * 10) / 10;
  session.disconnect();
}
console.log(JSON.stringify({ articles: N, rounds: R, featuresUsMedian: Math.round(rounds[rounds.length >> 1]!), featuresUsMin: Math.round(rounds[0]!), ...(allocKBPerArticle === undefined ? {} : { allocKBPerArticle }), digest }));
