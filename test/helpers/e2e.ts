// End-to-end runs of `steppewatch start` as a deployment runs it: a child process configured
// only through environment variables, a loopback feed that retells the seed story (dated now),
// and fake chat platforms.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { cleanEnv, spawnCli } from './cli.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from './feed-server.js';
import { freePort } from './global-setup.js';
import { testRedisUrl, uniquePrefix } from './redis.js';

/** Hostile text in a Central Asia item: it must reach the channel inert. */
export const HOSTILE_TITLE = 'Tokayev meets Mirziyoyev in Tashkent <!channel> <!here> @everyone <@U0ADMIN> <https://evil.example|click>';

export async function seedStoryFeed(): Promise<{ server: TestFeedServer; feedsFile: string }> {
  const server = await startFeedServer();
  const now = Date.now();
  server.set(
    '/news.xml',
    rss('Central Asia desk', [
      { ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt/1', date: new Date(now - 5 * 60_000), source: 'Global Times' },
      { ...SEED_RETOLD.rt, link: 'https://example.org/rt/1', date: new Date(now - 60_000), source: 'RT' },
      { title: 'Apple unveils a thinner laptop', text: 'The company showed a thinner laptop with a faster chip in California on Tuesday.', link: 'https://example.org/apple', date: new Date(now - 2 * 60_000), source: 'Reuters' },
      { title: HOSTILE_TITLE, text: 'Kazakh President Kassym-Jomart Tokayev met Uzbek President Shavkat Mirziyoyev in Tashkent to discuss water sharing on the Syr Darya. @here <!everyone>', link: 'https://example.org/kz/2', date: new Date(now - 3 * 60_000), source: 'Kazinform' },
    ]),
  );
  const dir = mkdtempSync(join(tmpdir(), 'sw-e2e-'));
  const feedsFile = join(dir, 'feeds.yaml');
  writeFileSync(feedsFile, YAML.stringify([{ url: server.url('/news.xml'), outlet: 'Central Asia Desk', language: 'en', affiliation: 'unknown' }]));
  return { server, feedsFile };
}

export interface Running {
  child: ChildProcess;
  port: number;
  stderr(): string;
  alive(): boolean;
  stop(): Promise<number | null>;
}

/** `steppewatch start` with exactly `env` (plus PATH/HOME and a Redis key prefix of its own). */
export async function startSteppewatch(envOrFn: Record<string, string> | ((port: number) => Record<string, string>), cwd: string): Promise<Running> {
  const port = await freePort();
  // A function gets the port first (for settings that name it, such as PUBLIC_URL).
  const env = typeof envOrFn === 'function' ? envOrFn(port) : envOrFn;
  const child = spawnCli(['start'], {
    cwd,
    env: cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: uniquePrefix('e2e'), HTTP_PORT: String(port), LOG_LEVEL: 'info', ...env }),
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.resume();
  let exited = false;
  const exit = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      exited = true;
      r(code);
    }),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`steppewatch start exited early:\n${err}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`steppewatch start not ready:\n${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    port,
    stderr: () => err,
    alive: () => !exited,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      return exit;
    },
  };
}

export async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
