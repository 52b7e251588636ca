// Issue 8's acceptance run: `steppewatch start` with only the Discord variables set
// (HTTP interactions, no gateway), against a fake Discord, given a feed that retells the seed
// story dated now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStoryFeed, startSteppewatch, until, type Running } from '../helpers/e2e.js';
import { chatInputInteraction, createInteractionSigner, pingInteraction, rateLimited, startFakeDiscord, type FakeDiscord, type InteractionSigner } from '../helpers/fake-discord.js';
import type { TestFeedServer } from '../helpers/feed-server.js';

const CHANNEL = '1200000000000000001';
const TOKEN = 'discord-e2e-token';

describe('Discord end to end', () => {
  let discord: FakeDiscord;
  let signer: InteractionSigner;
  let feed: { server: TestFeedServer; feedsFile: string };
  let sw: Running;

  beforeAll(async () => {
    discord = await startFakeDiscord({ token: TOKEN });
    signer = createInteractionSigner();
    discord.failNext('POST /channels/:id/messages', rateLimited({ retryAfter: 1 }));
    feed = await seedStoryFeed();
    sw = await startSteppewatch(
      {
        FEEDS_FILE: feed.feedsFile,
        ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
        POLL_MIN_INTERVAL_SECONDS: '1',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_DEFAULT_CHANNEL: CHANNEL,
        DISCORD_GATEWAY: 'false',
      },
      process.cwd(),
    );
  }, 90_000);

  afterAll(async () => {
    const code = await sw?.stop();
    expect(code).toBe(0);
    await feed?.server.close();
    await discord?.close();
  });

  const posts = () => discord.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path) && c.status < 300);

  it('posts the story once with its framing, the second outlet in a thread on it, despite a 429', async () => {
    await until('two alerts and a follow-up', () => posts().length >= 3, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const ok = posts();
    const inChannel = ok.filter((c) => c.path === `/channels/${CHANNEL}/messages`);
    const inThreads = ok.filter((c) => c.path !== `/channels/${CHANNEL}/messages`);
    expect(inChannel).toHaveLength(2);
    expect(inThreads).toHaveLength(1);
    expect(discord.calls.filter((c) => c.status === 429)).toHaveLength(1);
    const seed = inChannel.find((c) => /color revolution/i.test(JSON.stringify(c.body)))!;
    expect(seed).toBeDefined();
    const body = JSON.stringify(seed.body);
    expect(body).toContain('Global Times');
    expect(body).toMatch(/"name":"[^"]*color revolution/);
    expect(body).toContain('Wei Fenghe');
    // The follow-up went into a thread started on the story's message.
    const seedMessage = [...discord.messages.values()].find((m) => m.channel_id === CHANNEL && /color revolution/i.test(JSON.stringify(m.embeds)))!;
    expect(inThreads[0]!.path).toBe(`/channels/${seedMessage.id}/messages`);
    expect(JSON.stringify(inThreads[0]!.body)).toContain('RT');
    expect(JSON.stringify(ok.map((c) => c.body))).not.toMatch(/laptop/i);
  }, 90_000);

  it('disables mentions on every message', () => {
    const messageRoutes = ['POST /channels/:id/messages', 'PATCH /channels/:id/messages/:id'];
    const sent = discord.calls.filter((x) => messageRoutes.includes(x.route));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const c of sent) {
      expect({ route: c.route, allowed_mentions: c.body?.allowed_mentions }).toEqual({ route: c.route, allowed_mentions: { parse: [] } });
    }
  });

  async function interact(payload: unknown, sign = true): Promise<Response> {
    const body = JSON.stringify(payload);
    const headers = sign ? signer.sign(body) : createInteractionSigner().sign(body);
    return fetch(`http://127.0.0.1:${sw.port}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  }

  it('answers PING, refuses a bad signature, and answers /story kazakhstan with the story', async () => {
    const ping = await interact(pingInteraction({ applicationId: discord.applicationId }));
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ type: 1 });
    expect((await interact(pingInteraction({ applicationId: discord.applicationId }), false)).status).toBe(401);

    const i = chatInputInteraction({ name: 'story', options: { query: 'kazakhstan' }, applicationId: discord.applicationId, channelId: CHANNEL });
    const res = await interact(i);
    expect(res.status).toBe(200);
    const first = (await res.json()) as { type: number; data?: unknown };
    let answer = JSON.stringify(first);
    if (first.type === 5) {
      const edit = await discord.waitForCall(`PATCH /webhooks/${discord.applicationId}/${i.token}/messages/@original`, 1, 10_000);
      answer = JSON.stringify(edit.body);
    } else expect(first.type).toBe(4);
    expect(answer).toMatch(/color revolution/i);
    expect(answer).toMatch(/Global Times/);
    expect(sw.alive()).toBe(true);
  }, 30_000);
});
