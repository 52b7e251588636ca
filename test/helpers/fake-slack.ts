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
// Split along its seams: the Web API methods in fake-slack-api.ts, the types in
// fake-slack-types.ts, and helpers to sign and send requests to our /slack/events endpoint as
// Slack would in slack-requests.ts; this module re-exports them (one import for a test).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackWorkspace, parseBody } from './fake-slack-api.js';
import type { FakeSlack, FakeSlackAck, FakeSlackCall, FakeSlackFailure, FakeSlackOptions } from './fake-slack-types.js';
import { parseMultipart, readBodyBytes } from './http.js';

export type * from './fake-slack-types.js';
export * from './slack-requests.js';

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const api = createSlackWorkspace(options);
  const { messages, files, users, channels, userOf, channelOf, handle } = api;
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, FakeSlackFailure[]>();
  let faultMode: ((method: string) => FakeSlackFailure | undefined) | null = null;
  const waiters: { method: string; match: (c: FakeSlackCall) => boolean; resolve: (c: FakeSlackCall) => void }[] = [];
  let responseCounter = 0;
  let envelopeCounter = 0;
  let origin = '';
  const sockets: WebSocket[] = [];
  const connectWaiters: (() => void)[] = [];
  const ackWaiters = new Map<string, (a: FakeSlackAck) => void>();

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
  api.setOrigin(origin);

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
