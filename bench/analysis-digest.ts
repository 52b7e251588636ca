// The analysis's output over a fixed sample, hashed, and its CPU per article: run before and
// after a change to src/core/analyse.ts or below, the digests must be equal (same output, field
// for field) and the µs say what it gained. The sample: the farm's items (every language, 10%
// Central Asia, 35% of those framed) and, when ../shared is there, the labelled corpus's texts
// (same-story pairs, Russian NER documents, EUvsDisinfo cases).
// `npx tsx bench/analysis-digest.ts [--farm 4000] [--rounds 5] [--no-corpus]`
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAnalyzer } from '../src/adapters/analysis-data.js';
import { sharedDir } from '../src/main/paths.js';
import type { AnalysisInput } from '../src/core/types.js';
import { farmFeed, itemPlainText, renderItem, type FarmSpec } from './farm/content.js';
import { sampleMetas } from './analysis.js';

const { values: o } = parseArgs({ options: { farm: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '5' }, 'no-corpus': { type: 'boolean', default: false } } });

function farmInputs(n: number): AnalysisInput[] {
  const spec: FarmSpec = { feeds: 1000, items: 20, start: Date.UTC(2026, 11, 1), seed: 1 };
  return sampleMetas(spec, n).map((m) => {
    const it = renderItem(spec, m, 'http://127.0.0.1');
    const { title, text } = itemPlainText(it);
    const f = farmFeed(m.feed);
    return { id: it.guid, title, text, url: it.link, outlet: f.outlet, published: new Date(m.publishedMs).toISOString(), language: m.lang, ...(f.country ? { country: f.country } : {}) };
  });
}

function corpusInputs(): AnalysisInput[] {
  const shared = sharedDir();
  const dir = shared ? join(shared, 'corpus', 'labelled') : null;
  if (!dir || !existsSync(dir)) return [];
  const out: AnalysisInput[] = [];
  const lines = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean) : []);
  lines('same-story-pairs-dev.jsonl').forEach((l, i) => {
    const r = JSON.parse(l) as Record<string, { title?: string; text?: string; published?: string; outlet?: string }>;
    for (const side of ['a', 'b']) {
      const a = r[side];
      if (a) out.push({ id: `pair-${i}-${side}`, title: a.title ?? '', text: a.text ?? '', outlet: a.outlet ?? 'x', ...(a.published ? { published: a.published } : {}) });
    }
  });
  lines('euvsdisinfo-cases-dev.jsonl').forEach((l) => {
    const r = JSON.parse(l) as { id: string; title?: string; summary?: string; outlet?: string };
    out.push({ id: r.id, title: r.title ?? '', text: r.summary ?? '', outlet: r.outlet ?? 'x' });
  });
  const ner = join(dir, 'nerel-ru-train');
  if (existsSync(ner)) for (const f of readdirSync(ner).filter((x) => x.endsWith('.txt')).sort()) out.push({ id: f, title: '', text: readFileSync(join(ner, f), 'utf8'), outlet: 'x', language: 'ru' });
  return out;
}

const inputs = [...farmInputs(Number(o.farm)), ...(o['no-corpus'] ? [] : corpusInputs())];
const analyzer = defaultAnalyzer();
const now = new Date(Date.UTC(2026, 11, 2));
const hash = createHash('sha256');
for (const input of inputs) hash.update(JSON.stringify(analyzer.analyze(input, now))).update('\n');
const best: number[] = [];
for (let r = 0; r < Number(o.rounds); r++) {
  const c0 = process.cpuUsage();
  for (const input of inputs) analyzer.analyze(input, now);
  const c = process.cpuUsage(c0);
  best.push((c.user + c.system) / inputs.length);
}
best.sort((a, b) => a - b);
console.log(`articles ${inputs.length}  digest ${hash.digest('hex').slice(0, 16)}  CPU µs/article best ${best[0]!.toFixed(1)} median ${best[Math.floor(best.length / 2)]!.toFixed(1)} (rounds ${best.map((x) => x.toFixed(0)).join(' ')})`);
