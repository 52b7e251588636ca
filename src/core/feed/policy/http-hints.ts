// What a server's response headers say about when to come back. Pure: the time is passed in.
import { parseFeedDate } from '../parse/dates.js';
import { pureMemo } from '../../memo.js';

/** Longest wait a server can impose through Retry-After or max-age: a hostile or misconfigured
 * server must not park a feed for weeks. */
export const MAX_SERVER_DELAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns the earliest time to
 * retry, ms since epoch, capped at MAX_SERVER_DELAY_MS from now; null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return nowMs + Math.min(Number(v) * 1000, MAX_SERVER_DELAY_MS);
  // An HTTP-date (IMF-fixdate, or the obsolete RFC 850 / asctime forms) names a month.
  const t = /[a-z]/i.test(v) ? (parseFeedDate(v)?.getTime() ?? NaN) : NaN;
  if (!Number.isFinite(t)) return null;
  return Math.min(Math.max(t, nowMs), nowMs + MAX_SERVER_DELAY_MS);
}

/**
 * Cache-Control max-age in seconds (s-maxage is for shared caches, not us); null when absent,
 * or when no-cache/no-store say the response must not be reused.
 */
export function parseMaxAge(cacheControl: string | null | undefined): number | null {
  if (!cacheControl) return null;
  return maxAgeOf(cacheControl);
}

/** A server sends the same Cache-Control at every poll (304s included): read once per text. */
const maxAgeOf = pureMemo((cacheControl: string): number | null => {
  const cc = cacheControl.toLowerCase();
  if (/(^|[\s,])(no-cache|no-store)([\s,=]|$)/.test(cc)) return null;
  const m = /(^|[\s,])max-age\s*=\s*"?(\d+)"?/.exec(cc);
  return m ? Number(m[2]) : null;
}, 1000);

/** The earliest next poll a successful response asks for (max-age), ms since epoch, or null. */
export function notBeforeFromCacheControl(cacheControl: string | null | undefined, nowMs: number): number | null {
  const age = parseMaxAge(cacheControl);
  return age && age > 0 ? nowMs + Math.min(age * 1000, MAX_SERVER_DELAY_MS) : null;
}
