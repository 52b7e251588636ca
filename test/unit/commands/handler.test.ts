import { describe, expect, it } from 'vitest';
import { createCommandHandler, parseCommandText, type CommandDeps } from '../../../src/commands/index.js';
import { COMMAND_SPECS } from '../../../src/commands/grammar.js';
import { replyToText } from '../../../src/core/alert/text.js';
import type { MuteStore, SubscriptionStore } from '../../../src/ports/stores.js';
import { ctx, FakeStoryStore, RecordingFeedAdmin, seedStory, testVocabulary } from './fakes.js';

/** Stores these tests must not reach (the store-backed commands are tested against real Redis). */
const unreachable = new Proxy({}, { get: () => () => Promise.reject(new Error('store not expected here')) });

function deps(over: Partial<CommandDeps> = {}): CommandDeps {
  return {
    stories: new FakeStoryStore([seedStory()]),
    subscriptions: unreachable as SubscriptionStore,
    mutes: unreachable as MuteStore,
    feedAdmin: new RecordingFeedAdmin(),
    vocabulary: testVocabulary(),
    defaultMinRelevance: 0.3,
    ...over,
  };
}

function parsed(name: Parameters<typeof parseCommandText>[0], text: string) {
  const r = parseCommandText(name, text);
  if (!r.ok) throw new Error(r.reply.text);
  return r.cmd;
}

describe('createCommandHandler', () => {
  it('dispatches /story to the story answer', async () => {
    const handle = createCommandHandler(deps());
    const r = await handle(parsed('story', 'kazakhstan'), ctx());
    expect(r.kind).toBe('ok');
    expect(r.sections.find((s) => s.type === 'stories')).toMatchObject({ stories: [{ id: 'st-seed' }] });
  });

  it('answers /steppewatch help with every command and one example each', async () => {
    const r = await createCommandHandler(deps())(parsed('steppewatch', 'help'), ctx());
    expect(r.visibility).toBe('ephemeral');
    const text = replyToText(r);
    for (const name of ['/story', '/subscribe', '/unsubscribe', '/subscriptions', '/mute', '/unmute', '/feeds add', '/feeds remove', '/feeds list', '/feeds check', '/feeds pause', '/feeds resume', '/framing', '/steppewatch help']) {
      expect(text, name).toContain(`• ${name}`);
    }
    for (const spec of Object.values(COMMAND_SPECS)) expect(text).toContain(spec.example);
  });

  it('checks hand-built commands too', async () => {
    const r = await createCommandHandler(deps())({ name: 'feeds', sub: 'explode', options: {}, bare: [] }, ctx());
    expect(r.kind).toBe('usage');
    const r2 = await createCommandHandler(deps())({ name: 'framing', options: { colour: ['x'] }, bare: [] }, ctx());
    expect(r2.kind).toBe('usage');
  });

  it('never throws: an unexpected error becomes an apology with a ref, and goes to onError', async () => {
    const seen: { error: unknown; ref: string; name: string }[] = [];
    const broken = new FakeStoryStore();
    broken.recent = () => Promise.reject(new Error('redis down'));
    const handle = createCommandHandler(deps({ stories: broken, onError: (error, info) => seen.push({ error, ref: info.ref, name: info.cmd.name }) }));
    const r = await handle(parsed('story', 'kazakhstan'), ctx());
    expect(r.kind).toBe('error');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toMatch(/^Something went wrong on our side \(ref [0-9a-f]{8}\)/);
    expect(seen).toHaveLength(1);
    expect((seen[0]!.error as Error).message).toBe('redis down');
    expect(r.text).toContain(seen[0]!.ref);
    expect(seen[0]!.name).toBe('story');
  });

  it('still answers when onError itself throws', async () => {
    const broken = new FakeStoryStore();
    broken.recent = () => Promise.reject(new Error('redis down'));
    const handle = createCommandHandler(deps({ stories: broken, onError: () => { throw new Error('logger down'); } }));
    await expect(handle(parsed('framing', ''), ctx())).resolves.toMatchObject({ kind: 'error' });
  });
});
