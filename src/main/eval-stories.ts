// Evaluation of same-story detection on the labelled pairs in ../shared/corpus/labelled: every
// pair's two articles go into ONE batch through `clusterBatch` (what `analyze --cluster` does) and a
// pair is decided right when "same story id" equals its label. Also reported: the plain TF-IDF
// cosine baseline with its best threshold, a cross-validated threshold for our score, and how
// retrieval alone would do.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAnalyzer } from '../adapters/analysis-data.js';
import type { AnalysisInput, AnalysisResult } from '../core/types.js';
import { batchDocFreq, clusterBatch, type ClusterItem } from '../core/story/cluster.js';
import { candidateKeys } from '../core/story/decide.js';
import { articleFeatures, dfKeys } from '../core/story/features.js';
import { DEFAULT_MODEL, formatDocFreqTable, margin, similarity, vectors, type ScoreModel } from '../core/story/similarity.js';
import { scriptLanguage } from '../core/story/text.js';

export const PAIRS_FILE = 'corpus/labelled/same-story-pairs-dev.jsonl';

export interface LabelledPair {
  a: { title: string; text: string; url?: string };
  b: { title: string; text: string; url?: string };
  sameStory: boolean;
}

export interface EvalOptions {
  /**
   * The analysis to run on each article: `default` is the analysis core's `defaultAnalyzer()`
   * (what `analyze` runs), `minimal` only tells the language by script (no countries, no
   * gazetteer entities), or a function of your own. Default `default`.
   */
  analyse?: 'default' | 'minimal' | ((input: AnalysisInput) => AnalysisResult);
  model?: ScoreModel;
  /** Folds and repetitions of the threshold cross-validation. Default 5 × 20. */
  folds?: number;
  repeats?: number;
}

export interface StoryEvalReport {
  pairs: number;
  /** Share of pairs decided right by one `clusterBatch` run over all their articles. */
  accuracy: number;
  correct: number;
  /** Same-story pairs put in one story / different-story pairs kept apart. */
  truePositives: number;
  trueNegatives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Plain TF-IDF cosine (lower-cased words, no stemming, no stopwords), best threshold chosen on the same pairs. */
  baseline: { accuracy: number; threshold: number };
  /** Our pair score with the best threshold on all pairs (an upper bound) and cross-validated (k-fold). */
  pairwise: { bestAccuracy: number; bestThresholdShift: number; crossValidated: number };
  /** Same-story pairs whose articles share at least one index key (what retrieval can find at best). */
  retrievalRecall: number;
  /** Indices of pairs decided wrong, for inspection. */
  wrong: number[];
  analysis: 'default' | 'minimal' | 'custom';
}

export function loadPairs(sharedDir: string): LabelledPair[] {
  return readFileSync(join(sharedDir, PAIRS_FILE), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledPair);
}

/** What the eval uses when no analyser is given: language by script, nothing else. */
export function minimalAnalysis(input: AnalysisInput): AnalysisResult {
  const text = input.text ?? '';
  return {
    id: input.id,
    language: scriptLanguage(`${input.title ?? ''} ${text}`),
    countries: [],
    relevance: 0,
    framings: [],
    summary: '',
    title: input.title ?? '',
    entities: [],
    regional: false,
  };
}

/** The batch the pairs make: `p<i>a`, `p<i>b`, all without a date (so all "now", as `analyze` does). */
export function pairItems(pairs: readonly LabelledPair[], analyse: (i: AnalysisInput) => AnalysisResult, now: string): ClusterItem[] {
  return pairs.flatMap((p, i) =>
    (['a', 'b'] as const).map((side) => {
      const art = p[side];
      const input: AnalysisInput = { id: `p${i}${side}`, title: art.title, text: art.text, ...(art.url ? { url: art.url } : {}) };
      return { id: input.id, title: art.title, text: art.text, published: now, analysis: analyse(input) };
    }),
  );
}

export function evalStoryPairs(sharedDir: string, o: EvalOptions = {}): StoryEvalReport {
  const pairs = loadPairs(sharedDir);
  // No dates in the pairs: every article is "now", as `analyze` treats a missing `published`.
  const now = '2024-01-01T00:00:00.000Z';
  const mode = o.analyse ?? 'default';
  const analyse =
    mode === 'minimal' ? minimalAnalysis : mode === 'default' ? (i: AnalysisInput) => defaultAnalyzer().analyze(i, new Date(now)) : mode;
  const items = pairItems(pairs, analyse, now);
  const ids = clusterBatch(items, o.model ? { model: o.model } : {});

  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  const wrong: number[] = [];
  pairs.forEach((p, i) => {
    const same = ids[2 * i] === ids[2 * i + 1];
    if (same && p.sameStory) tp++;
    else if (!same && !p.sameStory) tn++;
    else {
      if (same) fp++;
      else fn++;
      wrong.push(i);
    }
  });

  // Pairwise scores under the batch's document frequencies.
  const feats = items.map((it) => articleFeatures(it));
  const d = batchDocFreq(feats);
  const model = o.model ?? DEFAULT_MODEL;
  const margins = pairs.map((_, i) => margin(similarity(vectors(feats[2 * i]!, d), vectors(feats[2 * i + 1]!, d)), model));
  const labels = pairs.map((p) => p.sameStory);
  const best = bestThreshold(margins, labels);
  let sharing = 0;
  pairs.forEach((p, i) => {
    if (!p.sameStory) return;
    const ka = new Set(candidateKeys(feats[2 * i]!, d));
    if (candidateKeys(feats[2 * i + 1]!, d).some((k) => ka.has(k))) sharing++;
  });

  return {
    pairs: pairs.length,
    accuracy: (tp + tn) / pairs.length,
    correct: tp + tn,
    truePositives: tp,
    trueNegatives: tn,
    falsePositives: fp,
    falseNegatives: fn,
    baseline: plainTfidfBaseline(items, labels),
    pairwise: {
      bestAccuracy: best.accuracy,
      bestThresholdShift: best.threshold,
      crossValidated: crossValidate(margins, labels, o.folds ?? 5, o.repeats ?? 20),
    },
    retrievalRecall: sharing / Math.max(1, labels.filter(Boolean).length),
    wrong,
    analysis: typeof mode === 'function' ? 'custom' : mode,
  };
}

/** The threshold (midpoint between neighbouring scores) that decides most pairs right: score ≥ t ⇒ same. */
export function bestThreshold(scores: readonly number[], labels: readonly boolean[]): { accuracy: number; threshold: number } {
  const sorted = [...new Set(scores)].sort((a, b) => a - b);
  const cuts = [sorted[0]! - 1, ...sorted.slice(1).map((s, i) => (s + sorted[i]!) / 2), sorted[sorted.length - 1]! + 1];
  let best = { accuracy: -1, threshold: 0 };
  for (const t of cuts) {
    let ok = 0;
    scores.forEach((s, i) => {
      if (s >= t === labels[i]) ok++;
    });
    const acc = ok / scores.length;
    if (acc > best.accuracy) best = { accuracy: acc, threshold: t };
  }
  return best;
}

/** Repeated k-fold: the threshold is chosen on k−1 folds and scored on the fold left out. */
export function crossValidate(scores: readonly number[], labels: readonly boolean[], k: number, repeats: number): number {
  let total = 0;
  for (let r = 0; r < repeats; r++) {
    const idx = shuffle(scores.map((_, i) => i), r + 1);
    let ok = 0;
    for (let f = 0; f < k; f++) {
      const test = idx.filter((_, j) => j % k === f);
      const train = idx.filter((_, j) => j % k !== f);
      const { threshold } = bestThreshold(
        train.map((i) => scores[i]!),
        train.map((i) => labels[i]!),
      );
      for (const i of test) if (scores[i]! >= threshold === labels[i]) ok++;
    }
    total += ok / scores.length;
  }
  return total / repeats;
}

/** Deterministic Fisher–Yates with a small LCG, so reports repeat. */
function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed * 2654435761;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Plain TF-IDF cosine of title + text: lower-cased letter runs, raw counts × smoothed IDF over the batch. */
export function plainTfidfBaseline(items: readonly ClusterItem[], labels: readonly boolean[]): { accuracy: number; threshold: number } {
  const docs = items.map((it) => {
    const c = new Map<string, number>();
    for (const w of `${it.title} ${it.text}`.toLowerCase().match(/\p{L}+/gu) ?? []) c.set(w, (c.get(w) ?? 0) + 1);
    return c;
  });
  const df = new Map<string, number>();
  for (const c of docs) for (const w of c.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const vec = docs.map((c) => {
    const v = new Map<string, number>();
    let sq = 0;
    for (const [w, tf] of c) {
      const x = tf * (Math.log((1 + n) / (1 + df.get(w)!)) + 1);
      v.set(w, x);
      sq += x * x;
    }
    return { v, norm: Math.sqrt(sq) || 1 };
  });
  const cos = (a: (typeof vec)[number], b: (typeof vec)[number]) => {
    let dot = 0;
    for (const [w, x] of a.v) dot += x * (b.v.get(w) ?? 0);
    return dot / (a.norm * b.norm);
  };
  const scores = labels.map((_, i) => cos(vec[2 * i]!, vec[2 * i + 1]!));
  return bestThreshold(scores, labels);
}

/**
 * Builds the text of src/core/story/background.ts: document frequencies of story-matching keys over
 * permissively licensed news text in ../shared/corpus — Russian Wikinews (NEREL, CC BY 2.5), the
 * tgcontest pair articles (Apache-2.0) and The Guardian items of rss-parser's test feed (MIT).
 * Keys seen in fewer than `minDf` documents are left out (they count as unseen).
 */
export function buildStoryBackground(sharedDir: string, minDf = 3): string {
  const texts: { title: string; text: string }[] = [];
  const nerel = join(sharedDir, 'corpus/labelled/nerel-ru-train');
  for (const f of readdirSync(nerel).filter((x) => x.endsWith('.txt')).sort()) {
    const t = readFileSync(join(nerel, f), 'utf8');
    const nl = t.indexOf('\n');
    texts.push({ title: t.slice(0, nl > 0 ? nl : 0), text: t.slice(nl + 1) });
  }
  for (const p of loadPairs(sharedDir)) texts.push(p.a, p.b);
  const guardian = readFileSync(join(sharedDir, 'corpus/feeds/rss-parser/test/input/guardian.rss'), 'utf8');
  for (const item of guardian.match(/<item>[\s\S]*?<\/item>/gu) ?? []) {
    const field = (name: string) =>
      (new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'u').exec(item)?.[1] ?? '')
        .replace(/<!\[CDATA\[|\]\]>/gu, '')
        .replace(/&lt;[\s\S]*?&gt;|<[^>]+>/gu, ' ')
        .replace(/&[a-z#0-9]+;/gu, ' ');
    texts.push({ title: field('title'), text: field('description') });
  }
  const feats = texts.map((t, i) => articleFeatures({ id: String(i), title: t.title, text: t.text, published: '2000-01-01T00:00:00Z' }));
  const counts = new Map<string, number>();
  for (const f of feats) for (const k of new Set(dfKeys(f))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const table = formatDocFreqTable(feats.length, counts, minDf);
  return [
    '// Generated by buildStoryBackground() in src/main/eval-stories.ts — do not edit by hand.',
    '// Document frequencies of story-matching keys (stems, names, numbers) over permissively licensed',
    '// news text: NEREL v1.1 Russian Wikinews (CC BY 2.5, nerel-ds/NEREL), tgcontest clustering pairs',
    '// (Apache-2.0, IlyaGusev/tgcontest), The Guardian items of rss-parser test/input (MIT, rbren/rss-parser).',
    '// Only counts are kept, no text. They let a small batch tell common words from telling ones.',
    `export const BACKGROUND_DF = ${JSON.stringify(table)};`,
    '',
  ].join('\n');
}

export interface LabelledItem extends ClusterItem {
  /** Items with one event belong in one story. */
  event: string;
}

export interface CrossLanguageReport {
  /** Cross-language pairs (one item of each language family) and how many are the same event. */
  pairs: number;
  samePairs: number;
  /** Pairs decided right by the cross-language score alone, at the model's threshold and at the best one. */
  accuracy: number;
  bestAccuracy: number;
  bestThresholdShift: number;
  /** One batch over all items: same-event cross-language pairs put in one story, different-event pairs kept apart. */
  batchRecall: number;
  batchFalseJoins: number;
}

/** Measures cross-language grouping on items labelled with their event (see test/fixtures/story). */
export function evalCrossLanguage(items: readonly LabelledItem[], model: ScoreModel = DEFAULT_MODEL): CrossLanguageReport {
  const feats = items.map((it) => articleFeatures(it));
  const d = batchDocFreq(feats);
  const vs = feats.map((f) => vectors(f, d));
  const ids = clusterBatch([...items], { model });
  const scores: number[] = [];
  const labels: boolean[] = [];
  let joined = 0;
  let falseJoins = 0;
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const p = similarity(vs[i]!, vs[j]!);
      if (p.sameLanguage) continue;
      const same = items[i]!.event === items[j]!.event;
      scores.push(margin(p, model));
      labels.push(same);
      if (same && ids[i] === ids[j]) joined++;
      if (!same && ids[i] === ids[j]) falseJoins++;
    }
  const samePairs = labels.filter(Boolean).length;
  const best = bestThreshold(scores, labels);
  return {
    pairs: scores.length,
    samePairs,
    accuracy: scores.filter((s, i) => s >= 0 === labels[i]).length / Math.max(1, scores.length),
    bestAccuracy: best.accuracy,
    bestThresholdShift: best.threshold,
    batchRecall: samePairs ? joined / samePairs : 0,
    batchFalseJoins: falseJoins,
  };
}
