// The Slack notifier with the real WebClient against the fake Slack Web API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../../src/adapters/slack/notifier.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError, type Notifier } from '../../../src/ports/notifier.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { FORBIDDEN, HOSTILE, followupAlert, seedAlert, storyReply } from '../../unit/slack/alerts.js';

const TOKEN = 'xoxb-test-token';
let slack: FakeSlack;
let notifier: Notifier;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  notifier = createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.reset();
});

describe('postAlert', () => {
  it('posts a root alert with blocks, fallback text and unfurls off, and returns its ts as message and thread', async () => {
    const ref = await notifier.postAlert(seedAlert(), null);
    const [call] = slack.callsTo('chat.postMessage');
    expect(call).toBeDefined();
    expect(call!.token).toBe(TOKEN);
    expect(call!.body.channel).toBe('C0ALERTS');
    expect(call!.body.text).toContain('China warns of');
    expect(Array.isArray(call!.body.blocks)).toBe(true);
    expect(call!.body.blocks[0].type).toBe('header');
    expect(call!.body.unfurl_links).toBe('false');
    expect(call!.body.unfurl_media).toBe('false');
    expect(call!.body.link_names).toBe('false');
    expect(call!.body.thread_ts).toBeUndefined();
    const ts = (call!.response as { ts: string }).ts;
    expect(ref).toEqual({ channel: 'C0ALERTS', messageId: ts, threadId: ts });
  });

  it('posts a follow-up into the root thread without broadcasting it', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    const ref = await notifier.postAlert(followupAlert(), root);
    const calls = slack.callsTo('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.thread_ts).toBe(root.messageId);
    expect(calls[1]!.body.reply_broadcast).toBe('false');
    expect(calls[1]!.body.text).toContain('Also carried by RT');
    expect(ref.threadId).toBe(root.messageId);
    expect(ref.messageId).not.toBe(root.messageId);
    expect(slack.messages[1]!.thread_ts).toBe(root.messageId);
  });

  it('never sends a mention or spoofed link to Slack', async () => {
    await notifier.postAlert(seedAlert({ headline: HOSTILE, summary: HOSTILE, framings: [{ tag: 'color-revolution', confidence: 1, evidence: [{ quote: HOSTILE, attributedTo: HOSTILE }] }] }), null);
    const raw = JSON.stringify(slack.callsTo('chat.postMessage')[0]!.body);
    for (const bad of FORBIDDEN) expect(raw).not.toContain(bad);
  });

  it('turns a 429 into RateLimitedError with Retry-After in ms, at once and without retrying', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const started = Date.now();
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await sleep(300);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages).toHaveLength(0);
  });

  it('turns a `ratelimited` error body into RateLimitedError too', async () => {
    slack.failNext('chat.postMessage', 'ratelimited');
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived'])('turns %s into DestinationUnavailableError', async (code) => {
    slack.failNext('chat.postMessage', code);
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationUnavailableError);
    expect((err as DestinationUnavailableError).reason).toBe(code);
    expect((err as DestinationUnavailableError).destination).toEqual({ platform: 'slack', channel: 'C0ALERTS' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('sees a channel the bot is not in (the fake keeps that state)', async () => {
    slack.setChannel('C0OUTSIDE', { isMember: false });
    const err = await notifier.postAlert(seedAlert({ destination: { platform: 'slack', channel: 'C0OUTSIDE' } }), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationUnavailableError);
    expect((err as DestinationUnavailableError).reason).toBe('not_in_channel');
  });

  it('turns invalid_auth into PlatformAuthError', async () => {
    slack.failNext('chat.postMessage', 'invalid_auth');
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformAuthError);
    expect((err as PlatformAuthError).reason).toBe('invalid_auth');
  });

  it('is refused with PlatformAuthError when the token is wrong', async () => {
    const wrong = createSlackNotifier({ client: createSlackWebClient({ botToken: 'xoxb-wrong', apiUrl: slack.url, log: silentLogger() }), log: silentLogger() });
    const err = await wrong.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformAuthError);
  });

  it('rethrows other Slack errors unchanged (the job backs off)', async () => {
    slack.failNext('chat.postMessage', 'internal_error');
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RateLimitedError);
    expect(err).not.toBeInstanceOf(DestinationUnavailableError);
    expect(err).not.toBeInstanceOf(PlatformAuthError);
    expect((err as { data?: { error?: string } }).data?.error).toBe('internal_error');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('retries a transient HTTP 5xx a little inside the call, then succeeds', async () => {
    slack.failNext('chat.postMessage', { status: 503 });
    const ref = await notifier.postAlert(seedAlert(), null);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(ref.messageId).toBe(slack.messages[0]!.ts);
  });

  it('gives up after two retries of a 5xx and rethrows', async () => {
    slack.failNext('chat.postMessage', { status: 500 }, 5);
    const err = await notifier.postAlert(seedAlert(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RateLimitedError);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });
});

describe('updateAlert', () => {
  it('re-renders the root message in place with the new outlet count', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    await notifier.updateAlert!(root, seedAlert({ outletCount: 2 }));
    const [call] = slack.callsTo('chat.update');
    expect(call!.body.channel).toBe('C0ALERTS');
    expect(call!.body.ts).toBe(root.messageId);
    expect(JSON.stringify(call!.body.blocks)).toContain('Carried by 2 outlets');
    expect(slack.messages[0]!.edits).toHaveLength(1);
  });

  it('does not overwrite the root with a follow-up', async () => {
    const root = await notifier.postAlert(seedAlert(), null);
    await notifier.updateAlert!(root, followupAlert());
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('skips a root that no longer exists, and maps a 429', async () => {
    await notifier.updateAlert!({ channel: 'C0ALERTS', messageId: '1.000001', threadId: '1.000001' }, seedAlert({ outletCount: 2 }));
    expect((slack.callsTo('chat.update')[0]!.response as { error: string }).error).toBe('message_not_found');
    slack.failNext('chat.update', { status: 429, retryAfter: 3 });
    const err = await notifier.updateAlert!({ channel: 'C0ALERTS', messageId: '1.000001' }, seedAlert({ outletCount: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(3_000);
  });
});

describe('postReply', () => {
  it('posts a reply as a channel message', async () => {
    const ref = await notifier.postReply({ platform: 'slack', channel: 'C0DIGEST' }, storyReply());
    const [call] = slack.callsTo('chat.postMessage');
    expect(call!.body.channel).toBe('C0DIGEST');
    expect(call!.body.text).toContain('Kazakhstan');
    expect(call!.body.blocks[0]).toMatchObject({ type: 'header' });
    expect(ref.channel).toBe('C0DIGEST');
    expect(ref.messageId).toBe(slack.messages[0]!.ts);
  });
});
