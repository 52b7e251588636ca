// The Slack destination: posts rendered alerts and replies with the Web API and turns Slack's
// errors into the port's typed errors.
//
// What the deliver job relies on (and this notifier deliberately does not do itself):
// - One call per post. postAlert makes exactly one chat.postMessage; the client never retries a
//   429 and retries only failures that cannot have reached Slack (client.ts), so a thrown error
//   means "probably not posted" except for a timeout after sending, which nothing can rule out.
// - Exactly-once is the job's: it records each post keyed by (channel, article) with the returned
//   MessageRef before acknowledging, and skips a post it already recorded.
// - Pacing is the job's (~1 message per second per channel, Slack's limit for chat.postMessage).
// - RateLimitedError.retryAfterMs: reschedule the job after that delay, do not sleep in a worker.
//   DestinationUnavailableError: pause that channel's subscriptions with the reason.
//   PlatformAuthError: stop delivering to the workspace, loudly. Anything else: retry with backoff.
import type { Alert, Reply } from '../../core/alert/values.js';
import type { Destination } from '../../core/types.js';
import type { MessageRef, Notifier } from '../../ports/notifier.js';
import type { Logger } from '../log.js';
import { mapSlackError, slackErrorCode, type WebClient } from './client.js';
import { alertToSlack, replyToSlack, type SlackMessage } from './render.js';

export interface SlackNotifierOptions {
  /** The Bolt app's `client`, or createSlackWebClient(): must be built with slackClientOptions(). */
  client: WebClient;
  log: Logger;
}

/** Errors of chat.update that mean the root message cannot be updated any more; the update is cosmetic. */
const UPDATE_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

export function createSlackNotifier(o: SlackNotifierOptions): Notifier {
  const { client } = o;
  const log = o.log.child({ component: 'slack-notifier' });

  async function post(destination: Destination, msg: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }> {
    try {
      const res = await client.chat.postMessage({
        channel: destination.channel,
        ...msg,
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

  return {
    platform: 'slack',

    /**
     * Root alert → a new message; returns `{channel, messageId: ts, threadId: ts}`.
     * Follow-up with `thread` → a reply in the root's thread (`thread_ts` = thread.threadId ??
     * thread.messageId), returns `{channel, messageId: reply ts, threadId: root ts}`. A follow-up
     * without a thread (root unknown) is posted as a top-level compact message.
     */
    async postAlert(alert: Alert, thread: MessageRef | null): Promise<MessageRef> {
      const threadTs = alert.kind === 'followup' && thread ? (thread.threadId ?? thread.messageId) : undefined;
      const { channel, ts } = await post(alert.destination, alertToSlack(alert), threadTs);
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

    /** A reply as a channel message (digests, notices such as "feed paused"). */
    async postReply(destination: Destination, reply: Reply): Promise<MessageRef> {
      const { channel, ts } = await post(destination, replyToSlack(reply));
      return { channel, messageId: ts, threadId: ts };
    },
  };
}
