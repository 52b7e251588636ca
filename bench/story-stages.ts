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
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { storyNames } from '../src/adapters/analysis-data.js';
import { candidateKeys, chooseStory, MAX_CANDIDATES, type CandidateStory } from '../src/core/story/decide.js';
import { PER_KEY_LIMIT, rankHits, storyFeatures } from '../src/core/story/engine.js';
import { dfKeys } from '../src/core/story/features.js';
import { idf, termWeights, vectors, type ArticleVectors, type WeightedVector } from '../src/core/story/similarity.js';
import { storedForm } from '../src/core/story/vector-pack.js';
import { storyIdFor } from '../src/core/story/decide.js';
import { STORY_CORE_START, storyCoreItems, warmStoryIndex } from './story-input.js';

const { values: opt } = parseArgs({ options: { warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, repeat: { type: 'string', default: '3' }, dump: { type: 'string' } } });
const N = Number(opt.articles);
const WARM = Number(opt.warm);
const START = STORY_CORE_START;
const WINDOW_MS = 72 * 3_600_000;
const base = storyCoreItems(N);

const names = storyNames();
const index = warmStoryIndex(base, WARM, names);

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
