// The Slack destination: posts rendered alerts and replies with the Web API and turns Slack's
// errors into the port's typed errors.
//
// What the deliver job relies on (and this notifier deliberately does not do itself):
// - One call per post. postAlert makes exactly one chat.postMessage; the client never retries a
//   429 and retries only failures that cannot have reached Slack (client.ts), so a thrown error
//   means "probably not posted" except for a timeout after sending, which nothing can rule out.
// - Exactly-once is the job's: it records an intent, posts, records the post keyed by (channel,
//   article) with the returned MessageRef, and skips a post it already recorded. Every post carries
//   Slack message metadata (event_type `steppewatch_alert`, payload {key, destination}); a retry
//   that may have posted before (a worker killed between post and record, Redis writes lost)
//   calls findPosted, which reads the channel's history (roots) or the story thread's replies
//   (follow-ups) since the job was made, with include_all_metadata, and returns the message that
//   carries the key. Those reads need channels:history / groups:history (slack/manifest.yaml)
//   and are rate limited separately (Tier 3; much lower for non-Marketplace apps created since
//   May 2025): a 429 surfaces as RateLimitedError and the job is delayed, never doubled.
// - Pacing is the job's (~1 message per second per channel, Slack's limit for chat.postMessage).
// - RateLimitedError.retryAfterMs: reschedule the job after that delay, do not sleep in a worker.
//   DestinationUnavailableError: pause that channel's subscriptions with the reason.
//   PlatformAuthError: stop delivering to the workspace, loudly. Anything else: retry with backoff.
import type { Alert, Reply } from '../../core/alert/values.js';
import { destinationKey, type Destination } from '../../core/types.js';
import type { FindPosted, FindStoryRoot, MessageRef, Notifier, PostOptions } from '../../ports/notifier.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { hasAttachments, replyAttachments } from '../charts/attachments.js';
import type { Logger } from '../log.js';
import { uploadAttachments } from './files.js';
import { mapSlackError, slackErrorCode, type WebClient } from './client.js';
import { alertToSlack, replyToSlack, type SlackMessage } from './render.js';

export interface SlackNotifierOptions {
  /** The Bolt app's `client`, or createSlackWebClient(): must be built with slackClientOptions(). */
  client: WebClient;
  log: Logger;
  /** Draws the chart sections of replies as PNGs; without it a chart shows as its alt text only. */
  charts?: ChartRenderer;
}

/** Errors of chat.update that mean the root message cannot be updated any more; the update is cosmetic. */
const UPDATE_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** The metadata event type of every message steppewatch posts. */
export const METADATA_EVENT_TYPE = 'steppewatch_alert';

/** Seconds before the job's creation that findPosted still reads (clock skew between us and Slack). */
const LOOKBACK_SKEW_S = 300;
/** Pages of history/replies read at most per lookup (200 messages each). */
const LOOKUP_PAGES = 5;

interface HistoryMessage {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** Slack message metadata naming a post: its key and destination (our bookkeeping, not shown). */
export function postMetadata(destination: Destination, key: string) {
  return { event_type: METADATA_EVENT_TYPE, event_payload: { key, destination: destinationKey(destination) } };
}

export function createSlackNotifier(o: SlackNotifierOptions): Notifier {
  const { client } = o;
  const log = o.log.child({ component: 'slack-notifier' });

  async function post(destination: Destination, msg: SlackMessage, threadTs: string | undefined, opts: PostOptions | undefined): Promise<{ channel: string; ts: string }> {
    try {
      const res = await client.chat.postMessage({
        channel: destination.channel,
        ...msg,
        ...(opts ? { metadata: postMetadata(destination, opts.key) } : {}),
        // Nothing in our text may turn into a mention or a link by Slack's own parsing.
        link_names: false,
        parse: 'none',
        ...(threadTs ? { thread_ts: threadTs, reply_broadcast: false } : {}),
      });
      if (!res.ts) throw new Error('chat.postMessage answered ok without a ts');
      return { channel: res.channel ?? destination.channel, ts: res.ts };
    } catch (e) {
      throw mapSlackError(e, destination);
    }
  }

  /**
   * Reads the channel's top-level messages (or a thread's replies) from `since` on (minus clock
   * skew), at most LOOKUP_PAGES pages, for this bot's posts to `destination` whose key `wanted`
   * accepts: the first match, or with `oldest` the last one read (history comes newest first).
   * Without the history scopes (an install from before they were asked for) it logs an error
   * and answers null: the post is then made again, as before this lookup existed, rather than
   * stopping delivery.
   */
  async function scan(
    destination: Destination,
    since: number,
    threadTs: string | undefined,
    what: Record<string, unknown>,
    wanted: (key: string) => boolean,
    oldest = false,
  ): Promise<{ ts: string; key: string } | null> {
    const from = Math.max(0, Math.floor(since / 1000) - LOOKBACK_SKEW_S).toString();
    const want = destinationKey(destination);
    let cursor: string | undefined;
    let found: { ts: string; key: string } | null = null;
    try {
      for (let page = 0; page < LOOKUP_PAGES; page += 1) {
        const base = { channel: destination.channel, oldest: from, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
        const res = threadTs ? await client.conversations.replies({ ...base, ts: threadTs }) : await client.conversations.history(base);
        for (const m of (res.messages ?? []) as HistoryMessage[]) {
          const md = m.metadata;
          const key = md?.event_payload?.key;
          if (!m.ts || md?.event_type !== METADATA_EVENT_TYPE || typeof key !== 'string' || md.event_payload?.destination !== want || !wanted(key)) continue;
          if (threadTs && m.ts === threadTs) continue; // the thread's root, not a reply
          found = { ts: m.ts, key };
          if (!oldest) return found;
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return found;
    } catch (e) {
      if (slackErrorCode(e) === 'missing_scope') {
        log.error(
          { channel: destination.channel, ...what },
          'cannot read channel history to check for an earlier post (missing channels:history / groups:history scope; reinstall the app from slack/manifest.yaml); posting without the check',
        );
        return null;
      }
      throw mapSlackError(e, destination);
    }
  }

  return {
    platform: 'slack',

    /**
     * Root alert → a new message; returns `{channel, messageId: ts, threadId: ts}`.
     * Follow-up with `thread` → a reply in the root's thread (`thread_ts` = thread.threadId ??
     * thread.messageId), returns `{channel, messageId: reply ts, threadId: root ts}`. A follow-up
     * without a thread (root unknown) is posted as a top-level compact message.
     */
    async postAlert(alert: Alert, thread: MessageRef | null, opts?: PostOptions): Promise<MessageRef> {
      // follow-ups and merge notices (issue 15.4) go into the story's thread
      const threadTs = alert.kind !== 'alert' && thread ? (thread.threadId ?? thread.messageId) : undefined;
      const { channel, ts } = await post(alert.destination, alertToSlack(alert), threadTs, opts);
      log.debug({ channel, ts, storyId: alert.storyId, articleId: alert.articleId, kind: alert.kind }, 'posted');
      return { channel, messageId: ts, threadId: threadTs ?? ts };
    },

    /**
     * Re-renders the story's first message in place (chat.update) so it shows the new outlet count.
     * `alert` must be the root alert as first posted in that channel with `outletCount` updated:
     * chat.update replaces the whole message, and a follow-up does not carry the root's content, so
     * a follow-up is refused with a warning and nothing is changed. A root that no longer exists or
     * can no longer be edited is skipped with a warning (the count is cosmetic).
     */
    async updateAlert(root: MessageRef, alert: Alert): Promise<void> {
      if (alert.kind !== 'alert') {
        log.warn({ storyId: alert.storyId, channel: root.channel }, 'updateAlert needs the root alert (kind "alert"), not a follow-up; not updated');
        return;
      }
      const msg = alertToSlack(alert);
      try {
        await client.chat.update({ channel: root.channel, ts: root.messageId, text: msg.text, blocks: msg.blocks, link_names: false, parse: 'none' });
      } catch (e) {
        const code = slackErrorCode(e);
        if (code && UPDATE_GONE.has(code)) {
          log.warn({ channel: root.channel, ts: root.messageId, code }, 'root alert cannot be updated; skipped');
          return;
        }
        throw mapSlackError(e, { platform: 'slack', channel: root.channel });
      }
    },

    /**
     * A reply as a channel message (digests, spike alerts, notices such as "feed paused"). Its
     * charts (drawn as PNGs) and files follow in the message's thread (files.completeUploadExternal
     * with channel_id and thread_ts), each image with its alt text, which the message also shows.
     *
     * Exactly once: the message is the post (it alone carries the key's metadata, and findPosted
     * looks for it). Charts are drawn before it, so a drawing failure costs the image, never the
     * message. An upload that fails after the message is logged and not thrown: a retry would find
     * the message and stop, and posting the message again would double it.
     */
    async postReply(destination: Destination, reply: Reply, opts?: PostOptions): Promise<MessageRef> {
      let attachments: Awaited<ReturnType<typeof replyAttachments>>['attachments'] = [];
      if (hasAttachments(reply)) {
        const drawn = await replyAttachments(reply, o.charts);
        attachments = drawn.attachments;
        if (drawn.problems.length) log.error({ channel: destination.channel, problems: drawn.problems }, 'slack: a chart could not be drawn; the message shows its text instead');
      }
      const { channel, ts } = await post(destination, replyToSlack(reply), undefined, opts);
      if (attachments.length) {
        try {
          await uploadAttachments(client, { channel, threadTs: ts }, attachments);
        } catch (e) {
          log.warn({ err: e, channel, ts, files: attachments.map((a) => a.filename) }, 'slack: the reply was posted but its files could not be uploaded');
        }
      }
      return { channel, messageId: ts, threadId: ts };
    },

    /** A follow-up (thread given) is looked for among the thread's replies, anything else among the channel's top-level messages (see scan). */
    async findPosted(q: FindPosted): Promise<MessageRef | null> {
      const threadTs = q.thread ? (q.thread.threadId ?? q.thread.messageId) : undefined;
      const m = await scan(q.destination, q.since, threadTs, { key: q.key }, (key) => key === q.key);
      if (!m) return null;
      log.info({ channel: q.destination.channel, ts: m.ts, key: q.key }, 'found the post of an earlier attempt');
      return { channel: q.destination.channel, messageId: m.ts, threadId: threadTs ?? m.ts };
    },

    /** The oldest top-level message of the story (history is read newest first, so the last match). */
    async findStoryRoot(q: FindStoryRoot): Promise<{ ref: MessageRef; key: string } | null> {
      const keys = new Set(q.keys);
      const m = await scan(q.destination, q.since, undefined, { storyKeys: keys.size }, (key) => keys.has(key), true);
      if (!m) return null;
      log.info({ channel: q.destination.channel, ts: m.ts, key: m.key }, 'found the story’s first message, whose record was lost');
      return { ref: { channel: q.destination.channel, messageId: m.ts, threadId: m.ts }, key: m.key };
    },
  };
}
