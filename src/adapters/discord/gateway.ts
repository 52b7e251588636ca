// The gateway path (DISCORD_GATEWAY on): a discord.js Client with the Guilds intent only. Its REST
// base is DISCORD_API_URL (ClientOptions.rest.api); the WebSocket URL is whatever
// GET /gateway/bot answers there. Interactions are taken from the raw INTERACTION_CREATE dispatch
// (the API payload), handed to the same dispatcher as the HTTP endpoint, and answered through the
// interaction callback route (POST interactions/{id}/{token}/callback).
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Routes, type APIInteraction } from 'discord.js';
import type { REST } from '@discordjs/rest';
import type { Logger } from '../log.js';
import { DISCORD_API } from './rest.js';
import type { InteractionDispatcher } from './dispatch.js';

export interface DiscordGatewayOptions {
  token: string;
  /** DISCORD_API_URL, base without version (default Discord's). */
  apiUrl?: string | undefined;
  dispatcher: InteractionDispatcher;
  /** Shared REST client (createDiscordRest), used for the interaction callbacks. */
  rest: REST;
  /** Runs once the client is ready (command registration); a failure is logged, not fatal. */
  onReady?: () => Promise<void>;
  log: Logger;
}

export interface DiscordGateway {
  readonly client: Client;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createDiscordGateway(o: DiscordGatewayOptions): DiscordGateway {
  const { log, rest } = o;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: (o.apiUrl ?? DISCORD_API).replace(/\/+$/, ''), version: '10' },
  });

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: APIInteraction) => {
    const respond = async (body: Parameters<Parameters<InteractionDispatcher>[1]>[0]) => {
      await rest.post(Routes.interactionCallback(data.id, data.token), { body, auth: false });
    };
    o.dispatcher(data, respond).catch((e: unknown) => log.error({ err: e, interaction: data.id }, 'discord: gateway interaction failed'));
  });
  client.on(Events.Error, (e) => log.error({ err: e }, 'discord: gateway client error'));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ code: ev.code, shard }, 'discord: gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord: gateway reconnecting'));

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(o.token);
      await ready;
      log.info({ user: client.user?.tag, application: client.application?.id }, 'discord: gateway connected');
      if (o.onReady) await o.onReady().catch((e: unknown) => log.error({ err: e }, 'discord: setup after ready failed'));
    },
    async stop() {
      await client.destroy();
    },
  };
}
