// Study of the story decision over the pooled labelled pairs (issue 15 item 2, story-quality pass of
// 2026-12-07): the dev pairs (tgcontest), the hand-labelled set and the first two held-out sets,
// each measured with its own batch frequencies, as `eval` does. heldout-3 is NOT read here (it is
// the blind set: scored once, at the end, by tools/eval/heldout.ts).
// Every candidate decision is fitted by pair-by-pair k-fold cross-validation over the pooled pairs
// (5 folds x 4 shuffles; per fold the candidate's few weights are fitted on the other folds) and
// reported per set and per language pair. `--errors NAME` lists a candidate's cross-validated errors.
// `npx tsx tools/eval/pooled-study.ts [--shared DIR] [--errors NAME] [name filter]`.
import { join } from 'node:path';
import { defaultAnalyzer, storyBackground, storyNames } from '../../src/adapters/analysis-data.js';
import { batchDocFreq, type ClusterItem } from '../../src/core/story/cluster.js';
import { proximity } from '../../src/core/story/decide.js';
import { articleFeatures, type ArticleFeatures } from '../../src/core/story/features.js';
import { DEFAULT_MODEL, headline, margin, similarity, vectors, type ArticleVectors, type DocFreq, type SimilarityParts } from '../../src/core/story/similarity.js';
import { crossFeatures, fitLogistic, fitPenalty, loadPairs, pairItems, shuffle } from './eval-stories.js';
import { loadLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';
import { eventEvidence } from './story-evidence.js';

export interface Row {
  set: string;
  langs: string;
  id: string;
  p: SimilarityParts;
  prox: number;
  y: boolean;
  fa: ArticleFeatures;
  fb: ArticleFeatures;
  va: ArticleVectors;
  vb: ArticleVectors;
  d: DocFreq;
  /** Candidate evidence (story-evidence.ts). */
  ev: ReturnType<typeof eventEvidence>;
  /** The two articles' title and text (for candidates that read the words in order). */
  ta: string;
  tb: string;
}

function rowsOf(set: string, items: readonly ClusterItem[], refs: readonly { a: number; b: number; same: boolean }[]): Row[] {
  const feats = items.map((it) => articleFeatures(it, { names: storyNames() }));
  const d = batchDocFreq(feats, storyBackground());
  const vs = feats.map((f) => vectors(f, d));
  return refs.map((r) => {
    const [fa, fb] = [feats[r.a]!, feats[r.b]!];
    const p = similarity(vs[r.a]!, vs[r.b]!);
    return {
      set,
      langs: [fa.lang, fb.lang].sort().join('-'),
      id: `${items[r.a]!.id}~${items[r.b]!.id}`,
      p,
      prox: proximity(fa.t, fb.t),
      y: r.same,
      fa,
      fb,
      va: vs[r.a]!,
      vb: vs[r.b]!,
      d,
      ev: eventEvidence(fa, fb, vs[r.a]!, vs[r.b]!, d, p),
      ta: `${items[r.a]!.title ?? ''}\n${items[r.a]!.text}`,
      tb: `${items[r.b]!.title ?? ''}\n${items[r.b]!.text}`,
    };
  });
}

export function loadPooled(shared: string, sets = ['labelled', 'heldout', 'heldout-2', 'heldout-3']): Row[] {
  const an = defaultAnalyzer();
  const now = '2024-01-01T00:00:00.000Z';
  const pairs = loadPairs(shared);
  const rows = rowsOf(
    'dev',
    pairItems(pairs, (i) => an.analyze(i, new Date(now)), now),
    pairs.map((p, i) => ({ a: 2 * i, b: 2 * i + 1, same: p.sameStory })),
  );
  for (const name of sets) {
    const dir = name === 'labelled' ? STORIES_FIXTURE_DIR : join(STORIES_FIXTURE_DIR, name);
    const { articles, pairs: lp } = loadLabelledSet(dir, shared);
    const items = articles.map((a) => {
      const r = an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published));
      return { id: a.id, title: a.title.trim() ? r.title : '', text: a.text, published: a.published, analysis: r };
    });
    const index = new Map(articles.map((a, i) => [a.id, i]));
    rows.push(...rowsOf(name, items, lp.map((p) => ({ a: index.get(p.a)!, b: index.get(p.b)!, same: p.label !== 'same-topic' }))));
  }
  return rows;
}

export interface Candidate {
  name: string;
  /** Same-language features (a weighted mean against a threshold, weights fitted ≥ 0). */
  x: (r: Row) => number[];
  /** Cross-language features; default the shipped ones. */
  cx?: (r: Row) => number[];
  /** Penalties fitted on top, each ≥ 0 (can only keep apart), as the time penalty is. */
  penalty?: (r: Row) => number;
  /** Fit the time penalty (as shipped). Default true. */
  time?: boolean;
}

const shippedX = (r: Row) => [headline(r.p), r.p.body, r.p.titleBody, r.p.names];
/** The cross-language figures part before this pass (679c647): counted beside names (cosine ≥ 0.25) or three shared. */
const crossNums = (p: SimilarityParts) => (p.xnames >= 0.25 || p.sharedNums >= 3 ? p.nums : 0);
/** The cross-language features before this pass. */
const shippedCx = (r: Row) => [r.p.xnames, crossNums(r.p)];

/** A candidate fitted on `train`: the margin it gives a pair (≥ 0: one story). */
export function fitCandidate(c: Candidate, train: readonly Row[]): (r: Row) => number {
  const cx = c.cx ?? shippedCx;
  const same = fitLogistic(train.map((r) => (r.p.sameLanguage ? { x: c.x(r), y: r.y } : null)));
  const cross = fitLogistic(train.map((r) => (r.p.sameLanguage ? null : { x: cx(r), y: r.y })));
  const lin = (w: { w: number[]; threshold: number } | null, x: number[]) => (w ? x.reduce((s, v, j) => s + v * w.w[j]!, -w.threshold) : -1);
  const raw0 = (r: Row) => (r.p.sameLanguage ? lin(same, c.x(r)) : lin(cross, cx(r))) - (r.p.countryConflict ? 1 : 0);
  const pen = c.penalty;
  const penRows = (sl: boolean) => train.filter((r) => r.p.sameLanguage === sl);
  const pw = pen ? [fitPenalty(penRows(true).map((r) => ({ m: raw0(r), gap: pen(r), y: r.y }))) ?? 0, fitPenalty(penRows(false).map((r) => ({ m: raw0(r), gap: pen(r), y: r.y }))) ?? 0] : [0, 0];
  const raw1 = (r: Row) => raw0(r) - (pen ? pw[r.p.sameLanguage ? 0 : 1]! * pen(r) : 0);
  if (c.time === false) return raw1;
  const tw = [true, false].map((sl) => fitPenalty(penRows(sl).map((r) => ({ m: raw1(r), gap: 1 - r.prox, y: r.y }))) ?? 0);
  return (r) => raw1(r) - tw[r.p.sameLanguage ? 0 : 1]! * (1 - r.prox);
}

/** 0 … n − 1 in a deterministic order (eval-stories.ts `shuffle`), so figures repeat. */
function order(n: number, seed: number): number[] {
  return shuffle([...Array(n).keys()], seed);
}

/** Per row, the share of shuffles in which its fold decided it right. */
export function crossValidate(c: Candidate, rows: readonly Row[], k = 5, repeats = 4): number[] {
  const right = rows.map(() => 0);
  for (let rep = 0; rep < repeats; rep++) {
    const o = order(rows.length, rep + 1);
    for (let fold = 0; fold < k; fold++) {
      const decide = fitCandidate(
        c,
        o.filter((_, j) => j % k !== fold).map((i) => rows[i]!),
      );
      for (const i of o.filter((_, j) => j % k === fold)) if (decide(rows[i]!) >= 0 === rows[i]!.y) right[i]! += 1 / repeats;
    }
  }
  return right;
}

export const CANDIDATES: Candidate[] = [
  { name: 'shipped form', x: shippedX },
  { name: 'this pass (crossFeatures)', x: shippedX, cx: (r) => crossFeatures(r.p) },
  { name: 'shipped, no time', x: shippedX, time: false },
  { name: 'no title', x: (r) => [r.p.body, r.p.titleBody, r.p.names] },
  { name: 'body only', x: (r) => [r.p.body] },
  { name: 'body+titleBody', x: (r) => [r.p.body, r.p.titleBody] },
  { name: '+ rare overlap', x: (r) => [...shippedX(r), r.ev.rare] },
  { name: 'rare for body', x: (r) => [headline(r.p), r.ev.rare, r.p.titleBody, r.p.names] },
  { name: 'rare3 for body', x: (r) => [headline(r.p), r.ev.rare3, r.p.titleBody, r.p.names] },
  { name: 'rare5 for body', x: (r) => [headline(r.p), r.ev.rare5, r.p.titleBody, r.p.names] },
  { name: 'rare6 for body', x: (r) => [headline(r.p), r.ev.rare6, r.p.titleBody, r.p.names] },
  { name: 'ovl for body', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.p.names] },
  { name: '+ ovl', x: (r) => [...shippedX(r), r.ev.ovl] },
  { name: 'ovl all', x: (r) => [r.ev.titleOvl, r.ev.ovl, r.p.titleBody, r.ev.namesOvl] },
  { name: 'ovl body+names', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.ev.namesOvl] },
  { name: 'ovl body, cos names', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.p.names] },
  { name: 'ovl title+body, cos names', x: (r) => [r.p.lead ? Math.max(r.ev.titleOvl, r.p.titleBody) : r.ev.titleOvl, r.ev.ovl, r.p.titleBody, r.p.names] },
  { name: 'ovl all, lead headline', x: (r) => [r.p.lead ? Math.max(r.ev.titleOvl, r.p.titleBody) : r.ev.titleOvl, r.ev.ovl, r.p.titleBody, r.ev.namesOvl] },
  { name: 'ovl 3 (no titleBody)', x: (r) => [r.p.lead ? Math.max(r.ev.titleOvl, r.p.titleBody) : r.ev.titleOvl, r.ev.ovl, r.ev.namesOvl] },
  { name: 'cos+ovl body', x: (r) => [headline(r.p), r.p.body, r.ev.ovl, r.p.titleBody, r.p.names] },
  { name: '+ lead cosine', x: (r) => [...shippedX(r), r.ev.lead] },
  { name: '+ event words', x: (r) => [...shippedX(r), r.ev.eventWords] },
  { name: 'pen: places apart', x: shippedX, penalty: (r) => r.ev.placesApart },
  { name: 'pen: lead places apart', x: shippedX, penalty: (r) => r.ev.leadPlacesApart },
  { name: 'pen: names apart (lead)', x: shippedX, penalty: (r) => r.ev.leadNamesApart },
  { name: 'pen: figures apart', x: shippedX, penalty: (r) => r.ev.numsApart },
  { name: 'x: + lead names', x: shippedX, cx: (r) => [...shippedCx(r), r.ev.leadXnames] },
  { name: 'x: + xnames ovl', x: shippedX, cx: (r) => [...shippedCx(r), r.ev.xnamesShared] },
  { name: 'x: + entity cover', x: shippedX, cx: (r) => [...shippedCx(r), r.p.entityCover] },
  { name: 'x: nums ungated', x: shippedX, cx: (r) => [r.p.xnames, r.p.nums] },
  { name: 'x: + numCover', x: shippedX, cx: (r) => [...shippedCx(r), r.p.numCover] },
  { name: 'x: xn*ovl', x: shippedX, cx: (r) => [Math.sqrt(r.p.xnames * r.ev.xnamesShared), crossNums(r.p)] },
  { name: 'C1 +ovl, x +xovl', x: (r) => [...shippedX(r), r.ev.ovl], cx: (r) => [...shippedCx(r), r.ev.xnamesShared] },
  { name: 'C2 ovl body, x +xovl', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.p.names], cx: (r) => [...shippedCx(r), r.ev.xnamesShared] },
  { name: 'C3 rare3 body, x +xovl', x: (r) => [headline(r.p), r.ev.rare3, r.p.titleBody, r.p.names], cx: (r) => [...shippedCx(r), r.ev.xnamesShared] },
  { name: 'C4 ovl all, x +xovl', x: (r) => [r.p.lead ? Math.max(r.ev.titleOvl, r.p.titleBody) : r.ev.titleOvl, r.ev.ovl, r.p.titleBody, r.ev.namesOvl], cx: (r) => [...shippedCx(r), r.ev.xnamesShared] },
  { name: 'C5 x +xovl +entcover', x: shippedX, cx: (r) => [...shippedCx(r), r.ev.xnamesShared, r.p.entityCover] },
  { name: 'C6 x xovl for xnames +nums', x: shippedX, cx: (r) => [r.ev.xnamesShared, r.p.nums] },
  { name: 'C7 x +xovl nums ungated', x: shippedX, cx: (r) => [r.p.xnames, r.p.nums, r.ev.xnamesShared] },
  { name: 'C8 x xovl ent nums ungated', x: shippedX, cx: (r) => [r.p.xnames, r.p.nums, r.ev.xnamesShared, r.p.entityCover] },
  { name: 'C9 ovl body + C5', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.p.names], cx: (r) => [...shippedCx(r), r.ev.xnamesShared, r.p.entityCover] },
  { name: 'C10 +ovl + C5', x: (r) => [...shippedX(r), r.ev.ovl], cx: (r) => [...shippedCx(r), r.ev.xnamesShared, r.p.entityCover] },
  { name: 'C11 x ent only', x: shippedX, cx: (r) => [...shippedCx(r), r.p.entityCover] },
  { name: 'C12 C8 guarded ent', x: shippedX, cx: (r) => [r.p.xnames, r.p.nums, r.ev.xnamesShared, r.p.sharedEntities > 0 ? r.p.entityCover : 0] },
  { name: 'C13 C12 + ovl body', x: (r) => [headline(r.p), r.ev.ovl, r.p.titleBody, r.p.names], cx: (r) => [r.p.xnames, r.p.nums, r.ev.xnamesShared, r.p.sharedEntities > 0 ? r.p.entityCover : 0] },
  { name: 'C14 C12 no xnames cos', x: shippedX, cx: (r) => [r.p.nums, r.ev.xnamesShared, r.p.sharedEntities > 0 ? r.p.entityCover : 0] },
  { name: 'x: + rare xnames', x: shippedX, cx: (r) => [r.ev.xnamesShared, crossNums(r.p)] },
];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Mean of `right` by a grouping of the rows. */
export function tally(rows: readonly Row[], right: readonly number[], key: (r: Row) => string): Map<string, [number, number]> {
  const t = new Map<string, [number, number]>();
  rows.forEach((r, i) => {
    for (const k of [key(r), 'all']) {
      const e = t.get(k) ?? [0, 0];
      t.set(k, [e[0] + right[i]!, e[1] + 1]);
    }
  });
  return t;
}

function main(): void {
  const args = process.argv.slice(2);
  const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
  const errors = args.includes('--errors') ? args[args.indexOf('--errors') + 1]! : null;
  const filter = args.find((a, i) => !a.startsWith('--') && !['--shared', '--errors'].includes(args[i - 1]!));
  const rows = loadPooled(shared);
  const sets = ['dev', 'labelled', 'heldout', 'heldout-2', 'heldout-3', 'same-lang'];
  const langs = [...new Set(rows.map((r) => r.langs))].sort();
  console.log(`pooled pair-by-pair 5-fold CV x4 over ${rows.length} pairs; shipped model as it is (not CV) first`);
  const shipped = rows.map((r) => (decisionMargin0(r) >= 0 === r.y ? 1 : 0));
  const head = `${'candidate'.padEnd(28)} ${'pooled'.padStart(6)} | ${sets.map((s) => s.padStart(9)).join(' ')} | ${langs.map((s) => s.padStart(6)).join(' ')}`;
  console.log(head);
  const line = (name: string, right: number[]) => {
    const bs = tally(rows, right, (r) => r.set);
    const sl = tally(rows.filter((r) => r.p.sameLanguage), right.filter((_, i) => rows[i]!.p.sameLanguage), () => 'x');
    bs.set('same-lang', sl.get('all')!);
    const bl = tally(rows, right, (r) => r.langs);
    const f = (t: Map<string, [number, number]>, k: string) => {
      const e = t.get(k);
      return e ? pct(e[0] / e[1]) : '-';
    };
    console.log(`${name.padEnd(28)} ${f(bs, 'all').padStart(6)} | ${sets.map((s) => f(bs, s).padStart(9)).join(' ')} | ${langs.map((s) => f(bl, s).padStart(6)).join(' ')}`);
  };
  line('(shipped model, as is)', shipped);
  for (const c of CANDIDATES) {
    if (filter && !c.name.includes(filter)) continue;
    const right = crossValidate(c, rows, 5, Number(process.env.REPEATS ?? 4));
    line(c.name, right);
    if (errors && c.name === errors)
      rows.forEach((r, i) => {
        if (right[i]! < 0.5) {
          const head = `${r.y ? 'SPLIT' : 'JOIN '} ${r.set} ${r.langs} ${r.id} body ${r.p.body.toFixed(2)} title ${r.p.title.toFixed(2)} tb ${r.p.titleBody.toFixed(2)}`;
          console.log(`   ${head} names ${r.p.names.toFixed(2)} xn ${r.p.xnames.toFixed(2)} nums ${r.p.nums.toFixed(2)} prox ${r.prox.toFixed(2)} ${JSON.stringify(r.ev)}`);
        }
      });
  }
}

function decisionMargin0(r: Row): number {
  return margin(r.p, DEFAULT_MODEL) - (r.p.sameLanguage ? DEFAULT_MODEL.time : DEFAULT_MODEL.xtime) * (1 - r.prox);
}

if (process.argv[1]?.endsWith('pooled-study.ts')) main();
