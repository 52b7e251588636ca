// Discord's enforced nonce against the fake: a repeated post of one key (a retry after a worker
// died between post and record) returns the first message, within the window; past it, or with
// another key, a new message is made. The nonce fits Discord's 25 characters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordNotifier, postNonce } from '../../../src/adapters/discord/notifier.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Notifier } from '../../../src/ports/notifier.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { rtFollowup, seedAlert } from '../../unit/discord/fixtures.js';

const TOKEN = 'fake-bot-token';
const CHANNEL = '1000000000000000002';
let fake: FakeDiscord;
let notifier: Notifier;

async function start(nonceWindowMs?: number) {
  fake = await startFakeDiscord({ token: TOKEN, ...(nonceWindowMs !== undefined ? { nonceWindowMs } : {}) });
  notifier = createDiscordNotifier({ rest: createDiscordRest({ apiUrl: fake.apiUrl, token: TOKEN, retries: 0 }), log: silentLogger() });
}
afterEach(async () => {
  await fake.close();
});

describe('Discord: enforce_nonce', () => {
  beforeEach(() => start());

  it('a repeated root post with the same key returns the first message', async () => {
    const a = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    const b = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    expect(b).toEqual(a);
    expect([...fake.messages.values()].filter((m) => m.channel_id === CHANNEL)).toHaveLength(1);
    const [first] = fake.callsTo('POST /channels/:id/messages');
    expect(first!.body.nonce).toBe(postNonce({ platform: 'discord', channel: CHANNEL }, 'gt-1'));
    expect(first!.body.nonce.length).toBeLessThanOrEqual(25);
    expect(first!.body.enforce_nonce).toBe(true);
    const c = await notifier.postAlert(seedAlert(), null, { key: 'other' });
    expect(c.messageId).not.toBe(a.messageId);
  });

  it('a repeated follow-up in the story thread returns the first reply', async () => {
    const root = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    const a = await notifier.postAlert(rtFollowup(), root, { key: 'rt-1' });
    const b = await notifier.postAlert(rtFollowup(), root, { key: 'rt-1' });
    expect(b.messageId).toBe(a.messageId);
    expect([...fake.messages.values()].filter((m) => m.channel_id === root.messageId)).toHaveLength(1);
  });

  it('posts without a key carry no nonce (and are not de-duplicated)', async () => {
    await notifier.postAlert(seedAlert(), null);
    await notifier.postAlert(seedAlert(), null);
    expect(fake.messages.size).toBe(2);
    expect(fake.callsTo('POST /channels/:id/messages')[0]!.body.nonce).toBeUndefined();
  });
});

describe('Discord: past the nonce window', () => {
  beforeEach(() => start(50));
  it('a repeat after the window makes a new message (what docs/discord.md warns of)', async () => {
    const a = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    await new Promise((r) => setTimeout(r, 120));
    const b = await notifier.postAlert(seedAlert(), null, { key: 'gt-1' });
    expect(b.messageId).not.toBe(a.messageId);
  });
});
