// Measures the Redis story store's write path (not a test; run by hand):
//
//   npx tsx bench/story-write-path.ts [--n 5000] [--concurrency 8]
//       [--store <module path>] [--articles <cache.json>] [--out <assignments.json>] [--compare <assignments.json>]
//
// It makes N Central Asia articles from the bench farm's grammar (the items the benchmark serves:
// one republic each, five languages, 35% framed), analyses them with the default analyzer (cached
// in --articles so that runs before and after a change see the same input), spawns a private
// redis-server (AOF on, Unix socket, as the bench's), and assigns them:
//  1. one at a time, counting the commands the client sends and the round trips per article
//     (ioredis's sendCommand wrapped; a round trip = a batch of commands sent in one turn of the
//     event loop), and recording the story of every article (--out; --compare checks another
//     run's assignments are the same);
//  2. `concurrency` at a time on a fresh prefix, timed: assigns/s, CPU µs of this process and of
//     Redis per assign, and the commands Redis ran (INFO commandstats: scripts' inner calls too);
//  3. (`--passes many`) assignMany in batches of --batch, timed the same way; --compare checks its
//     assignments too.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { farmFeed, initialItemMeta, itemPlainText, renderItem, type FarmSpec } from './farm/content.js';
import { defaultAnalyzer } from '../src/adapters/analysis-data.js';
import { connectRedis } from '../src/adapters/redis/connection.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import type { createRedisStoryStore as CreateStore } from '../src/adapters/redis/story-store.js';
import { isCentralAsia } from '../src/core/routing/subscription.js';
import type { AnalysisResult, Article } from '../src/core/types.js';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    store: { type: 'string' },
    articles: { type: 'string', default: join(tmpdir(), 'steppewatch-story-measure-articles.json') },
    out: { type: 'string' },
    compare: { type: 'string' },
    /** Which passes to run: `seq`, `conc`, `many` (assignMany in batches of --batch); default seq,conc. */
    passes: { type: 'string', default: 'seq,conc' },
    batch: { type: 'string', default: '100' },
  },
});
const N = Number(opt.n);
const CONC = Number(opt.concurrency);

interface Item {
  article: Article;
  analysis: AnalysisResult;
}

// ── input: the farm's Central Asia items, analysed (cached) ──
const SPEC: FarmSpec = { feeds: 4000, items: 20, start: Date.parse('2026-11-24T12:00:00Z'), seed: 7 };
function makeItems(n: number): Item[] {
  const analyzer = defaultAnalyzer();
  const now = new Date(SPEC.start);
  const out: Item[] = [];
  for (let feed = 0; feed < SPEC.feeds && out.length < n; feed++) {
    for (let seq = SPEC.items - 1; seq >= 0 && out.length < n; seq--) {
      const m = initialItemMeta(SPEC, feed, seq);
      if (!m.country) continue;
      const it = renderItem(SPEC, m, 'http://127.0.0.1');
      const { title, text } = itemPlainText(it);
      const f = farmFeed(feed);
      const published = new Date(m.publishedMs).toISOString();
      const analysis = analyzer.analyze({ id: it.guid, title, text, url: it.link, outlet: f.outlet, published, language: m.lang }, now);
      if (!isCentralAsia(analysis)) continue;
      out.push({
        article: { id: it.guid, feedId: f.id, outletId: f.outletId, outlet: f.outlet, affiliation: f.affiliation, url: it.link, title, text, published, publishedEstimated: false, firstSeen: now.toISOString() },
        analysis,
      });
    }
  }
  return out;
}
let items: Item[];
if (existsSync(opt.articles!) && (JSON.parse(readFileSync(opt.articles!, 'utf8')) as Item[]).length >= N) {
  items = (JSON.parse(readFileSync(opt.articles!, 'utf8')) as Item[]).slice(0, N);
} else {
  items = makeItems(N);
  writeFileSync(opt.articles!, JSON.stringify(items));
}

// ── counting what the client sends ──
interface CommandLike {
  name: string;
  args: unknown[];
}
let counting = false;
let rtts = 0;
let batchOpen = false;
const sent = new Map<string, number>();
let argBytes = 0;
const proto = Redis.prototype as unknown as { sendCommand(this: Redis, c: CommandLike, ...rest: unknown[]): unknown };
const original = proto.sendCommand;
proto.sendCommand = function (this: Redis, c: CommandLike, ...rest: unknown[]) {
  if (counting) {
    sent.set(c.name, (sent.get(c.name) ?? 0) + 1);
    for (const a of c.args) argBytes += typeof a === 'string' ? Buffer.byteLength(a) : Buffer.isBuffer(a) ? a.length : 8;
    if (!batchOpen) {
      batchOpen = true;
      rtts += 1;
      setImmediate(() => (batchOpen = false));
    }
  }
  return original.call(this, c, ...rest);
};

const dir = mkdtempSync(join(tmpdir(), 'sw-story-measure-'));
const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
const redis = connectRedis(server.url, { name: 'measure' });
const info = async (section: string) => {
  const out = new Map<string, string>();
  for (const line of (await redis.info(section)).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
};
const redisCpu = async () => {
  const m = await info('cpu');
  return Number(m.get('used_cpu_user')) + Number(m.get('used_cpu_sys'));
};
const serverCalls = async () => {
  const m = await info('commandstats');
  const out: Record<string, number> = {};
  const usec: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of m) {
    const calls = Number(/calls=(\d+)/.exec(v)?.[1] ?? 0);
    out[k.replace('cmdstat_', '')] = calls;
    usec[k.replace('cmdstat_', '')] = Number(/usec=(\d+)/.exec(v)?.[1] ?? 0);
    total += calls;
  }
  return { total, by: out, usec };
};

const modPath = opt.store ? resolve(opt.store) : resolve('src/adapters/redis/story-store.ts');
const { createRedisStoryStore } = (await import(pathToFileURL(modPath).href)) as { createRedisStoryStore: typeof CreateStore };
const nowOf = (i: number) => new Date(SPEC.start + i * 50);

try {
  // 1. one at a time, counted
  if (opt.passes!.includes('seq')) {
    const keys = makeKeys('m1');
    const store = createRedisStoryStore({ redis, keys });
    const assigned: Record<string, string> = {};
    let created = 0;
    await redis.config('RESETSTAT');
    const cpu0 = await redisCpu();
    const pc0 = process.cpuUsage();
    const t0 = performance.now();
    counting = true;
    for (let i = 0; i < items.length; i++) {
      const r = await store.assign(items[i]!.article, items[i]!.analysis, nowOf(i));
      assigned[items[i]!.article.id] = r.storyId;
      if (r.created) created += 1;
    }
    counting = false;
    const secs = (performance.now() - t0) / 1000;
    const pc = process.cpuUsage(pc0);
    const cpu = (await redisCpu()) - cpu0;
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    console.log(`sequential: ${items.length} articles, ${created} stories, ${secs.toFixed(2)} s = ${Math.round(items.length / secs)}/s; CPU per assign: client ${((pc.user + pc.system) / items.length).toFixed(0)} µs, redis ${((cpu * 1e6) / items.length).toFixed(0)} µs`);
    console.log(`  per article: ${(total / items.length).toFixed(1)} commands sent, ${(rtts / items.length).toFixed(2)} round trips, ${(argBytes / items.length / 1024).toFixed(1)} KB of arguments`);
    console.log(`  commands: ${[...sent.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / items.length).toFixed(2)}`).join(', ')}`);
    const tt = performance.now();
    const trimmed = await store.trim(new Date(SPEC.start + 100 * 86_400_000));
    console.log(`  trim() 100 days later: ${JSON.stringify(trimmed)} in ${(performance.now() - tt).toFixed(0)} ms; keys left: ${await redis.dbsize()}`);
    if (opt.out) writeFileSync(opt.out, JSON.stringify(assigned));
    if (opt.compare) {
      const other = JSON.parse(readFileSync(opt.compare, 'utf8')) as Record<string, string>;
      const diff = Object.keys(assigned).filter((id) => other[id] !== assigned[id]);
      console.log(`  compared with ${opt.compare}: ${diff.length} of ${Object.keys(assigned).length} articles assigned differently${diff.length ? ` (e.g. ${diff.slice(0, 3).join(', ')})` : ''}`);
    }
    await redis.flushall();
  }

  // 3. assignMany in batches, timed
  if (opt.passes!.includes('many')) {
    const B = Number(opt.batch);
    const store = createRedisStoryStore({ redis, keys: makeKeys('m3') });
    await redis.config('RESETSTAT');
    const cpu0 = await redisCpu();
    const pc0 = process.cpuUsage();
    const t0 = performance.now();
    const assigned: Record<string, string> = {};
    let created = 0;
    for (let i = 0; i < items.length; i += B) {
      const batch = items.slice(i, i + B);
      const res = await store.assignMany(batch, nowOf(i + batch.length - 1));
      res.forEach((r, j) => {
        assigned[batch[j]!.article.id] = r.storyId;
        if (r.created) created += 1;
      });
    }
    const secs = (performance.now() - t0) / 1000;
    const pc = process.cpuUsage(pc0);
    const cpu = (await redisCpu()) - cpu0;
    console.log(`assignMany (batches of ${B}): ${items.length} articles in ${secs.toFixed(2)} s = ${Math.round(items.length / secs)}/s, ${created} stories; CPU per assign: client ${((pc.user + pc.system) / items.length).toFixed(0)} µs, redis ${((cpu * 1e6) / items.length).toFixed(0)} µs`);
    if (opt.compare) {
      const other = JSON.parse(readFileSync(opt.compare, 'utf8')) as Record<string, string>;
      const diff = Object.keys(assigned).filter((id) => other[id] !== assigned[id]);
      console.log(`  compared with ${opt.compare}: ${diff.length} of ${Object.keys(assigned).length} articles assigned differently`);
    }
    await redis.flushall();
  }

  // 2. `CONC` at a time, timed
  if (opt.passes!.includes('conc')) {
    const keys = makeKeys('m2');
    const store = createRedisStoryStore({ redis, keys });
    await redis.config('RESETSTAT');
    const cpu0 = await redisCpu();
    const calls0 = await serverCalls();
    const pc0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    let created = 0;
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        while (next < items.length) {
          const i = next++;
          const r = await store.assign(items[i]!.article, items[i]!.analysis, nowOf(i));
          if (r.created) created += 1;
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const pc = process.cpuUsage(pc0);
    const calls = await serverCalls();
    const cpu = (await redisCpu()) - cpu0;
    const mem = await info('memory');
    const inScript = calls.total - calls0.total - (calls.by.evalsha ?? 0) - (calls.by.eval ?? 0) - (calls.by.info ?? 0) - (calls.by.config ?? 0);
    console.log(`concurrent (${CONC}): ${items.length} assigns in ${secs.toFixed(2)} s = ${Math.round(items.length / secs)}/s, ${created} stories`);
    console.log(`  CPU per assign: client ${((pc.user + pc.system) / items.length).toFixed(0)} µs, redis ${((cpu * 1e6) / items.length).toFixed(0)} µs`);
    const per = (x: number) => (x / items.length).toFixed(x / items.length < 10 ? 2 : 0);
    console.log(`  redis per assign, calls (µs): ${Object.keys(calls.by).filter((k) => !['info', 'config'].includes(k)).sort((a, b) => calls.usec[b]! - calls.usec[a]!).map((k) => `${k} ${per(calls.by[k]!)} (${per(calls.usec[k]!)})`).join(', ')}`);
    console.log(`  redis ran per assign: ${(inScript / items.length).toFixed(1)} data commands (incl. inside scripts), ${(((calls.by.evalsha ?? 0) + (calls.by.eval ?? 0)) / items.length).toFixed(2)} scripts; used_memory ${mem.get('used_memory_human')}, keys ${await redis.dbsize()}`);
  }
} finally {
  await redis.quit();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
