// Issue 7's acceptance run: `steppewatch start` with only the Slack variables set, against a
// fake Slack Web API, given a feed that retells the seed story dated now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TITLE, seedStoryFeed, startSteppewatch, until, type Running } from '../helpers/e2e.js';
import { sendToSlackApp, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import type { TestFeedServer } from '../helpers/feed-server.js';

const SECRET = 'e2e-signing-secret';
const TOKEN = 'xoxb-e2e-token';

describe('Slack end to end', () => {
  let slack: FakeSlack;
  let feed: { server: TestFeedServer; feedsFile: string };
  let sw: Running;

  beforeAll(async () => {
    slack = await startFakeSlack({ token: TOKEN });
    slack.setChannel('C0ALERTS', { name: 'alerts', isMember: true });
    // The first post is rate limited: it must be rescheduled, not lost or doubled.
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    feed = await seedStoryFeed();
    sw = await startSteppewatch(
      {
        FEEDS_FILE: feed.feedsFile,
        ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
        POLL_MIN_INTERVAL_SECONDS: '1',
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        SLACK_DEFAULT_CHANNEL: 'C0ALERTS',
      },
      process.cwd(),
    );
  }, 90_000);

  afterAll(async () => {
    const code = await sw?.stop();
    expect(code).toBe(0);
    await feed?.server.close();
    await slack?.close();
  });

  it('posts the story once with its framing, the second outlet in its thread, despite a 429', async () => {
    const roots = await until('two alerts and a follow-up', () => {
      const top = slack.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      const replies = slack.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
      return top.length >= 2 && replies.length >= 1 ? top : null;
    }, 60_000);
    // Give any duplicate a chance to show up.
    await new Promise((r) => setTimeout(r, 3000));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
    const top = slack.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const replies = slack.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
    expect(top).toHaveLength(2);
    expect(replies).toHaveLength(1);
    const seed = roots.find((m) => /color revolution/i.test(m.text))!;
    expect(seed).toBeDefined();
    expect(seed.channel).toBe('C0ALERTS');
    const blocks = JSON.stringify(seed.blocks);
    expect(blocks).toContain('Global Times');
    expect(blocks).toMatch(/• \*[^*]*color revolution[^*]*\*/);
    expect(blocks).toContain('Wei Fenghe');
    expect(replies[0]!.thread_ts).toBe(seed.ts);
    expect(JSON.stringify(replies[0])).toContain('RT');
    // Nothing unrelated.
    expect(JSON.stringify(slack.messages)).not.toMatch(/laptop/i);
  }, 90_000);

  it('never lets a mention through', () => {
    const hostile = slack.messages.find((m) => /Tokayev meets Mirziyoyev/.test(m.text));
    expect(hostile).toBeDefined();
    for (const c of slack.callsTo('chat.postMessage')) {
      const all = JSON.stringify(c.body);
      expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0ADMIN>|<https:\/\/evil/);
      expect(all).not.toMatch(/(^|[^\u200b])@everyone/);
    }
    expect(HOSTILE_TITLE).toContain('<!channel>');
  });

  it('answers a signed /story kazakhstan with the story', async () => {
    const url = `http://127.0.0.1:${sw.port}/slack/events`;
    const responseUrl = slack.responseUrl();
    const res = await sendToSlackApp(url, slashCommandBody({ command: '/story', text: 'kazakhstan', channelId: 'C0ALERTS', responseUrl }), { signingSecret: SECRET });
    expect(res.status).toBe(200);
    let answer = res.text;
    if (!/color revolution/i.test(answer)) {
      const posted = await slack.waitFor('response_url', undefined, 10_000);
      answer = JSON.stringify(posted.body);
    }
    expect(answer).toMatch(/color revolution/i);
    expect(answer).toMatch(/Global Times/);
    expect(answer).toMatch(/RT/);
  }, 30_000);

  it('refuses bad signatures and stale timestamps with 401, and keeps running', async () => {
    const url = `http://127.0.0.1:${sw.port}/slack/events`;
    const body = slashCommandBody({ command: '/story', text: 'kazakhstan' });
    expect((await sendToSlackApp(url, body, { signingSecret: 'wrong-secret' })).status).toBe(401);
    expect((await sendToSlackApp(url, body, { signingSecret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect((await sendToSlackApp(url, body, { signingSecret: SECRET, timestamp: Math.floor(Date.now() / 1000) + 600 })).status).toBe(401);
    expect(sw.alive()).toBe(true);
    expect((await fetch(`http://127.0.0.1:${sw.port}/healthz`)).status).toBe(200);
  });
});
