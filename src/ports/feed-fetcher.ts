// What the poll job needs to get a feed's items. Expected outcomes are values, not exceptions.
import type { NormalisedItem } from '../core/types.js';

/** Error codes of the contract (`feeds check --json` prints `"<code>: <message>"`). */
export const FETCH_ERROR_CODES = [
  'timeout',
  'dns',
  'tls',
  'http_status', // rendered as http_<status>
  'too_large',
  'not_a_feed',
  'parse_error',
  'blocked_address',
  'bad_url',
  'connection_refused',
  'too_many_redirects',
  'network',
] as const;
export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** Conditional-request state kept per feed between polls. */
export interface FeedValidators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchRequest extends FeedValidators {
  url: string;
  /** Feed's outlet, used for per-item secondary dedupe keys. */
  outletId: string;
  /** The clock (for first-seen dates of undated items). */
  now: Date;
}

export type FetchOutcome =
  | {
      kind: 'ok';
      /** URL finally fetched (after redirects / discovery). */
      finalUrl: string;
      title: string | null;
      items: NormalisedItem[];
      validators: FeedValidators;
      /** Earliest next poll the server asked for (Cache-Control max-age), ms since epoch. */
      notBefore: number | null;
      /** Time at which the fetch of the body completed, ms since epoch. */
      fetchedAt: number;
    }
  | { kind: 'not-modified'; validators: FeedValidators; notBefore: number | null; fetchedAt: number }
  | {
      kind: 'error';
      code: FetchErrorCode;
      /** HTTP status when code is http_status. */
      status?: number;
      message: string;
      /** Retry-After (429/503) as the earliest next poll, ms since epoch. */
      notBefore: number | null;
      /** For not_a_feed: feeds discovered in an HTML page's <link rel="alternate">. */
      discovered?: string[];
    };

export interface FeedFetcher {
  fetch(req: FetchRequest): Promise<FetchOutcome>;
  /** Requests it lets in flight per host at most (the rest wait), when it has such a limit. */
  readonly perHostConcurrency?: number;
}

/** `http_404`, `timeout`, … as printed by `feeds check` and recorded per feed. */
export function errorCodeLabel(o: { code: FetchErrorCode; status?: number }): string {
  return o.code === 'http_status' ? `http_${o.status ?? 0}` : o.code;
}
