// Who may read the web view. WEB_AUTH unset or `off`: the pages do not exist (404). `token`: a
// link carries `?token=<expiry>.<hex HMAC-SHA256(WEB_SECRET, path + expiry)>`, valid for that
// path (query string excluded) until the expiry (seconds since the epoch), like a shared-document
// link. `basic`: one login for a desk (WEB_USER / WEB_PASSWORD). Comparisons are timing-safe.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebAuth =
  | { mode: 'off' }
  | { mode: 'token'; secret: string; ttlHours: number }
  | { mode: 'basic'; user: string; password: string };

export type AccessResult = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

export function signature(secret: string, path: string, expiry: number): string {
  return createHmac('sha256', secret).update(`${path}${expiry}`).digest('hex');
}

/** A token for `path` valid until `now + ttlHours`. */
export function signToken(secret: string, path: string, now: Date, ttlHours: number): string {
  const expiry = Math.floor(now.getTime() / 1000 + ttlHours * 3600);
  return `${expiry}.${signature(secret, path, expiry)}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Lengths differ: compare y with itself so the time does not depend on where they differ.
  return x.length === y.length ? timingSafeEqual(x, y) : (timingSafeEqual(y, y), false);
}

export function checkToken(secret: string, path: string, token: string | undefined, now: Date): AccessResult {
  if (token === undefined || token === '') return { ok: false, status: 401, reason: 'This page needs a link with a token: open it from an alert or ask for a new link.' };
  const m = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
  if (!m) return { ok: false, status: 403, reason: 'The link’s token is not valid for this page.' };
  const expiry = Number(m[1]);
  const good = sameText(m[2]!, signature(secret, path, expiry));
  if (!good) return { ok: false, status: 403, reason: 'The link’s token is not valid for this page.' };
  if (expiry * 1000 < now.getTime()) return { ok: false, status: 403, reason: 'The link has expired: open the story again from a newer alert or answer.' };
  return { ok: true };
}

export function checkBasic(user: string, password: string, header: string | undefined): AccessResult {
  const m = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!m) return { ok: false, status: 401, reason: 'Sign in with the desk’s web login.' };
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  const u = i >= 0 ? decoded.slice(0, i) : decoded;
  const p = i >= 0 ? decoded.slice(i + 1) : '';
  // Both compared whatever the first gives, so a wrong user takes as long as a wrong password.
  const userOk = sameText(u, user);
  const passOk = sameText(p, password);
  return userOk && passOk ? { ok: true } : { ok: false, status: 403, reason: 'That web login is not right.' };
}

/** Decides one request: the path (without query), the token parameter, the Authorization header. */
export function checkAccess(auth: WebAuth, req: { path: string; token: string | undefined; authorization: string | undefined }, now: Date): AccessResult {
  switch (auth.mode) {
    case 'off':
      return { ok: false, status: 404, reason: 'Not found' };
    case 'token':
      return checkToken(auth.secret, req.path, req.token, now);
    case 'basic':
      return checkBasic(auth.user, auth.password, req.authorization);
  }
}

/**
 * Links between pages: `linkTo('/stories/x', {q})` → `/stories/x?q=…&token=…` (token mode), or
 * the plain path (basic). `base` (PUBLIC_URL) makes them absolute, for chat messages.
 */
export function createLinker(auth: WebAuth, clock: () => Date, base = ''): (path: string, query?: Record<string, string | number | undefined>) => string {
  const root = base.replace(/\/+$/, '');
  return (path, query = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    if (auth.mode === 'token') params.set('token', signToken(auth.secret, path, clock(), auth.ttlHours));
    const qs = params.toString();
    return `${root}${path}${qs ? `?${qs}` : ''}`;
  };
}

/** The web access settings from the configuration. */
export function webAuthFrom(cfg: { WEB_AUTH?: 'token' | 'basic' | 'off' | undefined; WEB_SECRET?: string | undefined; WEB_TOKEN_TTL_HOURS: number; WEB_USER?: string | undefined; WEB_PASSWORD?: string | undefined }): WebAuth {
  if (cfg.WEB_AUTH === 'token' && cfg.WEB_SECRET) return { mode: 'token', secret: cfg.WEB_SECRET, ttlHours: cfg.WEB_TOKEN_TTL_HOURS };
  if (cfg.WEB_AUTH === 'basic' && cfg.WEB_USER && cfg.WEB_PASSWORD) return { mode: 'basic', user: cfg.WEB_USER, password: cfg.WEB_PASSWORD };
  return { mode: 'off' };
}
