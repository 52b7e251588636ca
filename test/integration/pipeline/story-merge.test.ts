// Issue 15, item 4 on the running pipeline (real Redis, BullMQ, analysis, stories) with the real
// Slack and Discord clients against their fakes, and the console destination: two stories reach
// the channels; a later report shows they are one; each channel that received both first messages
// gets one "merged with …" notice in the surviving story's thread; the old id answers with the
// survivor; a later article of the merged story follows up in the survivor's thread; nothing is
// posted twice, and a rerun of the notice's job posts nothing more.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp } from '../../../src/main/app.js';
import { ROUTING_CACHE_MS } from '../../../src/main/workers.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import type { Container } from '../../../src/main/container.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../../src/adapters/slack/notifier.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { createDiscordNotifier } from '../../../src/adapters/discord/notifier.js';
import { createConsoleNotifier } from '../../../src/adapters/console/notifier.js';
import { jobId, type DeliverPayload } from '../../../src/ports/queue-payloads.js';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { parseCommandText } from '../../../src/commands/index.js';
import { handleUnmute } from '../../../src/commands/mute.js';
import { isMuted } from '../../../src/core/routing/subscription.js';
import type { Article } from '../../../src/core/types.js';
import { ctx, testVocabulary } from '../../unit/commands/fakes.js';
import { MERGE_STREAM } from '../../fixtures/story/merge-stream.js';
import { readAlertRecords, testContainer } from '../../helpers/pipeline.js';
import { rss, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';

const TOKEN = 'xoxb-merge';
const SLACK_CHANNEL = 'C0MERGE';
const DISCORD_TOKEN = 'discord-merge';
const DISCORD_CHANNEL = '1000000000000000999';

/** The pipeline with the Slack and Discord fakes and the console subscribed (KZ), the stream's first two reports polled. */
async function mergePipeline() {
  const now = Date.now();
  const slack = await startFakeSlack({ token: TOKEN });
  const discord = await startFakeDiscord({ token: DISCORD_TOKEN });
  const server = await startFeedServer();
  // the stream's articles, hours apart as written, ending an hour ago; a hostile outlet name on the merged story
  const base = Date.parse(MERGE_STREAM[0]!.published);
  const at = (i: number) => new Date(now - 4 * 3_600_000 + (Date.parse(MERGE_STREAM[i]!.published) - base));
  const item = (i: number) => {
    const m = MERGE_STREAM[i]!;
    return { title: m.title, text: m.text, link: `https://example.org/${m.id}`, date: at(i), source: i === 1 ? '<!channel> Tengrinews @everyone' : m.outlet };
  };
  server.set('/desk.xml', rss('Desk', [item(0), item(1)]));
  const dir = mkdtempSync(join(tmpdir(), 'sw-merge-'));
  const file = join(dir, 'feeds.yaml');
  writeFileSync(file, YAML.stringify([{ id: 'desk-en', url: server.url('/desk.xml'), outlet: 'Desk', language: 'en', affiliation: 'unknown' }]));
  // the merged story's first report is a trade item (relevance 0.27): alert on it too
  const c = await testContainer({ FEEDS_FILE: file, ALERT_MIN_RELEVANCE: '0.2' });
  for (const dest of [`slack:${SLACK_CHANNEL}`, `discord:${DISCORD_CHANNEL}`, 'console']) {
    await c.stores.subscriptions.add({ ...defaultSubscription(dest, new Date()), id: `s-${dest.replace(/\W/g, '')}`, isDefault: false, countries: ['KZ'] });
  }
  const recordFile = join(dir, 'alerts.jsonl');
  const notifiers = {
    slack: createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() }),
    discord: createDiscordNotifier({ rest: createDiscordRest({ apiUrl: discord.apiUrl, token: DISCORD_TOKEN }), log: silentLogger() }),
    console: createConsoleNotifier({ recordFile, out: { write: () => true } as unknown as NodeJS.WritableStream }),
  };
  const app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers, paceMs: { slack: 0, discord: 0, console: 0 }, noHttp: true });
  const idle = () => waitUntilIdle(c, 30_000);
  await idle();
  return {
    c,
    slack,
    discord,
    server,
    recordFile,
    at,
    item,
    idle,
    topLevel: () => slack.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts),
    replies: (ts: string) => slack.messages.filter((m) => m.thread_ts === ts && m.ts !== ts),
    /** The first two stories' ids: a (Kazinform's, the earlier) and b, from the console's records. */
    firstStories: () => {
      const recs = readAlertRecords(recordFile);
      return { a: recs.find((r) => r.outlet === 'Kazinform')!.storyId, b: recs.find((r) => r.outlet !== 'Kazinform')!.storyId };
    },
    close: async () => {
      await app.stop(2000);
      await c.close();
      await server.close();
      await slack.close();
      await discord.close();
    },
  };
}

describe('stories found to be one, on the pipeline', () => {
  let p: Awaited<ReturnType<typeof mergePipeline>>;
  let c: Container;
  let server: TestFeedServer;
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let recordFile: string;
  let item: (i: number) => ReturnType<Awaited<ReturnType<typeof mergePipeline>>['item']>;
  const topLevel = () => p.topLevel();
  const replies = (ts: string) => p.replies(ts);
  const inDiscordChannel = () => [...discord.messages.values()].filter((m) => m.channel_id === DISCORD_CHANNEL);
  const inDiscordThread = (id: string) => [...discord.messages.values()].filter((m) => m.channel_id === id);
  const idle = () => p.idle();

  beforeAll(async () => {
    p = await mergePipeline();
    ({ c, server, slack, discord, recordFile, item } = p);
  }, 90_000);

  afterAll(async () => {
    await p?.close();
  });

  let first: { a: string; b: string };

  it('two reports worded apart start two stories, each alerting every channel', async () => {
    expect(topLevel()).toHaveLength(2);
    expect(inDiscordChannel()).toHaveLength(2);
    const recs = readAlertRecords(recordFile);
    expect(recs.map((r) => r.kind)).toEqual(['alert', 'alert']);
    first = { a: recs.find((r) => r.outlet === 'Kazinform')!.storyId, b: recs.find((r) => r.outlet !== 'Kazinform')!.storyId };
    expect(first.a).not.toBe(first.b);
  });

  it('a report that joins both merges them: one notice in the survivor’s thread per channel, the old id answers', async () => {
    server.set('/desk.xml', rss('Desk', [item(0), item(1), item(2)]));
    await c.scheduler.pollNow('desk-en', 'manual');
    await idle();
    // the earlier story survives; the later one's id answers with it
    expect((await c.stores.stories.get(first.b))?.id).toBe(first.a);
    expect((await c.stores.stories.get(first.a))?.mergedIds).toEqual([first.b]);
    // Slack: still two top-level messages; in A's thread the bridging report's follow-up and one notice
    const tops = topLevel();
    expect(tops).toHaveLength(2);
    const rootA = tops.find((m) => /Khorgos–Zhetygen rail freight/.test(m.text ?? ''))!;
    const rootB = tops.find((m) => m !== rootA)!;
    const inA = replies(rootA.ts);
    expect(inA).toHaveLength(2);
    const notices = inA.filter((m) => /Merged with/.test(m.text ?? ''));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(first.b);
    expect(replies(rootB.ts)).toHaveLength(0);
    // hostile outlet name: escaped, never a ping
    const blocks = JSON.stringify(notices[0]!.blocks);
    expect(blocks).not.toMatch(/<!channel>/);
    expect(blocks).toContain('Tengrinews');
    expect(blocks).not.toMatch(/@everyone/); // neutralised (a zero-width space after the @)
    // Discord: the same, in the survivor's thread, no mentions allowed
    expect(inDiscordChannel()).toHaveLength(2);
    const dRootA = inDiscordChannel().find((m) => JSON.stringify(m.embeds).includes('Khorgos–Zhetygen rail freight'))!;
    const dNotices = inDiscordThread(dRootA.id).filter((m) => /Merged with/.test(String(m.content)));
    expect(dNotices).toHaveLength(1);
    expect(dNotices[0]!.allowed_mentions).toEqual({ parse: [] });
    expect(String(dNotices[0]!.content)).not.toMatch(/@everyone|<!channel>/);
    const dRootB = inDiscordChannel().find((m) => m !== dRootA)!;
    expect(inDiscordThread(dRootB.id)).toHaveLength(0);
    // console: one alert record of kind "merge"
    const merges = readAlertRecords(recordFile).filter((r) => r.kind === 'merge');
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ storyId: first.a, mergedId: first.b, destination: 'console' });
  }, 60_000);

  it('a later article of the merged story follows up in the survivor’s thread; nothing is posted twice', async () => {
    const before = slack.messages.length;
    server.set('/desk.xml', rss('Desk', [item(0), item(1), item(2), item(3)]));
    await c.scheduler.pollNow('desk-en', 'manual');
    await idle();
    expect(slack.messages.length).toBe(before + 1);
    const rootA = topLevel().find((m) => /Khorgos–Zhetygen rail freight/.test(m.text ?? ''))!;
    expect(replies(rootA.ts)).toHaveLength(3);
    expect(topLevel()).toHaveLength(2);
  }, 60_000);

  it('the notice job run again posts nothing more', async () => {
    const slackBefore = slack.messages.length;
    const discordBefore = discord.messages.size;
    const recordsBefore = readAlertRecords(recordFile).length;
    const merge = readAlertRecords(recordFile).find((r) => r.kind === 'merge')!;
    for (const destination of [`slack:${SLACK_CHANNEL}`, `discord:${DISCORD_CHANNEL}`, 'console']) {
      const payload: DeliverPayload = { destination, articleId: 'mg-x1', storyId: first.a, kind: 'merge', merged: { id: first.b, headline: 'again', outlets: [], at: merge.at } };
      await c.queues.deliver.add('deliver', payload, { jobId: jobId('dlv', destination, 'merge-again', first.b) });
    }
    await idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.messages.length).toBe(slackBefore);
    expect(discord.messages.size).toBe(discordBefore);
    expect(readAlertRecords(recordFile)).toHaveLength(recordsBefore);
  }, 60_000);
});

// A merge the store committed whose telling was lost (the analyse job died between the two, or its
// telling failed): the maintenance queue's `merge-sweep` finishes it. And mutes: a channel that
// muted the story the merge absorbs keeps the merged story muted (core/routing isMuted).
describe('a merge left untold is finished by the sweep; a mute of either story carries over', () => {
  let p: Awaited<ReturnType<typeof mergePipeline>>;
  let ids: { a: string; b: string };
  let mutedAt = 0;
  const notices = () => p.slack.messages.filter((m) => /Merged with/.test(m.text ?? ''));
  const sweep = async () => {
    const job = await p.c.queues.digest.add('merge-sweep', {});
    for (let i = 0; i < 200 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 100));
    await p.idle();
    return (await p.c.queues.digest.getJob(job.id!))?.returnvalue as { mergesFinished: number };
  };

  beforeAll(async () => {
    p = await mergePipeline();
    ids = p.firstStories();
  }, 90_000);

  afterAll(async () => {
    await p?.close();
  });

  it('the bridging report merged by the store and nothing told: the sweep tells each channel once', async () => {
    const { c } = p;
    expect(ids.a).not.toBe(ids.b);
    // the console muted the later story, the one the merge absorbs
    await c.stores.mutes.mute('console', 'story', ids.b);
    mutedAt = Date.now();
    // what the analyse job did before it died: the bridging report assigned (the store merges and
    // keeps the merge pending), the deliveries not told
    const m = MERGE_STREAM[2]!;
    const published = p.at(2).toISOString();
    const article: Article = { id: m.id, feedId: 'desk-en', outletId: m.outletId, outlet: m.outlet, affiliation: 'unknown', url: `https://example.org/${m.id}`, title: m.title, text: m.text, published, publishedEstimated: false, firstSeen: published };
    const analysis = defaultAnalyzer().analyze({ id: m.id, title: m.title, text: m.text, outlet: m.outlet, published, language: 'en' }, new Date());
    const [r] = await c.stores.stories.assignMany([{ article, analysis }], new Date());
    expect(r!.merges?.map((x) => [x.survivorId, x.mergedId])).toEqual([[ids.a, ids.b]]);
    expect((await c.stores.stories.pendingMerges!()).map((x) => x.mergedId)).toEqual([ids.b]);
    await p.idle();
    expect(notices()).toHaveLength(0);

    expect(await sweep()).toEqual({ mergesFinished: 1 });
    // both ids answer with the survivor
    expect((await c.stores.stories.get(ids.a))?.id).toBe(ids.a);
    expect((await c.stores.stories.get(ids.b))?.id).toBe(ids.a);
    // Slack and Discord: one notice each, in the survivor's thread; the console muted it
    const rootA = p.topLevel().find((x) => /Khorgos–Zhetygen rail freight/.test(x.text ?? ''))!;
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.thread_ts).toBe(rootA.ts);
    expect([...p.discord.messages.values()].filter((x) => /Merged with/.test(String(x.content)))).toHaveLength(1);
    expect(readAlertRecords(p.recordFile).filter((x) => x.kind === 'merge')).toHaveLength(0);
    expect(await c.stores.stories.pendingMerges!()).toEqual([]);

    // a second sweep finds nothing and posts nothing
    const before = p.slack.messages.length;
    expect(await sweep()).toEqual({ mergesFinished: 0 });
    expect(p.slack.messages.length).toBe(before);
  }, 60_000);

  it('a later article of the merged story: a follow-up where it is not muted, nothing where the absorbed story was; /unmute of the survivor’s id lifts it', async () => {
    const { c } = p;
    const consoleBefore = readAlertRecords(p.recordFile).length;
    const rootA = p.topLevel().find((x) => /Khorgos–Zhetygen rail freight/.test(x.text ?? ''))!;
    const inA = p.replies(rootA.ts).length;
    // routing reads mutes through a cache: a mute applies within ROUTING_CACHE_MS (src/main/workers.ts)
    await new Promise((r) => setTimeout(r, Math.max(0, mutedAt + ROUTING_CACHE_MS + 200 - Date.now())));
    p.server.set('/desk.xml', rss('Desk', [p.item(0), p.item(1), p.item(3)]));
    await c.scheduler.pollNow('desk-en', 'manual');
    await p.idle();
    expect(p.replies(rootA.ts)).toHaveLength(inA + 1);
    expect(readAlertRecords(p.recordFile).map((x) => `${x.kind} ${x.storyId} ${x.articleId}`)).toHaveLength(consoleBefore);

    // the id the channel sees on the merged story's alerts is the survivor's; the mute is on the absorbed one's
    const cmd = parseCommandText('unmute', `story:${ids.a}`);
    if (!cmd.ok) throw new Error('unparsed');
    const reply = await handleUnmute(cmd.cmd, ctx({ destination: { platform: 'console', channel: 'console' } }), { stories: c.stores.stories, mutes: c.stores.mutes, vocabulary: testVocabulary() });
    expect(reply.visibility).toBe('in_channel');
    const mutes = await c.stores.mutes.get('console');
    expect(isMuted(mutes, (await c.stores.stories.get(ids.a))!)).toBe(false);
  }, 60_000);
});
