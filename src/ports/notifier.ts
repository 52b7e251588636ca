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

export interface Notifier {
  readonly platform: Platform;
  /** Posts an alert; a follow-up goes into `thread` (the story's first message in that channel). */
  postAlert(alert: Alert, thread: MessageRef | null): Promise<MessageRef>;
  /** Updates the story's first message (its outlet count) where the platform allows; optional. */
  updateAlert?(root: MessageRef, alert: Alert): Promise<void>;
  /** Posts a platform-neutral reply as a message (digests, notices such as "feed paused"). */
  postReply(destination: Destination, reply: Reply): Promise<MessageRef>;
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
