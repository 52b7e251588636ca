import { describe, expect, it } from 'vitest';
import type { APIApplicationCommandOption, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { discordCommands, isAdminPermissions, requiresAdmin } from '../../../src/adapters/discord/commands.js';
import { flattenCommand } from '../../../src/adapters/discord/options.js';
import { COMMAND_NAMES } from '../../../src/commands/types.js';
import { COMMAND_SPECS } from '../../../src/commands/grammar.js';
import { autocompleteInteraction, chatInputInteraction } from '../../helpers/fake-discord.js';

const commands = discordCommands() as RESTPostAPIChatInputApplicationCommandsJSONBody[];
const byName = new Map(commands.map((c) => [c.name, c]));
const optionNames = (opts: APIApplicationCommandOption[] | undefined) => (opts ?? []).map((o) => o.name);

describe('application commands', () => {
  it('define every command of the contract, guild-only', () => {
    expect(commands.map((c) => c.name).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const c of commands) {
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.contexts).toEqual([0]);
    }
  });

  it('/story has a required string option `query` with autocomplete', () => {
    const [query, ...rest] = byName.get('story')!.options!;
    expect(rest).toEqual([]);
    expect(query).toMatchObject({ name: 'query', type: 3, required: true, autocomplete: true });
  });

  it('/subscribe has the contract options with their types', () => {
    const opts = byName.get('subscribe')!.options!;
    const types = Object.fromEntries(opts.map((o) => [o.name, o.type]));
    expect(types).toEqual({ query: 3, countries: 3, tags: 3, outlets: 3, affiliations: 3, keywords: 3, min_relevance: 10, mode: 3, every: 3 });
    expect(opts.find((o) => o.name === 'min_relevance')).toMatchObject({ min_value: 0, max_value: 1 });
    expect((opts.find((o) => o.name === 'mode') as { choices: { value: string }[] }).choices.map((c) => c.value)).toEqual(['alerts', 'digest', 'spikes']);
    expect((opts.find((o) => o.name === 'every') as { choices: { value: string }[] }).choices.map((c) => c.value)).toEqual(['day', 'week']);
  });

  it('option names match the grammar (COMMAND_SPECS) for every command and subcommand', () => {
    for (const c of commands) {
      const subs = (c.options ?? []).filter((o) => o.type === 1);
      if (subs.length) {
        for (const s of subs) {
          const spec = COMMAND_SPECS[`${c.name} ${s.name}`];
          expect(spec, `${c.name} ${s.name}`).toBeDefined();
          expect(optionNames((s as { options?: APIApplicationCommandOption[] }).options).sort()).toEqual(Object.keys(spec!.options).sort());
        }
      } else {
        expect(optionNames(c.options).sort(), c.name).toEqual(Object.keys(COMMAND_SPECS[c.name]!.options).sort());
      }
    }
  });

  it('/feeds has the six subcommands; /feeds and /export carry Manage Server as their default permission; others carry none', () => {
    const feeds = byName.get('feeds')!;
    expect(optionNames(feeds.options)).toEqual(['add', 'remove', 'list', 'check', 'pause', 'resume']);
    expect(feeds.default_member_permissions).toBe('32');
    expect(byName.get('export')!.default_member_permissions).toBe('32');
    for (const c of commands.filter((x) => x.name !== 'feeds' && x.name !== 'export')) expect(c.default_member_permissions ?? null).toBeNull();
  });

  it('/framing takes a tag, a country and an integer number of days', () => {
    const opts = byName.get('framing')!.options!;
    expect(opts.map((o) => [o.name, o.type])).toEqual([
      ['tag', 3],
      ['country', 3],
      ['days', 4],
    ]);
  });

  it('/steppewatch help, /unsubscribe id, /mute and /unmute story|outlet', () => {
    expect(optionNames(byName.get('steppewatch')!.options)).toEqual(['help']);
    expect(byName.get('unsubscribe')!.options![0]).toMatchObject({ name: 'id', required: true });
    expect(optionNames(byName.get('mute')!.options)).toEqual(['story', 'outlet']);
    expect(optionNames(byName.get('unmute')!.options)).toEqual(['story', 'outlet']);
  });
});

describe('admin checks', () => {
  it('add, remove, pause, resume need an admin; list and check do not', () => {
    for (const sub of ['add', 'remove', 'pause', 'resume']) expect(requiresAdmin('feeds', sub)).toBe(true);
    for (const sub of ['list', 'check']) expect(requiresAdmin('feeds', sub)).toBe(false);
    expect(requiresAdmin('story', undefined)).toBe(false);
  });

  it('Manage Server (0x20) or Administrator (0x8) makes an admin', () => {
    expect(isAdminPermissions(String(0x20))).toBe(true);
    expect(isAdminPermissions(String(0x8))).toBe(true);
    expect(isAdminPermissions((1n << 40n | 0x20n).toString())).toBe(true);
    expect(isAdminPermissions(String(0x800 | 0x400))).toBe(false);
    expect(isAdminPermissions('0')).toBe(false);
    expect(isAdminPermissions(undefined)).toBe(false);
    expect(isAdminPermissions('not a number')).toBe(false);
  });
});

describe('flattenCommand', () => {
  it('reads subcommands and typed values', () => {
    const i = chatInputInteraction({ name: 'feeds', sub: 'add', options: { url: 'https://e.org/feed', language: 'en' } });
    expect(flattenCommand(i.data as never)).toEqual({ name: 'feeds', sub: 'add', options: { url: 'https://e.org/feed', language: 'en' } });
    const s = chatInputInteraction({ name: 'subscribe', options: { countries: 'KZ,UZ', min_relevance: 0.5 } });
    expect(flattenCommand(s.data as never)).toEqual({ name: 'subscribe', options: { countries: 'KZ,UZ', min_relevance: 0.5 } });
  });

  it('finds the focused option of an autocomplete', () => {
    const a = autocompleteInteraction({ name: 'story', option: 'query', value: 'kaz' });
    expect(flattenCommand(a.data as never).focused).toEqual({ name: 'query', value: 'kaz' });
  });
});
