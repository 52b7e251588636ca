// The Discord adapter's public surface (see docs/discord.md for operators).
export { createDiscordBot, type DiscordBot, type DiscordBotConfig, type DiscordBotOptions } from './bot.js';
export { createDiscordRest, toNotifierError, withJsonRetryAfter, type DiscordRestOptions } from './rest.js';
export { createDiscordNotifier, type DiscordNotifierOptions } from './notifier.js';
export { discordCommands, registerCommands, requiresAdmin, isAdminPermissions, ADMIN_SUBCOMMANDS, type RegisterCommandsOptions } from './commands.js';
export { alertToDiscord, followupToDiscord, outletCountToDiscord, replyToDiscord, threadName, affiliationColour, EVIDENCE_PREFIX, MUTE_STORY_PREFIX } from './render.js';
export { LIMITS, discordMessageSchema, totalEmbedChars, type DiscordMessage } from './limits.js';
export { createInteractionDispatcher, contextOf, replyData, type Autocomplete, type InteractionActions, type InteractionDispatcher, type InteractionDispatcherOptions, type Respond } from './dispatch.js';
export { mountDiscordInteractions, verifyInteraction, discordPublicKey, type MountDiscordInteractionsOptions, type SignatureCheck } from './interactions.js';
export { createDiscordGateway, type DiscordGateway, type DiscordGatewayOptions } from './gateway.js';
export { flattenCommand, type FromOptions, type OptionValues } from './options.js';
