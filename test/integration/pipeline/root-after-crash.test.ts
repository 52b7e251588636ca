// A story never gets a second top-level message because a crash lost the record of its first one
// (jobs/deliver.ts, Notifier.findStoryRoot). Found by the chaos suite (seed 1614468082): a host
// crash cut Redis' append-only file after a story's root was posted, losing the record; the
// story's next article was then planned and posted as a new root, its follow-ups under that one.
// Here: a Redis server started just now (the restart window), RT's alert posted and recorded, the
// channel's delivery records then deleted (what the cut loses), Global Times' article of the same
// story read. It must go into RT's thread, found on Slack by its metadata.
// Real Redis, BullMQ, analysis, stories; the Slack fake.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/adapters/log.js';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../../src/adapters/slack/notifier.js';
import { spawnRedis } from '../../../src/adapters/redis/spawn.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { rss, SEED_RETOLD, startFeedServer } from '../../helpers/feed-server.js';
import { freePort } from '../../helpers/global-setup.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { containerOn, runCleanups, takeOver, until, type Cleanups } from '../../helpers/crash.js';

const TOKEN = 'xoxb-root-token';
const CHANNEL = 'C0ROOT';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const topLevel = (slack: FakeSlack) => slack.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const replies = (slack: FakeSlack) => slack.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
const keyOf = (m: FakeSlack['messages'][number]) => m.metadata?.event_payload?.key;

describe('a story’s first message whose record was lost', () => {
  it('Slack: the story’s next article is posted in the first message’s thread, not as a second root', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanups.push(() => slack.close());
    const server = await startFeedServer();
    cleanups.push(() => server.close());
    const now = Date.now();
    server.set('/gt.xml', rss('GT', []));
    server.set('/rt.xml', rss('RT', [{ ...SEED_RETOLD.rt, link: 'https://example.org/rt', date: new Date(now - 5 * 60_000) }]));
    const file = join(mkdtempSync(join(tmpdir(), 'sw-root-')), 'feeds.yaml');
    writeFileSync(
      file,
      YAML.stringify([
        { id: 'gt-en', url: server.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
        { id: 'rt-en', url: server.url('/rt.xml'), outlet: 'RT', language: 'en', affiliation: 'state:RU' },
      ]),
    );
    const redis = await spawnRedis({ dir: mkdtempSync(join(tmpdir(), 'sw-root-redis-')), port: await freePort() });
    cleanups.push(() => redis.stop());
    const prefix = uniquePrefix('rootl');
    const env = { FEEDS_FILE: file, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: slack.url, SLACK_DEFAULT_CHANNEL: CHANNEL };
    const c = await containerOn(cleanups, prefix, redis.url, env);
    await takeOver(cleanups, c, { slack: createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() }) }, ['worker', 'scheduler']);

    const dest = `slack:${CHANNEL}`;
    const first = await until(
      'RT’s alert posted and recorded',
      async () => {
        const [story] = await c.stores.stories.recent({ since: new Date(now - 7 * 86_400_000), limit: 5 });
        return story && topLevel(slack).length === 1 && (await c.stores.deliveries.root(dest, story.id)) ? story : null;
      },
      40_000,
    );
    // What the crash loses: every record of this channel's deliveries.
    const lost = await c.redis.keys(`${prefix}:dlv:${dest}:*`);
    expect(lost.length).toBeGreaterThan(0);
    await c.redis.del(...lost);
    expect(await c.stores.deliveries.root(dest, first.id)).toBeNull();

    server.set('/gt.xml', rss('GT', [{ ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: new Date(now - 3 * 3_600_000) }]));
    await c.scheduler.pollNow('gt-en', 'manual');
    await until('Global Times’ article posted', () => slack.messages.length >= 2, 40_000);
    await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
    const tops = topLevel(slack);
    expect(tops).toHaveLength(1);
    const story = (await c.stores.stories.get(first.id))!;
    const gt = story.outlets.find((o) => o.outletId === 'global-times')?.articleId;
    expect(gt).toBeTruthy();
    expect(replies(slack).map(keyOf)).toEqual([gt]);
    expect(replies(slack)[0]!.thread_ts).toBe(tops[0]!.ts);
    // The found first message is the story's root again.
    expect(await c.stores.deliveries.root(dest, first.id)).toMatchObject({ messageId: tops[0]!.ts });
  }, 120_000);
});
