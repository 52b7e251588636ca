// A digest of the poll path's output (parse + normalise) over the feeds corpus and the farm's
// documents: run it before and after a change to the poll path to prove the items identical.
// Each document's outcome (items, or the error kind) is hashed in order; `--list` prints a digest
// per document, to find the first that differs.
//
//   npx tsx bench/items-digest.ts [--corpus ../shared/corpus/feeds] [--feeds 1000] [--items 20] [--list]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { farmFeed, initialItems, renderItem, renderRss, type FarmSpec } from './farm/content.js';
import { parseFeedDocument } from '../src/adapters/http-feed/parse.js';
import { normaliseItems } from '../src/core/feed/parse/normalise.js';
import { describeDocument, listCorpusDocuments } from '../test/corpus/expectations.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpus/feeds' },
    feeds: { type: 'string', default: '1000' },
    items: { type: 'string', default: '20' },
    list: { type: 'boolean', default: false },
  },
});

async function outcomeOf(bytes: Uint8Array, url: string, contentType: string | null, outletId: string, now: Date): Promise<string> {
  try {
    const r = await parseFeedDocument(bytes, { url, contentType });
    if (!r.ok) return JSON.stringify({ code: r.code, message: r.message, discovered: r.discovered ?? null });
    const head = { title: r.feed.title ?? null, parser: r.parser, encoding: r.encoding, conflict: r.charsetConflict ?? null };
    return JSON.stringify({ ...head, items: normaliseItems(r.feed, { feedUrl: url, outletId, now }) });
  } catch (e) {
    return JSON.stringify({ crash: String(e) });
  }
}

async function digest(label: string, docs: AsyncIterable<{ name: string; out: Promise<string> }> | Iterable<{ name: string; out: Promise<string> }>): Promise<void> {
  const all = createHash('sha256');
  let n = 0;
  let items = 0;
  for await (const d of docs) {
    const out = await d.out;
    items += (JSON.parse(out) as { items?: unknown[] }).items?.length ?? 0;
    all.update(`${d.name}\n${out}\n`);
    if (values.list) console.log(`${createHash('sha256').update(out).digest('hex').slice(0, 12)} ${d.name}`);
    n += 1;
  }
  console.log(`${label}: ${n} documents, ${items} items, digest ${all.digest('hex').slice(0, 16)}`);
}

const root = values.corpus;
if (existsSync(root)) {
  const now = new Date('2030-01-01T00:00:00Z');
  await digest(
    'corpus',
    listCorpusDocuments(root).map((p) => {
      const doc = describeDocument(root, p);
      return { name: doc.rel, out: outcomeOf(readFileSync(doc.path), doc.url, doc.contentType, 'corpus', now) };
    }),
  );
} else console.log(`corpus: not found at ${root}`);

const spec: FarmSpec = { feeds: Number(values.feeds), items: Number(values.items), start: Date.UTC(2026, 11, 1), seed: 1 };
const base = 'http://127.0.0.1:8080';
await digest(
  'farm',
  (function* () {
    for (let i = 0; i < spec.feeds; i++) {
      const f = farmFeed(i);
      const xml = renderRss(f, initialItems(spec, i).reverse().map((m) => renderItem(spec, m, base)), base, spec.start);
      const url = `${base}/feeds/${f.id}.xml`;
      yield { name: url, out: outcomeOf(Buffer.from(xml, 'utf8'), url, 'application/rss+xml; charset=utf-8', f.outletId, new Date(spec.start)) };
    }
  })(),
);
