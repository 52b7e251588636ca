// The types of the fake Discord (fake-discord.ts): attachments, recorded calls, failures,
// messages, the gateway, the handle a test holds and its options.
/** A file sent as a multipart part `files[n]`, with what the payload said of it. */
export interface FakeAttachment {
  id: number;
  field: string;
  filename: string;
  contentType?: string;
  description?: string;
  bytes: Buffer;
}

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, e.g. `/channels/123/messages`. */
  path: string;
  /** Route pattern, e.g. `POST /channels/:id/messages`. */
  route: string;
  body: any;
  /** Files of a multipart call (payload_json is `body`). */
  files?: FakeAttachment[];
  headers: Record<string, string | undefined>;
  /** Status the fake answered. */
  status: number;
  /** Milliseconds since the epoch when it arrived. */
  at: number;
}

export interface FakeFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching calls fail (default 1; Infinity for a persistent failure). */
  times?: number;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content?: string;
  embeds?: any[];
  components?: any[];
  allowed_mentions?: unknown;
  [k: string]: unknown;
}

export interface FakeGateway {
  /** ws://127.0.0.1:PORT/gateway (what GET /gateway/bot answers). */
  url: string;
  /** The first IDENTIFY's `d` (token, intents, properties …). */
  identified: Promise<{ token: string; intents: number; [k: string]: unknown }>;
  identifies: { token: string; intents: number; [k: string]: unknown }[];
  /** Heartbeats received (op 1). */
  heartbeats: number;
  /** Pushes an INTERACTION_CREATE dispatch to every identified connection. */
  sendInteraction(payload: unknown): void;
  /** Open connections. */
  readonly connections: number;
}

export interface FakeDiscord {
  /** `http://127.0.0.1:PORT/api` (DISCORD_API_URL: the library adds /v10). */
  apiUrl: string;
  calls: RecordedCall[];
  /** Calls whose route pattern (`POST /channels/:id/messages`) or exact `METHOD /path` matches. */
  callsTo(route: string): RecordedCall[];
  /** Resolves with the `n`-th call (1-based) matching `route`, waiting for it if need be. */
  waitForCall(route: string, n?: number, timeoutMs?: number): Promise<RecordedCall>;
  /** The next matching call(s) fail as given. `route` as in callsTo. */
  failNext(route: string, failure: FakeFailure): void;
  /**
   * A switchable fault mode (the chaos suite's 429 storms and 500 bursts): while set, every call
   * no failNext matches asks `fault(route)` (the route pattern, e.g. `POST /channels/:id/messages`);
   * a failure it returns is answered before the call takes effect. `null` switches it off.
   */
  setFault(fault: ((route: string) => FakeFailure | undefined) | null): void;
  /** Messages by id (channel messages and thread messages). */
  messages: Map<string, FakeMessage>;
  /** The files of messages posted with attachments, by message id. */
  attachments: Map<string, FakeAttachment[]>;
  /** Threads by id (= the id of the message they were started from). */
  threads: Map<string, { id: string; parent_id: string; name: string; auto_archive_duration?: number }>;
  applicationId: string;
  botUserId: string;
  gateway: FakeGateway;
  close(): Promise<void>;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  /** When set, bot-authenticated routes answer 401 to any other `Authorization: Bot …`. */
  token?: string;
  /** HELLO's heartbeat interval, ms (default 41 250 as Discord; short values exercise heartbeats). */
  heartbeatIntervalMs?: number;
  /** How long an enforced nonce returns the message it created, ms (default 5 minutes). */
  nonceWindowMs?: number;
}
