// CPU per conditional request of a warm cycle, alone: the product's fetcher against the farm (a
// child process) answering 304 to every feed, 64 requests in flight (the bench's per-host limit),
// no queue or store. Beside it `undici.request` bare (the floor the fetcher's own work sits on).
// Reports CPU µs per request of this process (process.cpuUsage), each round and the median.
//
//   npx tsx bench/warm-fetch.ts [--feeds 1000] [--rounds 9] [--bare]
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { farmFeed, type FarmSpec } from './farm/content.js';
import { startFarmProcess } from './farm/client.js';
import { createHttpFeedFetcher } from '../src/adapters/http-feed/fetcher.js';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '9' },
    bare: { type: 'boolean', default: false },
  },
});
const feeds = Number(values.feeds);
const rounds = Number(values.rounds);
const spec: FarmSpec = { feeds, items: 1, start: Date.UTC(2026, 11, 1), seed: 1 };
const inFlight = 64;
const farm = await startFarmProcess(spec);
const urls = Array.from({ length: feeds }, (_, i) => farm.feedUrl(i));
const now = new Date(spec.start);

async function lanes(f: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < feeds; i = next++) await f(i);
    }),
  );
}

async function measure(label: string, f: (i: number) => Promise<void>): Promise<void> {
  await lanes(f); // warm-up: connections, JIT
  const us: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    await lanes(f);
    const c = process.cpuUsage(c0);
    us.push((c.user + c.system) / feeds);
  }
  const sorted = [...us].sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} median ${sorted[Math.floor(rounds / 2)]!.toFixed(1).padStart(6)} µs/request  (rounds: ${us.map((u) => u.toFixed(0)).join(' ')})`);
}

// Validators of every feed, from one full fetch.
const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true, perHostConcurrency: inFlight });
const validators: { etag: string | null; lastModified: string | null }[] = [];
await lanes(async (i) => {
  const o = await fetcher.fetch({ url: urls[i]!, outletId: farmFeed(i).outletId, now, etag: null, lastModified: null });
  if (o.kind !== 'ok') throw new Error(`feed ${i}: ${o.kind}`);
  validators[i] = { etag: o.validators.etag ?? null, lastModified: o.validators.lastModified ?? null };
});

let notModified = 0;
await measure('fetcher.fetch (304)', async (i) => {
  const o = await fetcher.fetch({ url: urls[i]!, outletId: farmFeed(i).outletId, now, ...validators[i]! });
  if (o.kind === 'not-modified') notModified += 1;
});
if (notModified !== feeds * (rounds + 1)) throw new Error(`${notModified} 304s, want ${feeds * (rounds + 1)}`);

if (values.bare) {
  const agent = new Agent({ connections: inFlight, keepAliveTimeout: 4_000 });
  await measure('undici.request bare (304)', async (i) => {
    const res = await request(urls[i]!, { dispatcher: agent, headers: { 'if-none-match': validators[i]!.etag ?? '' } });
    await res.body.dump();
  });
  await agent.close();
}
await fetcher.close();
await farm.close();
process.exit(0);
