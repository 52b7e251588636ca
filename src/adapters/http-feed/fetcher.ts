// The FeedFetcher adapter: undici with a guarded connector, redirects followed by hand (each
// hop through the SSRF check), conditional requests, streamed size cap and decompression,
// charset decoding and parsing (parse.ts), normalisation (src/core/feed).
import { EventEmitter } from 'node:events';
import { Agent, request, type Dispatcher } from 'undici';
import { titleText } from '../../core/feed/parse/html-text.js';
import { notBeforeFromCacheControl, parseRetryAfter } from '../../core/feed/policy/http-hints.js';
import { normaliseItems } from '../../core/feed/parse/normalise.js';
import { checkUrl, classifyAddress, type AddressPolicy } from '../../core/feed/policy/ssrf.js';
import type { FeedFetcher, FeedValidators, FetchErrorCode, FetchOutcome, FetchRequest } from '../../ports/feed-fetcher.js';
import { BodyTooLargeError, readBody } from './body.js';
import { classifyNetworkError } from './errors.js';
import { guardedConnector, systemResolver, type Resolver } from './guard.js';
import { HostLimiter } from './host-limiter.js';
import { parseFeedDocument } from './parse.js';

/** Package version for the User-Agent (kept here rather than read from package.json at run time). */
export const FETCHER_VERSION = '0.1.0';
export const DEFAULT_USER_AGENT = `steppewatch/${FETCHER_VERSION} (+https://github.com/steppewatch/steppewatch; feed reader)`;

export interface HttpFeedFetcherOptions {
  /** Sent on every request. Default DEFAULT_USER_AGENT (identifies the bot and where to read about it). */
  userAgent?: string;
  /** ALLOW_PRIVATE_FEED_ADDRESSES: skip the SSRF guard (tests, intranet feeds). Default false. */
  allowPrivateAddresses?: boolean;
  /** DNS lookup plus TCP/TLS connect, per connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Whole fetch, redirects included, from the moment a host slot is granted. Default 30 000 ms. */
  totalTimeoutMs?: number;
  /** Body cap, on the wire and decompressed. Default 5 MB. */
  maxBytes?: number;
  /** Redirects followed before too_many_redirects. Default 5. */
  maxRedirects?: number;
  /** Requests in flight per host name. Default 2. */
  perHostConcurrency?: number;
  /** DNS override (tests map public-looking names to loopback). Default: the system resolver. */
  lookup?: Resolver;
  /** Address classifier (tests may call one loopback address "public"). Default classifyAddress. */
  addressPolicy?: AddressPolicy;
  /** Clock for notBefore and fetchedAt, ms since epoch. Default Date.now. */
  clock?: () => number;
}

export type HttpFeedFetcher = FeedFetcher & { close(): Promise<void> };

/**
 * The whole fetch's abort signal (total timeout): an EventEmitter with `aborted` and `reason`,
 * which undici's `request` accepts in place of an AbortSignal (its api-request and abort-signal
 * listen with `once('abort')`). An AbortController per request cost more: its EventTarget
 * listeners and the signal's creation were ~5% of a warm cycle's CPU, where every poll is a 304
 * (issue 16).
 */
class FetchAbort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

function header(h: Dispatcher.ResponseData['headers'], name: string): string | null {
  const v = h[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

export function createHttpFeedFetcher(opts: HttpFeedFetcherOptions = {}): HttpFeedFetcher {
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const allowPrivate = opts.allowPrivateAddresses ?? false;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const totalTimeoutMs = opts.totalTimeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  const policy = allowPrivate ? null : (opts.addressPolicy ?? classifyAddress);
  const clock = opts.clock ?? Date.now;
  const perHost = opts.perHostConcurrency ?? 2;
  const limiter = new HostLimiter(perHost);
  const agent = new Agent({
    connect: guardedConnector({ connectTimeoutMs, resolver: opts.lookup ?? systemResolver, policy }),
    // Idle keep-alive sockets count too: never more connections per origin than requests allowed.
    connections: perHost,
    headersTimeout: totalTimeoutMs,
    bodyTimeout: totalTimeoutMs,
    keepAliveTimeout: 4_000,
  });

  const fail = (code: FetchErrorCode, message: string, extra: { status?: number; notBefore?: number | null; discovered?: string[] } = {}): FetchOutcome => ({
    kind: 'error',
    code,
    message,
    notBefore: extra.notBefore ?? null,
    ...(extra.status !== undefined ? { status: extra.status } : {}),
    ...(extra.discovered ? { discovered: extra.discovered } : {}),
  });

  async function fetchFeed(req: FetchRequest): Promise<FetchOutcome> {
    const controller = new FetchAbort();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const startTimer = () => {
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('total timeout'));
      }, totalTimeoutMs);
    };
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept: ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;

    let url = req.url;
    let hop = 0;
    try {
      for (; ; hop++) {
        const checked = checkUrl(url, { allowPrivate, ...(policy ? { policy } : {}) });
        if (!checked.ok) return fail(checked.code, hop > 0 ? `redirect to ${url}: ${checked.message}` : checked.message);
        const target = checked.url;
        const release = await limiter.acquire(target.hostname);
        startTimer();
        let bytes: Buffer;
        let res: Dispatcher.ResponseData;
        try {
          res = await request(target, { dispatcher: agent, method: 'GET', headers, signal: controller });
          const status = res.statusCode;
          const location = header(res.headers, 'location');
          if (REDIRECTS.has(status) && location) {
            await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
            if (hop >= maxRedirects) return fail('too_many_redirects', `more than ${maxRedirects} redirects (last to ${location})`);
            try {
              url = new URL(location, target).href;
            } catch {
              return fail('bad_url', `redirect to an invalid URL: ${location.slice(0, 200)}`);
            }
            continue;
          }
          const now = clock();
          if (status === 304) {
            await res.body.dump().catch(() => undefined);
            const validators: FeedValidators = {
              etag: header(res.headers, 'etag') ?? req.etag ?? null,
              lastModified: header(res.headers, 'last-modified') ?? req.lastModified ?? null,
            };
            return { kind: 'not-modified', validators, notBefore: notBeforeFromCacheControl(header(res.headers, 'cache-control'), now), fetchedAt: now };
          }
          if (status < 200 || status >= 300) {
            await res.body.dump().catch(() => undefined);
            const notBefore = status === 429 || status === 503 ? parseRetryAfter(header(res.headers, 'retry-after'), now) : null;
            return fail('http_status', `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''} from ${target.host}`, { status, notBefore });
          }
          const declared = Number(header(res.headers, 'content-length'));
          const encoded = (header(res.headers, 'content-encoding') ?? '').trim().toLowerCase();
          if (Number.isFinite(declared) && declared > maxBytes) {
            res.body.destroy();
            return fail('too_large', `Content-Length ${declared} exceeds ${maxBytes} bytes`);
          }
          bytes = await readBody(res.body, encoded, maxBytes);
        } finally {
          release();
        }

        const fetchedAt = clock();
        const parsed = await parseFeedDocument(bytes, { contentType: header(res.headers, 'content-type'), url: target.href, maxBytes });
        if (!parsed.ok) return fail(parsed.code, parsed.message, parsed.discovered ? { discovered: parsed.discovered } : {});
        const items = normaliseItems(parsed.feed, { feedUrl: target.href, outletId: req.outletId, now: req.now });
        return {
          kind: 'ok',
          finalUrl: target.href,
          title: titleText(parsed.feed.title) || null,
          items,
          validators: { etag: header(res.headers, 'etag'), lastModified: header(res.headers, 'last-modified') },
          notBefore: notBeforeFromCacheControl(header(res.headers, 'cache-control'), fetchedAt),
          fetchedAt,
        };
      }
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail('too_large', err.message);
      const c = classifyNetworkError(err, { timedOut, totalTimeoutMs, connectTimeoutMs });
      return fail(c.code, hop > 0 ? `redirect to ${url}: ${c.message}` : c.message);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  return {
    fetch: fetchFeed,
    perHostConcurrency: perHost,
    close: () => agent.close(),
  };
}

export interface DiscoveryResult {
  outcome: FetchOutcome;
  /** The feed discovered in an HTML page and fetched instead, when `req.url` was a site URL. */
  feedUrl?: string;
}

/**
 * Fetches `req.url`; when it is an HTML page that links feeds (<link rel="alternate">), fetches
 * the first of them instead, through the same fetcher (so the same SSRF guard and limits).
 */
export async function discoverAndFetch(fetcher: FeedFetcher, req: FetchRequest): Promise<DiscoveryResult> {
  const first = await fetcher.fetch(req);
  if (first.kind !== 'error' || first.code !== 'not_a_feed' || !first.discovered?.length) return { outcome: first };
  const feedUrl = first.discovered[0]!;
  const outcome = await fetcher.fetch({ ...req, url: feedUrl, etag: null, lastModified: null });
  return { outcome, feedUrl: outcome.kind === 'ok' ? outcome.finalUrl : feedUrl };
}
