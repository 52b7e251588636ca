// Issue 13, items 13–16: faults aimed at the narrow windows of the pipeline, on real Redis and
// BullMQ with the real roles, and the Slack and Discord fakes behaving like the platforms.
//  - A `steppewatch start` child SIGKILLs itself at failpoint deliver.after-post (the platform
//    accepted the post, nothing recorded yet); when its locks lapse, a second worker takes over:
//    one top-level message, the follow-up in its thread.
//  - The same with the delivery records lost as well (Redis losing its last second).
//  - A job made before a Redis restart whose progress and records were lost finds its post.
//  - A job stalled three times is still delivered; a poll interrupted between claim and queueing
//    has its items analysed by the next run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { maxStalledCount } from '../../../src/main/workers.js';
import type { Container } from '../../../src/main/container.js';
import { startApp } from '../../../src/main/app.js';
import { queuePrefix, workerConnection } from '../../../src/adapters/queues.js';
import { spawnRedis } from '../../../src/adapters/redis/spawn.js';
import type { Notifier } from '../../../src/ports/notifier.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeDiscord } from '../../helpers/fake-discord.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';
import { freePort } from '../../helpers/global-setup.js';
import { testRedisUrl, uniquePrefix } from '../../helpers/redis.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { containerOn as containerOn_, discordEnv, discordNotifierOf, expireLocks, runCleanups, runUntilKilledAt, slackEnv, slackNotifierOf, slackReplies, slackTopLevel, takeOver as takeOver_, until, type Cleanups } from '../../helpers/crash.js';

const TOKEN = 'xoxb-crash-token';
const CHANNEL = 'C0ALERTS';
const DISCORD_TOKEN = 'discord-crash-token';
const DISCORD_CHANNEL = '1000000000000000777';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));
const containerOn = (prefix: string, redisUrl?: string, env?: Record<string, string>) => containerOn_(cleanups, prefix, redisUrl, env);
const takeOver = (c: Container, notifiers: Record<string, Notifier>) => takeOver_(cleanups, c, notifiers);

/** A feed with the seed story twice: Global Times first (the alert), RT a day later (its follow-up). */
async function storyFeed(): Promise<{ server: TestFeedServer; file: string }> {
  const server = await startFeedServer();
  const now = Date.now();
  server.set(
    '/story.xml',
    rss('Central Asia desk', [
      { ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt/1', date: new Date(now - 5 * 60_000), source: 'Global Times' },
      { ...SEED_RETOLD.rt, link: 'https://example.org/rt/1', date: new Date(now - 60_000), source: 'RT' },
    ]),
  );
  const dir = mkdtempSync(join(tmpdir(), 'sw-crash-'));
  const file = join(dir, 'feeds.yaml');
  writeFileSync(file, YAML.stringify([{ url: server.url('/story.xml'), outlet: 'Central Asia Desk', language: 'en', affiliation: 'unknown' }]));
  cleanups.push(() => server.close());
  return { server, file };
}

const slackNotifier = (slack: FakeSlack) => slackNotifierOf(slack, TOKEN);
const topLevel = slackTopLevel;
const replies = slackReplies;

async function slackRun(lose: boolean) {
  const slack = await startFakeSlack({ token: TOKEN });
  cleanups.push(() => slack.close());
  const feed = await storyFeed();
  const prefix = uniquePrefix('crash');
  const died = await runUntilKilledAt('deliver.after-post', prefix, { FEEDS_FILE: feed.file, ...slackEnv(slack, TOKEN, CHANNEL) });
  expect(died.signal, died.stderr).toBe('SIGKILL');
  // Slack accepted the story's first alert; the worker died before recording it.
  expect(topLevel(slack)).toHaveLength(1);
  expect(topLevel(slack)[0]!.text).toMatch(/color revolution/i);
  const c = await containerOn(prefix);
  if (lose) {
    // Redis lost the last second: the intent and anything recorded about the post are gone.
    const gone = await c.redis.keys(`${prefix}:dlv:*:art:*`);
    expect(gone.length).toBeGreaterThan(0);
    await c.redis.del(...gone);
  }
  expect(await expireLocks(c)).toBeGreaterThan(0);
  await takeOver(c, { slack: slackNotifier(slack) });
  await until('the follow-up in the thread', () => replies(slack).length >= 1, 40_000);
  await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
  const tops = topLevel(slack);
  expect(tops).toHaveLength(1);
  expect(replies(slack)).toHaveLength(1);
  expect(replies(slack)[0]!.thread_ts).toBe(tops[0]!.ts);
  // The retry asked Slack, with metadata, instead of posting again.
  const looked = slack.callsTo('conversations.history');
  expect(looked.length).toBeGreaterThan(0);
  expect(looked[0]!.body.include_all_metadata).toBeTruthy();
  expect(slack.callsTo('chat.postMessage').filter((x) => x.status === 200)).toHaveLength(2);
}

describe('crash windows: a worker killed after the platform accepted a post', () => {
  it('Slack: the retry finds the root by its metadata; one top-level message, the follow-up under it', async () => {
    await slackRun(false);
  }, 120_000);

  it('Slack: the same when the intent and records were lost with the last second of Redis writes', async () => {
    await slackRun(true);
  }, 120_000);

  it('Discord: the retry repeats the enforced nonce and gets the first message back', async () => {
    const discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    cleanups.push(() => discord.close());
    const feed = await storyFeed();
    const prefix = uniquePrefix('crashd');
    const died = await runUntilKilledAt('deliver.after-post', prefix, { FEEDS_FILE: feed.file, ...discordEnv(discord, DISCORD_TOKEN, DISCORD_CHANNEL) });
    expect(died.signal, died.stderr).toBe('SIGKILL');
    const inChannel = () => [...discord.messages.values()].filter((m) => m.channel_id === DISCORD_CHANNEL);
    expect(inChannel()).toHaveLength(1);
    const c = await containerOn(prefix);
    expect(await expireLocks(c)).toBeGreaterThan(0);
    await takeOver(c, { discord: discordNotifierOf(discord, DISCORD_TOKEN) });
    const root = inChannel()[0]!;
    await until('the follow-up in the story thread', () => [...discord.messages.values()].some((m) => m.channel_id === root.id), 40_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(inChannel()).toHaveLength(1);
    expect([...discord.messages.values()].filter((m) => m.channel_id === root.id)).toHaveLength(1);
    // The root was posted twice with one nonce, enforced; Discord created it once.
    const posts = discord.callsTo(`POST /channels/${DISCORD_CHANNEL}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body.nonce).toBe(posts[1]!.body.nonce);
    expect(posts[1]!.body.enforce_nonce).toBe(true);
  }, 120_000);
});

describe('crash windows: Redis loses its last writes', () => {
  it('a deliver job made before a Redis restart, its progress and records lost, finds its post instead of posting again', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanups.push(() => slack.close());
    const feed = await storyFeed();
    const dir = mkdtempSync(join(tmpdir(), 'sw-crash-redis-'));
    const port = await freePort();
    let redis = await spawnRedis({ dir, port });
    cleanups.push(() => redis.stop());
    const prefix = uniquePrefix('lost');
    const env = { FEEDS_FILE: feed.file, SLACK_DEFAULT_CHANNEL: CHANNEL, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: slack.url };
    const c1 = await containerOn(prefix, redis.url, env);
    const app1 = await startApp(c1, { roles: ['worker', 'scheduler'], notifiers: { slack: slackNotifier(slack) }, noHttp: true });
    await until('alert and follow-up', () => topLevel(slack).length >= 1 && replies(slack).length >= 1, 40_000);
    await app1.stop(5_000);
    // The host crashed right after the post: the job is back where it was before it ran, and
    // nothing about the post survived (no intent, no record, no stall or failed attempt).
    const done = (await c1.queues.deliver.getCompleted()).find((j) => j.data.kind === 'alert')!;
    expect(done).toBeDefined();
    const { id, data } = done;
    await done.remove();
    await c1.redis.del(...(await c1.redis.keys(`${prefix}:dlv:*`)));
    await c1.queues.deliver.add('deliver', data, { jobId: id! });
    await c1.close();
    cleanups.pop();
    // Redis restarts (the same data directory).
    await redis.stop();
    redis = await spawnRedis({ dir, port });
    const before = slack.callsTo('chat.postMessage').length;
    const c2 = await containerOn(prefix, redis.url, env);
    const app2 = await startApp(c2, { roles: ['worker'], notifiers: { slack: slackNotifier(slack) }, noHttp: true });
    cleanups.push(() => app2.stop(5_000));
    await until('the job to finish', async () => (await c2.queues.deliver.getJobState(id!)) === 'completed', 20_000);
    expect(slack.callsTo('chat.postMessage').length).toBe(before);
    expect(topLevel(slack)).toHaveLength(1);
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
    // …and recorded it again, so a later follow-up threads under it.
    expect(await c2.stores.deliveries.root(`slack:${CHANNEL}`, data.storyId)).toMatchObject({ messageId: topLevel(slack)[0]!.ts });
  }, 120_000);
});

describe('crash windows: stalls and polls', () => {
  it('a deliver job whose workers die three times is still delivered, once', async () => {
    const prefix = uniquePrefix('stall');
    const c = await containerOn(prefix);
    await c.queues.deliver.add('deliver', { destination: 'console', articleId: 'feed-x', storyId: 'feed-x', kind: 'notice', notice: 'Paused X.' }, { jobId: 'stall-1' });
    // Three workers take the job and die holding it (they never finish; their locks lapse).
    for (let i = 0; i < 3; i += 1) {
      let took!: () => void;
      const taken = new Promise<void>((r) => (took = r));
      const dying = new Worker(
        'deliver',
        async () => {
          took();
          await new Promise(() => undefined);
        },
        { connection: workerConnection(testRedisUrl()), prefix: queuePrefix(c.keys, 'deliver'), lockDuration: 600, stalledInterval: 200, maxStalledCount: maxStalledCount('deliver') },
      );
      await taken;
      await dying.close(true);
      await c.redis.del(`${queuePrefix(c.keys, 'deliver')}:deliver:stall-1:lock`);
    }
    const rec = recordingNotifier();
    await takeOver(c, { console: rec.notifier });
    await until('the notice', () => rec.replies.length > 0, 20_000);
    await until('the job to complete', async () => (await c.queues.deliver.getJobState('stall-1')) === 'completed', 10_000);
    const job = await c.queues.deliver.getJob('stall-1');
    expect(job?.stalledCounter).toBeGreaterThanOrEqual(3);
    expect(rec.replies).toHaveLength(1);
  }, 60_000);

  it('a poll interrupted between claiming its items and queueing them: the next run queues them', async () => {
    const feed = await storyFeed();
    const prefix = uniquePrefix('claim');
    const c = await containerOn(prefix, testRedisUrl(), { FEEDS_FILE: feed.file });
    // The first run stops right after the claim, as a killed worker would: queueing its items
    // fails (BullMQ's add or addBulk, whichever the handoff uses, throws once), the poll job
    // fails and BullMQ runs it again.
    const q = c.queues.analyse;
    const realAdd = q.add.bind(q);
    const realAddBulk = q.addBulk.bind(q);
    let interrupted = 0;
    const dieOnce = () => {
      if (interrupted > 0) return;
      interrupted += 1;
      throw new Error('worker died between claim and enqueue');
    };
    q.add = async (...args: Parameters<typeof realAdd>) => (dieOnce(), realAdd(...args));
    q.addBulk = async (jobs) => (dieOnce(), realAddBulk(jobs));
    const rec = recordingNotifier();
    const app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { console: rec.notifier }, noHttp: true });
    cleanups.push(() => app.stop(5_000));
    await until('both articles analysed', async () => {
      const stories = await c.stores.stories.recent({ since: new Date(Date.now() - 7 * 86_400_000), limit: 10 });
      return stories.some((s) => s.outlets.length === 2);
    }, 40_000);
    expect(interrupted).toBe(1);
    await until('the alert and its follow-up', () => rec.posts.length >= 2, 20_000);
    expect(rec.posts.map((p) => p.alert.kind).sort()).toEqual(['alert', 'followup']);
  }, 60_000);
});
