// The engine's placing steps alone, each timed over the same inputs many times (not a test; run by hand):
//
//   npx tsx bench/story-place.ts [--warm 10000] [--articles 2000] [--repeat 5]
//
// The warm index and timed articles of bench/story-core.ts. Each timed article's features and the
// document frequencies it is placed with (the index's, before it is filed) are taken once; then each
// step of `placeSteps` that needs no index answer is run `repeat` times over all of them, CPU µs an
// article: the term weights and vectors, the candidate keys, the stored form and its packed JSON.
// `digest` hashes what every step gives (vectors, keys, packed strings): two builds that print the
// same digest compute the same placements' inputs.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { storyNames } from '../src/adapters/analysis-data.js';
import { candidateKeys } from '../src/core/story/decide.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { dfKeys, type ArticleFeatures } from '../src/core/story/features.js';
import { termWeights, vectors, type ArticleVectors, type DocFreq } from '../src/core/story/similarity.js';
import { packStored, storedForm } from '../src/core/story/vector-pack.js';
import { STORY_CORE_START, storyCoreItems, warmStoryIndex } from './story-input.js';

const { values: opt } = parseArgs({ options: { warm: { type: 'string', default: '10000' }, articles: { type: 'string', default: '2000' }, repeat: { type: 'string', default: '5' } } });
const N = Number(opt.articles);
const WARM = Number(opt.warm);
const R = Number(opt.repeat);
const START = STORY_CORE_START;
const base = storyCoreItems(N);

const names = storyNames();
const index = warmStoryIndex(base, WARM, names);
// each timed article with the frequencies it is placed with, then filed (as story-core places them)
const now = new Date(START);
const inputs: [ArticleFeatures, DocFreq][] = [];
for (const x of base) {
  const f = storyFeatures(x.article, x.analysis, now, { names });
  inputs.push([f, index.docFreq(dfKeys(f))]);
  index.assign(f, START);
}

const cpu = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const hash = createHash('sha1');
const us: Record<string, number> = { vectors: 0, keys: 0, stored: 0, packed: 0 };
for (let r = 0; r < R; r++) {
  let t = cpu();
  const lap = (k: string) => {
    const c = cpu();
    us[k]! += c - t;
    t = c;
  };
  const vs: ArticleVectors[] = [];
  const ws = inputs.map(([f, d]) => {
    const w = termWeights(f, d);
    vs.push(vectors(f, d, w));
    return w;
  });
  lap('vectors');
  const keys = inputs.map(([f, d], i) => candidateKeys(f, d, ws[i]));
  lap('keys');
  const stored = vs.map((v) => storedForm(v));
  lap('stored');
  const packed = stored.map((s) => packStored(s));
  lap('packed');
  if (r === 0) hash.update(JSON.stringify([vs.map((v) => [v.id, v.t, v.lang, v.lead, ...[v.body, v.title, v.names, v.nums, v.xnames].map((x) => [x.keys, x.vals, x.norm])]), keys, packed]));
}
console.log(JSON.stringify({ articles: N, warm: WARM, repeat: R, usPerArticle: Object.fromEntries(Object.entries(us).map(([k, v]) => [k, +(v / (N * R)).toFixed(1)])), digest: hash.digest('hex').slice(0, 12) }));
