// A story never gets a second top-level message because a crash lost the record of its first one
// (jobs/deliver.ts, Notifier.findStoryRoot). Found by the chaos suite (seed 1614468082): a host
// crash cut Redis' append-only file after a story's root was posted, losing the record; the
// story's next article was then planned and posted as a new root, its follow-ups under that one.
// Here: a Redis server started just now (the restart window), RT's alert posted and recorded, the
// channel's delivery records then deleted (what the cut loses), Global Times' article of the same
// story read. It must go into RT's thread, found on Slack by its metadata.
// Real Redis, BullMQ, analysis, stories; the Slack fake.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRedis } from '../../../src/adapters/redis/spawn.js';
import { startFakeSlack } from '../../helpers/fake-slack.js';
import { freePort } from '../../helpers/global-setup.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { containerOn, rtThenGlobalTimes, runCleanups, slackEnv, slackNotifierOf, slackReplies, slackTopLevel, takeOver, until, type Cleanups } from '../../helpers/crash.js';

const TOKEN = 'xoxb-root-token';
const CHANNEL = 'C0ROOT';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const keyOf = (m: { metadata?: { event_payload?: Record<string, unknown> } }) => m.metadata?.event_payload?.key;

describe('a story’s first message whose record was lost', () => {
  it('Slack: the story’s next article is posted in the first message’s thread, not as a second root', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanups.push(() => slack.close());
    const feed = await rtThenGlobalTimes(cleanups);
    const now = Date.now();
    const redis = await spawnRedis({ dir: mkdtempSync(join(tmpdir(), 'sw-root-redis-')), port: await freePort() });
    cleanups.push(() => redis.stop());
    const prefix = uniquePrefix('rootl');
    const c = await containerOn(cleanups, prefix, redis.url, { FEEDS_FILE: feed.file, ...slackEnv(slack, TOKEN, CHANNEL) });
    await takeOver(cleanups, c, { slack: slackNotifierOf(slack, TOKEN) }, ['worker', 'scheduler']);

    const dest = `slack:${CHANNEL}`;
    const first = await until(
      'RT’s alert posted and recorded',
      async () => {
        const [story] = await c.stores.stories.recent({ since: new Date(now - 7 * 86_400_000), limit: 5 });
        return story && slackTopLevel(slack).length === 1 && (await c.stores.deliveries.root(dest, story.id)) ? story : null;
      },
      40_000,
    );
    // What the crash loses: every record of this channel's deliveries.
    const lost = await c.redis.keys(`${prefix}:dlv:${dest}:*`);
    expect(lost.length).toBeGreaterThan(0);
    await c.redis.del(...lost);
    expect(await c.stores.deliveries.root(dest, first.id)).toBeNull();

    feed.addEarlier();
    await c.scheduler.pollNow('gt-en', 'manual');
    await until('Global Times’ article posted', () => slack.messages.length >= 2, 40_000);
    await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
    const tops = slackTopLevel(slack);
    expect(tops).toHaveLength(1);
    const story = (await c.stores.stories.get(first.id))!;
    const gt = story.outlets.find((o) => o.outletId === 'global-times')?.articleId;
    expect(gt).toBeTruthy();
    expect(slackReplies(slack).map(keyOf)).toEqual([gt]);
    expect(slackReplies(slack)[0]!.thread_ts).toBe(tops[0]!.ts);
    // The found first message is the story's root again.
    expect(await c.stores.deliveries.root(dest, first.id)).toMatchObject({ messageId: tops[0]!.ts });
  }, 120_000);
});
