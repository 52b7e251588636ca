// The types of the fake Slack Web API (fake-slack.ts): its calls, failures, users, channels,
// messages, files and options, and the handle a test holds.
import type { IncomingHttpHeaders } from 'node:http';

/** One request the fake received. `method` is the Web API method, or `response_url`. */
export interface FakeSlackCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed body: form fields (JSON-valued fields such as `blocks` decoded) or the JSON body. */
  body: Record<string, any>;
  /** Bearer token (or the body's `token`), if any. */
  token: string | undefined;
  /** Milliseconds since the epoch when it arrived. */
  at: number;
  /** What the fake answered. */
  status: number;
  response: unknown;
}

/**
 * How to fail a call: a Slack error code (HTTP 200, `{ok:false, error}`), or an HTTP answer —
 * `{status: 429, retryAfter: 2}` is Slack's rate limit (Retry-After header in seconds).
 */
export type FakeSlackFailure = string | { status: number; retryAfter?: number; error?: string };

export interface FakeSlackUser {
  id: string;
  name: string;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  /** false: posting answers `not_in_channel`. */
  isMember: boolean;
  /** true: posting answers `is_archived`. */
  archived: boolean;
  /** false: everything about it answers `channel_not_found`. */
  exists: boolean;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown;
  /** Message metadata as posted (`{event_type, event_payload}`). */
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  /** Every version after chat.update, latest last. */
  edits: { text: string; blocks?: unknown }[];
  /** A file share (files.completeUploadExternal): the ids of its files. */
  files?: string[];
}

/** A file uploaded through the external upload flow. */
export interface FakeSlackFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** Alt text as announced (`alt_text`, or Slack's documented `alt_txt`). */
  altText?: string;
  /** The bytes posted to the upload URL (undefined until then). */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  title?: string;
  channel?: string;
  threadTs?: string;
  /** The file-share message's ts. */
  shareTs?: string;
}

export interface FakeSlackOptions {
  /** When set, any other token is refused with `invalid_auth` (no token: `not_authed`). */
  token?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Socket Mode: the app-level token apps.connections.open accepts (any other: invalid_auth). */
  appToken?: string;
}

/** What the app answered to a Socket Mode envelope: `{envelope_id, payload?}`. */
export interface FakeSlackAck {
  envelope_id: string;
  payload?: any;
}

export interface FakeSlack {
  /** Web API base, like `http://127.0.0.1:PORT/api/` (SLACK_API_URL). */
  url: string;
  /** Origin, like `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every call, in arrival order (Web API and response_url). */
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Fails the next `times` (default 1) calls of `method` (`response_url` for response URLs). */
  failNext(method: string, failure: FakeSlackFailure, times?: number): void;
  /**
   * A switchable fault mode (the chaos suite's 429 storms and 500 bursts): while set, every call
   * without a queued failNext asks `fault(method)`; a failure it returns is answered before the
   * call takes effect (nothing is posted). `null` switches it off.
   */
  setFault(fault: ((method: string) => FakeSlackFailure | undefined) | null): void;
  /** A fresh response_url on this server; posts to it are recorded as method `response_url`. */
  responseUrl(): string;
  /** Messages posted with chat.postMessage (and file shares, with `files`), in order. */
  messages: FakeSlackMessage[];
  /** Files by the external upload flow, in order of files.getUploadURLExternal. */
  files: FakeSlackFile[];
  setUser(id: string, user: Partial<Omit<FakeSlackUser, 'id'>>): void;
  setChannel(id: string, channel: Partial<Omit<FakeSlackChannel, 'id'>>): void;
  /** Resolves with the first call of `method` (already made or future) that matches. */
  waitFor(method: string, match?: (c: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  /** Socket Mode: resolves when an app has connected and been said hello to. */
  socketConnected(timeoutMs?: number): Promise<void>;
  /** Socket Mode: sends an envelope to the connected app and resolves with its ack. */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>, timeoutMs?: number): Promise<FakeSlackAck>;
  /** Forgets calls, messages and pending failures (users and channels stay). */
  reset(): void;
  close(): Promise<void>;
}
