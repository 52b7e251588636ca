// The web view's server time at size: `webStoryMs` of the bench JSON. Run by `steppewatch bench`
// after its sessions, or alone: `npx tsx bench/web.ts [--articles 40000]` (needs redis-server).
//
// It fills a Redis story store (a key prefix of its own) with ARTICLES articles through the
// store's own assign(): ~3 articles a story, each from another outlet, across the five countries
// and the framing tags, over the last 60 days, plus the seed story (Global Times, then RT quoting
// it) analysed by the real analyzer. The analyses of the filler are made up (country, tags,
// entities, one quote), not run: what is measured is the page, not the analysis. Then the web
// routes run on an express server on loopback with token access, and story pages (random stories
// and the seed) and searches (/story's queries: words, a name in Cyrillic, an outlet, a country
// with a window, Boolean) are requested one at a time. Server time = from the request reaching
// express to the response's last byte handed to the socket (a middleware's hrtime), so the
// client's own parsing is not counted.
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { connectRedis } from '../src/adapters/redis/connection.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../src/adapters/redis/story-store.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { defaultAnalyzer, loadAnalyzerData } from '../src/adapters/analysis-data.js';
import { createLogger } from '../src/adapters/log.js';
import { mountWebRoutes } from '../src/adapters/web/routes.js';
import { createLinker, type WebAuth } from '../src/adapters/web/access.js';
import { storyPath } from '../src/adapters/web/pages.js';
import { vocabularyFromData } from '../src/commands/vocabulary-from-data.js';
import { applyHeapGrowth } from '../src/main/heap.js';
import type { AnalysisResult, Article, FeedConfig } from '../src/core/types.js';
import { SYNTHETIC_COUNTRIES, syntheticStoryItem } from './synthetic-stories.js';

export interface WebStoryFigure {
  /** Story pages and searches together, ms of server time. */
  p50: number;
  p99: number;
  samples: number;
  /** cpu*: this process's CPU over a request; redisCpuMs: the Redis server's CPU a request (mean over the rounds, INFO cpu). */
  story: { p50: number; p99: number; samples: number; cpuP50: number; cpuP99: number; redisCpuMs: number };
  search: { p50: number; p99: number; samples: number; cpuP50: number; cpuP99: number; redisCpuMs: number };
  /** Each query of the search mix: server time p50/max, ms, and how many stories it found. */
  queries: Record<string, { p50: number; max: number; cpuP50: number; found: number }>;
  /** Each measuring round's story and search p99 (the spread on a shared machine). */
  rounds: { storyP99: number; searchP99: number }[];
  /**
   * V8's collections over the measuring rounds (perf_hooks 'gc' entries): pauses, their ms, the
   * mark-compact ones among them, and how many ms of pause fell inside story and search requests.
   */
  gc: { pauses: number; ms: number; majorPauses: number; majorMs: number; maxMs: number; inStoryMs: number; inSearchMs: number };
  /** This process's heap when measuring: used after the fill, MB, and V8's heap growth (HEAP_GROWTH_PERCENT) if set. */
  heap: { usedMB: number; growthPercent: number | null; retainedMB: number };
  articles: number;
  stories: number;
  fillSeconds: number;
}

const TOPICS = ['water talks', 'gas pipeline', 'border incident', 'election campaign', 'railway deal', 'drought', 'media law', 'protest', 'power plant', 'grain exports', 'bank reform', 'tariff dispute'];
// Story-specific words, so that filler stories are as distinct as real ones (the store's candidate
// search would otherwise compare every article with thousands of near-identical ones).
const WORDS = [
  'amber basin cedar delta ember falcon garnet harbor indigo jasper kestrel lagoon meadow nickel orchid pepper quartz raven saffron timber',
  'umber violet willow yarrow zephyr anchor bramble copper dune fjord glacier heron iris juniper kelp lotus marble nectar onyx prairie',
  'quill reef sable thistle tundra valley wheat yucca acorn birch canyon dahlia elm fern grove hazel ivy jade kiwi lilac',
  'maple nutmeg olive pine quince rye sage tulip vine walnut',
].join(' ').split(' ');
const word = (k: number, salt: number) => WORDS[(k * 2654435761 + salt * 40503) % WORDS.length >>> 0]!;
const OUTLETS = Array.from({ length: 60 }, (_, i) => ({
  id: `outlet-${i}`,
  name: `Outlet ${i}`,
  affiliation: i % 3 === 0 ? `state:${['RU', 'CN', 'KZ', 'US'][i % 4]}` : i % 3 === 1 ? 'independent' : 'unknown',
}));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100 : 0;
}

/** A made-up article of story `k`, copy `j` (another outlet per copy). */
function filler(k: number, j: number, now: number): { article: Article; analysis: AnalysisResult } {
  const w = (k: number) => [word(k, 1), word(k, 2), word(k, 3), word(k >> 3, 4)].join(' ');
  return syntheticStoryItem(
    {
      idPrefix: 'bw',
      countries: SYNTHETIC_COUNTRIES,
      topics: TOPICS,
      outlet: (k, j) => {
        const o = OUTLETS[(k * 7 + j * 13) % OUTLETS.length]!;
        return { ...o, affiliation: o.affiliation as Article['affiliation'] };
      },
      published: (k, j) => now - ((k * 977) % (60 * 86_400_000 / 1000)) * 1000 - j * 3_600_000,
      titleWords: (k) => `${w(k)} ${k}`,
      quote: ({ c, topic, k }) => `${c.person} said the ${topic} (${w(k)}) in ${c.city} was decided by ${c.name} alone, case ${k}.`,
      summary: (quote, topic) => `${quote} More on the ${topic}.`,
      url: ({ outletId, k, j }) => `https://example.org/${outletId}/${k}/${j}`,
      countryEntity: true,
    },
    k,
    j,
  );
}

export async function measureWebStory(o: {
  redisUrl: string;
  articles?: number;
  say?: (s: string) => void;
  /** Measuring rounds over the one store (default 1). */
  rounds?: number;
  /** A fixed key prefix kept afterwards, and reused when a run of the same size filled it. */
  keep?: string;
  /** Around the measuring rounds (a CPU profiler, by hand). */
  around?: { start(): Promise<void>; stop(): Promise<void> };
  /** Described in the figure (`heap`): what the caller set up (web.ts alone: --heap-growth, --retain). */
  heapGrowthPercent?: number | null;
  retainedMB?: number;
}): Promise<WebStoryFigure> {
  const n = o.articles ?? 40_000;
  const say = o.say ?? (() => {});
  const redis = connectRedis(o.redisUrl, { name: 'bench-web' });
  const keys = makeKeys(o.keep ?? `bw${Date.now().toString(36)}`);
  const stories = createRedisStoryStore({ redis, keys, windowHours: 72, retentionDays: 90 });
  const nowMs = Date.now();
  const now = new Date(nowMs);
  let server: Server | null = null;
  try {
    // The seed story, analysed for real.
    const analyzer = defaultAnalyzer();
    const seedItems = [
      {
        id: 'seed-gt',
        outletId: 'global-times',
        outlet: 'Global Times',
        affiliation: 'state:CN',
        title: 'China opposes external forces stirring a "color revolution" in Kazakhstan, defense minister tells Tokayev',
        text:
          'China firmly opposes external forces deliberately instigating a "color revolution" in Kazakhstan, said Chinese Minister of National ' +
          'Defense Wei Fenghe during his visit to Nur-Sultan, where he met Kazakh President Kassym-Jomart Tokayev on Monday.',
        at: nowMs - 26 * 3_600_000,
      },
      {
        id: 'seed-rt',
        outletId: 'rt',
        outlet: 'RT',
        affiliation: 'state:RU',
        title: 'China warns of color revolution in Kazakhstan',
        text:
          'According to the Global Times, China\'s defense minister Wei Fenghe warned against "color revolutions" after meeting Kazakh ' +
          'President Kassym-Jomart Tokayev. However, he did not provide any evidence.',
        at: nowMs - 2 * 3_600_000,
      },
    ];
    let seedId = '';
    const filledKey = `${keys.prefix}:bench-web:filled`;
    const filled = o.keep ? await redis.get(filledKey) : null;
    const reused = filled ? (JSON.parse(filled) as { n: number; ids: string[]; seedId: string; fillSeconds: number }) : null;
    if (reused && reused.n !== n) throw new Error(`web bench: prefix ${keys.prefix} holds ${reused.n} articles, not ${n}`);
    for (const s of reused ? [] : seedItems) {
      const published = new Date(s.at).toISOString();
      const { id, outletId, outlet, title, text } = s;
      const affiliation = s.affiliation as Article['affiliation'];
      const article: Article = { id, feedId: `${outletId}-en`, outletId, outlet, affiliation, url: `https://example.org/${id}`, title, text, published, publishedEstimated: false, firstSeen: published };
      const analysis = analyzer.analyze({ id: s.id, title: s.title, text: s.text, published, outlet: s.outlet }, now);
      seedId = (await stories.assign(article, analysis, now)).storyId;
    }
    // A story lock busy past its wait (a loaded machine) is retried, as the analyse job would be.
    const assignRetrying = async (article: Article, analysis: AnalysisResult): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return (await stories.assign(article, analysis, now)).storyId;
        } catch (e) {
          if ((e as Error).name !== 'StoryLockTimeoutError' || attempt >= 5) throw e;
        }
      }
    };
    // The filler, ~3 articles a story, 8 assigns at a time.
    const t0 = Date.now();
    const perStory = 3;
    const total = reused ? 0 : n - seedItems.length;
    let next = 0;
    if (reused) seedId = reused.seedId;
    const ids = new Set<string>(reused ? reused.ids : [seedId]);
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const { article, analysis } = filler(Math.floor(i / perStory), i % perStory, nowMs);
        ids.add(await assignRetrying(article, analysis));
        if (i % 10_000 === 9_999) say(`  web bench: ${i + 1} of ${total} articles stored`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const fillSeconds = reused ? reused.fillSeconds : Math.round((Date.now() - t0) / 100) / 10;
    if (o.keep && !reused) await redis.set(filledKey, JSON.stringify({ n, ids: [...ids], seedId, fillSeconds }));

    // The routes, on loopback, with token access and a timing middleware in front.
    const app = express();
    // CPU: this process's (user + system) over the request; the client awaits meanwhile, so it is
    // the server's work plus a little of the client's (Redis's own CPU is not in it).
    const timings: { kind: string; q: string; ms: number; cpuMs: number; from: number; to: number }[] = [];
    app.use((req, res, next) => {
      const from = performance.now();
      const cpu0 = process.cpuUsage();
      res.once('finish', () => {
        const to = performance.now();
        const cpu = process.cpuUsage(cpu0);
        const q = typeof req.query.q === 'string' ? req.query.q : '';
        timings.push({ kind: req.path.startsWith('/search') ? 'search' : 'story', q, ms: to - from, cpuMs: (cpu.user + cpu.system) / 1000, from, to });
      });
      next();
    });
    const auth: WebAuth = { mode: 'token', secret: 'bench-web-secret-0123456789abcdef', ttlHours: 1 };
    const outlets = [...OUTLETS, { id: 'rt', name: 'RT', affiliation: 'state:RU' }, { id: 'global-times', name: 'Global Times', affiliation: 'state:CN' }];
    const feeds: FeedConfig[] = outlets.map((x) => ({
      id: `${x.id}-en`,
      url: `https://example.org/${x.id}.xml`,
      outlet: x.name,
      outletId: x.id,
      language: ['en'],
      affiliation: x.affiliation as FeedConfig['affiliation'],
      source: 'file',
    }));
    const vocabulary = vocabularyFromData({ gazetteer: loadAnalyzerData().gazetteer, feeds });
    mountWebRoutes(app, { auth, stories, vocabulary, clock: () => new Date(), log: createLogger({ level: 'silent' }) });
    server = createServer(app);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const link = createLinker(auth, () => new Date(), base);
    const storyIds = [...ids];
    const queries = ['color revolution', 'Вэй Фэнхэ', 'outlet:rt', 'kazakhstan 30d', 'tokayev water talks', '(kyrgyzstan OR tajikistan) NOT outlet:outlet-3', 'drought 90d', 'uzbekistan railway deal'];
    const get = async (url: string) => {
      const r = await fetch(url);
      if (r.status !== 200) throw new Error(`web bench: ${r.status} for ${url}`);
      await r.arrayBuffer();
    };
    const found = new Map<string, number>();
    for (const q of queries) {
      const r = await fetch(link('/search', { q }));
      const body = await r.text();
      found.set(q, /No stories|Nothing found/.test(body) ? 0 : Number(/— (\d+)\+? stor/.exec(body)?.[1] ?? -1));
    }
    // Warm up (JIT, connection pool), not counted.
    for (let i = 0; i < 20; i++) await get(link(storyPath(storyIds[i % storyIds.length]!)));
    for (const q of queries) await get(link('/search', { q }));
    const all: typeof timings = [];
    const rounds: WebStoryFigure['rounds'] = [];
    // V8's pauses while measuring: is a slow request the route's own work or a collection?
    const pauses: { at: number; ms: number; major: boolean }[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration, major: (e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const usedMB = Math.round(process.memoryUsage().heapUsed / 1048576);
    await o.around?.start();
    // The Redis server's CPU (user + system), ms: the server's side of a request.
    const redisCpu = async () => {
      const info = await redis.info('cpu');
      const f = (k: string) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
      return (f('used_cpu_user') + f('used_cpu_sys')) * 1000;
    };
    const redisMs = { story: 0, search: 0 };
    for (let round = 0; round < (o.rounds ?? 1); round++) {
      timings.length = 0;
      let r0 = await redisCpu();
      for (let i = 0; i < 300; i++) await get(link(storyPath(i % 10 === 0 ? seedId : storyIds[(i * 7919 + round * 31) % storyIds.length]!)));
      redisMs.story += (await redisCpu()) - r0;
      r0 = await redisCpu();
      for (let i = 0; i < 160; i++) await get(link('/search', { q: queries[i % queries.length] }));
      redisMs.search += (await redisCpu()) - r0;
      const p99 = (k: string) => pct(timings.filter((t) => t.kind === k).map((t) => t.ms), 99);
      rounds.push({ storyP99: p99('story'), searchP99: p99('search') });
      if ((o.rounds ?? 1) > 1) say(`  web bench round ${round + 1}: story p99 ${p99('story')} ms, search p99 ${p99('search')} ms`);
      all.push(...timings);
    }
    await o.around?.stop();
    await new Promise((r) => setImmediate(r)); // the last entries
    gcObserver.disconnect();
    const inKind = (k: string) => {
      let ms = 0;
      for (const t of all) if (t.kind === k) for (const g of pauses) ms += Math.max(0, Math.min(t.to, g.at + g.ms) - Math.max(t.from, g.at));
      return Math.round(ms * 10) / 10;
    };
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const gc: WebStoryFigure['gc'] = {
      pauses: pauses.length,
      ms: r1(pauses.reduce((a, g) => a + g.ms, 0)),
      majorPauses: pauses.filter((g) => g.major).length,
      majorMs: r1(pauses.filter((g) => g.major).reduce((a, g) => a + g.ms, 0)),
      maxMs: r1(Math.max(0, ...pauses.map((g) => g.ms))),
      inStoryMs: inKind('story'),
      inSearchMs: inKind('search'),
    };
    const figure = (xs: typeof timings, redisTotalMs = 0) => ({
      p50: pct(xs.map((t) => t.ms), 50),
      p99: pct(xs.map((t) => t.ms), 99),
      samples: xs.length,
      cpuP50: pct(xs.map((t) => t.cpuMs), 50),
      cpuP99: pct(xs.map((t) => t.cpuMs), 99),
      redisCpuMs: xs.length ? Math.round((redisTotalMs / xs.length) * 1000) / 1000 : 0,
    });
    const queryFigures: WebStoryFigure['queries'] = {};
    for (const q of queries) {
      const xs = all.filter((t) => t.kind === 'search' && t.q === q);
      queryFigures[q] = { p50: pct(xs.map((t) => t.ms), 50), max: pct(xs.map((t) => t.ms), 100), cpuP50: pct(xs.map((t) => t.cpuMs), 50), found: found.get(q) ?? -1 };
    }
    const both = figure(all);
    return {
      p50: both.p50,
      p99: both.p99,
      samples: both.samples,
      story: figure(all.filter((t) => t.kind === 'story'), redisMs.story),
      search: figure(all.filter((t) => t.kind === 'search'), redisMs.search),
      queries: queryFigures,
      rounds,
      gc,
      heap: { usedMB, growthPercent: o.heapGrowthPercent ?? null, retainedMB: o.retainedMB ?? 0 },
      articles: n,
      stories: storyIds.length,
      fillSeconds,
    };
  } finally {
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    // Leave nothing of ours in a Redis the caller may share (unless asked to keep it).
    for (let cursor = o.keep ? null : '0'; cursor !== null && cursor !== 'done'; ) {
      const [c, batch] = await redis.scan(cursor, 'MATCH', `${keys.prefix}:*`, 'COUNT', 1000);
      cursor = c === '0' ? 'done' : c;
      if (batch.length) await redis.unlink(...batch);
    }
    redis.disconnect();
  }
}

// Alone: a private redis-server, the figure as JSON on stdout. `--rounds K` measures K times over
// one fill; `--keep DIR` keeps the server's data in DIR (AOF) and the filled store, so that the
// next run with the same DIR and size measures without filling again (before/after a change).
// The full bench measures in its own process after the pipeline phases: V8's heap growth set to
// HEAP_GROWTH_PERCENT (50, src/main/heap.ts) and the pipeline's leftovers live. `--heap-growth P`
// sets the same growth here, `--retain MB` keeps that many MB of small live objects (the
// pipeline's live heap after a cold cycle was 87 MB in bench/results/2026-12-06-7.json), so that
// collections cost what they cost there. `--profile FILE` writes a CPU profile of the measuring rounds.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const articles = Number(arg('--articles') ?? 40_000) || 40_000;
  const rounds = Number(arg('--rounds') ?? 1) || 1;
  const keepDir = arg('--keep');
  const profile = arg('--profile');
  const growth = arg('--heap-growth') === undefined ? null : Number(arg('--heap-growth'));
  if (growth !== null) applyHeapGrowth(growth);
  const retainedMB = Number(arg('--retain') ?? 0) || 0;
  // ~100 bytes of heap an entry (an object, a short string, a small array): like a pipeline's caches.
  const retained = Array.from({ length: Math.round((retainedMB * 1048576) / 100) }, (_, i) => ({ id: `r${i}`, n: i, xs: [i, i + 1] }));
  const session = profile ? new Session() : null;
  const around = session
    ? {
        async start() {
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.start');
        },
        async stop() {
          const { profile: p } = await session.post('Profiler.stop');
          writeFileSync(profile!, JSON.stringify(p));
          session.disconnect();
        },
      }
    : undefined;
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'sw-bench-web-'));
  // A kept store is loaded from its AOF first: give it time.
  const redis = await spawnRedis({ dir: join(dir, 'redis'), socket: join(keepDir ? tmpdir() : dir, `sw-bench-web-${process.pid}.sock`), timeoutSeconds: keepDir ? 300 : 15 });
  try {
    const fig = await measureWebStory({ redisUrl: redis.url, articles, rounds, keep: keepDir ? 'bwkept' : undefined, say: (s) => process.stderr.write(`${s}\n`), around, heapGrowthPercent: growth, retainedMB });
    process.stdout.write(`${JSON.stringify({ webStoryMs: fig })}\n`);
  } finally {
    await redis.stop();
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
  // kept alive until here
  if (retainedMB) process.stderr.write(`  web bench: ${retained.length} objects (${retainedMB} MB) were kept alive while measuring\n`);
}
