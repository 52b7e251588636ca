// Machinery for the crash-window tests (test/integration/pipeline/crash-windows.test.ts,
// swap-after-crash.test.ts, root-after-crash.test.ts, poll-stall.test.ts, poison-feed.test.ts):
// a `steppewatch start` or `worker` child killed by a failpoint, a container on the same prefix
// afterwards, lapsed locks, a worker taking over; the platform fakes' settings and notifiers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/adapters/log.js';
import { createContainer, type Container } from '../../src/main/container.js';
import { startApp, type App } from '../../src/main/app.js';
import { queuePrefix } from '../../src/adapters/queues.js';
import { QUEUE_NAMES } from '../../src/ports/queue-payloads.js';
import type { Notifier } from '../../src/ports/notifier.js';
import { createSlackWebClient } from '../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../src/adapters/slack/notifier.js';
import { createDiscordRest } from '../../src/adapters/discord/rest.js';
import { createDiscordNotifier } from '../../src/adapters/discord/notifier.js';
import type { FakeSlack } from './fake-slack.js';
import { createInteractionSigner, type FakeDiscord } from './fake-discord.js';
import YAML from 'yaml';
import { cleanEnv, cliArgs } from './cli.js';
import { rss, SEED_RETOLD, startFeedServer } from './feed-server.js';
import { freePort } from './global-setup.js';
import { testRedisUrl } from './redis.js';

/** Undo steps a test registers; the test file runs them (last first) after each test. */
export type Cleanups = (() => Promise<unknown>)[];

export async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const f of cleanups.splice(0).reverse()) await f().catch(() => undefined);
}

/** `steppewatch start` as a child with `env`; resolves when it exits (the failpoint kills it). */
export async function runUntilKilled(env: Record<string, string>, timeoutMs = 60_000): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'sw-crash-cwd-'));
  const child: ChildProcess = spawn(process.execPath, cliArgs(['start']), {
    cwd,
    env: cleanEnv({ HTTP_PORT: String(await freePort()), LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child was not killed by its failpoint within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

export async function containerOn(cleanups: Cleanups, prefix: string, redisUrl = testRedisUrl(), env: Record<string, string> = {}): Promise<Container> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-crash-c-'));
  const config = {
    ...loadConfig({ env: { STEPPEWATCH_REDIS_PREFIX: prefix, ALLOW_PRIVATE_FEED_ADDRESSES: 'true', HTTP_PORT: '0', POLL_MIN_INTERVAL_SECONDS: '1', ...env }, dotenv: false, cwd: dir }),
    varDir: dir,
  };
  const c = await createContainer({ config, log: silentLogger(), redisUrl });
  cleanups.push(() => c.close());
  return c;
}

/** What a lapsed lock does, without waiting the dead worker's 60 s: its jobs' locks are gone. */
export async function expireLocks(c: Container): Promise<number> {
  let n = 0;
  for (const name of QUEUE_NAMES) {
    for (const job of await c.queues[name].getActive()) {
      n += await c.redis.del(`${queuePrefix(c.keys, name)}:${name}:${job.id}:lock`);
    }
  }
  return n;
}

/** Workers (no scheduler) on `c` that notice a lapsed lock within a fraction of a second. */
export async function takeOver(cleanups: Cleanups, c: Container, notifiers: Record<string, Notifier>, roles: ('worker' | 'scheduler')[] = ['worker']): Promise<App> {
  const app = await startApp(c, { roles, notifiers, noHttp: true, lockDurationMs: 5_000, stalledIntervalMs: 300 });
  cleanups.push(() => app.stop(5_000));
  return app;
}

export async function until<T>(what: string, f: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `steppewatch start` on the test Redis under `prefix`, killed at failpoint `point` (see
 * runUntilKilled), with the settings every crash test needs (private feed addresses, 1-s polls)
 * and `env` (the feeds file, a platform: slackEnv, discordEnv).
 */
/**
 * A real `steppewatch worker` child on the test's Redis under `prefix` (loopback feeds allowed, its
 * own HTTP port and folder), with `env` on top: its stderr gathered, `exited` its signal at exit.
 */
export async function spawnWorker(prefix: string, env: Record<string, string>): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, cliArgs(['worker']), {
    cwd: mkdtempSync(join(tmpdir(), 'sw-worker-')),
    env: cleanEnv({
      REDIS_URL: testRedisUrl(),
      STEPPEWATCH_REDIS_PREFIX: prefix,
      ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  return { child, stderr: () => stderr, exited };
}

export function runUntilKilledAt(point: string, prefix: string, env: Record<string, string>, timeoutMs?: number): ReturnType<typeof runUntilKilled> {
  return runUntilKilled(
    { REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: prefix, ALLOW_PRIVATE_FEED_ADDRESSES: 'true', POLL_MIN_INTERVAL_SECONDS: '1', STEPPEWATCH_FAILPOINTS: `${point}=kill`, ...env },
    timeoutMs,
  );
}

/** The settings of a deployment posting to the Slack fake, alerts to `channel`. */
export function slackEnv(slack: FakeSlack, token: string, channel: string, signingSecret = 'crash-secret'): Record<string, string> {
  return { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: slack.url, SLACK_DEFAULT_CHANNEL: channel };
}

/** The settings of a deployment posting to the Discord fake (REST only), alerts to `channel`. */
export function discordEnv(discord: FakeDiscord, token: string, channel: string): Record<string, string> {
  return {
    DISCORD_TOKEN: token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_PUBLIC_KEY: createInteractionSigner().publicKeyHex,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_DEFAULT_CHANNEL: channel,
    DISCORD_GATEWAY: 'false',
  };
}

/** The real Slack notifier against the fake. */
export const slackNotifierOf = (slack: FakeSlack, token: string): Notifier =>
  createSlackNotifier({ client: createSlackWebClient({ botToken: token, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() });

/** The real Discord notifier against the fake. */
export const discordNotifierOf = (discord: FakeDiscord, token: string): Notifier => createDiscordNotifier({ rest: createDiscordRest({ apiUrl: discord.apiUrl, token }), log: silentLogger() });

/** Slack's top-level messages, and the replies in threads. */
export const slackTopLevel = (slack: FakeSlack) => slack.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
export const slackReplies = (slack: FakeSlack) => slack.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);

/**
 * Two feeds of one story (the seeds): RT's article (5 min ago) at once, Global Times' (published
 * 3 h before it) once `addEarlier` is called. Returns the feeds file.
 */
export async function rtThenGlobalTimes(cleanups: Cleanups, opts: { tass?: boolean } = {}): Promise<{ file: string; addEarlier: () => void; addEarliest: () => void }> {
  const server = await startFeedServer();
  cleanups.push(() => server.close());
  const now = Date.now();
  server.set('/gt.xml', rss('GT', []));
  server.set('/rt.xml', rss('RT', [{ ...SEED_RETOLD.rt, link: 'https://example.org/rt', date: new Date(now - 5 * 60_000) }]));
  if (opts.tass) server.set('/tass.xml', rss('TASS', []));
  const file = join(mkdtempSync(join(tmpdir(), 'sw-crash-feeds-')), 'feeds.yaml');
  writeFileSync(
    file,
    YAML.stringify([
      { id: 'gt-en', url: server.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
      { id: 'rt-en', url: server.url('/rt.xml'), outlet: 'RT', language: 'en', affiliation: 'state:RU' },
      ...(opts.tass ? [{ id: 'tass-en', url: server.url('/tass.xml'), outlet: 'TASS', language: 'en', affiliation: 'state:RU' }] : []),
    ]),
  );
  const addEarlier = () =>
    server.set('/gt.xml', rss('GT', [{ ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: new Date(now - 3 * 3_600_000 - 5 * 60_000) }]));
  // A third telling, published before Global Times' (`opts.tass` only).
  const addEarliest = () => server.set('/tass.xml', rss('TASS', [{ ...TASS_TOLD, link: 'https://example.org/tass', date: new Date(now - 4 * 3_600_000) }]));
  return { file, addEarlier, addEarliest };
}

/** The seed story as a third outlet might tell it (written for these tests). */
const TASS_TOLD = {
  title: 'Chinese defense minister Wei Fenghe meets Tokayev, warns of a "color revolution" in Kazakhstan',
  text:
    'Chinese Defense Minister Wei Fenghe met Kazakh President Kassym-Jomart Tokayev in Nur-Sultan on Monday and said China opposes external forces instigating a "color revolution" in Kazakhstan. ' +
    'Wei Fenghe said Beijing firmly supports the strong measures Kazakhstan took to safeguard national security and social stability after the unrest.',
};

/** The story's two articles as stored: [Global Times', RT's] ids and the story id, once both are analysed and planned. */
export async function bothPlanned(c: Container, destination: string): Promise<{ gt: string; rt: string; storyId: string }> {
  return until(
    'both articles analysed and planned',
    async () => {
      const [story] = await c.stores.stories.recent({ since: new Date(Date.now() - 7 * 86_400_000), limit: 5 });
      const gt = story?.outlets.find((o) => o.outletId === 'global-times')?.articleId;
      const rt = story?.outlets.find((o) => o.outletId === 'rt')?.articleId;
      if (!story || !gt || !rt) return null;
      const { planned } = await c.stores.deliveries.view(destination, story.id, rt);
      const [pg, pr] = [planned.get(gt), planned.get(rt)];
      return pg === 'followup' && pr === 'alert' ? { gt, rt, storyId: story.id } : null;
    },
    40_000,
  );
}
