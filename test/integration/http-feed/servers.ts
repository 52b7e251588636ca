// Loopback HTTP servers for the fetcher tests: real sockets, with counts of connections,
// requests and the most requests in flight at once.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';

export interface TestServer {
  host: string;
  port: number;
  /** `http://host:port` */
  origin: string;
  connections: number;
  requests: IncomingMessage[];
  inFlight: number;
  maxInFlight: number;
  /** Sockets closed so far (an aborted fetch closes its socket). */
  closedSockets: number;
  /** Most sockets open at once. */
  maxOpenSockets: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, server: TestServer) => unknown;

export async function startServer(handler: Handler, opts: { host?: string; tls?: { key: string; cert: string } } = {}): Promise<TestServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const state: TestServer = {
    host,
    port: 0,
    origin: '',
    connections: 0,
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    closedSockets: 0,
    maxOpenSockets: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    state.requests.push(req);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        state.inFlight--;
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    Promise.resolve(handler(req, res, state)).catch((e: unknown) => {
      res.destroy(e as Error);
    });
  };
  const srv: Server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);
  srv.on('connection', (s: Socket) => {
    state.connections++;
    sockets.add(s);
    state.maxOpenSockets = Math.max(state.maxOpenSockets, sockets.size);
    s.on('close', () => {
      sockets.delete(s);
      state.closedSockets++;
    });
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, host, () => resolve());
  });
  const addr = srv.address();
  state.port = typeof addr === 'object' && addr ? addr.port : 0;
  state.origin = `${opts.tls ? 'https' : 'http'}://${host}:${state.port}`;
  return state;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(10);
  }
  return cond();
}

export const rss = (items: string, title = 'Test feed') =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title>${items}</channel></rss>`;
export const item = (n: number) => `<item><title>Item ${n} about Kazakhstan and its neighbours</title><link>https://news.example/${n}</link><guid>https://news.example/${n}</guid><pubDate>Tue, 26 Apr 2022 0${n % 10}:00:00 GMT</pubDate></item>`;
