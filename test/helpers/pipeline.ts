// A whole steppewatch on the test Redis: a container with its own key prefix and temp folder,
// configured like the CLI would be from environment variables.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/adapters/log.js';
import { createContainer, type Container } from '../../src/main/container.js';
import type { AlertRecord } from '../../src/core/alert/values.js';
import type { MessageRef, Notifier } from '../../src/ports/notifier.js';
import type { Alert, Reply } from '../../src/core/alert/values.js';
import { testRedisUrl, uniquePrefix } from './redis.js';

export async function testContainer(env: Record<string, string> = {}): Promise<Container & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-pipe-'));
  const config = {
    ...loadConfig({
      env: { STEPPEWATCH_REDIS_PREFIX: uniquePrefix('p'), ALLOW_PRIVATE_FEED_ADDRESSES: 'true', HTTP_PORT: '0', POLL_MIN_INTERVAL_SECONDS: '1', ...env },
      dotenv: false,
      cwd: dir,
    }),
    varDir: dir,
  };
  const c = await createContainer({ config, log: silentLogger(), redisUrl: testRedisUrl() });
  return Object.assign(c, { dir });
}

export function readAlertRecords(file: string): AlertRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AlertRecord);
}

/** A notifier that records what it was asked to post; `delayMs` makes each post slow. */
export function recordingNotifier(o: { delayMs?: number } = {}) {
  const posts: { alert: Alert; thread: MessageRef | null; at: number }[] = [];
  const replies: Reply[] = [];
  let n = 0;
  const notifier: Notifier = {
    platform: 'console',
    async postAlert(alert, thread) {
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      posts.push({ alert, thread, at: Date.now() });
      n += 1;
      return { channel: 'console', messageId: String(n), threadId: thread?.threadId ?? String(n) };
    },
    async postReply(_d, reply) {
      replies.push(reply);
      n += 1;
      return { channel: 'console', messageId: String(n) };
    },
  };
  return { notifier, posts, replies };
}

/**
 * A platform that can be asked for a post by its key (as Slack's metadata lets the notifier):
 * alerts and replies alike are recorded with their key; `asked` lists the keys looked up.
 */
export function askablePlatform() {
  const posts: { key: string; ref: MessageRef }[] = [];
  const asked: string[] = [];
  const post = (key: string, thread: MessageRef | null): MessageRef => {
    const ref = { channel: 'console', messageId: String(posts.length + 1), threadId: thread?.threadId ?? String(posts.length + 1) };
    posts.push({ key, ref });
    return ref;
  };
  const notifier: Notifier = {
    platform: 'console',
    postAlert: async (alert, thread, opts) => post(opts?.key ?? alert.articleId, thread),
    postReply: async (_dest, _reply, opts) => post(opts?.key ?? '', null),
    async findPosted(q) {
      asked.push(q.key);
      return posts.find((p) => p.key === q.key)?.ref ?? null;
    },
  };
  return { notifier, posts, asked };
}
