// One dispatcher for interactions, whichever way they came in (HTTP endpoint or gateway): it works
// on the API payload and answers through a `respond` function (the HTTP response, or the
// interaction callback route), then edits the original response over REST when it had to defer.
//
// Timing: Discord wants an initial response within 3 s. The work gets `deferAfterMs` (2 s); if it
// is done by then the answer goes out directly (type 4), else a deferred response (type 5) goes out
// at once and the answer replaces it later (PATCH webhooks/{app}/{token}/messages/@original).
// A deferred response fixes the message's visibility before the answer is known, so it is guessed
// per command (DEFER_PUBLIC); when the answer disagrees, it is delivered as a follow-up message
// with the right visibility (see finishDeferred).
import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type APIMessageComponentInteraction,
} from 'discord.js';
import type { REST } from '@discordjs/rest';
import type { Reply } from '../../core/alert/values.js';
import type { CommandContext, CommandHandler, CommandName } from '../../commands/types.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { hasAttachments, replyAttachments, type ReplyAttachment } from '../charts/attachments.js';
import type { Logger } from '../log.js';
import { isAdminPermissions, requiresAdmin } from './commands.js';
import { withAttachments } from './files.js';
import { oneLine, plainText } from './escape.js';
import { LIMITS, NO_MENTIONS } from './limits.js';
import { fromOptions } from '../../commands/grammar.js';
import { flattenCommand, isCommandName, type FromOptions } from './options.js';
import { EVIDENCE_PREFIX, MUTE_STORY_PREFIX, replyToDiscord } from './render.js';

export interface InteractionActions {
  /** "All evidence" button of an alert. */
  evidence(storyId: string, ctx: CommandContext): Promise<Reply>;
  /** "Mute this story" button of an alert (mutes it in the channel of the message). */
  muteStory(storyId: string, ctx: CommandContext): Promise<Reply>;
}

/** Suggestions for what is being typed into `/story query` (countries, tags, recent headlines). */
export type Autocomplete = (focused: string, about: { command: string; option: string }) => Promise<{ name: string; value: string }[]>;

export interface InteractionDispatcherOptions {
  handleCommand: CommandHandler;
  /** Typed options → ParsedCommand or a usage reply (default: the grammar's `fromOptions`). */
  fromOptions?: FromOptions | undefined;
  autocomplete: Autocomplete;
  actions: InteractionActions;
  /** For editing deferred responses (and the gateway's callbacks): createDiscordRest. */
  rest: REST;
  /** DISCORD_APPLICATION_ID; the interaction's own `application_id` wins when present. */
  applicationId: string;
  log: Logger;
  clock?: () => Date;
  /** Wait this long for an answer before deferring, ms (default 2000; Discord allows 3000 in all). */
  deferAfterMs?: number;
  /** Autocomplete cannot be deferred: answer with no choices after this long, ms (default 2500). */
  autocompleteTimeoutMs?: number;
  /** Draws the charts of answers (/trends) as PNG attachments; without it charts show as text. */
  charts?: ChartRenderer | undefined;
}

/** Sends the initial response of an interaction (once). */
export type Respond = (response: APIInteractionResponse) => Promise<void>;

/** Handles one interaction; resolves when everything, including a deferred edit, is done. */
export type InteractionDispatcher = (interaction: APIInteraction, respond: Respond) => Promise<void>;

/** Commands whose answers are usually for the whole channel (deferred as public). */
const DEFER_PUBLIC: ReadonlySet<string> = new Set<CommandName>(['story', 'framing', 'trends']);

function notice(kind: Reply['kind'], text: string): Reply {
  return { visibility: 'ephemeral', kind, text, sections: [{ type: 'paragraph', text }] };
}

export const REPLIES = {
  adminOnly: notice('error', 'Only members with Manage Server can add, remove, pause or resume feeds.'),
  unknownCommand: (name: string) => notice('usage', `steppewatch does not know /${name}. Try /steppewatch help.`),
  unknownButton: notice('error', 'This button is no longer supported. Try /steppewatch help.'),
  failed: notice('error', 'Something went wrong while answering. Try again in a minute.'),
  unsupported: notice('usage', 'steppewatch does not handle this kind of interaction. Try /steppewatch help.'),
} as const;

/** The interaction's channel, user and admin status (Manage Server or Administrator) as a CommandContext. */
export function contextOf(i: APIInteraction, now: Date): CommandContext {
  const user = i.member?.user ?? i.user;
  const ctx: CommandContext = {
    destination: { platform: 'discord', channel: i.channel?.id ?? i.channel_id ?? '' },
    user: { id: user?.id ?? 'unknown', isAdmin: isAdminPermissions(i.member?.permissions) },
    now,
  };
  const name = user?.global_name ?? user?.username;
  if (name) ctx.user.name = name;
  return ctx;
}

/** A Reply as interaction response data (the ephemeral flag from its visibility). */
export function replyData(reply: Reply): APIInteractionResponseCallbackData {
  const data = replyToDiscord(reply) as APIInteractionResponseCallbackData;
  return reply.visibility === 'ephemeral' ? { ...data, flags: MessageFlags.Ephemeral } : data;
}

type Outcome = { ok: true; reply: Reply } | { ok: false; error: unknown };

export function createInteractionDispatcher(o: InteractionDispatcherOptions): InteractionDispatcher {
  const clock = o.clock ?? (() => new Date());
  const deferAfterMs = o.deferAfterMs ?? 2_000;
  const autocompleteTimeoutMs = o.autocompleteTimeoutMs ?? 2_500;
  const toCommand = o.fromOptions ?? fromOptions;
  const { rest, log } = o;

  const original = (i: APIInteraction) => Routes.webhookMessage(i.application_id || o.applicationId, i.token, '@original');
  const followup = (i: APIInteraction) => Routes.webhook(i.application_id || o.applicationId, i.token);

  /** The answer's charts (drawn) and files; a chart that cannot be drawn is logged and left out (its text stands). */
  const attachmentsOf = async (i: APIInteraction, reply: Reply): Promise<ReplyAttachment[]> => {
    if (!hasAttachments(reply)) return [];
    const { attachments, problems } = await replyAttachments(reply, o.charts);
    if (problems.length) log.error({ interaction: i.id, problems }, 'discord: a chart could not be drawn; the answer shows its text instead');
    return attachments;
  };

  /** A request body with the answer's files as multipart attachments, when it has any. */
  const request = (body: object, files: readonly ReplyAttachment[]) => (files.length ? { ...withAttachments(body, files), auth: false } : { body, auth: false });

  /** Delivers an answer that came after a deferred response, in the visibility the answer wants. */
  const finishDeferred = async (i: APIInteraction, reply: Reply, deferredEphemeral: boolean): Promise<void> => {
    const data = replyData(reply);
    const files = await attachmentsOf(i, reply);
    const wantsEphemeral = reply.visibility === 'ephemeral';
    const { flags: _flags, ...edit } = data;
    if (wantsEphemeral === deferredEphemeral) {
      await rest.patch(original(i), request(edit, files));
      return;
    }
    if (deferredEphemeral) {
      // Private placeholder, public answer: close the placeholder, post the answer to the channel.
      await rest.patch(original(i), { body: { content: 'Posted in the channel.', allowed_mentions: NO_MENTIONS }, auth: false });
      await rest.post(followup(i), request(edit, files));
      return;
    }
    // Public placeholder, private answer: once the placeholder is edited a follow-up is a new
    // message (with its own ephemeral flag); then the public placeholder goes away.
    await rest.patch(original(i), { body: { content: 'Answered privately.', allowed_mentions: NO_MENTIONS }, auth: false });
    await rest.post(followup(i), request(data, files));
    await rest.delete(original(i), { auth: false });
  };

  /** Runs `work` and answers in time: directly when it is quick, else deferred and edited. */
  const answer = async (i: APIInteraction, respond: Respond, work: () => Promise<Reply>, deferPublic: boolean): Promise<void> => {
    const outcome: Promise<Outcome> = Promise.resolve()
      .then(work)
      .then(
        (reply): Outcome => ({ ok: true, reply }),
        (error: unknown): Outcome => ({ ok: false, error }),
      );
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([outcome, new Promise<null>((r) => (timer = setTimeout(() => r(null), deferAfterMs)))]);
    clearTimeout(timer);
    const replyOf = (x: Outcome): Reply => {
      if (x.ok) return x.reply;
      log.error({ err: x.error, interaction: i.id }, 'discord: interaction handler failed');
      return REPLIES.failed;
    };
    if (early) {
      const reply = replyOf(early);
      if (!hasAttachments(reply)) {
        await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(reply) });
        return;
      }
      // Files cannot ride in a JSON interaction response: defer with the answer's visibility,
      // then put the answer and its attachments in place of the placeholder (multipart PATCH).
      const ephemeral = reply.visibility === 'ephemeral';
      await respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} });
      try {
        await finishDeferred(i, reply, ephemeral);
      } catch (e) {
        log.warn({ err: e, interaction: i.id }, 'discord: could not put the answer with its files in place');
      }
      return;
    }
    await respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: deferPublic ? {} : { flags: MessageFlags.Ephemeral } });
    const reply = replyOf(await outcome);
    try {
      await finishDeferred(i, reply, !deferPublic);
    } catch (e) {
      log.warn({ err: e, interaction: i.id }, 'discord: could not edit the deferred response');
    }
  };

  const onCommand = async (i: APIApplicationCommandInteraction, respond: Respond) => {
    const ctx = contextOf(i, clock());
    if (i.data.type !== ApplicationCommandType.ChatInput) {
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(REPLIES.unsupported) });
      return;
    }
    const flat = flattenCommand(i.data);
    if (!isCommandName(flat.name)) {
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(REPLIES.unknownCommand(flat.name)) });
      return;
    }
    if (requiresAdmin(flat.name, flat.sub) && !ctx.user.isAdmin) {
      log.info({ user: ctx.user.id, command: flat.name, sub: flat.sub }, 'discord: admin subcommand refused');
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(REPLIES.adminOnly) });
      return;
    }
    const parsed = toCommand(flat.name, flat.sub, flat.options);
    if (!parsed.ok) {
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(parsed.reply) });
      return;
    }
    await answer(i, respond, () => o.handleCommand(parsed.cmd, ctx), DEFER_PUBLIC.has(flat.name));
  };

  const onAutocomplete = async (i: APIApplicationCommandAutocompleteInteraction, respond: Respond) => {
    const flat = flattenCommand(i.data);
    const focused = flat.focused ?? { name: '', value: '' };
    let timer: NodeJS.Timeout | undefined;
    let choices: { name: string; value: string }[] = [];
    try {
      choices =
        (await Promise.race([
          o.autocomplete(focused.value, { command: flat.name, option: focused.name }),
          new Promise<null>((r) => (timer = setTimeout(() => r(null), autocompleteTimeoutMs))),
        ])) ?? [];
    } catch (e) {
      log.warn({ err: e }, 'discord: autocomplete failed');
    } finally {
      clearTimeout(timer);
    }
    const seen = new Set<string>();
    const clean = [];
    for (const c of choices) {
      const name = plainText(oneLine(c.name)).slice(0, LIMITS.choiceName);
      const value = String(c.value).slice(0, LIMITS.choiceValue);
      if (!name || !value || seen.has(value)) continue;
      seen.add(value);
      clean.push({ name, value });
      if (clean.length === LIMITS.choices) break;
    }
    await respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: clean } });
  };

  const onComponent = async (i: APIMessageComponentInteraction, respond: Respond) => {
    const ctx = contextOf(i, clock());
    const id = i.data.custom_id;
    const storyId = id.startsWith(EVIDENCE_PREFIX) ? id.slice(EVIDENCE_PREFIX.length) : id.startsWith(MUTE_STORY_PREFIX) ? id.slice(MUTE_STORY_PREFIX.length) : '';
    if (!storyId) {
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(REPLIES.unknownButton) });
      return;
    }
    const work = id.startsWith(EVIDENCE_PREFIX) ? () => o.actions.evidence(storyId, ctx) : () => o.actions.muteStory(storyId, ctx);
    await answer(i, respond, work, false);
  };

  return async (i, respond) => {
    switch (i.type) {
      case InteractionType.Ping:
        await respond({ type: InteractionResponseType.Pong });
        return;
      case InteractionType.ApplicationCommand:
        await onCommand(i, respond);
        return;
      case InteractionType.ApplicationCommandAutocomplete:
        await onAutocomplete(i, respond);
        return;
      case InteractionType.MessageComponent:
        await onComponent(i, respond);
        return;
      default:
        await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: replyData(REPLIES.unsupported) });
    }
  };
}
