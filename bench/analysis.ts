// The analysis alone, on one core: defaultAnalyzer() over a sample of the farm's items, in this
// process, with no Redis, queue or I/O. Also checks the analysis against the farm's ground truth
// (the expected alerts assume the analysis finds the country and the framing the farm wrote).
import { defaultAnalyzer } from '../src/adapters/analysis-data.js';
import type { AnalysisInput } from '../src/core/types.js';
import { farmFeed, initialItemMeta, itemPlainText, renderItem, type FarmSpec, type ItemMeta } from './farm/content.js';

export interface GroundTruthAgreement {
  /** Central Asia items in the sample, and those whose countries are exactly the one written. */
  centralAsia: number;
  countryExact: number;
  /** Framed items, and those whose framings are exactly the one written. */
  framed: number;
  tagExact: number;
  /** Central Asia items below the default relevance floor (0.3): they would not alert. */
  belowRelevanceFloor: number;
  /** Unrelated items that came out as Central Asia or framed. */
  falsePositives: number;
}

export interface AnalysisFigure {
  articles: number;
  /** Articles per second, one per timed pass. */
  runs: number[];
  /** Mean UTF-8 size of the analysed text, bytes. */
  meanTextBytes: number;
  agreement: GroundTruthAgreement;
}

/** Items spread evenly over the farm's feeds and positions (every k-th in feed order). */
export function sampleMetas(spec: FarmSpec, n: number): ItemMeta[] {
  const total = spec.feeds * spec.items;
  const step = Math.max(1, Math.floor(total / n));
  const out: ItemMeta[] = [];
  for (let k = 0; k < total && out.length < n; k += step) out.push(initialItemMeta(spec, Math.floor(k / spec.items), k % spec.items));
  return out;
}

export function measureAnalysis(spec: FarmSpec, o: { sample: number; repeats: number; minRelevance: number }): AnalysisFigure {
  const analyzer = defaultAnalyzer();
  const metas = sampleMetas(spec, o.sample);
  const inputs: AnalysisInput[] = metas.map((m) => {
    const it = renderItem(spec, m, 'http://127.0.0.1');
    const { title, text } = itemPlainText(it);
    return { id: it.guid, title, text, url: it.link, outlet: farmFeed(m.feed).outlet, published: new Date(m.publishedMs).toISOString(), language: m.lang, ...(farmFeed(m.feed).country ? { country: farmFeed(m.feed).country } : {}) };
  });
  const now = new Date(spec.start);
  const meanTextBytes = inputs.reduce((n, i) => n + Buffer.byteLength(i.text ?? '') + Buffer.byteLength(i.title ?? ''), 0) / Math.max(1, inputs.length);

  // Warm-up (JIT, lazily built tables), untimed; it also checks the ground truth.
  const agreement: GroundTruthAgreement = { centralAsia: 0, countryExact: 0, framed: 0, tagExact: 0, belowRelevanceFloor: 0, falsePositives: 0 };
  inputs.forEach((input, i) => {
    const m = metas[i]!;
    const a = analyzer.analyze(input, now);
    const tags = a.framings.map((f) => f.tag);
    if (m.country) {
      agreement.centralAsia += 1;
      if (a.countries.length === 1 && a.countries[0] === m.country) agreement.countryExact += 1;
      if (a.relevance < o.minRelevance) agreement.belowRelevanceFloor += 1;
      if (m.tag) {
        agreement.framed += 1;
        if (tags.length === 1 && tags[0] === m.tag) agreement.tagExact += 1;
      }
    } else if (a.countries.length > 0 || a.regional || tags.length > 0) {
      agreement.falsePositives += 1;
    }
  });

  const runs: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    const t0 = performance.now();
    for (const input of inputs) analyzer.analyze(input, now);
    runs.push(inputs.length / ((performance.now() - t0) / 1000));
  }
  return { articles: inputs.length, runs, meanTextBytes, agreement };
}
