// Where the story engine's pure CPU goes, stage by stage (not a test; run by hand, beside
// bench/story-core.ts and on its input):
//
//   npx tsx bench/story-stages.ts [--warm 40000] [--articles 2000] [--repeat 3] [--dump <inputs.json>]
//
// The same warm index and timed articles as story-core.ts; each timed article is placed by the
// engine's steps one at a time (what MemoryStoryIndex.assign does through `place`), each step
// timed (CPU µs an article: process.cpuUsage around each step, ~1 µs of its own a call). Then `chooseStory` alone
// is timed again over the same inputs `repeat` times (the decision's inner loop without the rest).
// The `decisions` digest must be story-core's. `--dump` writes the decision's inputs (the article's
// vectors and its candidates', as keys, weights and norms) for bench/story-choose.ts.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { storyBackground, storyNames } from '../src/adapters/analysis-data.js';
import { candidateKeys, chooseStory, MAX_CANDIDATES, type CandidateStory } from '../src/core/story/decide.js';
import { PER_KEY_LIMIT, rankHits, storyFeatures } from '../src/core/story/engine.js';
import { dfKeys } from '../src/core/story/features.js';
import { MemoryStoryIndex } from '../src/core/story/memory-index.js';
import { idf, termWeights, vectors, type ArticleVectors, type WeightedVector } from '../src/core/story/similarity.js';
import { storedForm } from '../src/core/story/vector-pack.js';
import { storyIdFor } from '../src/core/story/decide.js';
import type { AssignInput } from '../src/adapters/redis/story-store.js';
import { centralAsiaItems } from './story-rate.js';

const { values: opt } = parseArgs({ options: { warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, repeat: { type: 'string', default: '3' }, dump: { type: 'string' } } });
const N = Number(opt.articles);
const WARM = Number(opt.warm);
const START = Date.parse('2026-11-24T12:00:00Z');
const WINDOW_MS = 72 * 3_600_000;
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
    index.assign(storyFeatures({ ...x.article, id: `${x.article.id}~w${round}`, published }, x.analysis, now, { names }), now.getTime());
    filed++;
  }
}

const now = new Date(START);
const t: Record<string, number> = { features: 0, docFreq: 0, vectors: 0, keys: 0, lookup: 0, members: 0, choose: 0, stored: 0, file: 0 };
const cpu = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
let clock = cpu();
const lap = (k: string) => {
  const c = cpu();
  t[k]! += c - clock;
  clock = c;
};
const ids: string[] = [];
const inputs: [ArticleVectors, CandidateStory[]][] = [];
let pairs = 0;
let candidates = 0;
for (const x of base) {
  clock = cpu();
  const f = storyFeatures(x.article, x.analysis, now, { names });
  lap('features');
  const fk = dfKeys(f);
  const d = index.docFreq(fk);
  lap('docFreq');
  // as engine.ts placeSteps: each key's frequency read once for both
  const w = termWeights(f, d);
  const v = vectors(f, d, w);
  lap('vectors');
  const keys = candidateKeys(f, d, w);
  lap('keys');
  const hits = keys.length ? index.lookup({ keys, weights: keys.map((k) => idf(d, k)), tMin: v.t - WINDOW_MS, tMax: v.t + WINDOW_MS, perKey: PER_KEY_LIMIT, want: MAX_CANDIDATES }) : new Map<string, number>();
  lap('lookup');
  const ranked = rankHits(hits);
  const members = index.members(ranked);
  const cands: CandidateStory[] = [];
  for (const id of ranked) {
    const ms = members.get(id);
    if (ms?.length) cands.push({ storyId: id, members: [...ms] });
  }
  lap('members');
  const stored = storedForm(v);
  lap('stored');
  const decision = chooseStory(v, cands);
  lap('choose');
  const storyId = decision.storyId ?? storyIdFor(f.id);
  index.file({ articleId: f.id, storyId, stored, keys, dfKeys: fk, nowMs: START });
  let cur = storyId;
  for (const other of decision.alsoMatched) cur = index.merge(cur, other, stored)?.survivor ?? cur;
  lap('file');
  ids.push(cur);
  inputs.push([v, cands]);
  candidates += cands.length;
  for (const c of cands) pairs += c.members.length;
}
const perArticle = Object.fromEntries(Object.entries(t).map(([k, us]) => [k, Math.round(us / N)]));
// chooseStory alone, again, over the same inputs (the index has moved on: only the decision's own loop is timed)
const c0 = process.cpuUsage();
for (let r = 0; r < Number(opt.repeat); r++) for (const [v, cands] of inputs) chooseStory(v, cands);
const cu = process.cpuUsage(c0);
if (opt.dump) {
  const vec = (w: WeightedVector) => [w.keys, w.vals, w.norm];
  const art = (v: ArticleVectors) => ({ ...v, body: vec(v.body), title: vec(v.title), names: vec(v.names), nums: vec(v.nums), xnames: vec(v.xnames) });
  writeFileSync(opt.dump, JSON.stringify(inputs.map(([v, cands]) => [art(v), cands.map((c) => ({ storyId: c.storyId, members: c.members.map(art) }))])));
}
console.log(
  JSON.stringify({
    articles: N,
    warm: WARM,
    usPerArticle: perArticle,
    chooseAloneUs: Math.round((cu.user + cu.system) / (N * Number(opt.repeat))),
    candidatesPerArticle: +(candidates / N).toFixed(1),
    pairsPerArticle: +(pairs / N).toFixed(1),
    decisions: createHash('sha1').update(JSON.stringify(ids)).digest('hex').slice(0, 12),
  }),
);
