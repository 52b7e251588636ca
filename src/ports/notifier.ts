// What the deliver job needs from a chat platform (or the console). Errors say what to do next.
import type { Alert, Reply } from '../core/alert/values.js';
import type { Destination, Platform } from '../core/types.js';

/** A posted message: enough to reply in its thread or update it later. */
export interface MessageRef {
  channel: string;
  /** Slack `ts`, Discord message id, console line number. */
  messageId: string;
  /** Where follow-ups go: Slack thread_ts (= messageId), Discord thread channel id. */
  threadId?: string;
}

/**
 * What a post is, stable across retries of its job: the article id of an alert or follow-up,
 * `notice:<job id>` of a notice. The notifier makes the platform carry it with the message (Slack
 * message metadata, Discord nonce), so a retry can tell that an earlier run already posted.
 */
export interface PostOptions {
  key: string;
  /**
   * The message's alert record, for notifiers that keep records (the console's alerts.jsonl):
   * posts that are not an Alert but count as one (spike alerts, `kind: "spike"`). Chat notifiers ignore it.
   */
  record?: { kind: string; destination: string; at: string };
}

/** A retry that may have posted already asks the platform for that post (see findPosted). */
export interface FindPosted {
  destination: Destination;
  /** PostOptions.key of the post. */
  key: string;
  /** The story's first message when the post is a follow-up in its thread; null for a top-level post. */
  thread: MessageRef | null;
  /** When the job was created, ms since the epoch: nothing older can be the post. */
  since: number;
}

/** What findStoryRoot looks for. */
export interface FindStoryRoot {
  destination: Destination;
  /** PostOptions.key values of the story's posts: its article ids. */
  keys: readonly string[];
  /** Nothing older can be the story's first message (ms since the epoch). */
  since: number;
}

export interface Notifier {
  readonly platform: Platform;
  /** Posts an alert; a follow-up goes into `thread` (the story's first message in that channel). */
  postAlert(alert: Alert, thread: MessageRef | null, opts?: PostOptions): Promise<MessageRef>;
  /** Updates the story's first message (its outlet count) where the platform allows; optional. */
  updateAlert?(root: MessageRef, alert: Alert): Promise<void>;
  /** Posts a platform-neutral reply as a message (digests, notices such as "feed paused"). */
  postReply(destination: Destination, reply: Reply, opts?: PostOptions): Promise<MessageRef>;
  /**
   * The message this bot posted with `key` (PostOptions) in that place since `since`, or null.
   * Called only by a retry that may have posted before (an intent recorded, an earlier attempt
   * failed or stalled, the store restarted since the job was made), never on a first attempt:
   * it costs a rate-limited read. Errors as for posting (RateLimitedError: ask again later).
   * Optional: a notifier without it relies on the platform's own de-duplication of a repeated
   * post (Discord's nonce) or may post twice (the console).
   */
  findPosted?(q: FindPosted): Promise<MessageRef | null>;
  /**
   * The story's first message in that place: the oldest top-level message this bot posted since
   * `since` whose key is one of `keys` (the story's article ids), with the key it carries; or null.
   * Asked only when the store has no root for the story and may have lost it (a restart, a retry),
   * so that a story never gets a second top-level message for a record lost in a crash.
   * Optional, as findPosted (Discord cannot be asked).
   */
  findStoryRoot?(q: FindStoryRoot): Promise<{ ref: MessageRef; key: string } | null>;
  close?(): Promise<void>;
}

/** The platform asked us to slow down: try again after `retryAfterMs`, without blocking a worker. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/** The destination cannot take messages (channel gone, bot removed, archived): pause its subscriptions. */
export class DestinationUnavailableError extends Error {
  override name = 'DestinationUnavailableError';
  constructor(
    readonly destination: Destination,
    /** Platform's reason code: channel_not_found, not_in_channel, is_archived, Unknown Channel, Missing Access … */
    readonly reason: string,
  ) {
    super(`${destination.platform}:${destination.channel} unavailable: ${reason}`);
  }
}

/** Credentials refused (invalid_auth, 401): stop delivering to that platform/workspace, loudly. */
export class PlatformAuthError extends Error {
  override name = 'PlatformAuthError';
  constructor(
    readonly platform: Platform,
    readonly reason: string,
  ) {
    super(`${platform} refused our credentials: ${reason}`);
  }
}
