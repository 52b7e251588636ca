// Distributional word vectors studied for the story engine (issue 15 item 2, quality-3 pass of 2026-12-07):
// stems (the engine's own `contentTerms`) that occur near each other in unlabelled news text get
// near vectors, so two retellings of one event that share few stems ("взрыв"/"прогремел"/"газ")
// can still score close. Positive PMI of co-occurrence within a window, then a truncated SVD.
// The SVD is written here rather than taken from a library: the matrix is sparse (a few hundred
// thousand non-zeros), only ~64 dimensions are wanted, and the dense SVDs on npm (ml-matrix and the
// like) would need the V x V matrix in memory; a randomized range finder (Halko, Martinsson, Tropp
// 2011) needs only sparse products and one small symmetric eigenproblem (Jacobi, below).
// Texts: NEREL v1.1 Russian Wikinews (CC BY 2.5) and the news items of permissively licensed feeds
// in ../shared/corpus/feeds (MIT/BSD/Apache), never the labelled pairs or our hand-written sets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentTerms } from '../../src/core/story/text.js';
// mulberry32, deterministic, so the data file rebuilds byte for byte
import { rng } from '../../bench/farm/rng.js';

export interface VectorOptions {
  dims?: number;
  window?: number;
  minCount?: number;
  maxVocab?: number;
  /** Context-distribution smoothing of PMI (Levy, Goldberg, Dagan 2015). */
  alpha?: number;
  /** Singular values to this power scale the vectors (0: U alone). */
  power?: number;
  seed?: number;
}

/** Texts of the unlabelled corpus: title + text per document. */
export function corpusTexts(shared: string): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  const nerel = join(shared, 'corpus/labelled/nerel-ru-train');
  for (const f of readdirSync(nerel).filter((x) => x.endsWith('.txt')).sort()) out.push({ source: 'nerel', text: readFileSync(join(nerel, f), 'utf8') });
  const feeds: [string, string][] = [
    ['rss-parser', 'corpus/feeds/rss-parser/test/input/guardian.rss'],
    ['prof18', 'corpus/feeds/prof18-rss-parser/rssparser/src/commonTest/resources/feed-test-ru.xml'],
    ['prof18', 'corpus/feeds/prof18-rss-parser/rssparser/src/commonTest/resources/feed-test-multiple-image-and-video.xml'],
  ];
  for (const [source, path] of feeds) {
    const xml = readFileSync(join(shared, path), 'utf8');
    for (const item of xml.match(/<item[\s>][\s\S]*?<\/item>/gu) ?? []) {
      const field = (name: string) =>
        (new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'u').exec(item)?.[1] ?? '')
          .replace(/<!\[CDATA\[|\]\]>/gu, '')
          .replace(/&lt;[\s\S]*?&gt;|<[^>]+>/gu, ' ')
          .replace(/&[a-z#0-9]+;/gu, ' ');
      out.push({ source, text: `${field('title')}\n${field('description')}` });
    }
  }
  return out;
}

/** Sparse symmetric matrix as rows of (column, value). */
interface Sparse {
  n: number;
  cols: Int32Array[];
  vals: Float64Array[];
}

/** Y = M X for dense X (n x l, row-major). */
function mul(m: Sparse, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(m.n * l);
  for (let i = 0; i < m.n; i++) {
    const c = m.cols[i]!;
    const v = m.vals[i]!;
    for (let k = 0; k < c.length; k++) {
      const off = c[k]! * l;
      const w = v[k]!;
      for (let j = 0; j < l; j++) y[i * l + j] = y[i * l + j]! + w * x[off + j]!;
    }
  }
  return y;
}

/** Orthonormalises the columns of X (n x l) in place (modified Gram-Schmidt). */
function orth(x: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += x[i * l + j]! * x[i * l + p]!;
      for (let i = 0; i < n; i++) x[i * l + j] = x[i * l + j]! - d * x[i * l + p]!;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * l + j]! ** 2;
    s = Math.sqrt(s) || 1;
    for (let i = 0; i < n; i++) x[i * l + j] = x[i * l + j]! / s;
  }
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): values and vectors (columns). */
function jacobi(a0: number[][]): { values: number[]; vectors: number[][] } {
  const n = a0.length;
  const a = a0.map((r) => [...r]);
  const v: number[][] = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: a.map((r, i) => r[i]!), vectors: v };
}

/** Word vectors (unit length) for the corpus's frequent stems. */
export function buildWordVectors(docs: readonly string[], o: VectorOptions = {}): Map<string, Float32Array> {
  const dims = o.dims ?? 64;
  const window = o.window ?? 8;
  const alpha = o.alpha ?? 0.75;
  const power = o.power ?? 0.5;
  const seqs = docs.map((t) => contentTerms(t));
  const freq = new Map<string, number>();
  for (const s of seqs) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const vocab = [...freq].filter(([, c]) => c >= (o.minCount ?? 3)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.maxVocab ?? 20000).map(([w]) => w);
  const index = new Map(vocab.map((w, i) => [w, i]));
  const n = vocab.length;
  const co = new Map<number, number>();
  for (const s of seqs) {
    const ids = s.map((w) => index.get(w) ?? -1);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0) continue;
      for (let j = i + 1; j <= i + window && j < ids.length; j++) {
        if (ids[j]! < 0 || ids[j] === ids[i]) continue;
        const w = 1 / (j - i);
        const [a, b] = [ids[i]!, ids[j]!];
        co.set(a * n + b, (co.get(a * n + b) ?? 0) + w);
        co.set(b * n + a, (co.get(b * n + a) ?? 0) + w);
      }
    }
  }
  const row = new Float64Array(n);
  let total = 0;
  for (const [k, v] of co) {
    row[Math.floor(k / n)] = row[Math.floor(k / n)]! + v;
    total += v;
  }
  const ctx = Array.from(row, (r) => r ** alpha);
  const ctxTotal = ctx.reduce((s, x) => s + x, 0);
  const cols: number[][] = vocab.map(() => []);
  const vals: number[][] = vocab.map(() => []);
  for (const [k, v] of co) {
    const [a, b] = [Math.floor(k / n), k % n];
    const pmi = Math.log((v / total) / ((row[a]! / total) * (ctx[b]! / ctxTotal)));
    if (pmi > 0) {
      cols[a]!.push(b);
      vals[a]!.push(pmi);
    }
  }
  const m: Sparse = { n, cols: cols.map((c) => Int32Array.from(c)), vals: vals.map((v) => Float64Array.from(v)) };
  // randomized range finder with power iterations (the PPMI matrix is symmetric: M^T = M)
  const l = dims + 16;
  const r = rng(o.seed ?? 1);
  let y: Float64Array = new Float64Array(n * l).map(() => r() - 0.5);
  y = mul(m, y, l);
  orth(y, n, l);
  for (let it = 0; it < 3; it++) {
    y = mul(m, y, l);
    orth(y, n, l);
  }
  // B = Q^T M (l x n); B B^T = Q^T M M Q = (MQ)^T (MQ)
  const mq = mul(m, y, l);
  const g: number[][] = [...Array(l)].map(() => new Array<number>(l).fill(0));
  for (let i = 0; i < n; i++) for (let p = 0; p < l; p++) for (let q = p; q < l; q++) g[p]![q] = g[p]![q]! + mq[i * l + p]! * mq[i * l + q]!;
  for (let p = 0; p < l; p++) for (let q = 0; q < p; q++) g[p]![q] = g[q]![p]!;
  const { values, vectors } = jacobi(g);
  const orderIdx = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, dims).map(([, i]) => i);
  // left singular vectors U = Q W, singular values sqrt(eigenvalues)
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < n; i++) {
    const v = new Float32Array(dims);
    orderIdx.forEach((e, d) => {
      let s = 0;
      for (let p = 0; p < l; p++) s += y[i * l + p]! * vectors[p]![e]!;
      v[d] = s * Math.max(0, values[e]!) ** (power / 2); // sigma^power, sigma = sqrt(eigenvalue)
    });
    const len = Math.hypot(...v) || 1;
    for (let d = 0; d < dims; d++) v[d] = v[d]! / len;
    out.set(vocab[i]!, v);
  }
  return out;
}
