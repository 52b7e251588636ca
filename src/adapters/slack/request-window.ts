// A guard in front of Bolt's request verification on /slack/events. Bolt (5.1) refuses requests
// whose X-Slack-Request-Timestamp is more than 5 minutes old but accepts any timestamp in the
// future; a captured request with a future timestamp could then be replayed for as long as that
// lies ahead. This guard refuses both directions with 401 before the body is read, and answers 503
// while the app is not started (Slack retries events; a person sees "try again").
import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

export interface RequestWindowOptions {
  /** Allowed distance from now, seconds (Slack's recommendation: 5 minutes). */
  windowSeconds: number;
  /** Whether the app accepts requests now. */
  isOpen: () => boolean;
  log: Logger;
  /** Milliseconds since the epoch (default Date.now — Bolt's own check uses the same clock). */
  now?: () => number;
}

export function requestWindowGuard(o: RequestWindowOptions): RequestHandler {
  const now = o.now ?? Date.now;
  return (req, res, next) => {
    if (!o.isOpen()) {
      res.status(503).type('text/plain').send('steppewatch is not ready for Slack requests yet\n');
      return;
    }
    const header = req.headers['x-slack-request-timestamp'];
    const raw = Array.isArray(header) ? header[0] : header;
    const ts = raw && /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
    const skew = Number.isNaN(ts) ? Number.POSITIVE_INFINITY : ts - Math.floor(now() / 1000);
    if (Math.abs(skew) > o.windowSeconds) {
      o.log.warn({ skewSeconds: Number.isFinite(skew) ? skew : null }, 'slack: request refused: timestamp missing or outside the 5-minute window');
      res.status(401).send();
      return;
    }
    next();
  };
}
