// The Discord side of the bot role, from config: the REST client and notifier, the HTTP
// interactions endpoint (whenever DISCORD_PUBLIC_KEY is set), the gateway client (when
// DISCORD_GATEWAY is on), and command registration.
import type { Express } from 'express';
import type { ChartRenderer } from '../../ports/trends.js';
import type { REST } from '@discordjs/rest';
import type { Config } from '../../config.js';
import type { CommandHandler } from '../../commands/types.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Logger } from '../log.js';
import { registerCommands } from './commands.js';
import { createInteractionDispatcher, type Autocomplete, type InteractionActions, type InteractionDispatcher } from './dispatch.js';
import { createDiscordGateway, type DiscordGateway } from './gateway.js';
import { mountDiscordInteractions } from './interactions.js';
import { createDiscordNotifier } from './notifier.js';
import type { FromOptions } from './options.js';
import { createDiscordRest } from './rest.js';

export type DiscordBotConfig = Pick<
  Config,
  'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_PUBLIC_KEY' | 'DISCORD_API_URL' | 'DISCORD_DEV_GUILD' | 'discordGateway'
>;

export interface DiscordBotOptions {
  config: DiscordBotConfig;
  /**
   * The process's express app. With DISCORD_PUBLIC_KEY set, POST /discord/interactions is mounted
   * on it here, in createDiscordBot (so call it before `finishRoutes`); required when the gateway is off.
   */
  app?: Express;
  handleCommand: CommandHandler;
  fromOptions?: FromOptions;
  autocomplete: Autocomplete;
  actions: InteractionActions;
  log: Logger;
  clock?: () => Date;
  /** A REST client to use instead of one made from config (tests). */
  rest?: REST;
  /** See InteractionDispatcherOptions.deferAfterMs. */
  deferAfterMs?: number;
  /** Draws charts of answers and notifier replies as PNG attachments. */
  charts?: ChartRenderer;
}

export interface DiscordBot {
  /** Delivery to Discord channels (also usable in processes that never start the bot). */
  notifier: Notifier;
  rest: REST;
  dispatcher: InteractionDispatcher;
  /** Whether POST /discord/interactions was mounted. */
  httpMounted: boolean;
  /** Registers the commands and, with the gateway on, connects (resolves once ready). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createDiscordBot(o: DiscordBotOptions): DiscordBot {
  const { config, log } = o;
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error('discord: DISCORD_TOKEN and DISCORD_APPLICATION_ID are required');
  const rest = o.rest ?? createDiscordRest({ apiUrl: config.DISCORD_API_URL, token });
  const notifier = createDiscordNotifier({ rest, log, ...(o.charts ? { charts: o.charts } : {}) });
  const dispatcher = createInteractionDispatcher({
    handleCommand: o.handleCommand,
    fromOptions: o.fromOptions,
    autocomplete: o.autocomplete,
    actions: o.actions,
    rest,
    applicationId,
    log,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.deferAfterMs !== undefined ? { deferAfterMs: o.deferAfterMs } : {}),
    charts: o.charts,
  });

  let httpMounted = false;
  if (config.DISCORD_PUBLIC_KEY && o.app) {
    mountDiscordInteractions({ app: o.app, publicKey: config.DISCORD_PUBLIC_KEY, dispatcher, handleCommand: o.handleCommand, autocomplete: o.autocomplete, actions: o.actions, rest, applicationId, log });
    httpMounted = true;
  } else if (config.DISCORD_PUBLIC_KEY && !config.discordGateway) {
    // HTTP interactions are the only way in, and there is no HTTP server to take them.
    throw new Error('discord: DISCORD_GATEWAY=false needs the HTTP server to mount /discord/interactions on');
  } else if (!config.discordGateway) {
    log.warn('discord: neither the gateway nor DISCORD_PUBLIC_KEY: slash commands cannot reach this process (alerts still go out)');
  }

  const register = () => registerCommands({ rest, applicationId, guildId: config.DISCORD_DEV_GUILD, log }).then(() => undefined);
  let gateway: DiscordGateway | null = null;

  return {
    notifier,
    rest,
    dispatcher,
    httpMounted,
    async start() {
      if (config.discordGateway) {
        gateway = createDiscordGateway({ token, apiUrl: config.DISCORD_API_URL, dispatcher, rest, onReady: register, log });
        await gateway.start();
        return;
      }
      // HTTP interactions only: register now. A failure (bad token, Discord down) is logged;
      // the process keeps delivering and answering with the commands already registered.
      await register().catch((e: unknown) => log.error({ err: e }, 'discord: could not register slash commands'));
    },
    async stop() {
      await gateway?.stop();
      gateway = null;
    },
  };
}
