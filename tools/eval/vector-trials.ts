// Trials of a distributional similarity (tools/eval/word-vectors.ts: PPMI + truncated SVD over the
// engine's stems in unlabelled news text) beside the four same-language similarities, cross-validated
// over the pooled 473 pairs as pooled-study.ts does (issue 15 item 2, quality-3 pass of 2026-12-07).
// Two uses of the vectors: the cosine of two articles' IDF-weighted mean vectors (optionally centred
// on the vocabulary's mean), and a soft cosine (each stem also counts for its nearest stems).
// None was kept (README Quality has the figures). Environment:
//   CONFIGS='[["name", {"dims":64,"window":8,...}], ...]'  vector builds to try (VectorOptions)
//   SOFT='[[theta, k, p], ...]'  soft-cosine neighbourhoods; MEAN=1 the mean-vector candidates too
//   EXTRA=1 title vectors and other forms; AUC=1 each similarity's ROC area by group
//   SPECIFIC=1 the text cosine with stems weighed down as far as the article's mean vector predicts them
//   TRANSDUCTIVE=1 the pooled articles' own texts join the corpus (labels unused)
//   BLIND=1 fitted on the pool, scored once on heldout-4 (the end of the study; not tuned on)
// `npx tsx tools/eval/vector-trials.ts [--shared DIR]`.
import { join } from 'node:path';
import { idf } from '../../src/core/story/doc-freq.js';
import { headline } from '../../src/core/story/similarity.js';
import { contentTerms } from '../../src/core/story/text.js';
import { crossFeatures } from './eval-stories.js';
import { crossValidate, fitCandidate, loadPooled, tally, type Candidate, type Row } from './pooled-study.js';
import { buildWordVectors, corpusTexts, type VectorOptions } from './word-vectors.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const rows = loadPooled(shared);
// TRANSDUCTIVE=1: the pooled articles' own texts join the corpus (labels unused): what in-domain text would give
const docs = [...corpusTexts(shared).map((d) => d.text), ...(process.env.TRANSDUCTIVE ? [...new Set(rows.flatMap((r) => [r.ta, r.tb]))] : [])];
console.log(`corpus ${docs.length} documents, ${docs.reduce((s, d) => s + contentTerms(d).length, 0)} content terms; ${rows.length} pairs`);

const near = (vecs: Map<string, Float32Array>, w: string) => {
  const v = vecs.get(w);
  if (!v) return `${w}: -`;
  const s = [...vecs].map(([k, u]) => [k, u.reduce((a, x, i) => a + x * v[i]!, 0)] as const).sort((a, b) => b[1] - a[1]);
  return `${w}: ${s.slice(1, 8).map(([k, c]) => `${k} ${c.toFixed(2)}`).join(', ')}`;
};

type Feat = (r: Row) => number;
function meanFeature(vecs: Map<string, Float32Array>, center: boolean, part: 'body' | 'title' = 'body'): Feat {
  const dims = vecs.values().next().value!.length;
  const mean = new Float64Array(dims);
  if (center) {
    for (const v of vecs.values()) for (let i = 0; i < dims; i++) mean[i] = mean[i]! + v[i]! / vecs.size;
  }
  const memo = new Map<object, Float64Array | null>();
  const art = (f: Row['fa'], d: Row['d']) => {
    if (memo.has(f)) return memo.get(f)!;
    const a = new Float64Array(dims);
    let any = false;
    for (const [k, c] of Object.entries(f[part])) {
      const v = vecs.get(k);
      if (!v) continue;
      any = true;
      const w = c * idf(d, k);
      for (let i = 0; i < dims; i++) a[i] = a[i]! + w * (v[i]! - mean[i]!);
    }
    const len = Math.hypot(...a);
    const out = any && len > 0 ? a.map((x) => x / len) : null;
    memo.set(f, out);
    return out;
  };
  return (r) => {
    const a = art(r.fa, r.d);
    const b = art(r.fb, r.d);
    if (!a || !b) return 0;
    let s = 0;
    for (let i = 0; i < dims; i++) s += a[i]! * b[i]!;
    return Math.max(0, s);
  };
}

/** Soft cosine through each term's nearest stems: a term also counts for its neighbours (cos >= theta) by cos^p. */
function softFeature(vecs: Map<string, Float32Array>, theta: number, k: number, p: number): Feat {
  const keys = [...vecs.keys()];
  const mat = [...vecs.values()];
  const nb = new Map<string, [string, number][]>();
  const neighbours = (w: string) => {
    let n = nb.get(w);
    if (n) return n;
    const v = vecs.get(w);
    n = [];
    if (v) {
      const s: [string, number][] = [];
      mat.forEach((u, j) => {
        let c = 0;
        for (let i = 0; i < u.length; i++) c += u[i]! * v[i]!;
        if (c >= theta && keys[j] !== w) s.push([keys[j]!, c ** p]);
      });
      n = s.sort((a, b) => b[1] - a[1]).slice(0, k);
    }
    nb.set(w, n);
    return n;
  };
  const memo = new Map<object, Map<string, number>>();
  const art = (f: Row['fa'], d: Row['d']) => {
    let m = memo.get(f);
    if (m) return m;
    m = new Map();
    for (const [key, c] of Object.entries(f.body)) {
      const w = (1 + Math.log(c)) * idf(d, key);
      m.set(key, (m.get(key) ?? 0) + w);
      for (const [n, s] of neighbours(key)) m.set(n, (m.get(n) ?? 0) + w * s);
    }
    memo.set(f, m);
    return m;
  };
  return (r) => mapCosine(art(r.fa, r.d), art(r.fb, r.d));
}

/**
 * The text cosine with each stem weighed by how little the article's topic predicts it: tf-idf x
 * (1 - cos(stem, the article's mean vector))^gamma, stems without a vector as they are. Retellings
 * share the event's particular words, same-topic reports the topic's.
 */
function specificFeature(vecs: Map<string, Float32Array>, gamma: number): Feat {
  const dims = vecs.values().next().value!.length;
  const memo = new Map<object, Map<string, number>>();
  const art = (f: Row['fa'], d: Row['d']) => {
    let m = memo.get(f);
    if (m) return m;
    const mean = new Float64Array(dims);
    const tw = Object.entries(f.body).map(([k, c]) => [k, (1 + Math.log(c)) * idf(d, k)] as const);
    for (const [k, w] of tw) {
      const v = vecs.get(k);
      if (v) for (let i = 0; i < dims; i++) mean[i] = mean[i]! + w * v[i]!;
    }
    const len = Math.hypot(...mean) || 1;
    m = new Map();
    for (const [k, w] of tw) {
      const v = vecs.get(k);
      let c = 0;
      if (v) for (let i = 0; i < dims; i++) c += (v[i]! * mean[i]!) / len;
      m.set(k, w * (1 - Math.max(0, c)) ** gamma);
    }
    memo.set(f, m);
    return m;
  };
  return (r) => mapCosine(art(r.fa, r.d), art(r.fb, r.d));
}

/** The cosine of two sparse vectors held as term → weight maps. */
function mapCosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    const y = b.get(k);
    if (y) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Area under the ROC curve of `f` for `rs` (share of same/different pairs it orders right). */
function auc(rs: readonly Row[], f: Feat): number {
  const pos = rs.filter((r) => r.y).map(f);
  const neg = rs.filter((r) => !r.y).map(f);
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / Math.max(1, pos.length * neg.length);
}
const shipped = (r: Row) => [headline(r.p), r.p.body, r.p.titleBody, r.p.names];
const cx = (r: Row) => crossFeatures(r.p);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const sets = ['dev', 'labelled', 'heldout', 'heldout-2', 'heldout-3'];
const langs = ['ru-ru', 'en-en', 'en-ru'];
const line = (name: string, right: number[]) => {
  const bs = tally(rows, right, (r) => r.set);
  const bl = tally(rows, right, (r) => r.langs);
  const sl = tally(rows, right, (r) => `${r.langs}:${r.y ? 'same' : 'diff'}`);
  const f = (t: Map<string, [number, number]>, key: string) => {
    const e = t.get(key);
    return e ? pct(e[0] / e[1]) : '-';
  };
  console.log(`${name.padEnd(34)} ${f(bs, 'all').padStart(6)} | ${sets.map((s) => f(bs, s).padStart(9)).join(' ')} | ${langs.map((s) => f(bl, s).padStart(6)).join(' ')} | ru same ${f(sl, 'ru-ru:same')} diff ${f(sl, 'ru-ru:diff')}`);
};
if (!process.env.AUC) line("shipped form", crossValidate({ name: 's', x: shipped, cx }, rows));
const configs: [string, VectorOptions][] = JSON.parse(process.env.CONFIGS ?? '[["d64 w8", {}]]');
for (const [name, o] of process.env.AUC ? [] : configs) {
  const t0 = process.cpuUsage();
  const vecs = buildWordVectors(docs, o);
  console.log(`${name}: ${vecs.size} stems, built in ${((process.cpuUsage(t0).user) / 1e6).toFixed(1)} s CPU`);
  for (const w of ['взрыв', 'пожар', 'суд', 'президент', 'матч', 'fire']) console.log(`  ${near(vecs, w)}`);
  for (const [theta, k, p] of JSON.parse(process.env.SOFT ?? '[[0.6,5,2],[0.5,10,2],[0.7,3,1]]') as [number, number, number][]) {
    const f = softFeature(vecs, theta, k, p);
    const tag = `${name} soft ${theta}/${k}/${p}`;
    const sameRu = rows.filter((r) => r.langs === 'ru-ru');
    const med = (ys: number[]) => ys.sort((a, b) => a - b)[Math.floor(ys.length / 2)]?.toFixed(2);
    console.log(`  ${tag}: ru-ru median same ${med(sameRu.filter((r) => r.y).map(f))} diff ${med(sameRu.filter((r) => !r.y).map(f))}`);
    for (const c of [
      { name: `${tag} +soft`, x: (r: Row) => [...shipped(r), f(r)], cx },
      { name: `${tag} soft for body`, x: (r: Row) => [headline(r.p), f(r), r.p.titleBody, r.p.names], cx },
    ]) line(c.name, crossValidate(c, rows));
  }
  if (process.env.MEAN) for (const center of [false, true]) {
    const f = meanFeature(vecs, center);
    const tag = `${name}${center ? ' c' : ''}`;
    const sameRu = rows.filter((r) => r.langs === 'ru-ru');
    const med = (ys: number[]) => ys.sort((a, b) => a - b)[Math.floor(ys.length / 2)]?.toFixed(2);
    console.log(`  ${tag}: ru-ru median same ${med(sameRu.filter((r) => r.y).map(f))} diff ${med(sameRu.filter((r) => !r.y).map(f))}`);
    const cands: Candidate[] = [
      { name: `${tag} +vec`, x: (r) => [...shipped(r), f(r)], cx },
      { name: `${tag} vec for body`, x: (r) => [headline(r.p), f(r), r.p.titleBody, r.p.names], cx },
      { name: `${tag} +vec*body`, x: (r) => [...shipped(r), Math.sqrt(f(r) * r.p.body)], cx },
    ];
    for (const c of cands) line(c.name, crossValidate(c, rows));
  }
}

if (process.env.EXTRA) {
  const vecs = buildWordVectors(docs, {});
  const mc = meanFeature(vecs, true);
  const tv = meanFeature(vecs, true, 'title');
  const tvu = meanFeature(vecs, false, 'title');
  for (const c of [
    { name: 'shipped + (1 - mean c)', x: (r: Row) => [...shipped(r), 1 - mc(r)], cx },
    { name: 'shipped + title vec c', x: (r: Row) => [...shipped(r), tv(r)], cx },
    { name: 'shipped + title vec', x: (r: Row) => [...shipped(r), tvu(r)], cx },
    { name: 'max(headline, title vec c)', x: (r: Row) => [Math.max(headline(r.p), tv(r)), r.p.body, r.p.titleBody, r.p.names], cx },
    { name: 'shipped + title vec c * names', x: (r: Row) => [...shipped(r), Math.sqrt(tv(r) * r.p.names)], cx },
    { name: 'shipped + mean c * names', x: (r: Row) => [...shipped(r), Math.sqrt(mc(r) * r.p.names)], cx },
  ]) line(c.name, crossValidate(c, rows));
}
// BLIND=1: each candidate fitted on all pooled pairs, scored once on the blind heldout-4 (read at the end of the study, not tuned on)
if (process.env.BLIND) {
  const blind = loadPooled(shared, ['heldout-4']).filter((r) => r.set === 'heldout-4');
  const vecs = buildWordVectors(docs, {});
  const mc = meanFeature(vecs, true);
  const sf = softFeature(vecs, 0.5, 10, 2);
  for (const c of [
    { name: 'shipped form', x: shipped, cx },
    { name: '+ mean vec c', x: (r: Row) => [...shipped(r), mc(r)], cx },
    { name: '+ mean vec c * body', x: (r: Row) => [...shipped(r), Math.sqrt(mc(r) * r.p.body)], cx },
    { name: '+ soft .5/10/2', x: (r: Row) => [...shipped(r), sf(r)], cx },
  ] as Candidate[]) {
    const decide = fitCandidate(c, rows);
    const ok = blind.map((r) => (decide(r) >= 0 === r.y ? 1 : 0));
    const by = (k: (r: Row) => string) => [...tally(blind, ok, k)].map(([g, [a, n]]) => `${g} ${pct(a / n)} (${n})`).join(', ');
    console.log(`heldout-4 ${c.name.padEnd(22)} ${by((r) => r.langs)}; ${by((r) => (r.y ? 'same' : 'diff'))}`);
  }
}
if (process.env.SPECIFIC) {
  const vecs = buildWordVectors(docs, {});
  for (const gamma of [1, 2, 4]) {
    const f = specificFeature(vecs, gamma);
    console.log(`specific g${gamma}: AUC same-lang ${auc(rows.filter((r) => r.p.sameLanguage), f).toFixed(3)} ru-ru ${auc(rows.filter((r) => r.langs === 'ru-ru'), f).toFixed(3)} dev ${auc(rows.filter((r) => r.set === 'dev'), f).toFixed(3)}`);
    for (const c of [
      { name: `specific g${gamma} +`, x: (r: Row) => [...shipped(r), f(r)], cx },
      { name: `specific g${gamma} for body`, x: (r: Row) => [headline(r.p), f(r), r.p.titleBody, r.p.names], cx },
    ]) line(c.name, crossValidate(c, rows));
  }
}
if (process.env.AUC) {
  const vecs = buildWordVectors(docs, {});
  const feats: [string, Feat][] = [
    ['body', (r) => r.p.body],
    ['title', (r) => headline(r.p)],
    ['titleBody', (r) => r.p.titleBody],
    ['names', (r) => r.p.names],
    ['mean', meanFeature(vecs, false)],
    ['mean c', meanFeature(vecs, true)],
    ['soft .5/10', softFeature(vecs, 0.5, 10, 2)],
  ];
  for (const [group, rs] of [
    ['ru-ru', rows.filter((r) => r.langs === 'ru-ru')],
    ['dev ru-ru', rows.filter((r) => r.langs === 'ru-ru' && r.set === 'dev')],
    ['dev all', rows.filter((r) => r.set === 'dev')],
    ['same-lang', rows.filter((r) => r.p.sameLanguage)],
  ] as const) console.log(`AUC ${group} (${rs.length}, ${rs.filter((r) => r.y).length} same): ${feats.map(([n, f]) => `${n} ${auc(rs, f).toFixed(3)}`).join(', ')}`);
}
