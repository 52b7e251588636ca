// storyAssignmentsPerSecond for the bench JSON (issue 15): the Redis story store's batch entry
// point (assignMany, the pipeline's path) over a warm candidate index.
//
// The index is warmed with `warm` stored articles (default 40,000): the farm's Central Asia items,
// analysed once, filed again under other ids, an hour further back per round, so the candidate
// sets, document frequencies and stories are those of a busy window. Then `articles` fresh items
// are assigned in batches of `batch`, timed. Figures: wall-clock articles/s, and CPU per article of
// this process and of Redis (on a shared machine the wall clock says more about the neighbours).
// `storyAssignmentsPerSecond` is the one-core figure: articles / (client + Redis CPU seconds) —
// what one core doing nothing else would assign.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_WINDOW_HOURS } from '../src/core/story/decide.js';
import { loadMirror } from '../src/adapters/redis/story-mirror.js';
import { luaScript } from '../src/adapters/redis/scripts.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { defaultAnalyzer } from '../src/adapters/analysis-data.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { createRedisStoryStore, type AssignInput } from '../src/adapters/redis/story-store.js';
import { isCentralAsia } from '../src/core/routing/subscription.js';
import { partShares, PARTS, type CpuProfile, type Part } from './story-rate-parts.js';
import { farmFeed, initialItemMeta, itemPlainText, renderItem, type FarmSpec } from './farm/content.js';

export interface StoryRateOptions {
  redisUrl: string;
  /**
   * Also Redis time by script (SLOWLOG at 0 µs during the timed part). Off by default: logging
   * every command is itself Redis CPU (1,059 -> 1,532 µs an article measured), so the rate's
   * own figures are taken without it.
   */
  byScript?: boolean;
  /** Stored articles before the timed part. Default 40 000. */
  warm?: number;
  /** Articles timed. Default 2 000. */
  articles?: number;
  /** Articles per assignMany. Default 100. */
  batch?: number;
  /** Called around the timed part (a CPU profiler, by hand). */
  timed?: { start(): Promise<void>; stop(): Promise<void> };
  /** Given the timed articles' story ids in input order (`--out`: the decisions, to compare two builds). */
  storyIds?: (ids: string[]) => void;
  /**
   * Also where the client CPU goes (story-rate-parts.ts): a CPU profile of the timed part split into
   * engine, mirror, vectors, records, Redis client, assigner, GC. The profiler costs CPU of its
   * own, so a run with it says the split, not the rate. Ignored with `timed` (one profiler at a time).
   */
  parts?: boolean;
}

export interface StoryRate {
  /** Articles per second of one core: articles / (client + Redis CPU seconds). */
  storyAssignmentsPerSecond: number;
  wallPerSecond: number;
  clientCpuUsPerArticle: number;
  redisCpuUsPerArticle: number;
  articles: number;
  batch: number;
  warmArticles: number;
  /** Redis CPU per article by command (INFO commandstats, µs; a script's inner calls under their own names too). */
  redisUsPerArticleByCommand: Record<string, number>;
  /** Redis commands per article by command (INFO commandstats calls; a script's inner calls too), to 0.1. */
  redisCallsPerArticleByCommand: Record<string, number>;
  /** Redis time per article by script and top-level command (SLOWLOG at 0 µs: a script's time includes its inner calls). */
  /** Only with `byScript` (SLOWLOG at 0 µs costs Redis CPU of its own: ~+40% per article here). */
  redisUsPerArticleByScript?: Record<string, number>;
  /**
   * The assigner's candidate index in memory (adapters/redis/story-mirror.ts) after the timed part,
   * as a process starting then builds it from the change log: the build's wall and CPU time, its heap (MB,
   * measured after a full GC), its candidate sets and entries, and the log's entries.
   */
  mirror?: { coldLoadMs: number; coldLoadCpuMs: number; heapMB: number; sets: number; entries: number; logEntries: number };
  /** Only with `parts`: client CPU µs an article by part (the profile's shares of `clientCpuUsPerArticle`). */
  clientUsPerArticleByPart?: Record<Part, number>;
}

/** A full GC (for heap figures), when V8 lets the flag be set at run time. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}

/** What a process starting now builds its candidate index from: time, heap, size. */
async function measureMirror(redis: Redis, keys: ReturnType<typeof makeKeys>): Promise<NonNullable<StoryRate['mirror']>> {
  const gc = fullGc();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const m = await loadMirror(redis, keys, DEFAULT_WINDOW_HOURS * 3_600_000);
  const c = process.cpuUsage(c0);
  const coldLoadMs = Math.round(performance.now() - t0);
  const coldLoadCpuMs = Math.round((c.user + c.system) / 1000);
  gc();
  const heapMB = Math.round(((process.memoryUsage().heapUsed - h0) / 2 ** 20) * 10) / 10;
  const st = m.sets.stats();
  return { coldLoadMs, coldLoadCpuMs, heapMB, sets: st.sets, entries: st.entries, logEntries: await redis.xlen(keys.storyLog) };
}

/** The store's scripts by SHA-1 (to name EVALSHA entries of the slow log). */
function scriptNames(): Map<string, string> {
  const dir = new URL('../src/adapters/redis/scripts/', import.meta.url);
  const out = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.lua')) continue;
    const name = f.slice(0, -4);
    out.set(createHash('sha1').update(luaScript(name)).digest('hex'), name);
  }
  return out;
}

/** A CPU profile (inspector, this thread) around the timed part, handed to `done`. */
function profiled(done: (p: CpuProfile) => void): NonNullable<StoryRateOptions['timed']> {
  const session = new Session();
  return {
    start: async () => {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      done(profile as CpuProfile);
      session.disconnect();
    },
  };
}

/** A sampling heap profile (inspector, this thread) around the timed part, garbage included, written to `file`. */
function allocSampled(file: string): NonNullable<StoryRateOptions['timed']> {
  const session = new Session();
  return {
    start: async () => {
      session.connect();
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    },
    stop: async () => {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const START = Date.parse('2026-11-24T12:00:00Z');

/** The farm's Central Asia items, analysed (the bench farm's grammar, as bench/story-write-path.ts). */
export function centralAsiaItems(n: number, seed = 7): AssignInput[] {
  const spec: FarmSpec = { feeds: 4000, items: 20, start: START, seed };
  const analyzer = defaultAnalyzer();
  const now = new Date(START);
  const out: AssignInput[] = [];
  for (let feed = 0; feed < spec.feeds && out.length < n; feed++) {
    for (let seq = spec.items - 1; seq >= 0 && out.length < n; seq--) {
      const m = initialItemMeta(spec, feed, seq);
      if (!m.country) continue;
      const it = renderItem(spec, m, 'http://127.0.0.1');
      const { title, text } = itemPlainText(it);
      const f = farmFeed(feed);
      const published = new Date(m.publishedMs).toISOString();
      const analysis = analyzer.analyze({ id: it.guid, title, text, url: it.link, outlet: f.outlet, published, language: m.lang }, now);
      if (!isCentralAsia(analysis)) continue;
      out.push({ article: { id: it.guid, feedId: f.id, outletId: f.outletId, outlet: f.outlet, affiliation: f.affiliation, url: it.link, title, text, published, publishedEstimated: false, firstSeen: now.toISOString() }, analysis });
    }
  }
  return out;
}

/** Warms a store: `base`'s items under other ids, an hour further back per round, `warm` in all. */
export async function warmIndex(store: { assignMany(items: readonly AssignInput[], now: Date): Promise<unknown> }, base: readonly AssignInput[], warm: number): Promise<void> {
  for (let round = 1, filed = 0; filed < warm; round++) {
    const shift = round * 3_600_000;
    const copies = base.slice(0, Math.min(base.length, warm - filed)).map((x) => {
      const published = new Date(Date.parse(x.article.published) - shift).toISOString();
      return { ...x, article: { ...x.article, id: `${x.article.id}~w${round}`, published } };
    });
    for (let i = 0; i < copies.length; i += 200) await store.assignMany(copies.slice(i, i + 200), new Date(START - shift));
    filed += copies.length;
  }
}

export const STORY_RATE_START = START;

async function commandUsec(redis: Redis, what: 'usec' | 'calls' = 'usec'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const re = new RegExp(`^cmdstat_([^:]+):.*\\b${what}=(\\d+)`);
  for (const line of (await redis.info('commandstats')).split('\r\n')) {
    const m = re.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_user') + v('used_cpu_sys');
}

export async function measureStoryAssignments(o: StoryRateOptions): Promise<StoryRate> {
  const warm = o.warm ?? 40_000;
  const n = o.articles ?? 2_000;
  const batch = o.batch ?? 100;
  const base = centralAsiaItems(n);
  const redis = new Redis(o.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const keys = makeKeys(`bench-story-${process.pid}-${Date.now()}`);
  const store = createRedisStoryStore({ redis, keys });
  let profile: CpuProfile | null = null;
  const timed = o.timed ?? (o.parts ? profiled((p) => (profile = p)) : undefined);
  try {
    await warmIndex(store, base, warm);
    await timed?.start();
    const cmd0 = await commandUsec(redis);
    const calls0 = await commandUsec(redis, 'calls');
    const slowlog = (await redis.config('GET', 'slowlog-log-slower-than', 'slowlog-max-len')) as string[];
    if (o.byScript) {
      await redis.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '200000');
      await redis.slowlog('RESET');
    }
    const cpu0 = await redisCpuSeconds(redis);
    const pc0 = process.cpuUsage();
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < base.length; i += batch) for (const r of await store.assignMany(base.slice(i, i + batch), new Date(START))) ids.push(r.storyId);
    const wall = (performance.now() - t0) / 1000;
    const pc = process.cpuUsage(pc0);
    const redisCpu = (await redisCpuSeconds(redis)) - cpu0;
    await timed?.stop();
    o.storyIds?.(ids);
    const byCommand: Record<string, number> = {};
    for (const [k, us] of [...(await commandUsec(redis))].sort((a, b) => b[1] - (cmd0.get(b[0]) ?? 0) - (a[1] - (cmd0.get(a[0]) ?? 0)))) {
      const per = Math.round((us - (cmd0.get(k) ?? 0)) / base.length);
      if (per > 0 && k !== 'info') byCommand[k] = per;
    }
    const entries = o.byScript ? ((await redis.slowlog('GET', -1)) as [number, number, number, string[]][]) : [];
    if (o.byScript) await redis.config('SET', slowlog[0]!, slowlog[1]!, slowlog[2]!, slowlog[3]!);
    const names = scriptNames();
    const byScript = new Map<string, number>();
    for (const [, , us, args] of entries) {
      const cmd = String(args[0]).toLowerCase();
      const name = cmd === 'evalsha' ? (names.get(String(args[1])) ?? 'evalsha ?') : cmd;
      if (name === 'info' || name === 'config' || name === 'slowlog') continue;
      byScript.set(name, (byScript.get(name) ?? 0) + us);
    }
    const scriptPer: Record<string, number> = {};
    for (const [k, us] of [...byScript].sort((a, b) => b[1] - a[1])) scriptPer[k] = Math.round(us / base.length);
    const callsPer: Record<string, number> = {};
    for (const [k, c] of await commandUsec(redis, 'calls')) {
      const per = Math.round(((c - (calls0.get(k) ?? 0)) * 10) / base.length) / 10;
      if (per > 0 && k !== 'info') callsPer[k] = per;
    }
    const client = (pc.user + pc.system) / 1e6;
    const mirror = await measureMirror(redis, keys);
    const clientUs = (client * 1e6) / base.length;
    const shares = profile ? partShares(profile) : null;
    return {
      storyAssignmentsPerSecond: Math.round(base.length / (client + redisCpu)),
      wallPerSecond: Math.round(base.length / wall),
      clientCpuUsPerArticle: Math.round((client * 1e6) / base.length),
      redisCpuUsPerArticle: Math.round((redisCpu * 1e6) / base.length),
      articles: base.length,
      batch,
      warmArticles: warm,
      redisUsPerArticleByCommand: byCommand,
      redisCallsPerArticleByCommand: callsPer,
      ...(o.byScript ? { redisUsPerArticleByScript: scriptPer } : {}),
      mirror,
      ...(shares ? { clientUsPerArticleByPart: Object.fromEntries(PARTS.map((k) => [k, Math.round(shares[k] * clientUs)])) as Record<Part, number> } : {}),
    };
  } finally {
    // the bench's Redis is its own (or a shared one): leave no keys behind
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.story('').split(':story:')[0]}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.quit();
  }
}

// By hand: `npx tsx bench/story-rate.ts [--warm 40000] [--articles 2000] [--batch 100] [--redis <url>]`
// (without --redis, a private redis-server in a temp folder). Prints the StoryRate JSON;
// `--profile <file>` writes a CPU profile of the timed part, `--alloc <file>` a sampling heap profile of it; `--out <ids.json>` the timed articles'
// story ids in input order (two builds at the same input must write the same file); `--parts`
// adds `clientUsPerArticleByPart` (engine, mirror, vectors, records, Redis client, assigner, GC:
// story-rate-parts.ts; the profiler's own cost makes such a run's rate lower).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, batch: { type: 'string', default: '100' }, redis: { type: 'string' },
      profile: { type: 'string' }, alloc: { type: 'string' }, out: { type: 'string' }, 'by-script': { type: 'boolean' }, parts: { type: 'boolean' },
    },
  });
  // --profile <file.cpuprofile>: a CPU profile of the timed part only (open in Chrome DevTools)
  // --alloc <file.heapprofile>: a sampling heap profile of the timed part, the objects collected counted (KB an article: its nodes' selfSize summed)
  const timed = values.profile ? profiled((p) => writeFileSync(values.profile!, JSON.stringify(p))) : values.alloc ? allocSampled(values.alloc) : undefined;
  const dir = values.redis ? null : mkdtempSync(join(tmpdir(), 'sw-story-rate-'));
  const server = dir ? await spawnRedis({ dir, socket: join(dir, 'redis.sock') }) : null;
  try {
    const r = await measureStoryAssignments({
      redisUrl: values.redis ?? server!.url,
      warm: Number(values.warm),
      articles: Number(values.articles),
      batch: Number(values.batch),
      ...(timed ? { timed } : {}),
      ...(values.out ? { storyIds: (ids: string[]) => writeFileSync(values.out!, JSON.stringify(ids)) } : {}),
      byScript: values['by-script'] === true,
      parts: values.parts === true,
    });
    const mem = process.memoryUsage();
    console.log(JSON.stringify({ ...r, clientHeapUsedMB: Math.round(mem.heapUsed / 2 ** 20), clientRssMB: Math.round(mem.rss / 2 ** 20) }, null, 2));
  } finally {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
