// Alerts, follow-ups and notices to Discord channels over REST.
//
// Threads: a story's first alert is a channel message; its follow-ups go into a public thread
// started from that message on the first follow-up. Discord gives a thread started from a message
// the message's own id ("The created thread and the message it was started from will share the
// same id", discord-api-docs, Threads), so the root's MessageRef alone says where every follow-up
// goes: thread id = root.threadId ?? root.messageId. Whether the thread exists yet is learnt by
// trying: creating it again answers 160004 (already created), which counts as success; posting to
// a thread that does not exist answers 10003 (Unknown Channel), after which it is created.
// Follow-up refs carry `threadId`.
//
// Exactly once: every post made with PostOptions carries `nonce` (25 characters derived from the
// destination and the post's key) with `enforce_nonce: true`. Discord then answers a repeated
// nonce from the same bot within a few minutes with the message already created instead of a new
// one (discord-api-docs, Create Message), so a retry after a worker died between the post and its
// record — the lock expires after 60 s, the stalled check runs every 30 s — gets the first
// message back. Past Discord's window a retry posts again: messages read back
// (GET /channels/{id}/messages) do not carry the nonce, and the alert's visible content does not
// carry the article's key either, so no look-back is attempted; docs/discord.md says so.
import { createHash } from 'node:crypto';
import { RESTJSONErrorCodes, Routes, ThreadAutoArchiveDuration, type RESTPostAPIChannelMessageResult } from 'discord.js';
import type { REST } from '@discordjs/rest';
import type { Alert, Reply } from '../../core/alert/values.js';
import { destinationKey, type Destination } from '../../core/types.js';
import type { MessageRef, Notifier, PostOptions } from '../../ports/notifier.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { hasAttachments, replyAttachments, type ReplyAttachment } from '../charts/attachments.js';
import type { Logger } from '../log.js';
import { withAttachments } from './files.js';
import type { DiscordMessage } from './limits.js';
import { alertToDiscord, outletCountToDiscord, replyToDiscord, threadMessageToDiscord, threadName } from './render.js';
import { discordCode, toNotifierError } from './rest.js';

export interface DiscordNotifierOptions {
  /** From createDiscordRest: API v10 at DISCORD_API_URL, bot token, rejectOnRateLimit. */
  rest: REST;
  log: Logger;
  /** Minutes of inactivity before a story thread is archived (Discord: 60, 1440, 4320, 10080; default 10080). */
  threadArchiveMinutes?: ThreadAutoArchiveDuration;
  /** How many thread ids to remember as existing, per process (saves a create call; default 5000). */
  knownThreadsMax?: number;
  /** Draws the chart sections of replies as PNG attachments; without it a chart shows as its alt text only. */
  charts?: ChartRenderer;
}

const dest = (channel: string): Destination => ({ platform: 'discord', channel });

/** Discord's nonce is at most 25 characters: the first 25 hex digits of sha256(destination, key). */
export function postNonce(destination: Destination, key: string): string {
  return createHash('sha256').update(`${destinationKey(destination)}\n${key}`).digest('hex').slice(0, 25);
}

/** The body with the post's nonce, enforced, when the post has a key. */
const withNonce = (body: DiscordMessage, nonce: string | undefined): DiscordMessage | (DiscordMessage & { nonce: string; enforce_nonce: true }) =>
  nonce ? { ...body, nonce, enforce_nonce: true } : body;

export function createDiscordNotifier(o: DiscordNotifierOptions): Notifier & { readonly platform: 'discord' } {
  const { rest, log } = o;
  const archive = o.threadArchiveMinutes ?? ThreadAutoArchiveDuration.OneWeek;
  const knownMax = o.knownThreadsMax ?? 5_000;
  /** Thread ids known to exist (insertion-ordered; the oldest are forgotten first). */
  const known = new Set<string>();
  const remember = (id: string) => {
    known.delete(id);
    known.add(id);
    if (known.size > knownMax) known.delete(known.values().next().value!);
  };

  /**
   * Posts a payload to a channel or thread; Discord's errors as they come. With attachments the
   * message goes as multipart in the same one call, so the nonce covers its files too.
   */
  const rawPost = async (channel: string, body: DiscordMessage, nonce?: string, attachments: readonly ReplyAttachment[] = []): Promise<string> => {
    const payload = withNonce(body, nonce);
    const request = attachments.length ? withAttachments(payload, attachments) : { body: payload };
    const msg = (await rest.post(Routes.channelMessages(channel), request)) as RESTPostAPIChannelMessageResult;
    return msg.id;
  };
  /** Posts a payload, errors mapped to the port's for `destination`. */
  const post = async (channel: string, body: DiscordMessage, destination: Destination, nonce?: string, attachments?: readonly ReplyAttachment[]): Promise<string> => {
    try {
      return await rawPost(channel, body, nonce, attachments);
    } catch (e) {
      throw toNotifierError(e, destination);
    }
  };

  /**
   * Makes sure the root message has its thread. Returns false when the thread cannot be had
   * (root deleted, no permission to create threads, archived and locked): the caller then posts
   * in the channel itself.
   */
  const ensureThread = async (root: MessageRef, alert: Alert): Promise<boolean> => {
    try {
      await rest.post(Routes.threads(root.channel, root.messageId), {
        body: { name: threadName(alert.headline, alert.storyId), auto_archive_duration: archive },
      });
      return true;
    } catch (e) {
      const code = discordCode(e);
      if (code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return true;
      if (code === RESTJSONErrorCodes.UnknownMessage || code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.InvalidActionOnArchivedThread) {
        log.warn({ channel: root.channel, message: root.messageId, code }, 'discord: cannot start the story thread; posting the follow-up in the channel');
        return false;
      }
      throw toNotifierError(e, dest(root.channel));
    }
  };

  const postFollowup = async (alert: Alert, root: MessageRef, nonce: string | undefined): Promise<MessageRef> => {
    const destination = dest(root.channel);
    const threadId = root.threadId ?? root.messageId;
    const standalone = async (): Promise<MessageRef> => {
      const id = await post(root.channel, threadMessageToDiscord(alert, { standalone: true }), destination, nonce);
      return { channel: root.channel, messageId: id };
    };
    /** Posts into the thread; null when the thread is gone (10003) or archived and locked (50083). */
    const inThread = async (): Promise<MessageRef | null> => {
      try {
        const id = await rawPost(threadId, threadMessageToDiscord(alert), nonce);
        remember(threadId);
        return { channel: root.channel, messageId: id, threadId };
      } catch (e) {
        const code = discordCode(e);
        if (code === RESTJSONErrorCodes.UnknownChannel || code === RESTJSONErrorCodes.InvalidActionOnArchivedThread) {
          known.delete(threadId);
          return null;
        }
        throw toNotifierError(e, destination);
      }
    };

    // Known to exist: post straight into it (one call). Otherwise create it first (160004 = exists).
    if (root.threadId || known.has(threadId)) {
      const ref = await inThread();
      if (ref) return ref;
    }
    if (!(await ensureThread(root, alert))) return standalone();
    return (await inThread()) ?? standalone();
  };

  return {
    platform: 'discord',

    async postAlert(alert, thread, opts?: PostOptions) {
      const nonce = opts ? postNonce(alert.destination, opts.key) : undefined;
      // follow-ups and merge notices (issue 15.4) go into the story's thread
      if (alert.kind !== 'alert' && thread) return postFollowup(alert, thread, nonce);
      const channel = alert.destination.channel;
      const body = alert.kind === 'followup' ? alertToDiscord({ ...alert, kind: 'alert' }) : alertToDiscord(alert);
      const id = await post(channel, body, dest(channel), nonce);
      return { channel, messageId: id };
    },

    async updateAlert(root, alert) {
      try {
        await rest.patch(Routes.channelMessage(root.channel, root.messageId), { body: outletCountToDiscord(alert) });
      } catch (e) {
        throw toNotifierError(e, dest(root.channel));
      }
    },

    /**
     * A reply as one message; its charts (PNG) and files are attachments of that message, each
     * image described by its alt text, which the message also shows. A chart that cannot be drawn
     * is left out (logged); the text stands.
     */
    async postReply(destination: Destination, reply: Reply, opts?: PostOptions) {
      let attachments: ReplyAttachment[] = [];
      if (hasAttachments(reply)) {
        const drawn = await replyAttachments(reply, o.charts);
        attachments = drawn.attachments;
        if (drawn.problems.length) log.error({ channel: destination.channel, problems: drawn.problems }, 'discord: a chart could not be drawn; the message shows its text instead');
      }
      const id = await post(destination.channel, replyToDiscord(reply), destination, opts ? postNonce(destination, opts.key) : undefined, attachments);
      return { channel: destination.channel, messageId: id };
    },
  };
}
