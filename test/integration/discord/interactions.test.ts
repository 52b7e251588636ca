// POST /discord/interactions on a real express server on loopback, signed like Discord signs,
// answering through the real @discordjs/rest against the fake Discord (deferred edits).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mountDiscordInteractions } from '../../../src/adapters/discord/interactions.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import type { Autocomplete, InteractionActions } from '../../../src/adapters/discord/dispatch.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Reply } from '../../../src/core/alert/values.js';
import type { CommandContext, CommandHandler, ParsedCommand } from '../../../src/commands/types.js';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  createInteractionSigner,
  pingInteraction,
  startFakeDiscord,
  type FakeDiscord,
} from '../../helpers/fake-discord.js';
import { storyReply } from '../../unit/discord/fixtures.js';

const APP_ID = '900000000000000001';
const DEFER_MS = 150;
const signer = createInteractionSigner();

let fake: FakeDiscord;
let server: Server;
let url: string;
let handled: { cmd: ParsedCommand; ctx: CommandContext }[];
let handler: CommandHandler;
let actionsCalled: { action: string; storyId: string; ctx: CommandContext }[];
let completions: string[];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ephemeral = (text: string): Reply => ({ visibility: 'ephemeral', kind: 'ok', text, sections: [{ type: 'paragraph', text }] });

beforeAll(async () => {
  fake = await startFakeDiscord({ token: 'tok', applicationId: APP_ID });
  const app = express();
  const autocomplete: Autocomplete = async (focused) => {
    completions.push(focused);
    return [
      { name: 'Kazakhstan', value: 'kazakhstan' },
      { name: 'Kazakhstan', value: 'kazakhstan' },
      { name: `@everyone ${'long '.repeat(40)}`, value: 'v'.repeat(300) },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `kaz ${i}`, value: `kaz-${i}` })),
    ];
  };
  const actions: InteractionActions = {
    evidence: async (storyId, ctx) => {
      actionsCalled.push({ action: 'evidence', storyId, ctx });
      return ephemeral(`Evidence for ${storyId}`);
    },
    muteStory: async (storyId, ctx) => {
      actionsCalled.push({ action: 'mute', storyId, ctx });
      return ephemeral(`Muted ${storyId} here.`);
    },
  };
  mountDiscordInteractions({
    app,
    publicKey: signer.publicKeyHex,
    handleCommand: (cmd, ctx) => handler(cmd, ctx),
    autocomplete,
    actions,
    rest: createDiscordRest({ apiUrl: fake.apiUrl, token: 'tok', retries: 0 }),
    applicationId: APP_ID,
    log: silentLogger(),
    deferAfterMs: DEFER_MS,
  });
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  await fake.close();
});
beforeEach(() => {
  handled = [];
  actionsCalled = [];
  completions = [];
  handler = async (cmd, ctx) => {
    handled.push({ cmd, ctx });
    return storyReply();
  };
});
afterEach(() => {
  fake.calls.length = 0;
});

async function send(payload: unknown, o: { timestamp?: number; tamper?: boolean; unsigned?: boolean } = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!o.unsigned) Object.assign(headers, signer.sign(o.tamper ? `${body} ` : body, o.timestamp));
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as any) : null, text };
}

describe('POST /discord/interactions', () => {
  it('answers PING with {type: 1}', async () => {
    const r = await send(pingInteraction({ applicationId: APP_ID }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ type: 1 });
  });

  it('refuses a bad signature, a stale or future timestamp, and unsigned requests with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await send(pingInteraction(), { tamper: true })).status).toBe(401);
    expect((await send(pingInteraction(), { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await send(pingInteraction(), { timestamp: now + 6 * 60 })).status).toBe(401);
    expect((await send(pingInteraction(), { unsigned: true })).status).toBe(401);
    const story = await send(chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' } }), { tamper: true });
    expect(story.status).toBe(401);
    expect(handled).toHaveLength(0);
  });

  it('answers /story query:kazakhstan directly with the story (type 4, for the channel)', async () => {
    const i = chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' }, applicationId: APP_ID, channelId: '555', userId: '777' });
    const r = await send(i);
    expect(r.status).toBe(200);
    expect(r.json.type).toBe(4);
    expect(r.json.data.flags).toBeUndefined();
    expect(r.json.data.allowed_mentions).toEqual({ parse: [] });
    expect(r.json.data.embeds[1].title).toBe('1. China warns of "color revolution" in Kazakhstan');
    expect(handled).toHaveLength(1);
    expect(handled[0]!.cmd).toEqual({ name: 'story', options: { query: ['kazakhstan'] }, bare: [] });
    expect(handled[0]!.ctx.destination).toEqual({ platform: 'discord', channel: '555' });
    expect(handled[0]!.ctx.user).toMatchObject({ id: '777', name: 'Analyst', isAdmin: false });
  });

  it('an ephemeral reply carries flag 64', async () => {
    handler = async () => ephemeral('No subscriptions here yet.');
    const r = await send(chatInputInteraction({ name: 'subscriptions' }));
    expect(r.json).toEqual({ type: 4, data: { content: 'No subscriptions here yet.', allowed_mentions: { parse: [] }, flags: 64 } });
  });

  it('list options are split by the grammar', async () => {
    await send(chatInputInteraction({ name: 'subscribe', options: { countries: 'KZ, UZ', keywords: '"Rogun dam", Tokayev', min_relevance: 0.5, mode: 'digest' } }));
    expect(handled[0]!.cmd.options).toMatchObject({ countries: ['KZ', 'UZ'], keywords: ['Rogun dam', 'Tokayev'], min_relevance: ['0.5'], mode: ['digest'] });
  });

  it('defers a slow answer (type 5) and then edits the original response through the webhook route', async () => {
    handler = async (cmd, ctx) => {
      handled.push({ cmd, ctx });
      await sleep(DEFER_MS * 3);
      return storyReply();
    };
    const i = chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' }, applicationId: APP_ID });
    const t0 = Date.now();
    const r = await send(i);
    expect(Date.now() - t0).toBeLessThan(DEFER_MS * 3);
    expect(r.json).toEqual({ type: 5, data: {} });
    const edit = await fake.waitForCall('PATCH /webhooks/:id/:token/messages/@original');
    expect(edit.path).toBe(`/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.body.embeds[1].title).toBe('1. China warns of "color revolution" in Kazakhstan');
  });

  it('a slow ephemeral answer of a command deferred as public goes out as an ephemeral follow-up', async () => {
    handler = async () => {
      await sleep(DEFER_MS * 3);
      return ephemeral('Nothing matched “xyz” in the last 90 days.');
    };
    const i = chatInputInteraction({ name: 'story', options: { query: 'xyz' }, applicationId: APP_ID });
    expect((await send(i)).json).toEqual({ type: 5, data: {} });
    const follow = await fake.waitForCall('POST /webhooks/:id/:token');
    expect(follow.body).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    await fake.waitForCall('DELETE /webhooks/:id/:token/messages/@original');
    expect(fake.calls.map((c) => c.route)).toEqual([
      'PATCH /webhooks/:id/:token/messages/@original',
      'POST /webhooks/:id/:token',
      'DELETE /webhooks/:id/:token/messages/@original',
    ]);
  });

  it('a slow public answer of a command deferred as ephemeral is posted as a follow-up', async () => {
    handler = async () => {
      await sleep(DEFER_MS * 3);
      return { ...ephemeral('Subscribed this channel: s1 (KZ).'), visibility: 'in_channel' };
    };
    const i = chatInputInteraction({ name: 'subscribe', options: { countries: 'KZ' }, applicationId: APP_ID });
    expect((await send(i)).json).toEqual({ type: 5, data: { flags: 64 } });
    const follow = await fake.waitForCall('POST /webhooks/:id/:token');
    expect(follow.body.flags).toBeUndefined();
    expect(follow.body.content).toBe('Subscribed this channel: s1 (KZ).');
  });

  it('refuses admin subcommands to members without Manage Server; allows them with it', async () => {
    const refused = await send(chatInputInteraction({ name: 'feeds', sub: 'add', options: { url: 'https://example.org/feed.xml' }, permissions: 0x400n | 0x800n }));
    expect(refused.json.type).toBe(4);
    expect(refused.json.data.flags).toBe(64);
    expect(refused.json.data.content).toMatch(/Manage Server/);
    expect(handled).toHaveLength(0);

    await send(chatInputInteraction({ name: 'feeds', sub: 'pause', options: { id: 'rt-en' }, permissions: 0x20n }));
    expect(handled).toHaveLength(1);
    expect(handled[0]!.cmd).toMatchObject({ name: 'feeds', sub: 'pause', options: { id: ['rt-en'] } });
    expect(handled[0]!.ctx.user.isAdmin).toBe(true);

    await send(chatInputInteraction({ name: 'feeds', sub: 'remove', options: { id: 'rt-en' }, permissions: 0x8n }));
    expect(handled).toHaveLength(2);

    // Read-only subcommands are for anyone who can see /feeds.
    await send(chatInputInteraction({ name: 'feeds', sub: 'list' }));
    expect(handled).toHaveLength(3);
    expect(handled[2]!.ctx.user.isAdmin).toBe(false);
  });

  it('answers autocomplete with at most 25 clean, distinct choices (type 8)', async () => {
    const r = await send(autocompleteInteraction({ name: 'story', option: 'query', value: 'kaz' }));
    expect(r.json.type).toBe(8);
    const choices = r.json.data.choices as { name: string; value: string }[];
    expect(completions).toEqual(['kaz']);
    expect(choices.length).toBe(25);
    expect(choices[0]).toEqual({ name: 'Kazakhstan', value: 'kazakhstan' });
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
      expect(c.name).not.toContain('@everyone');
    }
  });

  it('runs the buttons of an alert: All evidence and Mute this story', async () => {
    const ev = await send(buttonInteraction({ customId: 'sw_evidence:s-7f3a9c', channelId: '555' }));
    expect(ev.json).toEqual({ type: 4, data: { content: 'Evidence for s-7f3a9c', allowed_mentions: { parse: [] }, flags: 64 } });
    const mute = await send(buttonInteraction({ customId: 'sw_mute_story:s-7f3a9c', channelId: '555' }));
    expect(mute.json.data.content).toBe('Muted s-7f3a9c here.');
    expect(actionsCalled.map((a) => [a.action, a.storyId, a.ctx.destination.channel])).toEqual([
      ['evidence', 's-7f3a9c', '555'],
      ['mute', 's-7f3a9c', '555'],
    ]);
    const unknown = await send(buttonInteraction({ customId: 'something_else' }));
    expect(unknown.json.data.flags).toBe(64);
  });

  it('a failing handler gets an ephemeral apology, not a 500', async () => {
    handler = async () => {
      throw new Error('boom');
    };
    const r = await send(chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' } }));
    expect(r.status).toBe(200);
    expect(r.json.type).toBe(4);
    expect(r.json.data.flags).toBe(64);
    expect(r.json.data.content).toMatch(/Something went wrong/);
  });

  it('a usage mistake caught by the grammar (an option of an older registration) is answered without the handler', async () => {
    const r = await send(chatInputInteraction({ name: 'story', options: { query: 'kazakhstan', colour: 'red' } }));
    expect(r.json.type).toBe(4);
    expect(r.json.data.flags).toBe(64);
    expect(handled).toHaveLength(0);
  });
});
