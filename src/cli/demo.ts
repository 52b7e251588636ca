// `steppewatch demo [--once]`: the whole pipeline on bundled sample feeds served on loopback, on
// a throwaway Redis and a temp folder of its own (whatever REDIS_URL says: the user's data is
// never touched), with alerts on the console. --once exits after the first alerts, the
// follow-up and the `/story kazakhstan` answer are printed; without it the demo keeps serving
// (feeds, the web view) until Ctrl-C. The web view is on with signed links (WEB_AUTH=token and
// a throwaway secret); HTTP_PORT (default: a free port) and PUBLIC_URL are honoured, and the
// seed story's page is printed as `Story: <url>`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { RedisNotInstalledError, redisServerInstalled, spawnRedis, type SpawnedRedis } from '../adapters/redis/spawn.js';
import { createConsoleNotifier } from '../adapters/console/notifier.js';
import { replyToText } from '../core/alert/text.js';
import { createContainer, type Container } from '../main/container.js';
import { startApp, type App } from '../main/app.js';
import { dataDir } from '../main/paths.js';
import { loadSampleFeeds, sampleFeedsFile, startSampleFeedServer } from './demo-feeds.js';
import { answerStory } from './story-cli.js';
import { createLinker, webAuthFrom } from '../adapters/web/access.js';
import { storyPath } from '../adapters/web/pages.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Resolves when no job is waiting, running or delayed in analyse/deliver and none waits or runs in poll (scheduled polls stay delayed). */
export async function waitUntilIdle(c: Container, timeoutMs: number, extra?: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  while (Date.now() < deadline) {
    const [p, a, d] = await Promise.all([
      c.queues.poll.getJobCounts('wait', 'active', 'prioritized'),
      c.queues.analyse.getJobCounts('wait', 'active', 'delayed', 'prioritized'),
      c.queues.deliver.getJobCounts('wait', 'active', 'delayed', 'prioritized'),
    ]);
    const busy = [p, a, d].some((x) => Object.values(x).some((n) => n > 0));
    const ready = !busy && (extra ? await extra() : true);
    calm = ready ? calm + 1 : 0;
    if (calm >= 3) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

/** The seed story of the sample feeds (the "color revolution" one), else the first alerted. */
function seedStoryId(file: string): string | null {
  if (!existsSync(file)) return null;
  const recs = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; storyId: string; framings?: { tag: string }[] });
  const alerts = recs.filter((r) => r.kind === 'alert');
  return (alerts.find((r) => r.framings?.some((f) => f.tag === 'color-revolution')) ?? alerts[0])?.storyId ?? null;
}

function countAlerts(file: string): { alerts: number; followups: number } {
  if (!existsSync(file)) return { alerts: 0, followups: 0 };
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  let alerts = 0;
  let followups = 0;
  for (const l of lines) {
    const k = (JSON.parse(l) as { kind: string }).kind;
    if (k === 'alert') alerts += 1;
    else if (k === 'followup') followups += 1;
  }
  return { alerts, followups };
}

/**
 * Exit codes: 0 done; 1 the demo failed (no alert in time); 3 no redis-server (thrown: the CLI
 * prints the install hint). Whatever happens — a missing redis-server, an error, Ctrl-C — the
 * feed server, Redis and the temp folder are gone when this returns or throws.
 */
export async function runDemo(o: { once: boolean }, io: Io): Promise<number> {
  // Before anything is started or written: without redis-server there is no demo.
  if (!redisServerInstalled()) throw new RedisNotInstalledError();
  const started = Date.now();
  const say = (s: string) => io.stdout.write(`${s}\n`);
  // Ctrl-C (or SIGTERM) at any point ends the demo through the cleanup below.
  let onSignal!: () => void;
  const signalled = new Promise<'signal'>((resolve) => {
    onSignal = () => resolve('signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const untilSignal = <T>(p: Promise<T>) => Promise.race([p, signalled]);

  const dir = mkdtempSync(join(tmpdir(), 'steppewatch-demo-'));
  let feedServer: Awaited<ReturnType<typeof startSampleFeedServer>> | undefined;
  let redis: SpawnedRedis | undefined;
  let c: Container | undefined;
  let app: App | undefined;
  let code = 0;
  try {
    const feeds = loadSampleFeeds(dataDir());
    feedServer = await startSampleFeedServer(feeds, started);
    const feedsFile = join(dir, 'feeds.yaml');
    writeFileSync(feedsFile, sampleFeedsFile(feeds, feedServer));

    // The demo's own settings; chat credentials are dropped so alerts go to the console.
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of Object.keys(env)) if (/^(SLACK|DISCORD)_/.test(k)) delete env[k];
    Object.assign(env, {
      REDIS_URL: '',
      FEEDS_FILE: feedsFile,
      ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
      POLL_MIN_INTERVAL_SECONDS: '5',
      POLL_MAX_INTERVAL_SECONDS: '30',
      HTTP_PORT: process.env.HTTP_PORT?.trim() || '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The web view, with signed links under a secret that lives as long as this demo.
      WEB_AUTH: 'token',
      WEB_SECRET: randomBytes(32).toString('hex'),
    });
    const config = { ...loadConfig({ env, dotenv: false }), varDir: dir };
    const log = createLogger({ level: config.LOG_LEVEL });

    say('steppewatch demo: sample feeds on loopback → poll → analyse → stories → alerts (console)');
    say(`  feeds: ${feeds.map((f) => f.outlet).join(', ')} — served at ${feedServer.url}`);
    say(`  a throwaway Redis and records in ${dir}`);

    // Its own process group: Ctrl-C stops the app first, then Redis (the cleanup below).
    redis = await spawnRedis({ dir: join(dir, 'redis'), socket: join(dir, 'redis.sock'), ownProcessGroup: true });
    c = await createContainer({ config, log, redisUrl: redis.url });
    const alertsFile = c.alertsFile;
    app = await startApp(c, {
      roles: ['worker', 'scheduler', 'bot'],
      notifiers: { console: createConsoleNotifier({ recordFile: alertsFile, out: io.stdout }) },
      httpHost: '127.0.0.1',
    });
    try {
      const first = await untilSignal(waitUntilIdle(c, 90_000, async () => countAlerts(alertsFile).alerts > 0));
      if (first === 'signal') return code;
      if (!first) throw new Error('no alert within 90 s; run with LOG_LEVEL=info to see why');
      say('\n… a day later, RT carries the same story. Polling RT again:');
      feedServer.release();
      await c.scheduler.pollNow('rt-en', 'manual');
      const followed = await untilSignal(waitUntilIdle(c, 60_000, async () => countAlerts(alertsFile).followups > 0));
      if (followed === 'signal') return code;
      if (!followed) say('(no follow-up arrived within 60 s)');

      const { reply } = await answerStory(c, 'kazakhstan');
      say(`\n$ /story kazakhstan\n${replyToText(reply)}`);
      const n = countAlerts(alertsFile);
      say(`\n${n.alerts} alert(s) and ${n.followups} follow-up(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      const seed = seedStoryId(alertsFile);
      const base = config.PUBLIC_URL ?? `http://127.0.0.1:${app.http?.port}`;
      if (seed && app.http) say(`Story: ${createLinker(webAuthFrom(config), c.clock, base)(storyPath(seed))}`);
      if (!o.once) {
        say(`Still watching the sample feeds; the web view and /metrics at ${base}. Ctrl-C to stop.`);
        await signalled;
      }
    } catch (e) {
      io.stderr.write(`demo: ${(e as Error).message}\n`);
      code = 1;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await app?.stop(10_000).catch(() => {});
    await c?.close().catch(() => {});
    await redis?.stop().catch(() => {});
    await feedServer?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  return code;
}
