// The real Bolt app mounted on the real HTTP server (express) on loopback, talking to the fake
// Slack Web API; requests signed (or not) as Slack signs them.
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackActions, type SlackApp, type ParseCommandText } from '../../../src/adapters/slack/app.js';
import { encodeButtonValue } from '../../../src/adapters/slack/render.js';
import { finishRoutes, startHttpServer, type HttpServer } from '../../../src/adapters/http/server.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { createMetrics } from '../../../src/adapters/metrics.js';
import { parseCommandText as realGrammar } from '../../../src/commands/grammar.js';
import type { CommandContext, ParsedCommand } from '../../../src/commands/types.js';
import type { Reply } from '../../../src/core/alert/values.js';
import { PlatformAuthError } from '../../../src/ports/notifier.js';
import { blockActionBody, sendToSlackApp, slashCommandBody, startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { FORBIDDEN, HOSTILE, storyReply } from '../../unit/slack/alerts.js';

const TOKEN = 'xoxb-app-test';
const SECRET = 'test-signing-secret-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);

/** A tiny grammar for these tests: `/feeds add x` → sub `add`; `bad` → usage; words → bare. */
const testGrammar: ParseCommandText = (name, text) => {
  const words = text.split(/\s+/).filter(Boolean);
  if (words[0] === 'bad') {
    return { ok: false, reply: { visibility: 'ephemeral', kind: 'usage', text: 'That is not a web address.', sections: [{ type: 'paragraph', text: 'That is not a web address. Try /feeds add https://example.org/feed.xml' }] } };
  }
  if (name === 'feeds' || name === 'steppewatch') {
    const [sub, ...rest] = words;
    return { ok: true, cmd: { name, ...(sub ? { sub } : {}), options: {}, bare: rest } };
  }
  return { ok: true, cmd: { name, options: {}, bare: words } };
};

interface Harness {
  url: string;
  slack: FakeSlack;
  app: SlackApp;
  calls: { cmd: ParsedCommand; ctx: CommandContext }[];
  handler: { impl: (cmd: ParsedCommand, ctx: CommandContext) => Promise<Reply> };
  actionCalls: { kind: string; storyId: string; articleId?: string | undefined; ctx: CommandContext }[];
  http: HttpServer;
  close(): Promise<void>;
}

async function setup(o: { adminUsers?: string[]; ackBudgetMs?: number; actions?: boolean; grammar?: ParseCommandText; start?: boolean } = {}): Promise<Harness> {
  const slack = await startFakeSlack({ token: TOKEN });
  const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger(), metrics: createMetrics(), readiness: async () => ({ redis: true, roles: {} }) });
  const calls: Harness['calls'] = [];
  const actionCalls: Harness['actionCalls'] = [];
  const handler: Harness['handler'] = { impl: async () => storyReply() };
  const actions: SlackActions = {
    async evidence(storyId, ctx, articleId) {
      actionCalls.push({ kind: 'evidence', storyId, articleId, ctx });
      return { visibility: 'in_channel', kind: 'ok', text: `Evidence for ${storyId}`, sections: [{ type: 'list', items: ['color-revolution — “quote” — Wei Fenghe'] }] };
    },
    async muteStory(storyId, ctx) {
      actionCalls.push({ kind: 'mute', storyId, ctx });
      return { visibility: 'ephemeral', kind: 'ok', text: `Muted ${storyId}`, sections: [] };
    },
  };
  const app = createSlackApp({
    config: { botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.url, adminUsers: o.adminUsers ?? [] },
    app: http.app,
    handleCommand: async (cmd, ctx) => {
      calls.push({ cmd, ctx });
      return handler.impl(cmd, ctx);
    },
    parseCommandText: o.grammar ?? testGrammar,
    ...(o.actions === false ? {} : { actions }),
    log: silentLogger(),
    ...(o.ackBudgetMs !== undefined ? { ackBudgetMs: o.ackBudgetMs } : {}),
  });
  finishRoutes(http.app);
  if (o.start !== false) await app.start();
  return {
    url: `http://127.0.0.1:${http.port}/slack/events`,
    slack,
    app,
    calls,
    handler,
    actionCalls,
    http,
    async close() {
      await app.stop();
      await http.close();
      await slack.close();
    },
  };
}

function command(h: Harness, command: string, text: string, extra: { userId?: string; responseUrl?: string; timestamp?: number; signature?: string } = {}) {
  const body = slashCommandBody({ command, text, responseUrl: extra.responseUrl ?? h.slack.responseUrl(), ...(extra.userId ? { userId: extra.userId } : {}) });
  return sendToSlackApp(h.url, body, {
    signingSecret: SECRET,
    ...(extra.timestamp !== undefined ? { timestamp: extra.timestamp } : {}),
    ...(extra.signature !== undefined ? { signature: extra.signature } : {}),
  });
}

describe('slash commands over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await setup({ adminUsers: ['U0OPERATOR'] });
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.calls.length = 0;
    h.handler.impl = async () => storyReply();
  });

  it('verifies the token with auth.test at start', () => {
    expect(h.slack.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
    expect(h.slack.callsTo('auth.test')[0]!.token).toBe(TOKEN);
  });

  it('answers a signed /story kazakhstan in the ack', async () => {
    const res = await command(h, '/story', 'kazakhstan');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('in_channel');
    expect(res.json.text).toContain('Kazakhstan');
    expect(JSON.stringify(res.json.blocks)).toContain('China warns of');
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.cmd).toEqual({ name: 'story', options: {}, bare: ['kazakhstan'] });
    const ctx = h.calls[0]!.ctx;
    expect(ctx.destination).toEqual({ platform: 'slack', channel: 'C0ALERTS' });
    expect(ctx.user).toEqual({ id: 'U0USER', name: 'analyst', isAdmin: false });
    expect(ctx.now).toBeInstanceOf(Date);
  });

  it('registers every command of the contract', async () => {
    for (const name of ['story', 'subscribe', 'unsubscribe', 'subscriptions', 'mute', 'unmute', 'feeds', 'framing', 'trends', 'steppewatch']) {
      const res = await command(h, `/${name}`, 'list');
      expect(res.status, name).toBe(200);
    }
    expect(h.calls.map((c) => c.cmd.name)).toEqual(['story', 'subscribe', 'unsubscribe', 'subscriptions', 'mute', 'unmute', 'feeds', 'framing', 'trends', 'steppewatch']);
  });

  it('refuses a wrong signature with 401 and never runs the handler', async () => {
    const res = await command(h, '/story', 'kazakhstan', { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const unsigned = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: slashCommandBody({ command: '/story', text: 'x' }) });
    expect(unsigned.status).toBe(401);
    expect(h.calls).toHaveLength(0);
  });

  it('refuses a correctly signed request older than 5 minutes with 401', async () => {
    const res = await command(h, '/story', 'kazakhstan', { timestamp: now() - 330 });
    expect(res.status).toBe(401);
    expect(h.calls).toHaveLength(0);
  });

  it('refuses a correctly signed request dated more than 5 minutes ahead with 401', async () => {
    const res = await command(h, '/story', 'kazakhstan', { timestamp: now() + 330 });
    expect(res.status).toBe(401);
    expect(h.calls).toHaveLength(0);
    // A little clock skew is fine.
    expect((await command(h, '/story', 'kazakhstan', { timestamp: now() + 60 })).status).toBe(200);
    expect((await command(h, '/story', 'kazakhstan', { timestamp: now() - 60 })).status).toBe(200);
  });

  it('answers Slack’s url_verification challenge, signed only', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'chal-123', type: 'url_verification' });
    const res = await sendToSlackApp(h.url, body, { signingSecret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'chal-123' });
    const bad = await sendToSlackApp(h.url, body, { signingSecret: 'wrong-secret', contentType: 'application/json' });
    expect(bad.status).toBe(401);
  });

  it('keeps the rest of the HTTP server working', async () => {
    const base = h.url.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('returns grammar errors as ephemeral usage without running the handler', async () => {
    const res = await command(h, '/feeds', 'bad');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toBe('That is not a web address.');
    expect(h.calls).toHaveLength(0);
  });

  it('makes error replies ephemeral even when the handler asked for in_channel', async () => {
    h.handler.impl = async () => ({ visibility: 'in_channel', kind: 'error', text: 'Nope', sections: [] });
    const res = await command(h, '/subscribe', 'KZ');
    expect(res.json.response_type).toBe('ephemeral');
  });

  it('answers ephemerally when the handler throws', async () => {
    h.handler.impl = async () => {
      throw new Error('store down');
    };
    const res = await command(h, '/story', 'kazakhstan');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toContain('Something went wrong answering /story');
    expect(res.json.text).not.toContain('store down');
  });

  it('escapes hostile text in answers', async () => {
    h.handler.impl = async () => ({ visibility: 'in_channel', kind: 'ok', text: HOSTILE, sections: [{ type: 'paragraph', text: HOSTILE }, { type: 'list', items: [HOSTILE] }] });
    const res = await command(h, '/story', 'x');
    for (const bad of FORBIDDEN) expect(res.text).not.toContain(bad);
  });

  describe('admin-only subcommands', () => {
    it('refuses /feeds add for a member who is not an admin (users.info says so)', async () => {
      h.slack.setUser('U0MEMBER', { is_admin: false });
      const res = await command(h, '/feeds', 'add https://example.org/feed.xml', { userId: 'U0MEMBER' });
      expect(res.status).toBe(200);
      expect(res.json.response_type).toBe('ephemeral');
      expect(res.json.text).toContain('Only workspace admins can use /feeds add');
      expect(h.calls).toHaveLength(0);
      expect(h.slack.callsTo('users.info').some((c) => c.body.user === 'U0MEMBER')).toBe(true);
    });

    it('lets a non-admin use the other subcommands, flagged as not admin', async () => {
      const res = await command(h, '/feeds', 'list', { userId: 'U0MEMBER' });
      expect(res.json.response_type).toBe('in_channel');
      expect(h.calls[0]!.ctx.user.isAdmin).toBe(false);
    });

    it('accepts /feeds add from a workspace admin or owner, and caches the answer', async () => {
      h.slack.setUser('U0ADMIN', { is_admin: true });
      h.slack.setUser('U0OWNER', { is_owner: true });
      for (const user of ['U0ADMIN', 'U0OWNER']) {
        const res = await command(h, '/feeds', 'pause rt-en', { userId: user });
        expect(res.json.response_type).toBe('in_channel');
      }
      expect(h.calls.map((c) => [c.ctx.user.id, c.ctx.user.isAdmin, c.cmd.sub])).toEqual([
        ['U0ADMIN', true, 'pause'],
        ['U0OWNER', true, 'pause'],
      ]);
      const before = h.slack.callsTo('users.info').filter((c) => c.body.user === 'U0ADMIN').length;
      await command(h, '/feeds', 'remove rt-en', { userId: 'U0ADMIN' });
      expect(h.slack.callsTo('users.info').filter((c) => c.body.user === 'U0ADMIN').length).toBe(before);
      expect(h.calls).toHaveLength(3);
    });

    it('accepts a user of SLACK_ADMIN_USERS without asking Slack', async () => {
      const res = await command(h, '/feeds', 'add https://example.org/feed.xml', { userId: 'U0OPERATOR' });
      expect(res.json.response_type).toBe('in_channel');
      expect(h.calls[0]!.ctx.user.isAdmin).toBe(true);
      expect(h.slack.callsTo('users.info').some((c) => c.body.user === 'U0OPERATOR')).toBe(false);
    });

    it('refuses (rather than fails open) when users.info fails', async () => {
      h.slack.failNext('users.info', 'missing_scope');
      const res = await command(h, '/feeds', 'resume rt-en', { userId: 'U0NEWCOMER' });
      expect(res.json.text).toContain('Only workspace admins');
      expect(h.calls).toHaveLength(0);
    });
  });

  describe('buttons', () => {
    it('answers "All evidence" ephemerally through response_url, leaving the alert alone', async () => {
      const responseUrl = h.slack.responseUrl();
      const body = blockActionBody({ actionId: 'sw_evidence', value: encodeButtonValue({ storyId: 'st-7f3a', articleId: 'guid:abc' }), responseUrl, userId: 'U0MEMBER' });
      const res = await sendToSlackApp(h.url, body, { signingSecret: SECRET });
      expect(res.status).toBe(200);
      const posted = await h.slack.waitFor('response_url', (c) => c.path === new URL(responseUrl).pathname);
      expect(posted.body.response_type).toBe('ephemeral');
      expect(posted.body.replace_original).toBe(false);
      expect(posted.body.text).toBe('Evidence for st-7f3a');
      expect(JSON.stringify(posted.body.blocks)).toContain('Wei Fenghe');
      const call = h.actionCalls.find((c) => c.kind === 'evidence')!;
      expect(call.storyId).toBe('st-7f3a');
      expect(call.articleId).toBe('guid:abc');
      expect(call.ctx.destination).toEqual({ platform: 'slack', channel: 'C0ALERTS' });
      expect(call.ctx.user.id).toBe('U0MEMBER');
    });

    it('mutes the story for the channel of the alert', async () => {
      const responseUrl = h.slack.responseUrl();
      const body = blockActionBody({ actionId: 'sw_mute_story', value: encodeButtonValue({ storyId: 'st-7f3a' }), responseUrl, channelId: 'C0OTHER' });
      expect((await sendToSlackApp(h.url, body, { signingSecret: SECRET })).status).toBe(200);
      const posted = await h.slack.waitFor('response_url', (c) => c.path === new URL(responseUrl).pathname);
      expect(posted.body.text).toBe('Muted st-7f3a');
      expect(h.actionCalls.find((c) => c.kind === 'mute')!.ctx.destination).toEqual({ platform: 'slack', channel: 'C0OTHER' });
    });

    it('acknowledges the URL button and refuses unsigned clicks', async () => {
      const body = blockActionBody({ actionId: 'sw_open_article' });
      expect((await sendToSlackApp(h.url, body, { signingSecret: SECRET })).status).toBe(200);
      expect((await sendToSlackApp(h.url, body, { signingSecret: 'nope' })).status).toBe(401);
    });

    it('says a button is out of date when its value is not ours', async () => {
      const responseUrl = h.slack.responseUrl();
      await sendToSlackApp(h.url, blockActionBody({ actionId: 'sw_evidence', value: 'garbage', responseUrl }), { signingSecret: SECRET });
      const posted = await h.slack.waitFor('response_url', (c) => c.path === new URL(responseUrl).pathname);
      expect(posted.body.text).toContain('out of date');
    });
  });
});

describe('slow answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await setup({ ackBudgetMs: 150 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('acks "Looking…" at once and sends the answer through response_url', async () => {
    h.handler.impl = async () => {
      await sleep(500);
      return storyReply();
    };
    const responseUrl = h.slack.responseUrl();
    const started = Date.now();
    const res = await command(h, '/story', 'kazakhstan', { responseUrl });
    expect(Date.now() - started).toBeLessThan(450);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: 'ephemeral', text: 'Looking…' });
    const posted = await h.slack.waitFor('response_url', (c) => c.path === new URL(responseUrl).pathname);
    expect(posted.headers['content-type']).toContain('application/json');
    expect(posted.body.response_type).toBe('in_channel');
    expect(posted.body.replace_original).toBe(false);
    expect(JSON.stringify(posted.body.blocks)).toContain('China warns of');
  });

  it('replaces "Looking…" with a late ephemeral answer', async () => {
    h.handler.impl = async () => {
      await sleep(400);
      return { visibility: 'ephemeral', kind: 'ok', text: 'Your subscriptions', sections: [] };
    };
    const responseUrl = h.slack.responseUrl();
    const res = await command(h, '/subscriptions', '', { responseUrl });
    expect(res.json.text).toBe('Looking…');
    const posted = await h.slack.waitFor('response_url', (c) => c.path === new URL(responseUrl).pathname);
    expect(posted.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'Your subscriptions' });
  });
});

describe('with the real command grammar', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await setup({ grammar: realGrammar });
  });
  afterAll(async () => {
    await h.close();
  });

  it('parses the command text and checks admin-only subcommands', async () => {
    h.slack.setUser('U0MEMBER', { is_admin: false });
    const refused = await command(h, '/feeds', 'add url:https://example.org/feed.xml', { userId: 'U0MEMBER' });
    expect(refused.json.text).toContain('Only workspace admins can use /feeds add');
    const res = await command(h, '/story', 'kazakhstan 30d');
    expect(res.json.response_type).toBe('in_channel');
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.cmd.name).toBe('story');
  });
});

describe('lifecycle', () => {
  it('answers 503 until started and after stop', async () => {
    const h = await setup({ start: false });
    try {
      expect((await command(h, '/story', 'x')).status).toBe(503);
      await h.app.start();
      expect((await command(h, '/story', 'x')).status).toBe(200);
      await h.app.stop();
      expect((await command(h, '/story', 'x')).status).toBe(503);
      expect(h.calls).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('refuses to start with a token Slack rejects (PlatformAuthError)', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    try {
      const app = createSlackApp({
        config: { botToken: 'xoxb-revoked', signingSecret: SECRET, apiUrl: slack.url, adminUsers: [] },
        app: express(),
        handleCommand: async () => storyReply(),
        parseCommandText: testGrammar,
        log: silentLogger(),
      });
      const err = await app.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlatformAuthError);
      expect((err as PlatformAuthError).reason).toBe('invalid_auth');
    } finally {
      await slack.close();
    }
  });

  it('builds a Socket Mode app when an app token is given, mounting nothing', async () => {
    const http = express();
    const app = createSlackApp({
      config: { botToken: TOKEN, appToken: 'xapp-1-test', apiUrl: 'http://127.0.0.1:9/api', adminUsers: [] },
      app: http,
      handleCommand: async () => storyReply(),
      parseCommandText: testGrammar,
      log: silentLogger(),
    });
    expect(app.mode).toBe('socket');
    expect(app.notifier.platform).toBe('slack');
    const stack = (http as unknown as { router?: { stack: unknown[] } }).router?.stack ?? [];
    expect(JSON.stringify(stack.map((l) => (l as { route?: { path?: string } }).route?.path ?? null))).not.toContain('/slack/events');
  });

  it('requires a signing secret and an express app in HTTP mode', () => {
    const base = { handleCommand: async () => storyReply(), parseCommandText: testGrammar, log: silentLogger() };
    expect(() => createSlackApp({ ...base, config: { botToken: TOKEN, adminUsers: [] }, app: express() })).toThrow(/signingSecret/);
    expect(() => createSlackApp({ ...base, config: { botToken: TOKEN, signingSecret: SECRET, adminUsers: [] } })).toThrow(/express app/);
  });
});

describe('slash commands over Socket Mode', () => {
  const APP_TOKEN = 'xapp-1-socket-test';
  let slack: FakeSlack;
  let app: SlackApp;
  const calls: { cmd: ParsedCommand; ctx: CommandContext }[] = [];
  beforeAll(async () => {
    slack = await startFakeSlack({ token: TOKEN, appToken: APP_TOKEN });
    app = createSlackApp({
      config: { botToken: TOKEN, appToken: APP_TOKEN, apiUrl: slack.url, adminUsers: [] },
      handleCommand: async (cmd, ctx) => {
        calls.push({ cmd, ctx });
        return storyReply();
      },
      parseCommandText: testGrammar,
      log: silentLogger(),
    });
    await app.start();
    await slack.socketConnected();
  });
  afterAll(async () => {
    await app.stop();
    await slack.close();
  });

  const payload = (command: string, text: string) => Object.fromEntries(new URLSearchParams(slashCommandBody({ command, text, responseUrl: slack.responseUrl() })));

  it('opens the connection through SLACK_API_URL with the app-level token', () => {
    const open = slack.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.token).toBe(APP_TOKEN);
    expect(open[0]!.response).toMatchObject({ ok: true });
  });

  it('acks a /story kazakhstan envelope with the answer', async () => {
    const ack = await slack.sendEnvelope('slash_commands', payload('/story', 'kazakhstan'));
    const viaResponseUrl = slack.callsTo('response_url');
    // the answer comes in the ack's payload, or (slow answers) through response_url
    const answer = ack.payload?.blocks ? ack.payload : viaResponseUrl[viaResponseUrl.length - 1]?.body;
    expect(answer?.response_type).toBe('in_channel');
    expect(JSON.stringify(answer?.blocks)).toContain('China warns of');
    expect(calls.at(-1)!.cmd).toEqual({ name: 'story', options: {}, bare: ['kazakhstan'] });
    expect(calls.at(-1)!.ctx.destination).toEqual({ platform: 'slack', channel: 'C0ALERTS' });
  });

  it('acks grammar errors ephemerally without running the handler', async () => {
    const before = calls.length;
    const ack = await slack.sendEnvelope('slash_commands', payload('/feeds', 'bad'));
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(ack.payload?.text).toContain('web address');
    expect(calls.length).toBe(before);
  });
});
