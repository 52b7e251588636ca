// The contract's slash commands as Discord application commands (typed options with the
// contract's names; /feeds and /steppewatch as subcommands), and their registration.
//
// Permissions: Discord sets default permissions per top-level command, not per subcommand.
// /feeds as a whole carries `default_member_permissions` = Manage Server, so by default only
// server managers see it; a server may open /feeds to other roles (Server Settings → Integrations
// → steppewatch), which makes `list` and `check` usable by them, while `add`, `remove`, `pause`
// and `resume` are refused server-side to anyone without Manage Server or Administrator
// (ADMIN_SUBCOMMANDS, checked in ./interactions.ts from `member.permissions`).
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { REST } from '@discordjs/rest';
import { TAG_IDS, COUNTRY_CODES, COUNTRY_NAMES } from '../../core/types.js';
import type { CommandName } from '../../commands/types.js';
import type { Logger } from '../log.js';

/** Manage Server (0x20) and Administrator (0x8): who counts as a steppewatch admin on Discord. */
export const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
export const ADMINISTRATOR = PermissionFlagsBits.Administrator;

/** Subcommands only admins may run (the contract: add, remove, pause, resume are for admins). */
export const ADMIN_SUBCOMMANDS: Partial<Record<CommandName, ReadonlySet<string>>> = {
  feeds: new Set(['add', 'remove', 'pause', 'resume']),
};

export function requiresAdmin(name: string, sub: string | undefined): boolean {
  const subs = ADMIN_SUBCOMMANDS[name as CommandName];
  return Boolean(subs && sub && subs.has(sub));
}

/** Admin on Discord: Manage Server or Administrator in the member's permissions for the channel. */
export function isAdminPermissions(permissions: string | undefined | null): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  return (BigInt(permissions) & (MANAGE_GUILD | ADMINISTRATOR)) !== 0n;
}

const countryChoices = COUNTRY_CODES.map((c) => ({ name: `${COUNTRY_NAMES[c]} (${c})`, value: c }));
const tagChoices = TAG_IDS.map((t) => ({ name: t, value: t }));

function base(name: CommandName, description: string): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
}

/** The application commands, as the JSON body of a bulk overwrite. Built (and validated) once. */
export function discordCommands(): RESTPutAPIApplicationCommandsJSONBody {
  const story = base('story', 'Stories about a country, person, framing or outlet, e.g. kazakhstan or 30d').addStringOption((o) =>
    o.setName('query').setDescription('Countries, people, framing tags, outlets, a window such as 30d').setRequired(true).setAutocomplete(true).setMaxLength(200),
  );

  const subscribe = base('subscribe', 'Alert this channel about matching stories')
    .addStringOption((o) => o.setName('query').setDescription('Words, fields, AND OR NOT ( ), "phrases", NEAR/5, Tokay*: (KZ OR UZ) NOT outlet:rt').setMaxLength(500))
    .addStringOption((o) => o.setName('countries').setDescription('Country codes or names, comma-separated: KZ,UZ').setMaxLength(200))
    .addStringOption((o) => o.setName('tags').setDescription('Framing tags, comma-separated: color-revolution').setMaxLength(400))
    .addStringOption((o) => o.setName('outlets').setDescription('Outlet ids, comma-separated: rt,global-times').setMaxLength(400))
    .addStringOption((o) => o.setName('affiliations').setDescription('Affiliations, comma-separated: state:RU,independent').setMaxLength(200))
    .addStringOption((o) => o.setName('keywords').setDescription('Keywords, comma-separated; quotes for phrases: "Rogun dam",Tokayev').setMaxLength(400))
    .addNumberOption((o) => o.setName('min_relevance').setDescription('Only stories at least this relevant, 0 to 1').setMinValue(0).setMaxValue(1))
    .addStringOption((o) =>
      o
        .setName('mode')
        .setDescription('Alerts as they come, a digest, or spike alerts')
        .addChoices({ name: 'alerts', value: 'alerts' }, { name: 'digest', value: 'digest' }, { name: 'spikes', value: 'spikes' }),
    )
    .addStringOption((o) => o.setName('every').setDescription('How often a digest comes').addChoices({ name: 'day', value: 'day' }, { name: 'week (Mondays)', value: 'week' }));

  const exportCmd = base('export', 'The articles a query matches, as a CSV file (Manage Server)')
    .setDefaultMemberPermissions(MANAGE_GUILD)
    .addStringOption((o) => o.setName('query').setDescription('As /story: kazakhstan tags:color-revolution').setMaxLength(500))
    .addStringOption((o) => o.setName('since').setDescription('A date (2026-11-01) or days back (30d)').setMaxLength(40))
    .addStringOption((o) => o.setName('format').setDescription('csv (default) or jsonl').addChoices({ name: 'csv', value: 'csv' }, { name: 'jsonl', value: 'jsonl' }));

  const unsubscribe = base('unsubscribe', 'Remove a subscription of this channel').addStringOption((o) =>
    o.setName('id').setDescription('The subscription id (see /subscriptions), or all').setRequired(true).setMaxLength(100),
  );

  const subscriptions = base('subscriptions', 'List the subscriptions of this channel');

  const muteLike = (name: 'mute' | 'unmute', verb: string) =>
    base(name, `${verb} a story or an outlet in this channel`)
      .addStringOption((o) => o.setName('story').setDescription('A story id (shown in each alert)').setMaxLength(100))
      .addStringOption((o) => o.setName('outlet').setDescription('An outlet id: rt, global-times').setMaxLength(100));

  const feeds = base('feeds', 'Feeds steppewatch polls (add, remove, pause, resume: Manage Server)')
    .setDefaultMemberPermissions(MANAGE_GUILD)
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Add a feed (or a site: its feed is discovered)')
        .addStringOption((o) => o.setName('url').setDescription('https://example.org/feed.xml').setRequired(true).setMaxLength(2000))
        .addStringOption((o) => o.setName('outlet').setDescription("The outlet's name").setMaxLength(100))
        .addStringOption((o) => o.setName('affiliation').setDescription('state:CC, public:CC, independent or unknown').setMaxLength(40))
        .addStringOption((o) => o.setName('language').setDescription('Language code(s): en, ru, zh …').setMaxLength(40)),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Remove a feed')
        .addStringOption((o) => o.setName('id').setDescription('The feed id (see /feeds list)').setRequired(true).setMaxLength(200)),
    )
    .addSubcommand((s) => s.setName('list').setDescription('List the feeds and their state'))
    .addSubcommand((s) =>
      s
        .setName('check')
        .setDescription('Fetch a feed once and preview it')
        .addStringOption((o) => o.setName('url').setDescription('A feed or site URL').setRequired(true).setMaxLength(2000)),
    )
    .addSubcommand((s) =>
      s
        .setName('pause')
        .setDescription('Stop polling a feed')
        .addStringOption((o) => o.setName('id').setDescription('The feed id').setRequired(true).setMaxLength(200)),
    )
    .addSubcommand((s) =>
      s
        .setName('resume')
        .setDescription('Poll a paused feed again')
        .addStringOption((o) => o.setName('id').setDescription('The feed id').setRequired(true).setMaxLength(200)),
    );

  const framing = base('framing', 'Which framings were used, by whom, lately')
    .addStringOption((o) => o.setName('tag').setDescription('A framing tag').addChoices(...tagChoices))
    .addStringOption((o) => o.setName('country').setDescription('A country').addChoices(...countryChoices))
    .addIntegerOption((o) => o.setName('days').setDescription('How many days back (default 7)').setMinValue(1).setMaxValue(365));

  const trends = base('trends', 'A chart of daily articles per framing or country, with the usual range and spikes')
    .addStringOption((o) => o.setName('query').setDescription('As for /story: kazakhstan, tags:color-revolution, (KZ OR UZ) NOT outlet:rt').setAutocomplete(true).setMaxLength(200))
    .addIntegerOption((o) => o.setName('days').setDescription('How many days back (default 30)').setMinValue(1).setMaxValue(90))
    .addStringOption((o) =>
      o.setName('by').setDescription('One line per framing tag (default) or per country').addChoices({ name: 'framing tag', value: 'tag' }, { name: 'country', value: 'country' }),
    );

  const steppewatch = base('steppewatch', 'About steppewatch').addSubcommand((s) => s.setName('help').setDescription('How to use steppewatch'));

  return [story, subscribe, unsubscribe, subscriptions, muteLike('mute', 'Mute'), muteLike('unmute', 'Unmute'), feeds, framing, exportCmd, trends, steppewatch].map((c) => c.toJSON());
}

export interface RegisterCommandsOptions {
  rest: REST;
  applicationId: string;
  /** DISCORD_DEV_GUILD: register in this guild (instant) instead of globally. */
  guildId?: string | undefined;
  log: Logger;
}

/** Bulk-overwrites the application's commands (idempotent: unchanged commands are kept as they are). */
export async function registerCommands(o: RegisterCommandsOptions): Promise<{ scope: 'guild' | 'global'; count: number }> {
  const body = discordCommands();
  const route = o.guildId ? Routes.applicationGuildCommands(o.applicationId, o.guildId) : Routes.applicationCommands(o.applicationId);
  await o.rest.put(route, { body });
  const scope = o.guildId ? 'guild' : 'global';
  o.log.info({ scope, guild: o.guildId, count: body.length }, 'discord: slash commands registered');
  return { scope, count: body.length };
}
