// The Slack app: Bolt carries slash commands and button clicks in, the platform-neutral handlers
// answer, render.ts lays the answers out. No business logic here.
//
// Transport: HTTP by default — Bolt's ExpressReceiver mounted on `POST /slack/events` of the one
// express app (signed requests only; requestWindowGuard adds the future-timestamp check Bolt lacks).
// Socket Mode when an app-level token is given (no public URL needed; nothing is mounted).
//
// Ack timing: Slack wants an answer to a slash command within 3 s. The answer goes in the ack when
// it is ready within `ackBudgetMs` (2 s); otherwise the ack says "Looking…" (ephemeral) and the
// answer follows through `response_url` (ephemeral answers replace the "Looking…" line).
// Buttons are acknowledged at once and answered through `response_url`, ephemerally.
import { App, ExpressReceiver, type SlashCommand } from '@slack/bolt';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import express, { type Express } from 'express';
import type { Reply } from '../../core/alert/values.js';
import type { ParseResult } from '../../commands/grammar.js';
import { COMMAND_NAMES, type CommandContext, type CommandHandler, type CommandName } from '../../commands/types.js';
import { DestinationUnavailableError, type Notifier } from '../../ports/notifier.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { hasAttachments, replyAttachments } from '../charts/attachments.js';
import { uploadAttachments } from './files.js';
import type { Logger } from '../log.js';
import { createAdminDirectory, requiresAdmin, subcommandOf } from './admin.js';
import { boltLogger } from './bolt-logger.js';
import { mapSlackError, slackClientOptions, type WebClient } from './client.js';
import { createSlackNotifier } from './notifier.js';
import { ACTION_IDS, decodeButtonValue, replyToResponse, responseType } from './render.js';
import { requestWindowGuard } from './request-window.js';

/** The path Slack posts commands, interactions and events to (the contract's endpoint). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAppConfig {
  /** SLACK_BOT_TOKEN (xoxb-…). */
  botToken: string;
  /** SLACK_SIGNING_SECRET: required in HTTP mode. */
  signingSecret?: string | undefined;
  /** SLACK_APP_TOKEN (xapp-…): Socket Mode when set. */
  appToken?: string | undefined;
  /** SLACK_API_URL: Web API base (default https://slack.com/api/). */
  apiUrl?: string | undefined;
  /** SLACK_ADMIN_USERS: user ids allowed admin-only subcommands besides workspace admins. */
  adminUsers: readonly string[];
}

/**
 * The command grammar (src/commands/grammar.ts `parseCommandText`): Slack command text (still in
 * Slack's escaped form) → a ParsedCommand, or a usage Reply when the text cannot be read. A thrown
 * error is shown to the person as a usage error too.
 */
export type ParseCommandText = (name: CommandName, text: string) => ParseResult;

/** What the alert buttons do. Each returns the ephemeral answer for the person who clicked. */
export interface SlackActions {
  /** "All evidence": every framing of the story with all quotes and speakers, per outlet. */
  evidence(storyId: string, ctx: CommandContext, articleId?: string): Promise<Reply>;
  /** "Mute this story": mute it for ctx.destination (the channel of the alert). */
  muteStory(storyId: string, ctx: CommandContext): Promise<Reply>;
}

export interface SlackAppOptions {
  config: SlackAppConfig;
  /** The express app of the HTTP server (src/adapters/http/server.ts); required in HTTP mode. */
  app?: Express;
  handleCommand: CommandHandler;
  parseCommandText: ParseCommandText;
  /**
   * Button behaviour. Without `muteStory`, the button runs the /mute command (`story:<id>`);
   * without `evidence`, the button says evidence is not available.
   */
  actions?: Partial<SlackActions>;
  log: Logger;
  /** The time handed to handlers as ctx.now (default: the system clock). */
  clock?: () => Date;
  /** How long to wait for an answer before acking "Looking…" (ms, default 2000; Slack's limit is 3000). */
  ackBudgetMs?: number;
  /** How long a users.info admin answer is cached (ms, default 5 minutes). */
  adminCacheMs?: number;
  /** Draws the charts of answers (/trends) and of the notifier's replies; without it charts show as text. */
  charts?: ChartRenderer;
}

export interface SlackApp {
  /** `http` (mounted on /slack/events) or `socket` (Socket Mode). */
  readonly mode: 'http' | 'socket';
  /**
   * Verifies the bot token (auth.test) and, in Socket Mode, opens the connection. Until it
   * resolves, /slack/events answers 503. Rejects with PlatformAuthError when Slack refuses the token.
   */
  start(): Promise<void>;
  /** Stops taking requests (HTTP: /slack/events answers 503; Socket Mode: disconnects). */
  stop(): Promise<void>;
  /** The Web API client (built with slackClientOptions: 429s reject at once). */
  readonly client: WebClient;
  /** A Notifier on that client, for the deliver job. */
  readonly notifier: Notifier;
  /** The Bolt app, for wiring tests and extensions. */
  readonly bolt: App;
}

const REQUEST_WINDOW_SECONDS = 5 * 60;

function reply(kind: Reply['kind'], text: string, extra: string[] = []): Reply {
  return {
    visibility: 'ephemeral',
    kind,
    text,
    sections: [{ type: 'paragraph', text }, ...extra.map((t) => ({ type: 'hint' as const, text: t }))],
  };
}

function delay(ms: number): { promise: Promise<'timeout'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function createSlackApp(o: SlackAppOptions): SlackApp {
  const log = o.log.child({ component: 'slack' });
  const clock = o.clock ?? (() => new Date());
  const ackBudgetMs = o.ackBudgetMs ?? 2_000;
  const socketMode = Boolean(o.config.appToken);
  const logger = boltLogger(o.log, 'slack-bolt');
  let open = false;

  let bolt: App;
  if (socketMode) {
    bolt = new App({
      token: o.config.botToken,
      appToken: o.config.appToken!,
      socketMode: true,
      logger,
      clientOptions: slackClientOptions(o.config.apiUrl),
      // auth.test runs in start(), so a refused token surfaces there as PlatformAuthError.
      deferInitialization: true,
      // No conversation state: every command is answered from the store.
      convoStore: false,
    });
  } else {
    if (!o.config.signingSecret) throw new Error('createSlackApp: signingSecret is required in HTTP mode (SLACK_SIGNING_SECRET)');
    if (!o.app) throw new Error('createSlackApp: the express app to mount /slack/events on is required in HTTP mode');
    // Our router goes onto the app; the guard runs before Bolt's verification on the same path.
    const router = express.Router();
    router.post(SLACK_EVENTS_PATH, requestWindowGuard({ windowSeconds: REQUEST_WINDOW_SECONDS, isOpen: () => open, log }));
    const receiver = new ExpressReceiver({
      signingSecret: o.config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      app: o.app,
      router,
      logger,
      // Ack as soon as ack() is called (the answer may follow through response_url).
      processBeforeResponse: false,
    });
    bolt = new App({
      token: o.config.botToken,
      receiver,
      logger,
      clientOptions: slackClientOptions(o.config.apiUrl),
      // auth.test runs in start(), so a refused token surfaces there as PlatformAuthError.
      deferInitialization: true,
      // No conversation state: every command is answered from the store.
      convoStore: false,
    });
  }

  const client = bolt.client;
  const notifier = createSlackNotifier({ client, log: o.log, ...(o.charts ? { charts: o.charts } : {}) });
  const admins = createAdminDirectory({ client, adminUsers: o.config.adminUsers, log, ...(o.adminCacheMs !== undefined ? { ttlMs: o.adminCacheMs } : {}) });

  bolt.error(async (error) => {
    log.error({ err: error }, 'slack: unhandled error in a listener');
  });

  async function contextFor(channel: string, user: { id: string; name?: string | undefined }): Promise<CommandContext> {
    const isAdmin = await admins.isAdmin(user.id);
    return {
      destination: { platform: 'slack', channel },
      user: { id: user.id, ...(user.name ? { name: user.name } : {}), isAdmin },
      now: clock(),
    };
  }

  /** The whole answer to a slash command; never rejects (failures become ephemeral replies). */
  async function answerCommand(name: CommandName, body: SlashCommand): Promise<Reply> {
    let result: ParseResult;
    try {
      result = o.parseCommandText(name, body.text ?? '');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return reply('usage', `Could not read that: ${why}`, ['Try /steppewatch help']);
    }
    if (!result.ok) return result.reply;
    const parsed = result.cmd;
    try {
      const ctx = await contextFor(body.channel_id, { id: body.user_id, name: body.user_name });
      if (requiresAdmin(parsed) && !ctx.user.isAdmin) {
        return reply('error', `Only workspace admins can use /${parsed.name} ${subcommandOf(parsed)}.`, [
          'Ask a workspace admin, or an operator to add your user id to SLACK_ADMIN_USERS.',
        ]);
      }
      return await o.handleCommand(parsed, ctx);
    } catch (e) {
      log.error({ err: e, command: name }, 'slack: command handler failed');
      return reply('error', `Something went wrong answering /${name}. It has been logged; try again in a minute.`);
    }
  }

  /**
   * An in-channel answer's charts and files, after its text: a response (ack or response_url)
   * cannot carry files, so they are uploaded to the channel (files.getUploadURLExternal …
   * files.completeUploadExternal with channel_id), each image with its alt text, which the answer
   * above already shows. When the channel does not take the upload (the bot is not a member),
   * the person is told so, ephemerally.
   */
  async function shareAttachments(name: CommandName, channel: string, reply: Reply, respond: (r: Record<string, unknown>) => Promise<unknown>): Promise<void> {
    if (responseType(reply) !== 'in_channel' || !hasAttachments(reply)) return;
    const { attachments, problems } = await replyAttachments(reply, o.charts);
    if (problems.length) log.error({ command: name, problems }, 'slack: a chart could not be drawn; the answer shows its text instead');
    if (attachments.length === 0) return;
    try {
      await uploadAttachments(client, { channel }, attachments);
    } catch (e) {
      log.warn({ err: e, command: name, channel }, 'slack: could not upload the answer’s files');
      const text =
        e instanceof DestinationUnavailableError
          ? 'The chart could not be posted here: invite steppewatch to this channel first (/invite @steppewatch).'
          : 'The chart could not be posted just now; its summary is above. Try again in a minute.';
      await respond({ response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
    }
  }

  for (const name of COMMAND_NAMES) {
    bolt.command(`/${name}`, async ({ command, ack, respond }) => {
      const started = Date.now();
      const work = answerCommand(name, command);
      const timer = delay(Math.max(0, ackBudgetMs - (Date.now() - started)));
      const first = await Promise.race([work, timer.promise]);
      timer.cancel();
      if (first !== 'timeout') {
        await ack(replyToResponse(first));
        await shareAttachments(name, command.channel_id, first, respond);
        return;
      }
      await ack({ response_type: 'ephemeral', text: 'Looking…' });
      const reply = await work;
      const answer = replyToResponse(reply);
      try {
        await respond({ ...answer, replace_original: answer.response_type === 'ephemeral' });
      } catch (e) {
        log.warn({ err: e, command: name }, 'slack: could not send the answer through response_url');
        return;
      }
      await shareAttachments(name, command.channel_id, reply, respond);
    });
  }

  /** Runs a button's action and answers the clicker ephemerally, leaving the alert as it is. */
  function onButton(actionId: string, run: (storyId: string, ctx: CommandContext, articleId?: string) => Promise<Reply>) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      let answer: Reply;
      const value = decodeButtonValue(action.value);
      const channel = body.channel?.id;
      if (!value || !channel) {
        answer = reply('error', 'This button is out of date; try /story instead.');
      } else {
        try {
          const ctx = await contextFor(channel, { id: body.user.id, name: body.user.username ?? body.user.name });
          answer = await run(value.storyId, ctx, value.articleId);
        } catch (e) {
          log.error({ err: e, actionId }, 'slack: button action failed');
          answer = reply('error', 'Something went wrong; it has been logged. Try again in a minute.');
        }
      }
      try {
        await respond({ ...replyToResponse(answer), response_type: 'ephemeral', replace_original: false });
      } catch (e) {
        log.warn({ err: e, actionId }, 'slack: could not answer a button through response_url');
      }
    });
  }

  onButton(ACTION_IDS.evidence, (storyId, ctx, articleId) =>
    o.actions?.evidence ? o.actions.evidence(storyId, ctx, articleId) : Promise.resolve(reply('error', `Evidence is not available here; try /story ${storyId}.`)),
  );
  onButton(ACTION_IDS.muteStory, (storyId, ctx) =>
    o.actions?.muteStory ? o.actions.muteStory(storyId, ctx) : o.handleCommand({ name: 'mute', options: { story: [storyId] }, bare: [] }, ctx),
  );
  // The "Open article" URL button opens the link in the client; Slack still sends the click.
  bolt.action(ACTION_IDS.openArticle, async ({ ack }) => {
    await ack();
  });
  bolt.action(ACTION_IDS.openStory, async ({ ack }) => {
    await ack();
  });

  return {
    mode: socketMode ? 'socket' : 'http',
    client,
    notifier,
    bolt,
    async start() {
      try {
        await bolt.init();
      } catch (e) {
        throw mapSlackError(e, { platform: 'slack', channel: '-' });
      }
      if (socketMode) await bolt.start();
      open = true;
      log.info({ mode: socketMode ? 'socket' : 'http', path: socketMode ? undefined : SLACK_EVENTS_PATH }, 'slack app ready');
    },
    async stop() {
      open = false;
      if (socketMode) await bolt.stop();
    },
  };
}
