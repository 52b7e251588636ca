// CPU per item of the poll path's document work, alone: the farm's documents (rendered in this
// process, as the farm renders them) through the fetcher's parse (decode, sniff, clean, nesting
// check, XML reader) and the normaliser (HTML to text, keys, dates), one core, no I/O. Beside it
// the `limit` baseline's parse (rss-parser's parseString over the same text) for scale. Reports
// CPU µs per item (process.cpuUsage, best of --rounds) and each stage's share.
//
//   npx tsx bench/fetch-parse.ts [--feeds 200] [--items 20] [--rounds 5] [--stages] [--limit] [--no-ioredis] [--alloc FILE]
//
// `--alloc FILE`: one more round under V8's sampling heap profiler (a sample every 4 KB, collected
// objects counted), written as FILE (.heapprofile; `npx tsx bench/alloc-summary.ts FILE`), and the
// KB allocated per item.
//
// ioredis is loaded first, as in every worker: it subclasses String, after which V8 (Node 20) no
// longer inlines string methods called as `s.method()` (core/memo.ts `unitAt`), so the figures are
// the workers'. `--no-ioredis` measures without it (what this bench measured before 2026-12-07).
//
// With --http the documents are fetched too, from the farm in a child process, through the
// product's fetcher (undici, SSRF guard off for loopback, streamed body): the whole fetchFeed().
import { parseArgs } from 'node:util';
import { farmFeed, initialItems, renderItem, renderRss, type FarmSpec } from './farm/content.js';
import { startFarmProcess } from './farm/client.js';
import { parseFeedDocument } from '../src/adapters/http-feed/parse.js';
import { createHttpFeedFetcher } from '../src/adapters/http-feed/fetcher.js';
import { normaliseItems } from '../src/core/feed/parse/normalise.js';
import { decodeFeedBytes } from '../src/core/feed/parse/charset.js';
import { cleanXml } from '../src/core/feed/parse/xml-clean.js';
import { measureNesting } from '../src/core/feed/parse/nesting.js';
import { parseXmlFeed } from '../src/core/feed/parse/xml-feed.js';
import { sniffDocument } from '../src/core/feed/parse/sniff.js';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    stages: { type: 'boolean', default: false },
    limit: { type: 'boolean', default: false },
    http: { type: 'boolean', default: false },
    'no-ioredis': { type: 'boolean', default: false },
    alloc: { type: 'string' },
  },
});
if (!values['no-ioredis']) await import('ioredis');
const feeds = Number(values.feeds);
const itemsPer = Number(values.items);
const rounds = Number(values.rounds);
const spec: FarmSpec = { feeds, items: itemsPer, start: Date.UTC(2026, 11, 1), seed: 1 };
const base = 'http://127.0.0.1:8080';

function cpuUs(fn: () => void | Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  return Promise.resolve(fn()).then(() => {
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  });
}

async function best(label: string, n: number, fn: () => void | Promise<void>): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < rounds; r++) runs.push(await cpuUs(fn));
  const min = Math.min(...runs);
  console.log(`${label.padEnd(34)} ${(min / n).toFixed(1).padStart(7)} µs/item  (rounds: ${runs.map((u) => (u / n).toFixed(0)).join(' ')})`);
  return min / n;
}

const now = new Date(spec.start);

if (values.http) {
  const farm = await startFarmProcess(spec);
  const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true, perHostConcurrency: 64 });
  let total = 0;
  const urls = Array.from({ length: feeds }, (_, i) => farm.feedUrl(i));
  await best('fetchFeed (undici + parse + normalise)', feeds * itemsPer, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let i = next++; i < feeds; i = next++) {
          const o = await fetcher.fetch({ url: urls[i]!, outletId: farmFeed(i).outletId, now, etag: null, lastModified: null });
          if (o.kind === 'ok') total += o.items.length;
        }
      }),
    );
  });
  console.log(`items read: ${total / rounds}`);
  await fetcher.close();
  await farm.close();
  process.exit(0);
}

const docs: { bytes: Buffer; url: string; outletId: string }[] = [];
for (let i = 0; i < feeds; i++) {
  const f = farmFeed(i);
  const xml = renderRss(f, initialItems(spec, i).reverse().map((m) => renderItem(spec, m, base)), base, spec.start);
  docs.push({ bytes: Buffer.from(xml, 'utf8'), url: `${base}/feeds/${f.id}.xml`, outletId: f.outletId });
}
const n = feeds * itemsPer;
console.log(`${feeds} feeds × ${itemsPer} items, ${(docs.reduce((s, d) => s + d.bytes.length, 0) / feeds / 1024).toFixed(1)} KB a document; best of ${rounds} rounds (CPU, one thread)`);

let count = 0;
await best('parse + normalise (the poll path)', n, async () => {
  for (const d of docs) {
    const r = await parseFeedDocument(d.bytes, { contentType: 'application/rss+xml; charset=utf-8', url: d.url });
    if (!r.ok) throw new Error(r.message);
    count += normaliseItems(r.feed, { feedUrl: d.url, outletId: d.outletId, now }).length;
  }
});
if (count !== n * rounds) throw new Error(`read ${count / rounds} items, want ${n}`);

if (values.alloc) {
  const { startHeapSampling } = await import('./cpu-profile.js');
  const stop = await startHeapSampling(4096);
  for (const d of docs) {
    const r = await parseFeedDocument(d.bytes, { contentType: 'application/rss+xml; charset=utf-8', url: d.url });
    if (r.ok) normaliseItems(r.feed, { feedUrl: d.url, outletId: d.outletId, now });
  }
  await stop(values.alloc);
  const { sumProfile } = await import('./alloc-summary.js');
  const { total } = sumProfile(JSON.parse((await import('node:fs')).readFileSync(values.alloc, 'utf8')), 'ours');
  console.log(`allocated (sampled) ${(total / 1024 / n).toFixed(2)} KB an item, written to ${values.alloc}`);
}

if (values.stages) {
  const texts = docs.map((d) => decodeFeedBytes(d.bytes, 'application/rss+xml; charset=utf-8').text);
  await best('  decode charset', n, () => void docs.forEach((d) => decodeFeedBytes(d.bytes, 'application/rss+xml; charset=utf-8')));
  await best('  sniff', n, () => void texts.forEach((t) => sniffDocument(t)));
  const cleaned = texts.map(cleanXml);
  await best('  cleanXml', n, () => void texts.forEach((t) => cleanXml(t)));
  await best('  measureNesting', n, () => void cleaned.forEach((t) => measureNesting(t, 'xml')));
  const parsed = cleaned.map((t, i) => {
    const r = parseXmlFeed(t, docs[i]!.url);
    if (!r.ok) throw new Error(r.message);
    return r.feed;
  });
  await best('  parseXmlFeed', n, () => void cleaned.forEach((t, i) => parseXmlFeed(t, docs[i]!.url)));
  await best('  normaliseItems', n, () => void parsed.forEach((f, i) => normaliseItems(f, { feedUrl: docs[i]!.url, outletId: docs[i]!.outletId, now })));
}

if (values.limit) {
  const { default: Parser } = await import('rss-parser');
  const rss = new Parser();
  await best('limit: toString + rss-parser', n, async () => {
    for (const d of docs) await rss.parseString(d.bytes.toString('utf8'));
  });
}
