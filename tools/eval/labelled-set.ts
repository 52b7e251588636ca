// The hand-labelled Central Asia set (test/fixtures/stories): its articles in one stream through
// `clusterBatch`, each labelled pair decided right when "same story id" matches its label (copy
// and same-event: same story; same-topic: not), and the shipped score model fitted on it plus the
// development pairs (fitShippedModel). Split from eval-stories.ts, which holds the pair machinery.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAnalyzer, storyBackground, storyNames } from '../../src/adapters/analysis-data.js';
import type { AnalysisResult } from '../../src/core/types.js';
import { batchDocFreq, clusterBatch, type ClusterItem } from '../../src/core/story/cluster.js';
import { articleFeatures } from '../../src/core/story/features.js';
import { proximity } from '../../src/core/story/decide.js';
import { DEFAULT_MODEL, isCopy, similarity, vectors, type ScoreModel } from '../../src/core/story/similarity.js';
import { evalPairSet, evalStoryPairs, fitScoreModel, PAIRS_FILE, type EvalOptions, type PairRef } from './eval-stories.js';

export type PairLabel = 'copy' | 'same-event' | 'same-topic';

export interface LabelledArticle {
  id: string;
  lang: 'en' | 'ru' | 'zh';
  outlet: string;
  published: string;
  title: string;
  text: string;
  event: string;
  topic: string;
  copy: string | null;
  source: string;
  /** A seed file of ../shared/seeds whose text (no title) stands in for `text`. */
  seed?: string;
}

export interface LabelledSetReport {
  articles: number;
  pairs: number;
  /** Seed articles (and their pairs) left out because ../shared/seeds was not found. */
  skippedSeeds: number;
  /**
   * Decided right by the shipped model (its cross-language weights were fitted on this set, so
   * this is not a quality figure; `crossValidated` is).
   */
  accuracy: number;
  /** k-fold: the model fitted on the dev pairs plus this set's other folds, scored on the fold. */
  crossValidated: number;
  /** The same without the time penalty (`EvalOptions.fitTime` false), for comparison. */
  crossValidatedWithoutTime: number;
  /** Plain TF-IDF cosine, best threshold chosen on this set (an optimistic baseline). */
  baseline: number;
  /** By language pair (`en-ru`, …): pairs and share decided right, cross-validated. */
  byLanguage: Record<string, { pairs: number; accuracy: number }>;
  /** By label, cross-validated (copy and same-event must join, same-topic must not). */
  byLabel: Record<PairLabel, { pairs: number; accuracy: number }>;
  /** Copy level among pairs put in one story: copies recognised as copies, others not called copies. */
  copies: { copies: number; recognised: number; others: number; calledCopy: number };
  wrong: { a: string; b: string; label: PairLabel }[];
}

export const STORIES_FIXTURE_DIR = 'test/fixtures/stories';

export function loadLabelledSet(dir: string, sharedDir: string | null): { articles: LabelledArticle[]; pairs: { a: string; b: string; label: PairLabel }[]; skippedSeeds: number } {
  const lines = (f: string) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim());
  let skipped = 0;
  const articles: LabelledArticle[] = [];
  for (const l of lines('articles.jsonl')) {
    const a = JSON.parse(l) as LabelledArticle;
    if (a.seed) {
      const file = sharedDir ? join(sharedDir, 'seeds', a.seed) : '';
      if (!file || !existsSync(file)) {
        skipped++;
        continue;
      }
      a.text = readFileSync(file, 'utf8');
    }
    articles.push(a);
  }
  const ids = new Set(articles.map((a) => a.id));
  const pairs = lines('pairs.jsonl')
    .map((l) => JSON.parse(l) as { a: string; b: string; label: PairLabel })
    .filter((p) => ids.has(p.a) && ids.has(p.b));
  return { articles, pairs, skippedSeeds: skipped };
}

/**
 * The labelled set as one stream (one `clusterBatch` over all its articles, with their publication
 * times), each article analysed as `analyze` does (its title, or the first sentence when it has none).
 */
export function evalLabelledSet(dir: string, sharedDir: string | null, o: EvalOptions = {}): LabelledSetReport {
  const { articles, pairs, skippedSeeds } = loadLabelledSet(dir, sharedDir);
  const an = defaultAnalyzer();
  const items = articles.map((a) => labelledItem(a, an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published))));
  const index = new Map(articles.map((a, i) => [a.id, i]));
  const refs: PairRef[] = pairs.map((p) => ({ a: index.get(p.a)!, b: index.get(p.b)!, same: p.label !== 'same-topic' }));
  const dev = sharedDir && existsSync(join(sharedDir, PAIRS_FILE)) ? evalStoryPairs(sharedDir, { ...o, repeats: 1 }) : null;
  const extra = dev ? { extraTraining: { parts: dev.parts, labels: dev.labels, proximity: dev.proximity } } : {};
  const r = evalPairSet(items, refs, { ...o, ...extra });
  const withoutTime = o.fitTime === false ? r : evalPairSet(items, refs, { ...o, ...extra, fitTime: false });
  const background = storyBackground();
  const ids = clusterBatch([...items], { background, names: storyNames(), ...(o.model ? { model: o.model } : {}) });

  const byLanguage: LabelledSetReport['byLanguage'] = {};
  const byLabel = {} as LabelledSetReport['byLabel'];
  const copies = { copies: 0, recognised: 0, others: 0, calledCopy: 0 };
  const wrong: LabelledSetReport['wrong'] = [];
  pairs.forEach((p, i) => {
    const langs = [articles[refs[i]!.a]!.lang, articles[refs[i]!.b]!.lang].sort().join('-');
    const ok = (ids[refs[i]!.a] === ids[refs[i]!.b]) === refs[i]!.same;
    const cv = r.crossValidatedByPair[i]!;
    for (const [m, k] of [
      [byLanguage, langs],
      [byLabel, p.label],
    ] as const) {
      const e = ((m as Record<string, { pairs: number; accuracy: number }>)[k] ??= { pairs: 0, accuracy: 0 });
      e.pairs++;
      e.accuracy += cv;
    }
    if (!ok) wrong.push(p);
    if (refs[i]!.same) {
      const copy = isCopy(r.parts[i]!);
      if (p.label === 'copy') {
        copies.copies++;
        if (copy) copies.recognised++;
      } else {
        copies.others++;
        if (copy) copies.calledCopy++;
      }
    }
  });
  for (const m of [byLanguage, byLabel] as Record<string, { pairs: number; accuracy: number }>[]) for (const e of Object.values(m)) e.accuracy /= e.pairs;
  return {
    articles: articles.length,
    pairs: pairs.length,
    skippedSeeds,
    accuracy: r.accuracy,
    crossValidated: r.crossValidated,
    crossValidatedWithoutTime: withoutTime.crossValidated,
    baseline: r.baseline.accuracy,
    byLanguage,
    byLabel,
    copies,
    wrong,
  };
}

/**
 * The shipped model (DEFAULT_MODEL in src/core/story/similarity.ts): `fitScoreModel` over the dev
 * pairs and the hand-labelled set together (the dev pairs are all same-language; the set brings
 * the cross-language pairs). A unit test keeps DEFAULT_MODEL equal to it.
 */
export function fitShippedModel(sharedDir: string, fixtureDir: string, fitTime = true): ScoreModel {
  const dev = evalStoryPairs(sharedDir, { repeats: 1 });
  const { articles, pairs } = loadLabelledSet(fixtureDir, sharedDir);
  const an = defaultAnalyzer();
  const items = articles.map((a) => labelledItem(a, an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published))));
  const feats = items.map((it) => articleFeatures(it, { names: storyNames() }));
  const d = batchDocFreq(feats, storyBackground());
  const vs = feats.map((f) => vectors(f, d));
  const index = new Map(articles.map((a, i) => [a.id, i]));
  const parts = pairs.map((p) => similarity(vs[index.get(p.a)!]!, vs[index.get(p.b)!]!));
  const prox = pairs.map((p) => proximity(vs[index.get(p.a)!]!.t, vs[index.get(p.b)!]!.t));
  return fitScoreModel([...dev.parts, ...parts], [...dev.labels, ...pairs.map((p) => p.label !== 'same-topic')], [...dev.proximity, ...prox], DEFAULT_MODEL, fitTime);
}

function labelledItem(a: LabelledArticle, r: AnalysisResult): ClusterItem {
  return { id: a.id, title: a.title.trim() ? r.title : '', text: a.text, published: a.published, analysis: r };
}
