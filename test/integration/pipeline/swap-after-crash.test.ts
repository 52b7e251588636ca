// "First publisher first" against the crash windows (jobs/deliver.ts). An alert job puts its
// story's earlier-published article first when that one is planned here but not posted yet. That
// swap must not happen when the job's own alert is already on the platform without its record:
//  - A `steppewatch start` child posts RT's alert and is SIGKILLed at deliver.after-post (before
//    the record). Global Times' article of the same story, published 3 h earlier, is read only
//    then. The retry must not post Global Times as a second top-level message: Slack is asked for
//    RT's post (found: recorded, Global Times follows in the thread); Discord, which cannot be
//    asked, gets RT's post again under the same nonce (de-duplicated) and Global Times follows.
//  - In the 10 minutes after a Redis (re)start every job "may have posted"; when the platform has
//    no post of the job's own article, the earlier article still becomes the story's root.
// Real Redis, BullMQ, analysis, stories; the Slack and Discord fakes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRedis } from '../../../src/adapters/redis/spawn.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeDiscord } from '../../helpers/fake-discord.js';
import { freePort } from '../../helpers/global-setup.js';
import { testRedisUrl, uniquePrefix } from '../../helpers/redis.js';
import { containerOn, discordEnv, rtThenGlobalTimes, discordNotifierOf, expireLocks, runCleanups, runUntilKilledAt, bothPlanned, slackEnv, slackNotifierOf, slackReplies, slackTopLevel, takeOver, until, type Cleanups } from '../../helpers/crash.js';

const TOKEN = 'xoxb-swap-token';
const CHANNEL = 'C0SWAP';
const DISCORD_TOKEN = 'discord-swap-token';
const DISCORD_CHANNEL = '1000000000000000888';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const feeds = () => rtThenGlobalTimes(cleanups);

const slackNotifier = (slack: FakeSlack) => slackNotifierOf(slack, TOKEN);
const topLevel = slackTopLevel;
const replies = slackReplies;
const keyOf = (m: FakeSlack['messages'][number]) => m.metadata?.event_payload?.key;

describe('first publisher first, after a worker died between the post and its record', () => {
  it('Slack: the retry finds its own root and does not post the late earlier article as a second root', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanups.push(() => slack.close());
    const feed = await feeds();
    const prefix = uniquePrefix('swapk');
    const env = { FEEDS_FILE: feed.file, ...slackEnv(slack, TOKEN, CHANNEL, 'swap-secret') };
    const died = await runUntilKilledAt('deliver.after-post', prefix, env);
    expect(died.signal, died.stderr).toBe('SIGKILL');
    expect(topLevel(slack)).toHaveLength(1); // RT's alert, not recorded

    // Global Times' earlier article is read now, while RT's job still holds its dead worker's lock.
    const c = await containerOn(cleanups, prefix, testRedisUrl(), env);
    await takeOver(cleanups, c, { slack: slackNotifier(slack) });
    feed.addEarlier();
    await c.scheduler.pollNow('gt-en', 'manual');
    const ids = await bothPlanned(c, `slack:${CHANNEL}`);
    expect(keyOf(topLevel(slack)[0]!)).toBe(ids.rt);
    expect(await c.stores.deliveries.root(`slack:${CHANNEL}`, ids.storyId)).toBeNull();

    // RT's lock lapses: its retry runs with Global Times planned, analysed and not posted.
    expect(await expireLocks(c)).toBeGreaterThan(0);
    await until('the follow-up in the thread', () => replies(slack).length >= 1, 40_000);
    await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
    const tops = topLevel(slack);
    expect(tops.map(keyOf)).toEqual([ids.rt]);
    expect(replies(slack).map(keyOf)).toEqual([ids.gt]);
    expect(replies(slack)[0]!.thread_ts).toBe(tops[0]!.ts);
    expect(await c.stores.deliveries.root(`slack:${CHANNEL}`, ids.storyId)).toMatchObject({ messageId: tops[0]!.ts });
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
  }, 120_000);

  it('Discord: the retry posts its own article again under its nonce (one message), the earlier one follows in the thread', async () => {
    const discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    cleanups.push(() => discord.close());
    const feed = await feeds();
    const prefix = uniquePrefix('swapd');
    const env = { FEEDS_FILE: feed.file, ...discordEnv(discord, DISCORD_TOKEN, DISCORD_CHANNEL) };
    const died = await runUntilKilledAt('deliver.after-post', prefix, env);
    expect(died.signal, died.stderr).toBe('SIGKILL');
    const inChannel = () => [...discord.messages.values()].filter((m) => m.channel_id === DISCORD_CHANNEL);
    expect(inChannel()).toHaveLength(1);

    const c = await containerOn(cleanups, prefix, testRedisUrl(), env);
    await takeOver(cleanups, c, { discord: discordNotifierOf(discord, DISCORD_TOKEN) });
    feed.addEarlier();
    await c.scheduler.pollNow('gt-en', 'manual');
    await bothPlanned(c, `discord:${DISCORD_CHANNEL}`);

    expect(await expireLocks(c)).toBeGreaterThan(0);
    const root = inChannel()[0]!;
    await until('the follow-up in the story thread', () => [...discord.messages.values()].some((m) => m.channel_id === root.id), 40_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(inChannel()).toHaveLength(1);
    expect([...discord.messages.values()].filter((m) => m.channel_id === root.id)).toHaveLength(1);
    const posts = discord.callsTo(`POST /channels/${DISCORD_CHANNEL}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.nonce).toBe(posts[0]!.body.nonce);
  }, 120_000);
});

describe('first publisher first, in the minutes after a Redis restart', () => {
  it('with no post of its own on the platform, the alert job still puts the earlier article first', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanups.push(() => slack.close());
    const feed = await feeds();
    // A Redis server of its own, started just now: every delivery "may have posted" for 10 minutes.
    const dir = mkdtempSync(join(tmpdir(), 'sw-swap-redis-'));
    const redis = await spawnRedis({ dir, port: await freePort() });
    cleanups.push(() => redis.stop());
    const env = { FEEDS_FILE: feed.file, ...slackEnv(slack, TOKEN, CHANNEL, 'x') };
    const c = await containerOn(cleanups, uniquePrefix('swapr'), redis.url, env);
    // Deliveries wait until both articles are planned: RT's alert first, Global Times' late.
    await c.queues.deliver.pause();
    await takeOver(cleanups, c, { slack: slackNotifier(slack) }, ['worker', 'scheduler']);
    await until('RT’s alert queued', async () => (await c.queues.deliver.count()) > 0, 40_000);
    feed.addEarlier();
    await c.scheduler.pollNow('gt-en', 'manual');
    const ids = await bothPlanned(c, `slack:${CHANNEL}`);
    await c.queues.deliver.resume();

    await until('the follow-up in the thread', () => replies(slack).length >= 1, 40_000);
    await new Promise((r) => setTimeout(r, 2_500));
    // Global Times, published first, is the story's root; RT follows in its thread.
    expect(topLevel(slack).map(keyOf)).toEqual([ids.gt]);
    expect(replies(slack).map(keyOf)).toEqual([ids.rt]);
    expect(replies(slack)[0]!.thread_ts).toBe(topLevel(slack)[0]!.ts);
    // It did ask Slack for RT's own post first (the restart window), and found none.
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
  }, 120_000);
});
