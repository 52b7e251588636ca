// The Slack notifier's crash check against the fake Web API: posts carry metadata; findPosted
// reads it back from history (roots) or the thread's replies (follow-ups) only with
// include_all_metadata, from the job's time on, and a 429 on the read is a RateLimitedError.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier, METADATA_EVENT_TYPE } from '../../../src/adapters/slack/notifier.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { RateLimitedError, type Notifier } from '../../../src/ports/notifier.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { followupAlert, seedAlert } from '../../unit/slack/alerts.js';

const TOKEN = 'xoxb-find-token';
let slack: FakeSlack;
let notifier: Notifier;
const dest = { platform: 'slack' as const, channel: 'C0ALERTS' };

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  notifier = createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

describe('Slack: findPosted', () => {
  it('posts with metadata naming the key and destination, and finds the root again by it', async () => {
    const since = Date.now() - 1000;
    const ref = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    await notifier.postAlert({ ...seedAlert(), articleId: 'other' }, null, { key: 'other' });
    expect(slack.callsTo('chat.postMessage')[0]!.body.metadata).toEqual({ event_type: METADATA_EVENT_TYPE, event_payload: { key: 'gt-1', destination: 'slack:C0ALERTS' } });
    expect(await notifier.findPosted!({ destination: dest, key: 'gt-1', thread: null, since })).toEqual(ref);
    const call = slack.callsTo('conversations.history')[0]!;
    expect(call.body.include_all_metadata).toBeTruthy();
    expect(Number(call.body.oldest)).toBeLessThanOrEqual(since / 1000);
    expect(await notifier.findPosted!({ destination: dest, key: 'never-posted', thread: null, since })).toBeNull();
    expect(await notifier.findPosted!({ destination: { ...dest, channel: 'C0OTHER' }, key: 'gt-1', thread: null, since })).toBeNull();
  });

  it('finds a follow-up among the thread replies, not in the channel history', async () => {
    const since = Date.now() - 1000;
    const root = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    const reply = await notifier.postAlert(followupAlert(), root, { key: 'rt-1' });
    expect(await notifier.findPosted!({ destination: dest, key: 'rt-1', thread: null, since })).toBeNull();
    expect(await notifier.findPosted!({ destination: dest, key: 'rt-1', thread: root, since })).toEqual(reply);
    expect(slack.callsTo('conversations.replies')[0]!.body.ts).toBe(root.messageId);
  });

  it('the fake returns metadata only to a read that asks for it (as Slack does)', async () => {
    await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    const res = await fetch(`${slack.url}conversations.history`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0ALERTS',
    });
    const json = (await res.json()) as { messages: { metadata?: unknown }[] };
    expect(json.messages).toHaveLength(1);
    expect(json.messages[0]!.metadata).toBeUndefined();
  });

  it('a 429 on the read is a RateLimitedError with Slack’s Retry-After', async () => {
    slack.failNext('conversations.history', { status: 429, retryAfter: 7 });
    const err = await notifier.findPosted!({ destination: dest, key: 'gt-1', thread: null, since: Date.now() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7000);
  });

  it('without the history scopes it answers null (post again) instead of stopping delivery', async () => {
    slack.failNext('conversations.history', 'missing_scope');
    expect(await notifier.findPosted!({ destination: dest, key: 'gt-1', thread: null, since: Date.now() })).toBeNull();
  });
});
