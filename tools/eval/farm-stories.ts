// The bench farm's Central Asia articles through the story engine, in memory, against the farm's
// ground truth — the bench's story figures without the pipeline (not a test; run by hand):
//
//   npx tsx tools/eval/farm-stories.ts [--feeds 1000] [--items 20] [--order feed|time]
//       [--start 2026-11-24T12:00:00Z] [--show 20] [--json] [--fit-time]
//
// The farm (bench/farm/content.ts) writes every item as its own event: its own generated people,
// organisations and villages, its own figures, about one republic. So the truth is "every item is
// its own story", and an article that joins another article's story is a wrong join — what the
// bench counts as `groundTruth.storyMerges`, and what its *missing* and *extra* alerts come from
// (a joined article is routed as the story: its countries, tags and outlets together).
//
// As in the bench: the farm's seed, the default analysis, only the articles the analysis calls
// Central Asia, filed into the engine over a MemoryStoryIndex that counts document frequencies as
// the Redis store does (on top of data/story-background.tsv). `--order feed` takes them as a poll
// of every feed does (feed by feed, newest first), `time` in publication order.
import { parseArgs } from 'node:util';
import { defaultAnalyzer, storyBackground, storyNames } from '../../src/adapters/analysis-data.js';
import { isCentralAsia } from '../../src/core/routing/subscription.js';
import { articleFeatures, type ArticleFeatures } from '../../src/core/story/features.js';
import { MemoryStoryIndex } from '../../src/core/story/memory-index.js';
import type { ScoreModel } from '../../src/core/story/similarity.js';
import { fitShippedModel, STORIES_FIXTURE_DIR } from './labelled-set.js';
import { farmCountryItems, type FarmSpec, type ItemMeta } from '../../bench/farm/content.js';

/** The bench's farm seed (bench/run.ts), so the items are the bench's. */
export const BENCH_FARM_SEED = 20_220_106;

export interface FarmArticle {
  meta: ItemMeta;
  title: string;
  text: string;
  features: ArticleFeatures;
}

export interface FarmJoin {
  /** The article that joined, and the article of the story it matched best. */
  article: string;
  matched: string;
  langs: string;
  margin: number;
  parts: Record<string, number | boolean>;
}

export interface FarmStoryReport {
  articles: number;
  stories: number;
  /** Articles that joined another article's story: all wrong, the farm's items being distinct events. */
  wrongJoins: number;
  /** Wrong joins by language pair of the article and the story article it matched. */
  byLanguages: Record<string, number>;
  joins: FarmJoin[];
}

/** The farm's Central Asia articles (as the analysis sees them), with their story features. */
export function farmArticles(spec: FarmSpec, order: 'feed' | 'time' = 'feed'): FarmArticle[] {
  const analyzer = defaultAnalyzer();
  const names = storyNames();
  const now = new Date(spec.start);
  const out: FarmArticle[] = [];
  for (const { meta: m, item: it, title, text, published } of farmCountryItems(spec)) {
    const analysis = analyzer.analyze({ id: it.guid, title, text, url: it.link, outlet: 'farm', published, language: m.lang }, now);
    if (!isCentralAsia(analysis)) continue;
    out.push({ meta: m, title, text, features: articleFeatures({ id: it.guid, title, text, published, analysis }, { names }) });
  }
  if (order === 'time') out.sort((a, b) => a.meta.publishedMs - b.meta.publishedMs || (a.features.id < b.features.id ? -1 : 1));
  return out;
}

/** Files the articles in order and counts the joins (every one wrong: see the header). */
export function measureFarmStories(articles: readonly FarmArticle[], nowMs: number, model?: ScoreModel): FarmStoryReport {
  const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground(), ...(model ? { model } : {}) });
  const lang = new Map(articles.map((a) => [a.features.id, a.meta.lang]));
  const joins: FarmJoin[] = [];
  const byLanguages: Record<string, number> = {};
  for (const a of articles) {
    const p = index.assign(a.features, nowMs);
    if (p.created || p.again || !p.decision?.matched) continue;
    const other = p.decision.matched.articleId;
    const langs = [a.meta.lang, lang.get(other) ?? '?'].sort().join('-');
    byLanguages[langs] = (byLanguages[langs] ?? 0) + 1;
    const parts = Object.fromEntries(Object.entries(p.decision.matched.parts).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1000) / 1000 : v]));
    joins.push({ article: a.features.id, matched: other, langs, margin: Math.round(p.decision.margin * 1000) / 1000, parts });
  }
  return { articles: articles.length, stories: index.stories().size, wrongJoins: joins.length, byLanguages, joins };
}

async function main(): Promise<void> {
  const { values: o } = parseArgs({
    options: {
      feeds: { type: 'string', default: '1000' },
      items: { type: 'string', default: '20' },
      order: { type: 'string', default: 'feed' },
      start: { type: 'string', default: '2026-11-24T12:00:00Z' },
      show: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      /** Use the shipped model refitted with the time penalty (needs ../shared). */
      'fit-time': { type: 'boolean', default: false },
    },
  });
  const spec: FarmSpec = { feeds: Number(o.feeds), items: Number(o.items), start: Date.parse(o.start!), seed: BENCH_FARM_SEED };
  if (!Number.isFinite(spec.start) || !(spec.feeds > 0) || !(spec.items > 0)) throw new Error('bad --feeds, --items or --start');
  const order = o.order === 'time' ? 'time' : 'feed';
  const articles = farmArticles(spec, order);
  const model = o['fit-time'] ? fitShippedModel('../shared', STORIES_FIXTURE_DIR, true) : undefined;
  if (model) console.log(`model with the time penalty: ${JSON.stringify(model)}`);
  const r = measureFarmStories(articles, spec.start, model);
  if (o.json) {
    process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
    return;
  }
  const byId = new Map(articles.map((a) => [a.features.id, a]));
  console.log(`farm ${spec.feeds} feeds × ${spec.items} items, order ${order}: ${r.articles} Central Asia articles, ${r.stories} stories, ${r.wrongJoins} wrong joins (${((100 * r.wrongJoins) / r.articles).toFixed(1)}% of articles)`);
  console.log(`  by languages: ${JSON.stringify(r.byLanguages)}`);
  for (const j of r.joins.slice(0, Number(o.show))) {
    const a = byId.get(j.article)!;
    const b = byId.get(j.matched)!;
    const hours = ((a.meta.publishedMs - b.meta.publishedMs) / 3_600_000).toFixed(1);
    console.log(`\n${j.article} (${a.meta.lang}, ${a.meta.country}) → ${j.matched} (${b.meta.lang}, ${b.meta.country}), ${hours} h apart, margin ${j.margin}: ${JSON.stringify(j.parts)}`);
    console.log(`  A: ${a.title} | ${a.text.slice(0, 300).replace(/\n/g, ' ')}`);
    console.log(`  B: ${b.title} | ${b.text.slice(0, 300).replace(/\n/g, ' ')}`);
    const shared = (x: string[], y: string[]) => x.filter((k) => y.includes(k));
    console.log(`  shared names ${JSON.stringify(shared(a.features.names, b.features.names))} xnames ${JSON.stringify(shared(a.features.xnames, b.features.xnames))} nums ${JSON.stringify(shared(a.features.nums, b.features.nums))}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
