// The Discord notifier with the real @discordjs/rest against the fake Discord on loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordAPIError } from '@discordjs/rest';
import { createDiscordNotifier } from '../../../src/adapters/discord/notifier.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError, type MessageRef, type Notifier } from '../../../src/ports/notifier.js';
import { discordError, rateLimited, startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { rtFollowup, seedAlert } from '../../unit/discord/fixtures.js';

const TOKEN = 'fake-bot-token';
const CHANNEL = '1000000000000000002';
const POST_MESSAGE = 'POST /channels/:id/messages';
const START_THREAD = 'POST /channels/:id/messages/:id/threads';

let fake: FakeDiscord;
let notifier: Notifier;

const newNotifier = () => createDiscordNotifier({ rest: createDiscordRest({ apiUrl: fake.apiUrl, token: TOKEN, retries: 0 }), log: silentLogger() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  notifier = newNotifier();
});
afterEach(async () => {
  await fake.close();
});

describe('posting', () => {
  it('posts an alert to the channel as an embed under /api/v10, with the bot token and mentions off', async () => {
    const ref = await notifier.postAlert(seedAlert(), null);
    const [call] = fake.callsTo(POST_MESSAGE);
    expect(call!.path).toBe(`/channels/${CHANNEL}/messages`);
    expect(call!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(call!.body.allowed_mentions).toEqual({ parse: [] });
    expect(call!.body.embeds[0].title).toBe('China warns of "color revolution" in Kazakhstan');
    expect(call!.body.components[0].components).toHaveLength(3);
    expect(ref).toEqual({ channel: CHANNEL, messageId: fake.messages.get(ref.messageId)!.id });
    expect(ref.threadId).toBeUndefined();
  });

  it('starts a thread from the first message on the first follow-up, and reuses it for the next', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    const first = await notifier.postAlert(rtFollowup(), root);

    const [start] = fake.callsTo(START_THREAD);
    expect(start!.path).toBe(`/channels/${CHANNEL}/messages/${root.messageId}/threads`);
    expect(start!.body).toEqual({ name: 'China warns of "color revolution" in Kazakhstan', auto_archive_duration: 10080 });
    // The thread has the root message's id (Discord's rule) and the follow-up went into it.
    expect(fake.threads.get(root.messageId)).toBeDefined();
    expect(first).toEqual({ channel: CHANNEL, messageId: first.messageId, threadId: root.messageId });
    expect(fake.messages.get(first.messageId)!.channel_id).toBe(root.messageId);
    expect(fake.messages.get(first.messageId)!.allowed_mentions).toEqual({ parse: [] });
    expect(String(fake.messages.get(first.messageId)!.content)).toContain('Also carried by RT');

    // The deliver job passes the story's root again (its recorded ref): no second thread.
    const second = await notifier.postAlert(rtFollowup({ articleId: 'a-third', outlet: { id: 'tass', name: 'TASS', affiliation: 'state:RU' } }), root);
    expect(second.threadId).toBe(root.messageId);
    expect(fake.callsTo(START_THREAD)).toHaveLength(1);
    expect(fake.callsTo(POST_MESSAGE).map((c) => c.path)).toEqual([
      `/channels/${CHANNEL}/messages`,
      `/channels/${root.messageId}/messages`,
      `/channels/${root.messageId}/messages`,
    ]);
  });

  it('another process (no memory of the thread) finds the existing thread: 160004 counts as success', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    await notifier.postAlert(rtFollowup(), root);
    const other = newNotifier();
    const ref = await other.postAlert(rtFollowup({ articleId: 'a-x' }), root);
    expect(ref.threadId).toBe(root.messageId);
    const starts = fake.callsTo(START_THREAD);
    expect(starts.map((c) => c.status)).toEqual([201, 400]);
    expect(fake.threads.size).toBe(1);
  });

  it('a ref that carries the thread id posts straight into it', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    const first = await notifier.postAlert(rtFollowup(), root);
    const other = newNotifier();
    await other.postAlert(rtFollowup({ articleId: 'a-y' }), { ...root, threadId: first.threadId! });
    expect(fake.callsTo(START_THREAD)).toHaveLength(1);
  });

  it('a deleted thread is started again; a deleted first message sends the follow-up to the channel, headline first', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    await notifier.postAlert(rtFollowup(), root);
    fake.threads.delete(root.messageId);
    const again = await notifier.postAlert(rtFollowup({ articleId: 'a-2' }), root);
    expect(again.threadId).toBe(root.messageId);
    expect(fake.callsTo(START_THREAD)).toHaveLength(2);

    const root2 = await notifier.postAlert(seedAlert({ storyId: 's-2' }), null);
    fake.messages.delete(root2.messageId);
    const alone = await notifier.postAlert(rtFollowup({ storyId: 's-2' }), root2);
    expect(alone.threadId).toBeUndefined();
    const posted = fake.messages.get(alone.messageId)!;
    expect(posted.channel_id).toBe(CHANNEL);
    expect(String(posted.content)).toMatch(/^\*\*\[China warns/);
  });

  it('updates the first message with the outlet count, keeping its embed', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    await notifier.updateAlert!(root, rtFollowup());
    const [patch] = fake.callsTo('PATCH /channels/:id/messages/:id');
    expect(patch!.path).toBe(`/channels/${CHANNEL}/messages/${root.messageId}`);
    expect(patch!.body).toEqual({ content: expect.stringContaining('Carried by 2 outlets'), allowed_mentions: { parse: [] } });
    expect(fake.messages.get(root.messageId)!.embeds).toHaveLength(1);
  });

  it('posts replies (notices, digests) with mentions off', async () => {
    const ref = await notifier.postReply({ platform: 'discord', channel: '42' }, { visibility: 'in_channel', kind: 'ok', text: '@everyone feed paused', sections: [] });
    expect(ref.channel).toBe('42');
    const [call] = fake.callsTo(POST_MESSAGE);
    expect(call!.body.allowed_mentions).toEqual({ parse: [] });
    expect(call!.body.content).not.toContain('@everyone');
  });
});

describe('errors', () => {
  it('429 with Retry-After and JSON retry_after → RateLimitedError, one call, no retries', async () => {
    fake.failNext(POST_MESSAGE, rateLimited({ retryAfter: 2.5 }));
    const e = await notifier.postAlert(seedAlert(), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(2_500);
    expect((e as RateLimitedError).retryAfterMs).toBeLessThan(4_000);
    await sleep(300);
    expect(fake.callsTo(POST_MESSAGE)).toHaveLength(1);
  });

  it('429 with only the JSON body retry_after still says how long to wait', async () => {
    fake.failNext(POST_MESSAGE, rateLimited({ retryAfter: 1.5, headerless: true }));
    const e = await notifier.postAlert(seedAlert(), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(1_500);
    expect((e as RateLimitedError).retryAfterMs).toBeLessThan(2_500);
    await sleep(300);
    expect(fake.callsTo(POST_MESSAGE)).toHaveLength(1);
  });

  it('a persistent 429 does not become a retry storm: later attempts are refused without calling', async () => {
    fake.failNext(POST_MESSAGE, { ...rateLimited({ retryAfter: 5 }), times: Infinity });
    for (let i = 0; i < 10; i++) {
      const e = await notifier.postAlert(seedAlert(), null).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RateLimitedError);
      expect((e as RateLimitedError).retryAfterMs).toBeGreaterThan(1_000);
    }
    // The first 429 teaches @discordjs/rest the route's bucket id (X-RateLimit-Bucket), the second
    // its state in that bucket; from then on it refuses locally until the reset.
    expect(fake.callsTo(POST_MESSAGE).length).toBeLessThanOrEqual(2);
  });

  it('a global 429 holds back every route', async () => {
    fake.failNext(POST_MESSAGE, rateLimited({ retryAfter: 3, global: true }));
    await expect(notifier.postAlert(seedAlert(), null)).rejects.toBeInstanceOf(RateLimitedError);
    const e = await notifier.postReply({ platform: 'discord', channel: '77' }, { visibility: 'in_channel', kind: 'ok', text: 'x', sections: [] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBeGreaterThan(1_000);
    expect(fake.calls).toHaveLength(1);
  });

  it.each([
    [10003, 'Unknown Channel'],
    [50001, 'Missing Access'],
    [50013, 'Missing Permissions'],
  ] as const)('%i → DestinationUnavailableError (%s)', async (code, reason) => {
    fake.failNext(POST_MESSAGE, discordError(code));
    const e = await notifier.postAlert(seedAlert(), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DestinationUnavailableError);
    expect((e as DestinationUnavailableError).reason).toBe(reason);
    expect((e as DestinationUnavailableError).destination).toEqual({ platform: 'discord', channel: CHANNEL });
  });

  it('401 → PlatformAuthError, and so are later calls', async () => {
    fake.failNext(POST_MESSAGE, discordError(401));
    await expect(notifier.postAlert(seedAlert(), null)).rejects.toBeInstanceOf(PlatformAuthError);
    await expect(notifier.postAlert(seedAlert(), null)).rejects.toBeInstanceOf(PlatformAuthError);
    expect(fake.callsTo(POST_MESSAGE)).toHaveLength(1);
  });

  it('a wrong token is refused as PlatformAuthError', async () => {
    const wrong = createDiscordNotifier({ rest: createDiscordRest({ apiUrl: fake.apiUrl, token: 'nope', retries: 0 }), log: silentLogger() });
    await expect(wrong.postAlert(seedAlert(), null)).rejects.toBeInstanceOf(PlatformAuthError);
  });

  it('other errors are rethrown as they are', async () => {
    fake.failNext(POST_MESSAGE, { status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const e = await notifier.postAlert(seedAlert(), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiscordAPIError);
    expect((e as DiscordAPIError).code).toBe(50035);
  });

  it('follow-ups: 429 while posting into the thread is a RateLimitedError; the retry does not start a second thread', async () => {
    const root: MessageRef = await notifier.postAlert(seedAlert(), null);
    fake.failNext(`POST /channels/${root.messageId}/messages`, rateLimited({ retryAfter: 0.2 }));
    await expect(notifier.postAlert(rtFollowup(), root)).rejects.toBeInstanceOf(RateLimitedError);
    await sleep(400);
    const ref = await notifier.postAlert(rtFollowup(), root);
    expect(ref.threadId).toBe(root.messageId);
    expect(fake.threads.size).toBe(1);
    expect(fake.callsTo(START_THREAD).filter((c) => c.status === 201)).toHaveLength(1);
  });

  it('no permission to start threads: the follow-up goes to the channel', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    fake.failNext(START_THREAD, discordError(50013));
    const ref = await notifier.postAlert(rtFollowup(), root);
    expect(ref.threadId).toBeUndefined();
    expect(fake.messages.get(ref.messageId)!.channel_id).toBe(CHANNEL);
  });
});
