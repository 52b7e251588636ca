// A fake Slack Web API on loopback, so the real @slack/bolt and @slack/web-api run in tests:
// auth.test, chat.postMessage, chat.update, conversations.info, conversations.history,
// conversations.replies, users.info, and response_url endpoints. Message metadata is kept as
// Slack keeps it: posted with chat.postMessage, returned by history/replies only when the call
// asks for include_all_metadata. It records every call (method, headers, parsed body) and can fail the next calls of a
// method on demand (a Slack error code, or an HTTP status such as 429 with Retry-After).
// Socket Mode too: apps.connections.open hands out a loopback WebSocket URL on the same server,
// which says hello, sends envelopes (slash commands, interactions) and records the app's acks.
// Files by the external upload flow: files.getUploadURLExternal hands out a loopback upload URL,
// the bytes posted there are kept (multipart `body` field as @slack/web-api sends it, or raw), and
// files.completeUploadExternal shares them as one message in the channel or thread.
// Also here: helpers to sign and send requests to our /slack/events endpoint as Slack would.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseMultipart, readBodyBytes } from './http.js';

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

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'unfurls', 'files']);

function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, any>;
    } catch {
      return { _raw: raw };
    }
  }
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string' && JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(value);
        continue;
      } catch {
        /* keep the raw string */
      }
    }
    out[k] = value;
  }
  return out;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0FAKE';
  const botUserId = options.botUserId ?? 'U0BOT';
  const botId = options.botId ?? 'B0BOT';
  const calls: FakeSlackCall[] = [];
  const messages: FakeSlackMessage[] = [];
  const files: FakeSlackFile[] = [];
  let fileCounter = 0;
  const failures = new Map<string, FakeSlackFailure[]>();
  let faultMode: ((method: string) => FakeSlackFailure | undefined) | null = null;
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  const waiters: { method: string; match: (c: FakeSlackCall) => boolean; resolve: (c: FakeSlackCall) => void }[] = [];
  let tsCounter = 0;
  let responseCounter = 0;
  let socketCounter = 0;
  let envelopeCounter = 0;
  let origin = '';
  const sockets: WebSocket[] = [];
  const connectWaiters: (() => void)[] = [];
  const ackWaiters = new Map<string, (a: FakeSlackAck) => void>();

  const nextTs = () => {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
  };
  const userOf = (id: string): FakeSlackUser => users.get(id) ?? { id, name: `user-${id.toLowerCase()}`, is_admin: false, is_owner: false, is_primary_owner: false };
  const channelOf = (id: string): FakeSlackChannel => channels.get(id) ?? { id, name: `channel-${id.toLowerCase()}`, isMember: true, archived: false, exists: true };

  function handle(method: string, body: Record<string, any>, token: string | undefined): { status: number; headers?: Record<string, string>; json: unknown } {
    const ok = (x: Record<string, unknown> = {}) => ({ status: 200, json: { ok: true, ...x } });
    const err = (error: string) => ({ status: 200, json: { ok: false, error } });
    if (method === 'apps.connections.open') {
      if (!token) return err('not_authed');
      if (options.appToken !== undefined && token !== options.appToken) return err('invalid_auth');
      socketCounter += 1;
      return ok({ url: `${origin.replace('http:', 'ws:')}/socket/${socketCounter}` });
    }
    if (options.token !== undefined) {
      if (!token) return err('not_authed');
      if (token !== options.token) return err('invalid_auth');
    }
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake', user: 'steppewatch', team_id: teamId, user_id: botUserId, bot_id: botId });
      case 'chat.postMessage': {
        const channel = String(body.channel ?? '');
        if (!channel) return err('channel_not_found');
        if (!body.text && !body.blocks) return err('no_text');
        const c = channelOf(channel);
        if (!c.exists) return err('channel_not_found');
        if (c.archived) return err('is_archived');
        if (!c.isMember) return err('not_in_channel');
        const ts = nextTs();
        const msg: FakeSlackMessage = { channel, ts, text: String(body.text ?? ''), blocks: body.blocks, edits: [] };
        if (body.thread_ts) msg.thread_ts = String(body.thread_ts);
        if (body.metadata && typeof body.metadata === 'object' && typeof body.metadata.event_type === 'string') msg.metadata = body.metadata;
        messages.push(msg);
        return ok({ channel, ts, message: { type: 'message', text: msg.text, ts, bot_id: botId, ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}) } });
      }
      case 'chat.update': {
        const channel = String(body.channel ?? '');
        if (!channelOf(channel).exists) return err('channel_not_found');
        const msg = messages.find((m) => m.channel === channel && m.ts === String(body.ts));
        if (!msg) return err('message_not_found');
        msg.edits.push({ text: String(body.text ?? ''), blocks: body.blocks });
        msg.text = String(body.text ?? msg.text);
        if (body.blocks !== undefined) msg.blocks = body.blocks;
        return ok({ channel, ts: msg.ts, text: msg.text });
      }
      case 'conversations.info': {
        const c = channelOf(String(body.channel ?? ''));
        if (!c.exists || !c.id) return err('channel_not_found');
        return ok({ channel: { id: c.id, name: c.name, is_channel: true, is_member: c.isMember, is_archived: c.archived } });
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(body.channel ?? '');
        const c = channelOf(channel);
        if (!channel || !c.exists) return err('channel_not_found');
        if (!c.isMember) return err('not_in_channel');
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true' || body.include_all_metadata === '1';
        const after = body.oldest !== undefined ? Number(body.oldest) : -Infinity;
        const inclusive = body.inclusive === true || body.inclusive === 'true' || body.inclusive === '1';
        const inRange = (m: FakeSlackMessage) => (inclusive ? Number(m.ts) >= after : Number(m.ts) > after);
        let list: FakeSlackMessage[];
        if (method === 'conversations.history') {
          // Top-level messages, newest first; thread replies are not in the channel's history.
          list = messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts) && inRange(m)).reverse();
        } else {
          const ts = String(body.ts ?? '');
          const parent = messages.find((m) => m.channel === channel && m.ts === ts);
          if (!parent) return err('thread_not_found');
          // The parent first, then its replies oldest first (the parent is returned whatever `oldest` says).
          list = [parent, ...messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts && inRange(m))];
        }
        const limit = Math.max(1, Math.min(Number(body.limit ?? 100) || 100, 1000));
        const start = body.cursor ? Number(String(body.cursor).replace(/^off:/, '')) || 0 : 0;
        const page = list.slice(start, start + limit);
        const more = start + limit < list.length;
        return ok({
          messages: page.map((m) => {
            const replies = messages.filter((r) => r.channel === channel && r.thread_ts === m.ts && r.ts !== m.ts).length;
            return {
              type: 'message',
              ts: m.ts,
              text: m.text,
              bot_id: botId,
              ...(m.thread_ts ? { thread_ts: m.thread_ts } : replies ? { thread_ts: m.ts, reply_count: replies } : {}),
              ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
            };
          }),
          has_more: more,
          response_metadata: { next_cursor: more ? `off:${start + limit}` : '' },
        });
      }
      case 'files.getUploadURLExternal': {
        const filename = String(body.filename ?? '');
        const length = Number(body.length);
        if (!filename) return err('invalid_arguments');
        if (!Number.isInteger(length) || length <= 0) return err('invalid_arguments');
        fileCounter += 1;
        const id = `F0FAKE${String(fileCounter).padStart(4, '0')}`;
        const alt = body.alt_txt ?? body.alt_text;
        files.push({ id, filename, length, ...(typeof alt === 'string' ? { altText: alt } : {}) });
        return ok({ upload_url: `${origin}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const list = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : null;
        if (!list || list.length === 0) return err('invalid_arguments');
        const found = list.map((f) => files.find((x) => x.id === f.id));
        // Slack: a file whose bytes never arrived (or differ from the announced length) cannot be completed.
        if (found.some((f) => !f || !f.bytes || f.bytes.length !== f.length)) return err('file_not_found');
        const channel = body.channel_id !== undefined ? String(body.channel_id) : undefined;
        let shareTs: string | undefined;
        if (channel) {
          const c = channelOf(channel);
          if (!c.exists) return err('channel_not_found');
          if (c.archived) return err('is_archived');
          if (!c.isMember) return err('not_in_channel');
          shareTs = nextTs();
          const msg: FakeSlackMessage = { channel, ts: shareTs, text: String(body.initial_comment ?? ''), edits: [], files: found.map((f) => f!.id) };
          if (body.thread_ts) msg.thread_ts = String(body.thread_ts);
          messages.push(msg);
        }
        found.forEach((f, i) => {
          f!.title = list[i]!.title ?? f!.filename;
          if (channel) Object.assign(f!, { channel, shareTs, ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}) });
        });
        return ok({ files: found.map((f) => ({ id: f!.id, title: f!.title, name: f!.filename })) });
      }
      case 'users.info': {
        const id = String(body.user ?? '');
        if (!id) return err('user_not_found');
        const u = userOf(id);
        return ok({ user: { ...u, team_id: teamId, is_bot: false, deleted: false } });
      }
      default:
        return err('unknown_method');
    }
  }

  function record(call: FakeSlackCall) {
    calls.push(call);
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const w = waiters[i]!;
      if (w.method === call.method && w.match(call)) {
        waiters.splice(i, 1);
        w.resolve(call);
      }
    }
  }

  function takeFailure(method: string): FakeSlackFailure | undefined {
    const q = failures.get(method);
    const f = q?.shift();
    if (q && q.length === 0) failures.delete(method);
    return f;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!;
    const rawBytes = await readBodyBytes(req);
    if (path.startsWith('/upload/')) return onUpload(req, res, path.slice('/upload/'.length), rawBytes);
    const raw = rawBytes.toString('utf8');
    const body = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : undefined;
    let method: string;
    if (path.startsWith('/api/')) method = path.slice(5);
    else if (path.startsWith('/response/')) method = 'response_url';
    else method = `unknown:${path}`;

    let status: number;
    let json: unknown;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const failure = takeFailure(method) ?? faultMode?.(method);
    if (failure !== undefined) {
      if (typeof failure === 'string') {
        status = 200;
        json = { ok: false, error: failure };
      } else {
        status = failure.status;
        json = { ok: false, error: failure.error ?? (failure.status === 429 ? 'ratelimited' : `http_${failure.status}`) };
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      }
    } else if (method === 'response_url') {
      status = 200;
      json = { ok: true };
    } else if (method.startsWith('unknown:')) {
      status = 404;
      json = { ok: false, error: 'not_found' };
    } else {
      const r = handle(method, body, token);
      status = r.status;
      json = r.json;
      Object.assign(headers, r.headers);
    }
    record({ method, path, headers: req.headers, body, token, at: Date.now(), status, response: json });
    res.writeHead(status, headers);
    res.end(JSON.stringify(json));
  }

  /** The upload URL of files.getUploadURLExternal: keeps the bytes (one upload per file). */
  async function onUpload(req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer) {
    const file = files.find((f) => f.id === id);
    const failure = takeFailure('upload');
    let status = 200;
    let text = `OK - ${raw.length}`;
    if (failure !== undefined) {
      status = typeof failure === 'string' ? 500 : failure.status;
      text = typeof failure === 'string' ? failure : (failure.error ?? `http_${status}`);
    } else if (!file || file.bytes) {
      status = 404;
      text = 'not found';
    } else {
      const ct = req.headers['content-type'] ?? '';
      if (ct.startsWith('multipart/form-data')) {
        const parts = await parseMultipart(raw, ct);
        const part = parts.find((p) => p.bytes) ?? parts.find((p) => p.name === 'body' || p.name === 'file');
        file.bytes = part?.bytes ?? Buffer.from(part?.text ?? '', 'utf8');
      } else {
        file.bytes = raw;
      }
    }
    record({ method: 'upload', path: `/upload/${id}`, headers: req.headers, body: { id, bytes: raw.length }, token: undefined, at: Date.now(), status, response: text });
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/socket/')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    sockets.push(ws);
    ws.on('message', (data) => {
      let msg: FakeSlackAck;
      try {
        msg = JSON.parse(String(data)) as FakeSlackAck;
      } catch {
        return;
      }
      ackWaiters.get(msg.envelope_id)?.(msg);
      ackWaiters.delete(msg.envelope_id);
    });
    ws.on('close', () => sockets.splice(sockets.indexOf(ws), 1));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0FAKE' } }));
    for (const w of connectWaiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    messages,
    files,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure, times = 1) {
      const q = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) q.push(failure);
      failures.set(method, q);
    },
    setFault(fault) {
      faultMode = fault;
    },
    responseUrl() {
      responseCounter += 1;
      return `${origin}/response/${responseCounter}`;
    },
    setUser(id, user) {
      users.set(id, { ...userOf(id), ...user, id });
    },
    setChannel(id, channel) {
      channels.set(id, { ...channelOf(id), ...channel, id });
    },
    waitFor(method, match = () => true, timeoutMs = 5_000) {
      const done = calls.find((c) => c.method === method && match(c));
      if (done) return Promise.resolve(done);
      return new Promise<FakeSlackCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`fake slack: no ${method} call within ${timeoutMs} ms (calls: ${calls.map((c) => c.method).join(', ') || 'none'})`));
        }, timeoutMs);
        const waiter = {
          method,
          match,
          resolve: (c: FakeSlackCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        waiters.push(waiter);
      });
    },
    socketConnected(timeoutMs = 5_000) {
      if (sockets.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake slack: no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
        connectWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    sendEnvelope(type, payload, timeoutMs = 5_000) {
      const ws = sockets[sockets.length - 1];
      if (!ws) return Promise.reject(new Error('fake slack: no Socket Mode connection'));
      envelopeCounter += 1;
      const id = `env-${envelopeCounter}`;
      return new Promise<FakeSlackAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          ackWaiters.delete(id);
          reject(new Error(`fake slack: no ack of ${type} envelope ${id} within ${timeoutMs} ms`));
        }, timeoutMs);
        ackWaiters.set(id, (a) => {
          clearTimeout(timer);
          resolve(a);
        });
        ws.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      });
    },
    reset() {
      calls.length = 0;
      messages.length = 0;
      files.length = 0;
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ── requests as Slack sends them to /slack/events ───────────────────────────────────────────

/** Slack's v0 signature of a request body at a timestamp (seconds). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  responseUrl?: string;
}

/** The form body of a slash command, as Slack posts it. */
export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: f.channelId ?? 'C0ALERTS',
    channel_name: f.channelName ?? 'alerts',
    user_id: f.userId ?? 'U0USER',
    user_name: f.userName ?? 'analyst',
    command: f.command.startsWith('/') ? f.command : `/${f.command}`,
    text: f.text ?? '',
    api_app_id: 'A0FAKE',
    is_enterprise_install: 'false',
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/response/none',
    trigger_id: '1.2.3',
  }).toString();
}

export interface BlockActionFields {
  actionId: string;
  value?: string;
  userId?: string;
  channelId?: string;
  teamId?: string;
  responseUrl?: string;
  messageTs?: string;
}

/** The form body of a button click (`payload=<json>`), as Slack posts it. */
export function blockActionBody(f: BlockActionFields): string {
  const payload = {
    type: 'block_actions',
    team: { id: f.teamId ?? 'T0FAKE', domain: 'fake' },
    user: { id: f.userId ?? 'U0USER', username: 'analyst', team_id: f.teamId ?? 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs ?? '1700000000.000001', channel_id: f.channelId ?? 'C0ALERTS', is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: f.channelId ?? 'C0ALERTS', name: 'alerts' },
    message: { type: 'message', ts: f.messageTs ?? '1700000000.000001', text: 'alert' },
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/response/none',
    actions: [{ type: 'button', action_id: f.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, value: f.value, action_ts: '1700000001.000001' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SendToSlackAppOptions {
  signingSecret: string;
  /** Request timestamp in seconds (default now). */
  timestamp?: number;
  /** Override the signature (e.g. a wrong one). */
  signature?: string;
  contentType?: string;
}

/** Posts a body to our /slack/events endpoint with Slack's signature headers. */
export async function sendToSlackApp(url: string, body: string, o: SendToSlackAppOptions): Promise<{ status: number; text: string; json: any }> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? slackSignature(o.signingSecret, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
