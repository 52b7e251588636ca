// "First publisher first" when the swap itself was the post a worker died after (jobs/deliver.ts).
// Found by the chaos suite (seed 180517108, Discord): story s3's later article's alert job (o6) put
// the earlier-published o0 first, posted o0 top-level and was killed at deliver.after-post; its
// retry, which "may have posted" and cannot ask Discord, posted its own article top-level (a
// second root), and o0's follow-up job then posted o0 again in that thread (a duplicate).
// Here: RT's alert job runs with Global Times' earlier article planned and not posted, posts
// Global Times as the story's first message and is killed before the record. Its retry must post
// the same article again under the same nonce (Discord answers with the message it has) and
// record it as the root; RT then follows in the thread. One top-level message, one reply.
// Second case (chaos seed 1587748853): before the retry, a third outlet's article published before
// Global Times' joins the story. The retry must still post what its first run posted (Global
// Times', under its nonce), not take the story's new earliest article for the one it swapped in.
// Real Redis, BullMQ, analysis, stories; a real `steppewatch worker` child; the Discord fake.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../helpers/fake-discord.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { containerOn, discordEnv, discordNotifierOf, expireLocks, rtThenGlobalTimes, runCleanups, bothPlanned, spawnWorker, takeOver, until, type Cleanups } from '../../helpers/crash.js';
import type { Container } from '../../../src/main/container.js';

const TOKEN = 'discord-swap-killed-token';
const CHANNEL = '1000000000000000777';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

describe('first publisher first, after a worker died right after posting the swapped-in article', () => {
  it('Discord: the retry posts the earlier article again under its nonce (one root), its own article follows in the thread', async () => {
    const k = await killedAfterSwap();
    const { discord, c, ids, destination } = k;
    expect(await c.stores.deliveries.intent(destination, ids.gt)).toBe(true);
    expect(await c.stores.deliveries.posted(destination, ids.gt)).toBeFalsy();

    // RT's job's lock lapses; its retry (and Global Times' follow-up job) run in a worker without failpoints.
    await takeOver(cleanups, c, { discord: discordNotifierOf(discord, TOKEN) });
    expect(await expireLocks(c)).toBeGreaterThan(0);
    await expectOneRoot(k, 1);
  }, 150_000);

  it('Discord: the same when an article published still earlier joined the story before the retry', async () => {
    const k = await killedAfterSwap({ tass: true });
    const { discord, feed, c, ids, destination } = k;

    // TASS's article (published an hour before Global Times') joins the story and is planned: a follow-up.
    await c.queues.deliver.pause();
    await takeOver(cleanups, c, { discord: discordNotifierOf(discord, TOKEN) }, ['worker', 'scheduler']);
    feed.addEarliest();
    await c.scheduler.pollNow('tass-en', 'manual');
    const tass = await plannedOther(c, destination, ids.storyId, [ids.gt, ids.rt]);
    const [story] = await c.stores.stories.recent({ since: new Date(Date.now() - 7 * 86_400_000), limit: 5 });
    expect([...story!.outlets].sort((a, b) => a.published.localeCompare(b.published))[0]!.articleId).toBe(tass);

    // RT's job's lock lapses; its retry, Global Times' and TASS's follow-up jobs run.
    await c.queues.deliver.resume();
    expect(await expireLocks(c)).toBeGreaterThan(0);
    await expectOneRoot(k, 2);
    expect(await c.stores.deliveries.posted(destination, tass)).toBeTruthy();
  }, 180_000);
});

/** The story's article other than `known`, once it is planned as a follow-up in `destination`. */
async function plannedOther(c: Container, destination: string, storyId: string, known: string[]): Promise<string> {
  return until(
    'the third article analysed into the story and planned',
    async () => {
      const story = await c.stores.stories.get(storyId);
      const other = story?.outlets.find((o) => !known.includes(o.articleId))?.articleId;
      if (!other) return null;
      const { planned } = await c.stores.deliveries.view(destination, storyId, other);
      return planned.get(other) === 'followup' ? other : null;
    },
    40_000,
  );
}

/**
 * Both articles analysed and planned before any delivery runs (RT's alert, Global Times' follow-up,
 * 3 h earlier), then a worker killed right after its first post: RT's alert job swapped and posted
 * Global Times' article, top-level, unrecorded.
 */
async function killedAfterSwap(opts: { tass?: boolean } = {}) {
  const discord = await startFakeDiscord({ token: TOKEN });
  cleanups.push(() => discord.close());
  const feed = await rtThenGlobalTimes(cleanups, opts);
  const prefix = uniquePrefix('swapkd');
  const env = { FEEDS_FILE: feed.file, ...discordEnv(discord, TOKEN, CHANNEL) };
  const destination = `discord:${CHANNEL}`;
  const c = await containerOn(cleanups, prefix, undefined, env);
  await c.queues.deliver.pause();
  const app = await takeOver(cleanups, c, { discord: discordNotifierOf(discord, TOKEN) }, ['worker', 'scheduler']);
  await until('RT’s alert queued', async () => (await c.queues.deliver.count()) > 0, 40_000);
  feed.addEarlier();
  await c.scheduler.pollNow('gt-en', 'manual');
  const ids = await bothPlanned(c, destination);
  await app.stop(5_000);
  await c.queues.deliver.resume();
  const w = await spawnWorker(prefix, { ...env, STEPPEWATCH_FAILPOINTS: 'deliver.after-post=kill' });
  cleanups.push(async () => w.child.kill('SIGKILL'));
  expect(await w.exited, w.stderr()).toBe('SIGKILL');
  const inChannel = () => [...discord.messages.values()].filter((m) => m.channel_id === CHANNEL);
  expect(inChannel()).toHaveLength(1);
  return { discord, feed, c, ids, destination, inChannel, root: inChannel()[0]! };
}

/**
 * Once the retry and the follow-ups ran: one top-level message, Global Times' (posted twice under
 * one nonce: one message), recorded as the story's root, and `replies` in its thread.
 */
async function expectOneRoot(k: Awaited<ReturnType<typeof killedAfterSwap>>, replies: number): Promise<void> {
  const { discord, c, ids, destination, inChannel, root } = k;
  await until(`${replies + 1} messages`, () => discord.messages.size >= replies + 1, 40_000);
  await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
  expect(inChannel().map((m) => m.id)).toEqual([root.id]);
  expect([...discord.messages.values()].filter((m) => m.channel_id === root.id)).toHaveLength(replies);
  const posts = discord.callsTo(`POST /channels/${CHANNEL}/messages`);
  expect(posts).toHaveLength(2);
  expect(posts[1]!.body.nonce).toBe(posts[0]!.body.nonce);
  expect(await c.stores.deliveries.root(destination, ids.storyId)).toMatchObject({ messageId: root.id });
  expect(await c.stores.deliveries.posted(destination, ids.gt)).toMatchObject({ messageId: root.id });
  expect(await c.stores.deliveries.posted(destination, ids.rt)).toBeTruthy();
}
