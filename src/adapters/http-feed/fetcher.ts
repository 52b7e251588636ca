// The FeedFetcher adapter: undici with a guarded connector, redirects followed by hand (each
// hop through the SSRF check), conditional requests, streamed size cap and decompression,
// charset decoding and parsing (parse.ts), normalisation (src/core/feed).
import { Readable } from 'node:stream';
import { Agent, util as undiciUtil, type Dispatcher } from 'undici';
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

const { headerNameToString } = undiciUtil;

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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** URLs whose checkUrl verdict a fetcher keeps (a few hundred bytes each). */
const CHECKED_URLS_MAX = 50_000;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

/** The response headers the fetcher reads: the first value of each, as `request`'s headers gave it. */
const WANTED = new Set(['location', 'etag', 'last-modified', 'cache-control', 'retry-after', 'content-length', 'content-encoding', 'content-type']);
type Headers = Partial<Record<string, string>>;

/** A response's head; `body` only for a 2xx answer (other bodies are read and dropped: see send). */
interface Head {
  status: number;
  statusText: string;
  headers: Headers;
  body: Readable | null;
  /** Settles (never rejects) when the response is complete or failed: its connection is free again. */
  done: Promise<void>;
}

/** An error's body is read up to this and dropped; past it the connection is closed (undici's `dump` default). */
const DUMP_LIMIT = 128 * 1024;
/** The same for a redirect's body. */
const REDIRECT_DUMP_LIMIT = 64 * 1024;

/**
 * One request through `agent.dispatch` with a handler of the dispatcher's own callbacks, instead
 * of undici's `request`: a warm cycle's polls are nearly all 304s, and `request` gives each one a
 * response stream, an async resource, a parsed header object and an abort signal's listeners
 * (issue 16: undici was ~33% of a warm cycle's CPU). Here a response without a body to keep gets
 * no stream: its body is read and dropped up to a limit (redirects `REDIRECT_DUMP_LIMIT`, others
 * `DUMP_LIMIT`), as `request`'s `dump` did; a 2xx body is a plain Readable that pauses the socket
 * when full (the `resume` undici hands over) and aborts the request when destroyed before its end
 * (the size cap), as `request`'s body does. `setAbort` receives the request's abort while it runs
 * (the total timeout calls it), and null once it is over.
 */
function send(agent: Dispatcher, target: URL, headers: string[], setAbort: (abort: ((reason: Error) => void) | null) => void): Promise<Head> {
  return new Promise<Head>((resolve, reject) => {
    let settled = false;
    let complete = false;
    let body: Readable | null = null;
    let dumpLimit = DUMP_LIMIT;
    let dumped = 0;
    let abortRequest: ((reason: Error) => void) | null = null;
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortRequest = abort;
        setAbort(abort);
      },
      onHeaders(statusCode, rawHeaders, resume, statusText) {
        // 1xx informational answers come before the real one: skipped, as `request` does.
        if (statusCode < 200) return true;
        const h: Headers = {};
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          const name = headerNameToString(rawHeaders[i]!);
          if (WANTED.has(name) && h[name] === undefined) h[name] = rawHeaders[i + 1]!.toString('latin1');
        }
        if (statusCode < 300) {
          body = new Readable({
            read: () => resume(),
            destroy: (err, cb) => {
              // Destroyed before its end (the size cap, an error): the request stops, its socket closes.
              if (!complete) abortRequest?.(err ?? new Error('response body destroyed'));
              cb(err);
            },
          });
        } else if (REDIRECTS.has(statusCode)) dumpLimit = REDIRECT_DUMP_LIMIT;
        settled = true;
        resolve({ status: statusCode, statusText, headers: h, body, done });
        return true;
      },
      onData(chunk) {
        if (body) return body.push(chunk);
        dumped += chunk.length;
        if (dumped > dumpLimit) abortRequest?.(new Error(`response body over ${dumpLimit} bytes dropped`));
        return true;
      },
      onComplete() {
        complete = true;
        setAbort(null);
        body?.push(null);
        finish();
      },
      onError(err) {
        setAbort(null);
        finish();
        if (!settled) {
          settled = true;
          reject(err);
        } else if (body && !complete) body.destroy(err);
      },
    };
    agent.dispatch({ origin: target.origin, path: target.search ? target.pathname + target.search : target.pathname, method: 'GET', headers }, handler);
  });
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

  /**
   * checkUrl's verdict by URL (it depends on the URL and this fetcher's options only): a warm cycle
   * fetches the same URLs poll after poll, and the WHATWG parse of each was ~2% of its CPU (issue
   * 16). Emptied when full. The URL objects are shared: nothing here changes them.
   */
  const checked = new Map<string, ReturnType<typeof checkUrl>>();
  const checkedUrl = (url: string) => {
    let c = checked.get(url);
    if (c === undefined) {
      c = checkUrl(url, { allowPrivate, ...(policy ? { policy } : {}) });
      if (checked.size >= CHECKED_URLS_MAX) checked.clear();
      checked.set(url, c);
    }
    return c;
  };

  // The request headers every fetch sends, in undici's flat form; a conditional request adds its validators to a copy.
  const baseHeaders = ['user-agent', userAgent, 'accept', ACCEPT, 'accept-encoding', 'gzip, deflate, br'];

  async function fetchFeed(req: FetchRequest): Promise<FetchOutcome> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    // The running request's abort (send's setAbort): the total timeout stops it; a request that
    // starts after the timeout fired is stopped as it starts.
    let abortRunning: ((reason: Error) => void) | null = null;
    const timeoutError = () => new Error('total timeout');
    const setAbort = (abort: ((reason: Error) => void) | null) => {
      if (abort && timedOut) abort(timeoutError());
      else abortRunning = abort;
    };
    const startTimer = () => {
      timer ??= setTimeout(() => {
        timedOut = true;
        abortRunning?.(timeoutError());
      }, totalTimeoutMs);
    };
    let headers = baseHeaders;
    if (req.etag || req.lastModified) {
      headers = baseHeaders.slice();
      if (req.etag) headers.push('if-none-match', req.etag);
      if (req.lastModified) headers.push('if-modified-since', req.lastModified);
    }

    let url = req.url;
    let hop = 0;
    try {
      for (; ; hop++) {
        const check = checkedUrl(url);
        if (!check.ok) return fail(check.code, hop > 0 ? `redirect to ${url}: ${check.message}` : check.message);
        const target = check.url;
        const release = limiter.tryAcquire(target.hostname) ?? (await limiter.acquire(target.hostname));
        startTimer();
        let bytes: Buffer;
        let res: Head;
        try {
          if (timedOut) throw timeoutError();
          res = await send(agent, target, headers, setAbort);
          const status = res.status;
          const h = res.headers;
          const location = h.location ?? null;
          if (REDIRECTS.has(status) && location) {
            await res.done;
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
            await res.done;
            const validators: FeedValidators = {
              etag: h.etag ?? req.etag ?? null,
              lastModified: h['last-modified'] ?? req.lastModified ?? null,
            };
            return { kind: 'not-modified', validators, notBefore: notBeforeFromCacheControl(h['cache-control'] ?? null, now), fetchedAt: now };
          }
          if (!res.body) {
            await res.done;
            const notBefore = status === 429 || status === 503 ? parseRetryAfter(h['retry-after'] ?? null, now) : null;
            return fail('http_status', `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''} from ${target.host}`, { status, notBefore });
          }
          const declared = Number(h['content-length'] ?? null);
          const encoded = (h['content-encoding'] ?? '').trim().toLowerCase();
          if (Number.isFinite(declared) && declared > maxBytes) {
            res.body.destroy();
            return fail('too_large', `Content-Length ${declared} exceeds ${maxBytes} bytes`);
          }
          bytes = await readBody(res.body, encoded, maxBytes);
        } finally {
          release();
        }

        const fetchedAt = clock();
        const parsed = await parseFeedDocument(bytes, { contentType: res.headers['content-type'] ?? null, url: target.href, maxBytes });
        if (!parsed.ok) return fail(parsed.code, parsed.message, parsed.discovered ? { discovered: parsed.discovered } : {});
        const items = normaliseItems(parsed.feed, { feedUrl: target.href, outletId: req.outletId, now: req.now });
        return {
          kind: 'ok',
          finalUrl: target.href,
          title: titleText(parsed.feed.title) || null,
          items,
          validators: { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null },
          notBefore: notBeforeFromCacheControl(res.headers['cache-control'] ?? null, fetchedAt),
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
