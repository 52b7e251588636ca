// The gateway path: a real discord.js Client against the fake Discord's REST and WebSocket gateway.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordBot, type DiscordBot } from '../../../src/adapters/discord/bot.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { CommandContext, ParsedCommand } from '../../../src/commands/types.js';
import { autocompleteInteraction, buttonInteraction, chatInputInteraction, startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { storyReply } from '../../unit/discord/fixtures.js';

const APP_ID = '900000000000000003';
const TOKEN = 'gateway-token';
let fake: FakeDiscord;
let bot: DiscordBot;
let handled: { cmd: ParsedCommand; ctx: CommandContext }[];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  handled = [];
  fake = await startFakeDiscord({ token: TOKEN, applicationId: APP_ID, heartbeatIntervalMs: 150 });
  bot = createDiscordBot({
    config: {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_PUBLIC_KEY: undefined,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_DEV_GUILD: '4242',
      discordGateway: true,
    },
    handleCommand: async (cmd, ctx) => {
      handled.push({ cmd, ctx });
      if (cmd.options.query?.[0] === 'slow') await sleep(300);
      return storyReply();
    },
    autocomplete: async (focused) => [{ name: `Kazakhstan (${focused})`, value: 'kazakhstan' }],
    actions: {
      evidence: async (storyId) => ({ visibility: 'ephemeral', kind: 'ok', text: `Evidence ${storyId}`, sections: [] }),
      muteStory: async (storyId) => ({ visibility: 'ephemeral', kind: 'ok', text: `Muted ${storyId}`, sections: [] }),
    },
    log: silentLogger(),
    deferAfterMs: 100,
  });
});
afterEach(async () => {
  await bot.stop();
  await fake.close();
});

describe('discord gateway', () => {
  it('connects where /gateway/bot says, identifies with the Guilds intent only, heartbeats, registers commands', async () => {
    await bot.start();
    const identify = await fake.gateway.identified;
    expect(identify.token).toBe(TOKEN);
    expect(identify.intents).toBe(1);
    expect(fake.callsTo('GET /gateway/bot')[0]!.headers.authorization).toBe(`Bot ${TOKEN}`);
    await fake.waitForCall('PUT /applications/:id/guilds/:id/commands');
    expect(fake.callsTo('PUT /applications/:id/guilds/:id/commands')[0]!.path).toBe(`/applications/${APP_ID}/guilds/4242/commands`);
    await sleep(500);
    expect(fake.gateway.heartbeats).toBeGreaterThan(0);
    expect(fake.gateway.connections).toBe(1);
  });

  it('answers an INTERACTION_CREATE through the interaction callback route', async () => {
    await bot.start();
    const i = chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' }, applicationId: APP_ID, channelId: '555' });
    fake.gateway.sendInteraction(i);
    const cb = await fake.waitForCall('POST /interactions/:id/:token/callback');
    expect(cb.path).toBe(`/interactions/${i.id}/${i.token}/callback`);
    expect(cb.headers.authorization).toBeUndefined();
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(cb.body.data.embeds[1].title).toBe('1. China warns of "color revolution" in Kazakhstan');
    expect(handled[0]!.cmd).toEqual({ name: 'story', options: { query: ['kazakhstan'] }, bare: [] });
    expect(handled[0]!.ctx.destination).toEqual({ platform: 'discord', channel: '555' });
  });

  it('defers slow answers and edits the original, as the HTTP path does', async () => {
    await bot.start();
    const i = chatInputInteraction({ name: 'story', options: { query: 'slow' }, applicationId: APP_ID });
    fake.gateway.sendInteraction(i);
    const cb = await fake.waitForCall('POST /interactions/:id/:token/callback');
    expect(cb.body).toEqual({ type: 5, data: {} });
    const edit = await fake.waitForCall('PATCH /webhooks/:id/:token/messages/@original');
    expect(edit.path).toBe(`/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(edit.body.embeds.length).toBeGreaterThan(1);
  });

  it('handles autocomplete, buttons and the admin check like the HTTP path', async () => {
    await bot.start();
    fake.gateway.sendInteraction(autocompleteInteraction({ name: 'story', option: 'query', value: 'kaz', applicationId: APP_ID }));
    const ac = await fake.waitForCall('POST /interactions/:id/:token/callback', 1);
    expect(ac.body).toEqual({ type: 8, data: { choices: [{ name: 'Kazakhstan (kaz)', value: 'kazakhstan' }] } });

    fake.gateway.sendInteraction(buttonInteraction({ customId: 'sw_evidence:s1', applicationId: APP_ID }));
    const ev = await fake.waitForCall('POST /interactions/:id/:token/callback', 2);
    expect(ev.body.data).toMatchObject({ content: 'Evidence s1', flags: 64 });

    fake.gateway.sendInteraction(chatInputInteraction({ name: 'feeds', sub: 'remove', options: { id: 'rt-en' }, applicationId: APP_ID }));
    const refused = await fake.waitForCall('POST /interactions/:id/:token/callback', 3);
    expect(refused.body.data.content).toMatch(/Manage Server/);
    expect(handled).toHaveLength(0);
  });

  it('stop() closes the gateway connection', async () => {
    await bot.start();
    expect(fake.gateway.connections).toBe(1);
    await bot.stop();
    for (let i = 0; i < 20 && fake.gateway.connections > 0; i++) await sleep(50);
    expect(fake.gateway.connections).toBe(0);
  });
});
