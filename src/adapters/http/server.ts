// The one HTTP server of every role: health, readiness, metrics, the queue dashboard, and the
// chat endpoints (mounted by the bot role: /slack/events, /discord/interactions).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Queues } from '../queues.js';

export interface Readiness {
  redis: boolean;
  roles: Record<string, boolean>;
}

export interface HttpServerOptions {
  port: number;
  /** Host to bind (default all interfaces; tests use 127.0.0.1). */
  host?: string;
  log: Logger;
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  adminToken?: string | undefined;
  queues?: Queues;
}

/** The port is taken by another process (EADDRINUSE) or not ours to bind (EACCES). */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    code: string,
  ) {
    super(
      code === 'EACCES'
        ? `HTTP_PORT=${port}: not allowed to listen on this port; set HTTP_PORT to a port above 1023 (0 picks a free one)`
        : `HTTP_PORT=${port}: the port is in use by another process; stop it or set HTTP_PORT to a free port (0 picks one)`,
    );
  }
}

export interface HttpServer {
  app: Express;
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Bearer <token>, or HTTP Basic with the token as password (so a browser can open the dashboard). */
export function adminAuthorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  let presented: string | null = null;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) presented = bearer[1]!.trim();
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!.trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    presented = i >= 0 ? decoded.slice(i + 1) : decoded;
  }
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHttpServer(o: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ ok: true });
  });

  app.get('/readyz', async (_req, res) => {
    let r: Readiness;
    try {
      r = await o.readiness();
    } catch {
      r = { redis: false, roles: {} };
    }
    const ready = r.redis && Object.values(r.roles).every(Boolean);
    res.status(ready ? 200 : 503).json({ ready, redis: r.redis, roles: r.roles });
  });

  app.get('/metrics', async (_req, res) => {
    try {
      res.type(o.metrics.registry.contentType).send(await o.metrics.render());
    } catch (e) {
      o.log.warn({ err: e }, 'metrics: could not read queue depths');
      res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
    }
  });

  const adminGuard = (req: Request, res: Response, next: NextFunction) => {
    if (!o.adminToken) {
      res.status(403).type('text/plain').send('The queue dashboard is off: set ADMIN_TOKEN to enable it.\n');
      return;
    }
    if (!adminAuthorized(req.headers.authorization, o.adminToken)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="steppewatch admin", charset="UTF-8"');
      res.status(401).type('text/plain').send('Unauthorized: present ADMIN_TOKEN as a Bearer token or as the Basic password.\n');
      return;
    }
    next();
  };
  if (o.queues) {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath('/admin/queues');
    createBullBoard({ queues: Object.values(o.queues).map((q) => new BullMQAdapter(q)), serverAdapter });
    app.use('/admin/queues', adminGuard, serverAdapter.getRouter());
  } else {
    app.use('/admin/queues', adminGuard, (_req, res) => {
      res.status(404).type('text/plain').send('No queues in this process.\n');
    });
  }

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new PortInUseError(o.port, e.code) : e),
    );
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  o.log.info({ port }, 'http server listening');
  return {
    app,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** Routes added after start (chat endpoints) must come before the 404 handler; call once all are mounted. */
export function finishRoutes(app: Express): void {
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  // Express's own error page shows the stack outside production; ours never does. A malformed
  // request (a bad %-escape in a path) is the client's error (400), anything else ours (500).
  app.use((err: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status ?? err.statusCode ?? 500;
    res.status(status >= 400 && status < 600 ? status : 500).type('text/plain').send(status >= 400 && status < 500 ? 'Bad request\n' : 'Something went wrong\n');
  });
}
