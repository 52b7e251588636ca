// Starting and stopping roles in one process: worker, scheduler, bot — all share the container
// and the one HTTP server. `start` runs all three; scaled deployments run one each.
import type { Worker } from 'bullmq';
import type { FeedConfig, Platform } from '../core/types.js';
import { ConfigError } from '../config.js';
import { failpoint } from '../ports/failpoints.js';
import type { HttpServer } from '../adapters/http/server.js';
import { chartRenderer, loadChartRenderer } from './charts.js';
import { createConsoleNotifier } from '../adapters/console/notifier.js';
import { createHttpFeedFetcher, type HttpFeedFetcher } from '../adapters/http-feed/fetcher.js';
import { defaultAnalyzer } from '../adapters/analysis-data.js';
import type { Notifier } from '../ports/notifier.js';
import type { Container } from './container.js';
import { startWorkers, stopWorkers, type WorkerParts } from './workers.js';
import { applyHeapGrowth } from './heap.js';
import { migrateArticleTimeIndex } from '../adapters/redis/article-store.js';
import { applyFeeds, ensureDefaultSubscriptions, readFeedsFile } from './feeds-sync.js';
import type { BotHandle } from './bot.js';
import { createFeedAdmin } from './feed-admin.js';
import { version } from './paths.js';
import { keepSchedules, roleSchedules } from './schedules.js';
import { mountWebRoutes } from '../adapters/web/routes.js';
import { webAuthFrom } from '../adapters/web/access.js';
import { createLiveVocabulary, type LiveVocabulary } from '../commands/live-vocabulary.js';
import type { ChartRenderer, TrendsSource } from '../ports/trends.js';
import type { FeedAdmin } from '../ports/feed-admin.js';
import { currentVocabulary } from './vocabulary.js';
import { linkNotifiers, storyLinksFrom } from './story-links.js';
import { containerTrendsSource } from './trends.js';

export type Role = 'worker' | 'scheduler' | 'bot';

export interface AppOptions {
  roles: Role[];
  /** Overrides for tests, the demo and the benchmark. */
  notifiers?: Partial<Record<Platform, Notifier>>;
  fetcher?: HttpFeedFetcher;
  concurrency?: WorkerParts['concurrency'];
  paceMs?: WorkerParts['paceMs'];
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Bind the HTTP server to this host (default all interfaces). */
  httpHost?: string;
  /** Skip the HTTP server (benchmark). */
  noHttp?: boolean;
  /** Console output of the console destination (default stdout). */
  consoleOut?: NodeJS.WritableStream;
  /** How often the scheduler role checks its schedules' next runs (default SCHEDULES_CHECK_MS; tests shorten it). */
  scheduleCheckMs?: number;
  /** The web view's /trends page: counters and the chart renderer (absent: "not set up"). */
  trends?: TrendsSource;
  charts?: ChartRenderer;
}

export interface App {
  http: HttpServer | null;
  workers: Worker[];
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts the roles. Anything that keeps a role from doing its job — an unreadable FEEDS_FILE
 * (ConfigError), a busy HTTP_PORT (PortInUseError), a failing role — throws after whatever had
 * started is stopped again, so the caller can exit; /readyz answers 503 until every role runs.
 */
export async function startApp(c: Container, o: AppOptions): Promise<App> {
  // First of all: the scheduler's start (20,000 feeds applied) and the worker's pipeline allocate
  // fast, and a heap V8 let grow to 4 × its live data stays that big (src/main/heap.ts).
  c.log.info({ heapGrowth: applyHeapGrowth(c.config.HEAP_GROWTH_PERCENT) }, 'V8 heap growth');
  // Read before anything starts: a scheduler without its feeds cannot do its job.
  const feeds = o.roles.includes('scheduler') ? feedsFileOrConfigError(c.config.FEEDS_FILE) : null;
  const running: Record<string, boolean> = Object.fromEntries(o.roles.map((r) => [r, false]));
  // The HTTP server (express, the queue dashboard) and the chat libraries (Bolt, discord.js) are
  // loaded only by a process that uses them: ~50 MB of RSS a worker process or the benchmark
  // (own notifiers, no HTTP) would carry for nothing (issue 16, memory).
  const httpModule = o.noHttp ? null : await import('../adapters/http/server.js');
  const http = !httpModule
    ? null
    : await httpModule.startHttpServer({
        port: c.config.HTTP_PORT,
        host: o.httpHost,
        log: c.log,
        metrics: c.metrics,
        adminToken: c.config.ADMIN_TOKEN,
        queues: c.queues,
        readiness: async () => {
          let redis = false;
          try {
            redis = (await c.redis.ping()) === 'PONG';
          } catch {
            redis = false;
          }
          return { redis, roles: { ...running } };
        },
      });

  const fetcher =
    o.fetcher ??
    createHttpFeedFetcher({ allowPrivateAddresses: c.config.ALLOW_PRIVATE_FEED_ADDRESSES, userAgent: userAgent() });
  let workers: Worker[] = [];
  let bot: BotHandle | null = null;
  const fileFeedIds = new Set<string>();
  const chat = c.config.slackEnabled || c.config.discordEnabled || o.roles.includes('bot') ? await import('./bot.js') : null;
  // "Open story" links (PUBLIC_URL) are added to every alert, follow-up, digest and answer here.
  const storyLinks = storyLinksFrom(c.config, c.clock);
  const notifiers: Partial<Record<Platform, Notifier>> = linkNotifiers(
    o.notifiers ?? {
      ...(chat ? chat.createChatNotifiers(c) : {}),
      ...(c.config.slackEnabled || c.config.discordEnabled ? {} : { console: createConsoleNotifier({ recordFile: c.alertsFile, out: o.consoleOut, charts: chartRenderer() }) }),
    },
    storyLinks,
  );
  let webVocabulary: LiveVocabulary | null = null;
  let stopSchedules = () => {};

  let stopped = false;
  const stop = async (timeoutMs = 30_000) => {
    if (stopped) return;
    stopped = true;
    for (const k of Object.keys(running)) running[k] = false;
    stopSchedules();
    await bot?.stop().catch((e: unknown) => c.log.warn({ err: e }, 'stopping the bot'));
    await stopWorkers(workers, timeoutMs, c.log);
    webVocabulary?.stop();
    await fetcher.close().catch(() => {});
    for (const n of Object.values(notifiers)) await n?.close?.().catch(() => {});
    await http?.close();
  };
  try {
    await startRoles();
  } catch (e) {
    await stop(5_000).catch((err: unknown) => c.log.warn({ err }, 'stopping after a failed start'));
    throw e;
  }
  return { http, workers, stop };

  async function startRoles(): Promise<void> {
    await failpoint('app.starting');
    if (feeds) {
      for (const f of feeds) fileFeedIds.add(f.id);
      const dests = await ensureDefaultSubscriptions(c);
      // Upgrades (design.md): data of an earlier version, migrated once with a log line.
      const indexed = await migrateArticleTimeIndex(c.redis, c.keys);
      if (indexed !== null) c.log.info({ indexed }, 'upgrade: stored articles indexed by time (for export)');
      const r = await applyFeeds(c, feeds);
      // The repeating jobs (the tick again: applyFeeds made it first), kept while the role runs (schedules.ts).
      const schedules = roleSchedules(c);
      for (const s of schedules) await s.upsert();
      stopSchedules = keepSchedules(schedules, c.log, o.scheduleCheckMs, { redis: c.redis, queue: c.queues.spikes });
      c.log.info({ feeds: feeds.length, added: r.added.length, defaultDestinations: dests }, 'scheduler: feeds applied');
      running.scheduler = true;
    } else {
      for (const f of safeFeedIds(c)) fileFeedIds.add(f);
    }

    if (o.roles.includes('worker')) {
      workers = startWorkers(c, {
        analyzer: defaultAnalyzer(),
        analysisThreads: c.config.ANALYSIS_THREADS,
        fetcher,
        notifiers,
        ...(o.concurrency ? { concurrency: o.concurrency } : {}),
        ...(o.paceMs ? { paceMs: o.paceMs } : {}),
        ...(o.lockDurationMs ? { lockDurationMs: o.lockDurationMs } : {}),
        ...(o.stalledIntervalMs ? { stalledIntervalMs: o.stalledIntervalMs } : {}),
      });
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      running.worker = true;
    }

    const feedAdmin: FeedAdmin = createFeedAdmin({
      feeds: c.stores.feeds,
      scheduler: c.scheduler,
      fetcher,
      fileFeedIds: () => fileFeedIds,
      allowPrivate: c.config.ALLOW_PRIVATE_FEED_ADDRESSES,
      pollMinSeconds: c.config.POLL_MIN_INTERVAL_SECONDS,
      clock: c.clock,
    });
    if (o.roles.includes('bot')) {
      bot = await (chat ?? (await import('./bot.js'))).startBot(c, { app: http?.app ?? null, feedAdmin, storyLinks });
      running.bot = true;
    }
    const auth = webAuthFrom(c.config);
    // WEB_AUTH off: the pages are not mounted, so they answer the server's 404.
    if (http && auth.mode !== 'off') {
      webVocabulary = await createLiveVocabulary(() => currentVocabulary(c));
      mountWebRoutes(http.app, {
        auth,
        stories: c.stores.stories,
        vocabulary: webVocabulary,
        feeds: { list: () => feedAdmin.list(), nextPolls: (ids) => c.scheduler.nextPolls(ids) },
        trends: o.trends ?? containerTrendsSource(c),
        // The pages draw SVGs synchronously: echarts is loaded now (a worker never loads it).
        charts: o.charts ?? (await loadChartRenderer()),
        clock: c.clock,
        log: c.log.child({ part: 'web' }),
      });
    }
    if (http && httpModule) httpModule.finishRoutes(http.app);
  }
}

/** FEEDS_FILE's feeds; a file that cannot be read or parsed is bad configuration (exit 2). */
export function feedsFileOrConfigError(path: string): FeedConfig[] {
  try {
    return readFeedsFile(path);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** Identifies the bot to publishers, with where to read about it. */
export function userAgent(): string {
  return `steppewatch/${version()} (feed reader; +https://github.com/steppewatch/steppewatch)`;
}

/** The feeds file's ids, for `/feeds remove` to say a file feed returns; unreadable → none. */
function safeFeedIds(c: Container): string[] {
  try {
    return readFeedsFile(c.config.FEEDS_FILE).map((f) => f.id);
  } catch {
    return [];
  }
}
