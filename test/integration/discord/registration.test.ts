// Command registration (bulk overwrite, guild or global) and the HTTP-only bot, against the fake.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordBot, type DiscordBotConfig } from '../../../src/adapters/discord/bot.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { COMMAND_NAMES } from '../../../src/commands/types.js';
import { createInteractionSigner, discordError, pingInteraction, startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { storyReply } from '../../unit/discord/fixtures.js';

const APP_ID = '900000000000000002';
const signer = createInteractionSigner();
let fake: FakeDiscord;

beforeEach(async () => {
  fake = await startFakeDiscord({ token: 'tok', applicationId: APP_ID });
});
afterEach(async () => {
  await fake.close();
});

function bot(over: Partial<DiscordBotConfig> = {}, app: express.Express | null = express()) {
  return createDiscordBot({
    config: {
      DISCORD_TOKEN: 'tok',
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_DEV_GUILD: undefined,
      discordGateway: false,
      ...over,
    },
    ...(app ? { app } : {}),
    handleCommand: async () => storyReply(),
    autocomplete: async () => [],
    actions: { evidence: async () => storyReply(), muteStory: async () => storyReply() },
    log: silentLogger(),
  });
}

describe('command registration', () => {
  it('bulk-overwrites the commands in DISCORD_DEV_GUILD when set', async () => {
    await bot({ DISCORD_DEV_GUILD: '4242' }).start();
    const [put] = fake.callsTo('PUT /applications/:id/guilds/:id/commands');
    expect(put!.path).toBe(`/applications/${APP_ID}/guilds/4242/commands`);
    expect(put!.headers.authorization).toBe('Bot tok');
    expect((put!.body as { name: string }[]).map((c) => c.name).sort()).toEqual([...COMMAND_NAMES].sort());
    const feeds = (put!.body as { name: string; default_member_permissions?: string }[]).find((c) => c.name === 'feeds')!;
    expect(feeds.default_member_permissions).toBe('32');
    expect(fake.callsTo('PUT /applications/:id/commands')).toHaveLength(0);
  });

  it('registers globally otherwise', async () => {
    await bot().start();
    const [put] = fake.callsTo('PUT /applications/:id/commands');
    expect(put!.path).toBe(`/applications/${APP_ID}/commands`);
    expect(put!.body).toHaveLength(COMMAND_NAMES.length);
    expect(fake.callsTo('PUT /applications/:id/guilds/:id/commands')).toHaveLength(0);
  });

  it('a failed registration is logged, not fatal', async () => {
    fake.failNext('PUT /applications/:id/commands', discordError(401));
    await expect(bot().start()).resolves.toBeUndefined();
  });
});

describe('the HTTP-only bot', () => {
  it('mounts POST /discord/interactions on the given app when DISCORD_PUBLIC_KEY is set', async () => {
    const app = express();
    const b = bot({}, app);
    expect(b.httpMounted).toBe(true);
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const body = JSON.stringify(pingInteraction());
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signer.sign(body) },
        body,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ type: 1 });
    } finally {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    }
  });

  it('HTTP-only mode without an HTTP server to mount on is a configuration error', () => {
    expect(() => bot({}, null)).toThrow(/DISCORD_GATEWAY=false/);
    expect(bot({ discordGateway: true }, null).httpMounted).toBe(false);
  });

  it('without a public key nothing is mounted, and the notifier still works', async () => {
    const b = bot({ DISCORD_PUBLIC_KEY: undefined });
    expect(b.httpMounted).toBe(false);
    const ref = await b.notifier.postReply({ platform: 'discord', channel: '99' }, { visibility: 'in_channel', kind: 'ok', text: 'hello', sections: [] });
    expect(ref.channel).toBe('99');
    expect(fake.callsTo('POST /channels/:id/messages')).toHaveLength(1);
  });
});
