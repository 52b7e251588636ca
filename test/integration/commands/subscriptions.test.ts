// /subscribe, /unsubscribe, /subscriptions, /mute, /unmute against the real Redis stores.
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandHandler, parseCommandText, type CommandDeps } from '../../../src/commands/index.js';
import type { CommandName } from '../../../src/commands/types.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../../../src/adapters/redis/subscription-store.js';
import { replyToText } from '../../../src/core/alert/text.js';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import type { Destination } from '../../../src/core/types.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { ctx, FakeStoryStore, RecordingFeedAdmin, seedStory, testVocabulary } from '../../unit/commands/fakes.js';

const redis = testRedis();
afterAll(() => redis.quit());

const A: Destination = { platform: 'slack', channel: 'C0A' };
const B: Destination = { platform: 'discord', channel: '777' };

function setup() {
  const keys = makeKeys(uniquePrefix('cmd'));
  const subscriptions = createRedisSubscriptionStore(redis, keys);
  const mutes = createRedisMuteStore(redis, keys);
  let n = 0;
  const deps: CommandDeps = {
    stories: new FakeStoryStore([seedStory()]),
    subscriptions,
    mutes,
    feedAdmin: new RecordingFeedAdmin(),
    vocabulary: testVocabulary(),
    defaultMinRelevance: 0.3,
    newId: () => `s${(0xa00000 + ++n).toString(16)}`,
  };
  const handle = createCommandHandler(deps);
  const run = async (name: CommandName, text: string, dest: Destination = A) => {
    const p = parseCommandText(name, text);
    if (!p.ok) return p.reply;
    return handle(p.cmd, ctx({ destination: dest }));
  };
  return { subscriptions, mutes, run };
}

describe('subscriptions through the commands', () => {
  it('creates a subscription per destination, answers with its id and what it receives', async () => {
    const { subscriptions, run } = setup();
    const r = await run('subscribe', 'countries:KZ,UZ tags:color-revolution keywords:"Rogun dam",Tokayev min_relevance:0.5 mode:digest');
    expect(r.kind).toBe('ok');
    expect(r.visibility).toBe('in_channel');
    expect(r.text).toBe(
      'Subscribed this channel (sa00001): A daily digest of stories about Kazakhstan or Uzbekistan, framed as color-revolution, mentioning “rogun dam” or “tokayev”, relevance ≥ 0.5.',
    );
    await run('subscribe', 'kazakhstan', B);
    const stored = await subscriptions.get('sa00001');
    expect(stored).toEqual<Subscription>({
      id: 'sa00001',
      destination: 'slack:C0A',
      countries: ['KZ', 'UZ'],
      tags: ['color-revolution'],
      outlets: [],
      affiliations: [],
      keywords: ['rogun dam', 'tokayev'],
      minRelevance: 0.5,
      mode: 'digest',
      every: 'day',
      query: 'countries:KZ,UZ tags:color-revolution ("rogun dam" OR "tokayev")',
      isDefault: false,
      createdBy: 'U1',
      createdAt: '2022-04-28T12:00:00.000Z',
      paused: null,
    });
    expect((await subscriptions.list('slack:C0A')).map((s) => s.id)).toEqual(['sa00001']);
    expect((await subscriptions.list('discord:777')).map((s) => [s.id, s.countries])).toEqual([['sa00002', ['KZ']]]);
  });

  it('does not store an invalid subscription, and says why', async () => {
    const { subscriptions, run } = setup();
    const r = await run('subscribe', 'countries:kazahstan');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toBe('query: no Central Asian country "kazahstan" (countries:kazahstan at 1); did you mean KZ?');
    expect(await subscriptions.list()).toEqual([]);
  });

  it('answers the same subscription twice with the existing id', async () => {
    const { subscriptions, run } = setup();
    await run('subscribe', 'kazakhstan tags:coup');
    const again = await run('subscribe', 'tags:attempted-coup countries:KZ');
    expect(again.text).toBe('This channel already has that subscription: sa00001.');
    expect(again.visibility).toBe('ephemeral');
    expect(await subscriptions.list('slack:C0A')).toHaveLength(1);
  });

  it('resumes a channel’s paused subscriptions when one of them is asked for again', async () => {
    const { subscriptions, run } = setup();
    await run('subscribe', 'kazakhstan');
    await run('subscribe', 'uzbekistan');
    await subscriptions.setPaused('slack:C0A', { reason: 'not_in_channel', at: '2022-04-28T13:00:00.000Z' });
    const r = await run('subscribe', 'kazakhstan');
    expect(r.visibility).toBe('in_channel');
    expect(r.text).toBe('Resumed 2 subscriptions of this channel (paused since 28 Apr 2022, 13:00 UTC: not_in_channel).');
    expect((await subscriptions.list('slack:C0A')).map((s) => s.paused)).toEqual([null, null]);
  });

  it('lists a destination’s subscriptions, with the default one first and paused ones with the reason', async () => {
    const { subscriptions, mutes, run } = setup();
    await subscriptions.add({
      id: 'default-slack', destination: 'slack:C0A', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null,
      mode: 'alerts', isDefault: true, createdBy: null, createdAt: '2022-04-01T00:00:00.000Z', paused: null,
    });
    await run('subscribe', 'outlets:rt affiliations:state');
    await run('subscribe', 'uzbekistan', B);
    await subscriptions.setPaused('slack:C0A', { reason: 'channel_not_found', at: '2022-04-28T13:00:00.000Z' });
    await mutes.mute('slack:C0A', 'outlet', 'rt');
    const r = await run('subscriptions', '');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toBe('This channel has 2 subscriptions, 2 paused.');
    const text = replyToText(r);
    expect(text).toContain(
      '• default-slack — every Central Asia story (default channel) · alerts · relevance ≥ 0.3 (default). PAUSED since 28 Apr 2022, 13:00 UTC: channel_not_found.',
    );
    // in the query syntax, as stored
    expect(text).toContain('• sa00001 — outlets:rt affiliations:state · alerts · relevance ≥ 0.3 (default). PAUSED since');
    expect(text).toContain('Muted outlets: RT');
    expect(text).not.toContain('Uzbekistan');
    const empty = await run('subscriptions', '', { platform: 'slack', channel: 'C0NONE' });
    expect(empty.kind).toBe('empty');
    expect(empty.text).toBe('This channel has no subscriptions.');
  });

  it('unsubscribes by id only in its own destination, and all at once', async () => {
    const { subscriptions, run } = setup();
    await run('subscribe', 'kazakhstan');
    await run('subscribe', 'uzbekistan');
    await run('subscribe', 'kyrgyzstan', B);
    const wrongPlace = await run('unsubscribe', 'id:sa00003');
    expect(wrongPlace.kind).toBe('error');
    expect(wrongPlace.text).toBe('No subscription “sa00003” in this channel.');
    expect(await subscriptions.get('sa00003')).not.toBeNull();
    const one = await run('unsubscribe', 'sa00001');
    expect(one.visibility).toBe('in_channel');
    expect(one.text).toBe('Removed subscription sa00001: Alerts for stories about Kazakhstan, relevance ≥ 0.3 (the default).');
    const usage = await run('unsubscribe', '');
    expect(usage.kind).toBe('usage');
    const all = await run('unsubscribe', 'all');
    expect(all.text).toBe('Removed all 1 subscription of this channel; it gets no more alerts or digests.');
    expect(await subscriptions.list('slack:C0A')).toEqual([]);
    expect((await subscriptions.list('discord:777')).map((s) => s.id)).toEqual(['sa00003']);
    expect((await run('unsubscribe', 'all')).text).toBe('This channel has no subscriptions.');
  });

  it('says a removed default subscription comes back at the next start', async () => {
    const { subscriptions, run } = setup();
    await subscriptions.add({
      id: 'default-discord', destination: 'discord:777', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null,
      mode: 'alerts', isDefault: true, createdBy: null, createdAt: '2022-04-01T00:00:00.000Z', paused: null,
    });
    const r = await run('unsubscribe', 'default-discord', B);
    expect(r.text).toContain('It returns at the next start while DISCORD_DEFAULT_CHANNEL names this channel.');
  });
});

describe('mutes through the commands', () => {
  it('mutes a story that exists and an outlet the vocabulary knows, per destination', async () => {
    const { mutes, run } = setup();
    const s = await run('mute', 'story:st-seed');
    expect(s.visibility).toBe('in_channel');
    expect(s.text).toBe('Muted story st-seed (“China opposes external forces instigating “color revolution” in Kazakhstan”): no more alerts or follow-ups of it here.');
    const o = await run('mute', 'outlet:"Global Times"');
    expect(o.text).toBe('Muted Global Times (global-times): its articles no longer alert or follow up here.');
    const bare = await run('mute', 'rt', B);
    expect(bare.kind).toBe('ok');
    expect(await mutes.get('slack:C0A')).toEqual({ stories: new Set(['st-seed']), outlets: new Set(['global-times']) });
    expect(await mutes.get('discord:777')).toEqual({ stories: new Set(), outlets: new Set(['rt']) });
    const again = await run('mute', 'outlet:global-times');
    expect(again.visibility).toBe('ephemeral');
    expect(again.text).toBe('Already muted here: Global Times (global-times).');
  });

  it('refuses unknown stories and outlets with help, and mutes nothing', async () => {
    const { mutes, run } = setup();
    const s = await run('mute', 'story:nope');
    expect(s.kind).toBe('error');
    expect(s.text).toContain('No story “nope”');
    const o = await run('mute', 'outlet:global-tims');
    expect(o.text).toBe('Unknown outlet “global-tims” — did you mean Global Times (global-times)? /feeds list shows the outlets.');
    expect(await mutes.get('slack:C0A')).toEqual({ stories: new Set(), outlets: new Set() });
    expect((await run('mute', '')).kind).toBe('usage');
  });

  it('unmutes, also a story that has expired since', async () => {
    const { mutes, run } = setup();
    await mutes.mute('slack:C0A', 'story', 'gone-story');
    await run('mute', 'outlet:rt');
    const r = await run('unmute', 'story:gone-story outlet:rt');
    expect(r.visibility).toBe('in_channel');
    expect(r.text).toBe('Unmuted story gone-story and RT: their alerts come here again.');
    expect(await mutes.get('slack:C0A')).toEqual({ stories: new Set(), outlets: new Set() });
    const not = await run('unmute', 'outlet:rt');
    expect(not.visibility).toBe('ephemeral');
    expect(not.text).toBe('Not muted here: RT. /subscriptions shows what is muted.');
  });
});
