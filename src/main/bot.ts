// The bot role: slash commands and buttons over Slack and Discord, answered by the
// platform-neutral command handlers; and the chat notifiers the worker role posts with.
import type { Express } from 'express';
import type { Platform } from '../core/types.js';
import type { FeedAdmin } from '../ports/feed-admin.js';
import type { Notifier } from '../ports/notifier.js';
import { createCommandHandler } from '../commands/index.js';
import { parseCommandText } from '../commands/grammar.js';
import { handleEvidence } from '../commands/evidence.js';
import { createLiveVocabulary } from '../commands/live-vocabulary.js';
import type { CommandContext, CommandHandler } from '../commands/types.js';
import { createSlackApp } from '../adapters/slack/app.js';
import { createSlackWebClient } from '../adapters/slack/client.js';
import { createSlackNotifier } from '../adapters/slack/notifier.js';
import { createDiscordBot } from '../adapters/discord/bot.js';
import { createDiscordNotifier } from '../adapters/discord/notifier.js';
import { createDiscordRest } from '../adapters/discord/rest.js';
import { storyAutocomplete } from '../commands/autocomplete.js';
import type { Container } from './container.js';
import { currentVocabulary } from './vocabulary.js';
import { chartRenderer } from './charts.js';
import { containerTrendsSource } from './trends.js';
import { replyWithStoryUrls, type StoryUrlFor } from '../core/alert/links.js';

export interface BotHandle {
  stop(): Promise<void>;
}

/** Notifiers for the chat platforms that have credentials (workers post with them). */
export function createChatNotifiers(c: Container): Partial<Record<Platform, Notifier>> {
  const out: Partial<Record<Platform, Notifier>> = {};
  const cfg = c.config;
  if (cfg.slackEnabled && cfg.SLACK_BOT_TOKEN) {
    out.slack = createSlackNotifier({ client: createSlackWebClient({ botToken: cfg.SLACK_BOT_TOKEN, apiUrl: cfg.SLACK_API_URL, log: c.log }), log: c.log, charts: chartRenderer() });
  }
  if (cfg.discordEnabled && cfg.DISCORD_TOKEN) {
    out.discord = createDiscordNotifier({ rest: createDiscordRest({ apiUrl: cfg.DISCORD_API_URL, token: cfg.DISCORD_TOKEN }), log: c.log.child({ platform: 'discord' }), charts: chartRenderer() });
  }
  return out;
}

/** What the buttons of an alert do, shared by Slack and Discord. */
export function buttonActions(c: Container, handle: CommandHandler) {
  return {
    evidence: (storyId: string) => handleEvidence(storyId, c.stores.stories),
    muteStory: (storyId: string, ctx: CommandContext) => handle({ name: 'mute', options: { story: [storyId] }, bare: [] }, ctx),
  };
}

export async function startBot(c: Container, o: { app: Express | null; feedAdmin: FeedAdmin; storyLinks?: StoryUrlFor | null }): Promise<BotHandle> {
  const cfg = c.config;
  const vocabulary = await createLiveVocabulary(() => currentVocabulary(c));
  const refreshing: FeedAdmin = {
    ...o.feedAdmin,
    add: async (...a) => {
      const r = await o.feedAdmin.add(...a);
      if (r.ok) await vocabulary.refresh();
      return r;
    },
  };
  const answer = createCommandHandler({
    stories: c.stores.stories,
    articles: c.stores.articles,
    subscriptions: c.stores.subscriptions,
    mutes: c.stores.mutes,
    feedAdmin: refreshing,
    vocabulary,
    defaultMinRelevance: cfg.ALERT_MIN_RELEVANCE,
    trends: containerTrendsSource(c),
    onError: (err, info) => c.log.error({ err, ref: info.ref, command: info.cmd.name, destination: info.ctx.destination }, 'command failed'),
  });
  // /story answers carry "Open story" links when PUBLIC_URL is set.
  const links = o.storyLinks ?? null;
  const handleCommand: CommandHandler = links ? async (cmd, ctx) => replyWithStoryUrls(await answer(cmd, ctx), links) : answer;
  const actions = buttonActions(c, handleCommand);
  const stops: (() => Promise<void>)[] = [async () => vocabulary.stop()];

  if (cfg.slackEnabled && cfg.SLACK_BOT_TOKEN) {
    const slack = createSlackApp({
      config: {
        botToken: cfg.SLACK_BOT_TOKEN,
        signingSecret: cfg.SLACK_SIGNING_SECRET,
        appToken: cfg.SLACK_APP_TOKEN,
        apiUrl: cfg.SLACK_API_URL,
        adminUsers: cfg.SLACK_ADMIN_USERS,
      },
      ...(o.app ? { app: o.app } : {}),
      handleCommand,
      parseCommandText,
      actions,
      log: c.log.child({ platform: 'slack' }),
      clock: c.clock,
      charts: chartRenderer(),
    });
    await slack.start();
    stops.push(() => slack.stop());
    c.log.info({ mode: slack.mode }, 'slack: ready');
  }

  if (cfg.discordEnabled && cfg.DISCORD_TOKEN) {
    const discord = createDiscordBot({
      config: cfg,
      ...(o.app ? { app: o.app } : {}),
      handleCommand,
      autocomplete: (typed) => storyAutocomplete(typed, { vocabulary, stories: c.stores.stories }, c.clock()),
      actions,
      log: c.log.child({ platform: 'discord' }),
      clock: c.clock,
      charts: chartRenderer(),
    });
    await discord.start();
    stops.push(() => discord.stop());
    c.log.info({ gateway: cfg.discordGateway, http: discord.httpMounted }, 'discord: ready');
  }

  return {
    async stop() {
      for (const s of stops.reverse()) await s().catch((e: unknown) => c.log.warn({ err: e }, 'bot: stopping'));
    },
  };
}
