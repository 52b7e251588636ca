// A fake Discord on loopback for tests of the real discord.js / @discordjs/rest:
//  - REST under /api/v10: channel messages (and edits), threads started from messages, interaction
//    callbacks, webhook edits/follow-ups of interaction responses, command bulk overwrites,
//    GET /gateway/bot. Every call is recorded; any route can be made to fail (429 with
//    Retry-After / X-RateLimit-* headers and JSON retry_after, global or not; Discord error codes).
//  - A WebSocket gateway at /gateway: HELLO (op 10), IDENTIFY (op 2) → READY, heartbeats
//    (op 1 → op 11), and INTERACTION_CREATE dispatches pushed by the test.
// Threads behave as on Discord: a thread started from a message has the message's id; starting a
// second one answers 160004; posting to a message id that has no thread answers 10003.
// Nonces too: a message posted with `nonce` and `enforce_nonce: true` whose nonce the bot used in
// that channel within `nonceWindowMs` (Discord: "the past few minutes") is not created again;
// the earlier message is returned. Messages read back (none here) would not carry the nonce.
// Attachments: a multipart body (payload_json + files[n]) is read as Discord reads it; the files
// are recorded on the call and kept per message (`attachments`), checked against the payload's
// `attachments` list (ids, filenames).
// Split along its seams: the types in fake-discord-types.ts; the interaction payloads, signed like
// Discord (Ed25519), in discord-interactions.ts; this module re-exports them (one import for a test).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { nextSnowflake } from './discord-interactions.js';
import type { FakeAttachment, FakeDiscord, FakeDiscordOptions, FakeFailure, FakeGateway, FakeMessage, RecordedCall } from './fake-discord-types.js';
import { parseMultipart, readBodyBytes } from './http.js';

export type * from './fake-discord-types.js';
export * from './discord-interactions.js';

// ---- canned failures ----

/** A 429 as Discord sends it: JSON `retry_after` (seconds) and, unless `headerless`, the headers. */
export function rateLimited(o: { retryAfter: number; global?: boolean; headerless?: boolean }): FakeFailure {
  const headers: Record<string, string> = o.headerless
    ? {}
    : {
        'Retry-After': String(Math.ceil(o.retryAfter)),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset-After': String(o.retryAfter),
        'X-RateLimit-Bucket': 'fakebucket',
        'X-RateLimit-Scope': o.global ? 'global' : 'user',
        ...(o.global ? { 'X-RateLimit-Global': 'true' } : {}),
      };
  return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: o.retryAfter, global: Boolean(o.global), code: o.global ? 0 : 20028 } };
}

/** Discord JSON errors by code: 10003 Unknown Channel, 10008 Unknown Message, 50001 Missing Access, 50013 Missing Permissions, 401. */
export function discordError(code: 10003 | 10008 | 50001 | 50013 | 50083 | 160004 | 401): FakeFailure {
  switch (code) {
    case 10003:
      return { status: 404, body: { message: 'Unknown Channel', code } };
    case 10008:
      return { status: 404, body: { message: 'Unknown Message', code } };
    case 50001:
      return { status: 403, body: { message: 'Missing Access', code } };
    case 50013:
      return { status: 403, body: { message: 'Missing Permissions', code } };
    case 50083:
      return { status: 400, body: { message: 'Thread is archived', code } };
    case 160004:
      return { status: 400, body: { message: 'A thread has already been created for this message', code } };
    case 401:
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
  }
}

// ---- the server ----

const ROUTES: { method: string; pattern: RegExp; route: string }[] = [
  { method: 'GET', pattern: /^\/gateway\/bot$/, route: 'GET /gateway/bot' },
  { method: 'GET', pattern: /^\/users\/@me$/, route: 'GET /users/@me' },
  { method: 'POST', pattern: /^\/channels\/([^/]+)\/messages$/, route: 'POST /channels/:id/messages' },
  { method: 'PATCH', pattern: /^\/channels\/([^/]+)\/messages\/([^/]+)$/, route: 'PATCH /channels/:id/messages/:id' },
  { method: 'POST', pattern: /^\/channels\/([^/]+)\/messages\/([^/]+)\/threads$/, route: 'POST /channels/:id/messages/:id/threads' },
  { method: 'POST', pattern: /^\/interactions\/([^/]+)\/([^/]+)\/callback$/, route: 'POST /interactions/:id/:token/callback' },
  { method: 'PATCH', pattern: /^\/webhooks\/([^/]+)\/([^/]+)\/messages\/@original$/, route: 'PATCH /webhooks/:id/:token/messages/@original' },
  { method: 'DELETE', pattern: /^\/webhooks\/([^/]+)\/([^/]+)\/messages\/@original$/, route: 'DELETE /webhooks/:id/:token/messages/@original' },
  { method: 'POST', pattern: /^\/webhooks\/([^/]+)\/([^/]+)$/, route: 'POST /webhooks/:id/:token' },
  { method: 'PUT', pattern: /^\/applications\/([^/]+)\/commands$/, route: 'PUT /applications/:id/commands' },
  { method: 'PUT', pattern: /^\/applications\/([^/]+)\/guilds\/([^/]+)\/commands$/, route: 'PUT /applications/:id/guilds/:id/commands' },
];

/** Routes that use the bot token (the rest are authorised by the interaction token in the path). */
const BOT_AUTH = (route: string) => !route.includes('/webhooks/') && !route.includes('/interactions/');


export async function startFakeDiscord(o: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = o.applicationId ?? nextSnowflake();
  const botUserId = o.botUserId ?? nextSnowflake();
  const calls: RecordedCall[] = [];
  const failures: { route: string; failure: FakeFailure; left: number }[] = [];
  let faultMode: ((route: string) => FakeFailure | undefined) | null = null;
  const messages = new Map<string, FakeMessage>();
  const attachments = new Map<string, FakeAttachment[]>();
  const threads: FakeDiscord['threads'] = new Map();
  /** `${channel} ${nonce}` → the message it created and when. */
  const nonces = new Map<string, { id: string; at: number }>();
  const nonceWindowMs = o.nonceWindowMs ?? 5 * 60_000;
  const events = new EventEmitter();
  events.setMaxListeners(100);

  const matches = (call: { route: string; method: string; path: string }, route: string) => route === call.route || route === `${call.method} ${call.path}`;

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const base: Record<string, string> = {
      'X-RateLimit-Limit': '50',
      'X-RateLimit-Remaining': '49',
      'X-RateLimit-Reset-After': '1',
      'X-RateLimit-Bucket': 'okbucket',
    };
    if (status >= 400) for (const k of Object.keys(base)) delete base[k];
    if (body === undefined) {
      res.writeHead(status, { ...base, ...headers });
      res.end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', ...base, ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawBytes = await readBodyBytes(req);
    const contentType = req.headers['content-type'] ?? '';
    const multipart = contentType.startsWith('multipart/form-data');
    const raw = multipart ? '' : rawBytes.toString('utf8');
    if (!url.pathname.startsWith('/api/v10/')) {
      send(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    // @discordjs/rest percent-encodes path segments (`%40original`); Discord reads them decoded.
    const path = url.pathname
      .slice('/api/v10'.length)
      .split('/')
      .map((seg) => decodeURIComponent(seg))
      .join('/');
    const found = ROUTES.map((r) => ({ r, m: r.method === method ? r.pattern.exec(path) : null })).find((x) => x.m);
    let body: any = undefined;
    let files: FakeAttachment[] | undefined;
    let badForm: string | null = null;
    if (multipart) {
      const parts = await parseMultipart(rawBytes, contentType);
      const json = parts.find((p) => p.name === 'payload_json')?.text;
      body = json ? JSON.parse(json) : {};
      const listed: { id: number | string; filename?: string; description?: string }[] = Array.isArray(body?.attachments) ? body.attachments : [];
      files = [];
      for (const p of parts) {
        const m = /^files\[(\d+)\]$/.exec(p.name);
        if (!m || !p.bytes) continue;
        const id = Number(m[1]);
        const meta = listed.find((a) => Number(a.id) === id);
        if (!meta) badForm = `files[${id}] is not listed in attachments`;
        files.push({ id, field: p.name, filename: meta?.filename ?? p.filename ?? '', ...(p.contentType ? { contentType: p.contentType } : {}), ...(meta?.description ? { description: meta.description } : {}), bytes: p.bytes });
      }
      for (const a of listed) if (!files.some((f) => f.id === Number(a.id))) badForm = `attachment ${a.id} has no file`;
    } else if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const call: RecordedCall = {
      method,
      path,
      route: found ? found.r.route : `${method} ${path}`,
      body,
      ...(files ? { files } : {}),
      headers: { authorization: req.headers.authorization, 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] },
      status: 0,
      at: Date.now(),
    };
    const answer = (status: number, payload?: unknown, headers?: Record<string, string>) => {
      call.status = status;
      calls.push(call);
      events.emit('call', call);
      send(res, status, payload, headers);
    };

    const f = failures.find((x) => x.left > 0 && matches(call, x.route));
    if (f) {
      f.left -= 1;
      answer(f.failure.status, f.failure.body ?? { message: 'error', code: 0 }, f.failure.headers);
      return;
    }
    const fault = faultMode?.(call.route);
    if (fault) {
      answer(fault.status, fault.body ?? { message: 'error', code: 0 }, fault.headers);
      return;
    }
    if (!found) {
      answer(404, { message: '404: Not Found', code: 0 });
      return;
    }
    if (BOT_AUTH(found.r.route) && o.token && req.headers.authorization !== `Bot ${o.token}`) {
      answer(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    if (badForm) {
      answer(400, { message: 'Invalid Form Body', code: 50035, errors: { attachments: { _errors: [{ code: 'ATTACHMENT_NOT_FOUND', message: badForm }] } } });
      return;
    }
    const m = found.m!;
    switch (found.r.route) {
      case 'GET /gateway/bot':
        answer(200, { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } });
        return;
      case 'GET /users/@me':
        answer(200, { id: botUserId, username: 'steppewatch', discriminator: '0', global_name: null, avatar: null, bot: true });
        return;
      case 'POST /channels/:id/messages': {
        const channel = m[1]!;
        // A message id used as a channel is a thread only once one was started from it.
        if (messages.has(channel) && !threads.has(channel)) {
          answer(404, { message: 'Unknown Channel', code: 10003 });
          return;
        }
        const nonce = body && typeof body === 'object' && (typeof body.nonce === 'string' || typeof body.nonce === 'number') ? String(body.nonce) : undefined;
        if (nonce !== undefined && nonce.length > 25) {
          answer(400, { message: 'Invalid Form Body', code: 50035, errors: { nonce: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] } } });
          return;
        }
        const nonceKey = nonce !== undefined ? `${channel} ${nonce}` : undefined;
        const prior = nonceKey && body.enforce_nonce === true ? nonces.get(nonceKey) : undefined;
        if (prior && Date.now() - prior.at <= nonceWindowMs && messages.has(prior.id)) {
          answer(200, { type: 0, author: { id: botUserId, username: 'steppewatch', bot: true }, timestamp: new Date(prior.at).toISOString(), ...messages.get(prior.id)!, nonce });
          return;
        }
        const { nonce: _n, enforce_nonce: _e, ...rest } = (body ?? {}) as Record<string, unknown>;
        const msg: FakeMessage = { ...rest, id: nextSnowflake(), channel_id: channel };
        if (files?.length) {
          attachments.set(msg.id, files);
          msg.attachments = files.map((f) => ({ id: nextSnowflake(), filename: f.filename, description: f.description, size: f.bytes.length, content_type: f.contentType, url: `http://127.0.0.1:${port}/attachments/${channel}/${msg.id}/${f.filename}` }));
        }
        messages.set(msg.id, msg);
        if (nonceKey) nonces.set(nonceKey, { id: msg.id, at: Date.now() });
        answer(200, { type: 0, author: { id: botUserId, username: 'steppewatch', bot: true }, timestamp: new Date().toISOString(), ...msg, ...(nonce !== undefined ? { nonce } : {}) });
        return;
      }
      case 'PATCH /channels/:id/messages/:id': {
        const msg = messages.get(m[2]!);
        if (!msg || msg.channel_id !== m[1]) {
          answer(404, { message: 'Unknown Message', code: 10008 });
          return;
        }
        Object.assign(msg, body);
        answer(200, { type: 0, ...msg });
        return;
      }
      case 'POST /channels/:id/messages/:id/threads': {
        const msg = messages.get(m[2]!);
        if (!msg || msg.channel_id !== m[1]) {
          answer(404, { message: 'Unknown Message', code: 10008 });
          return;
        }
        if (threads.has(msg.id)) {
          answer(400, { message: 'A thread has already been created for this message', code: 160004 });
          return;
        }
        const t = { id: msg.id, parent_id: m[1]!, name: String(body?.name ?? ''), auto_archive_duration: body?.auto_archive_duration };
        threads.set(t.id, t);
        answer(201, { ...t, type: 11, guild_id: '1', owner_id: botUserId, thread_metadata: { archived: false, auto_archive_duration: t.auto_archive_duration ?? 1440, locked: false } });
        return;
      }
      case 'POST /interactions/:id/:token/callback':
        answer(204);
        return;
      case 'PATCH /webhooks/:id/:token/messages/@original':
      case 'POST /webhooks/:id/:token':
        answer(200, { id: nextSnowflake(), type: 20, channel_id: '0', ...(body as object) });
        return;
      case 'DELETE /webhooks/:id/:token/messages/@original':
        answer(204);
        return;
      case 'PUT /applications/:id/commands':
      case 'PUT /applications/:id/guilds/:id/commands':
        answer(
          200,
          (Array.isArray(body) ? body : []).map((c: object) => ({ ...c, id: nextSnowflake(), application_id: m[1], version: nextSnowflake() })),
        );
        return;
    }
    answer(404, { message: '404: Not Found', code: 0 });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(e), code: 0 });
    });
  });

  // ---- gateway ----
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const identifiedSockets = new Set<WebSocket>();
  const identifies: FakeGateway['identifies'] = [];
  let resolveIdentified!: (d: FakeGateway['identifies'][number]) => void;
  const identified = new Promise<FakeGateway['identifies'][number]>((r) => (resolveIdentified = r));
  let seq = 0;
  const gatewayState = { heartbeats: 0 };
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      identifiedSockets.delete(ws);
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: o.heartbeatIntervalMs ?? 41_250 }, s: null, t: null }));
    ws.on('message', (data) => {
      let p: { op: number; d: any };
      try {
        p = JSON.parse(String(data)) as { op: number; d: any };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (p.op === 1) {
        gatewayState.heartbeats += 1;
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (p.op === 2) {
        identifies.push(p.d);
        resolveIdentified(p.d);
        identifiedSockets.add(ws);
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: ++seq,
            d: {
              v: 10,
              user: { id: botUserId, username: 'steppewatch', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
              guilds: [],
              session_id: randomBytes(8).toString('hex'),
              resume_gateway_url: gatewayUrl,
              shard: [0, 1],
              application: { id: applicationId, flags: 0 },
            },
          }),
        );
      } else if (p.op === 6) {
        ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const gateway: FakeGateway = {
    url: gatewayUrl,
    identified,
    identifies,
    get heartbeats() {
      return gatewayState.heartbeats;
    },
    set heartbeats(n: number) {
      gatewayState.heartbeats = n;
    },
    get connections() {
      return sockets.size;
    },
    sendInteraction(payload) {
      if (identifiedSockets.size === 0) throw new Error('fake gateway: no identified connection to send to');
      const frame = JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s: ++seq, d: payload });
      for (const ws of identifiedSockets) ws.send(frame);
    },
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    calls,
    attachments,
    callsTo: (route) => calls.filter((c) => matches(c, route)),
    waitForCall(route, n = 1, timeoutMs = 5_000) {
      const have = calls.filter((c) => matches(c, route));
      if (have.length >= n) return Promise.resolve(have[n - 1]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('call', on);
          reject(new Error(`fake discord: no call #${n} to ${route} within ${timeoutMs} ms (calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ') || 'none'})`));
        }, timeoutMs);
        const on = () => {
          const now = calls.filter((c) => matches(c, route));
          if (now.length >= n) {
            clearTimeout(timer);
            events.off('call', on);
            resolve(now[n - 1]!);
          }
        };
        events.on('call', on);
      });
    },
    failNext(route, failure) {
      failures.push({ route, failure, left: failure.times ?? 1 });
    },
    setFault(fault) {
      faultMode = fault;
    },
    messages,
    threads,
    applicationId,
    botUserId,
    gateway,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
