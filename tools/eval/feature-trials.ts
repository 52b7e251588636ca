// Trials of same-language decision features (issue 15, generalisation pass): each candidate is
// scored by pair-by-pair k-fold cross-validation only — on the dev pairs (fitted on their other
// folds, as `eval` does) and on the hand-labelled set (fitted on its other folds plus the dev
// pairs). The held-out sets are not read: choices are made here, held-out figures come after.
// Pair by pair (no batch, no chains) is a cheaper proxy of `eval`'s one-batch figures; a candidate
// that holds here is then measured by `npx tsx tools/eval/quality-summary.ts` with the engine changed.
// Cross-language pairs keep the shipped cross-language fit in every trial.
// `npx tsx tools/eval/feature-trials.ts [--shared DIR] [name filter]`.
import { join } from 'node:path';
import { defaultAnalyzer, storyBackground, storyNames } from '../../src/adapters/analysis-data.js';
import { batchDocFreq, type ClusterItem } from '../../src/core/story/cluster.js';
import { proximity } from '../../src/core/story/decide.js';
import { articleFeatures } from '../../src/core/story/features.js';
import { cosine, DEFAULT_MODEL, headline, margin, similarity, tfidfVector, vectors, type SimilarityParts } from '../../src/core/story/similarity.js';
import type { TermCounts } from '../../src/core/story/features.js';
import { contentTermsOf, tokens } from '../../src/core/story/text.js';
import { fitLogistic, fitPenalty, loadPairs, pairItems, shuffle } from './eval-stories.js';
import { loadLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';

interface Row {
  p: SimilarityParts;
  prox: number;
  y: boolean;
  /** Candidate features: cosine of the words that are not capitalised (what happened, not who or where), figures apart, dates apart. */
  event: number;
  numsApart: number;
  datesApart: number;
}

/** Stems of the words not capitalised: the event's words rather than its names. */
function eventTerms(title: string, text: string): TermCounts {
  const c: TermCounts = {};
  for (const k of contentTermsOf(tokens(`${title}\n${text}`).filter((t) => !t.word.upper))) c[k] = (c[k] ?? 0) + 1;
  return c;
}

function rowsOf(items: readonly ClusterItem[], refs: readonly { a: number; b: number; same: boolean }[]): Row[] {
  const feats = items.map((it) => articleFeatures(it, { names: storyNames() }));
  const d = batchDocFreq(feats, storyBackground());
  const vs = feats.map((f) => vectors(f, d));
  const ev = items.map((it) => tfidfVector(eventTerms(it.title, it.text), d));
  return refs.map((r) => {
    const [a, b] = [feats[r.a]!, feats[r.b]!];
    const kind = (ks: string[], pre: string) => ks.filter((k) => k.startsWith(pre));
    const apart = (x: string[], y: string[], min: number) => (x.length >= min && y.length >= min && !x.some((k) => y.includes(k)) ? 1 : 0);
    return {
      p: similarity(vs[r.a]!, vs[r.b]!),
      prox: proximity(a.t, b.t),
      y: r.same,
      event: cosine(ev[r.a]!, ev[r.b]!),
      numsApart: apart(kind(a.nums, '#:'), kind(b.nums, '#:'), 2),
      datesApart: apart(kind(a.nums, 'd:'), kind(b.nums, 'd:'), 1),
    };
  });
}

interface Trial {
  name: string;
  /** The same-language similarities weighted (a weighted mean against a threshold, as shipped). */
  x: (r: Row) => number[];
  /** A penalty fitted on top (≥ 0, can only keep apart), as the time penalty is. */
  penalty?: (r: Row) => number;
}

const base = (r: Row) => [headline(r.p), r.p.body, r.p.titleBody, r.p.names];
export const TRIALS: Trial[] = [
  { name: 'shipped (title, body, title-body, names)', x: base },
  { name: '+ figures cosine', x: (r) => [...base(r), r.p.nums] },
  { name: '+ event words cosine', x: (r) => [...base(r), r.event] },
  { name: 'event words for body', x: (r) => [headline(r.p), r.event, r.p.titleBody, r.p.names] },
  { name: 'names x body', x: (r) => [headline(r.p), r.p.body, r.p.titleBody, r.p.names * r.p.body] },
  { name: 'equal weights (threshold only)', x: (r) => [(headline(r.p) + r.p.body + r.p.titleBody + r.p.names) / 4] },
  { name: 'no names', x: (r) => [headline(r.p), r.p.body, r.p.titleBody] },
  { name: 'penalty: figures apart', x: base, penalty: (r) => r.numsApart },
  { name: 'penalty: dates apart', x: base, penalty: (r) => r.datesApart },
];

/** The trial's decision fitted on `train`: a function giving a pair's margin (≥ 0: one story). */
function fitTrial(t: Trial, train: readonly Row[]): (r: Row) => number {
  const same = train.filter((r) => r.p.sameLanguage);
  const f = fitLogistic(same.map((r) => ({ x: t.x(r), y: r.y })));
  const m = DEFAULT_MODEL;
  const raw = (r: Row) => {
    const c = r.p.countryConflict ? 1 : 0;
    if (!r.p.sameLanguage) return margin(r.p, m) - m.xtime * (1 - r.prox);
    return (f ? t.x(r).reduce((s, v, j) => s + v * f.w[j]!, -f.threshold) : -1) - c;
  };
  const pen = t.penalty;
  const w = pen ? (fitPenalty(same.map((r) => ({ m: raw(r), gap: pen(r), y: r.y }))) ?? 0) : 0;
  return (r) => raw(r) - (pen && r.p.sameLanguage ? w * pen(r) : 0);
}

/** 0 … n − 1 in a deterministic order (eval-stories.ts `shuffle`), so figures repeat. */
function order(n: number, seed: number): number[] {
  return shuffle([...Array(n).keys()], seed);
}

/** k-fold cross-validated share decided right (mean of `repeats` shuffles). */
export function crossValidate(t: Trial, rows: readonly Row[], extra: readonly Row[], k = 5, repeats = 4): number {
  let ok = 0;
  for (let rep = 0; rep < repeats; rep++) {
    const o = order(rows.length, rep + 1);
    for (let fold = 0; fold < k; fold++) {
      const decide = fitTrial(t, [...o.filter((_, j) => j % k !== fold).map((i) => rows[i]!), ...extra]);
      for (const i of o.filter((_, j) => j % k === fold)) if (decide(rows[i]!) >= 0 === rows[i]!.y) ok++;
    }
  }
  return ok / (repeats * rows.length);
}

function main(): void {
  const args = process.argv.slice(2);
  const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
  const filter = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--shared');
  const an = defaultAnalyzer();
  const now = '2024-01-01T00:00:00.000Z';
  const pairs = loadPairs(shared);
  const dev = rowsOf(
    pairItems(pairs, (i) => an.analyze(i, new Date(now)), now),
    pairs.map((p, i) => ({ a: 2 * i, b: 2 * i + 1, same: p.sameStory })),
  );
  const { articles, pairs: lp } = loadLabelledSet(STORIES_FIXTURE_DIR, shared);
  const items = articles.map((a) => {
    const r = an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published));
    return { id: a.id, title: a.title.trim() ? r.title : '', text: a.text, published: a.published, analysis: r };
  });
  const index = new Map(articles.map((a, i) => [a.id, i]));
  const lab = rowsOf(items, lp.map((p) => ({ a: index.get(p.a)!, b: index.get(p.b)!, same: p.label !== 'same-topic' })));
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`pair-by-pair 5-fold CV (x4): dev pairs (${dev.length}) | labelled set (${lab.length}, + dev pairs in training)`);
  for (const t of TRIALS) if (!filter || t.name.includes(filter)) console.log(`  ${t.name.padEnd(42)} ${pct(crossValidate(t, dev, []))} | ${pct(crossValidate(t, lab, dev))}`);
}

main();
