// The FeedFetcher adapter: undici with a guarded connector, redirects followed by hand (each
// hop through the SSRF check), conditional requests, streamed size cap and decompression,
// charset decoding and parsing (parse.ts), normalisation (src/core/feed).
import { Readable } from 'node:stream';
import { Agent, util as undiciUtil, type Dispatcher } from 'undici';
import { titleText } from '../../core/feed/parse/html-text.js';
import { ownString } from '../../core/text/own-string.js';
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

/**
 * A response's head. `body` only for a 2xx answer, which settles at its headers; any other answer
 * (304, redirect, error status) settles once it is complete or failed (its body read and dropped,
 * see send), so its connection is free again and the caller has nothing more to wait for.
 */
interface Head {
  status: number;
  statusText: string;
  headers: Headers;
  body: Readable | null;
}

/** An error's body is read up to this and dropped; past it the connection is closed (undici's `dump` default). */
const DUMP_LIMIT = 128 * 1024;
/** The same for a redirect's body. */
const REDIRECT_DUMP_LIMIT = 64 * 1024;

/** The running request's abort, handed to the fetch (its total timeout calls it), and null once the request is over. */
type SetAbort = (abort: ((reason: Error) => void) | null) => void;

/**
 * One request's handler for `agent.dispatch`, made of the dispatcher's own callbacks, instead of
 * undici's `request`: a warm cycle's polls are nearly all 304s, and `request` gives each one a
 * response stream, an async resource, a parsed header object and an abort signal's listeners
 * (issue 16: undici was ~33% of a warm cycle's CPU). A class, not a closure per callback: one
 * object a request (a warm cycle makes ~1,000 of them). A response without a body to keep gets no
 * stream: its body is read and dropped up to a limit (redirects `REDIRECT_DUMP_LIMIT`, others
 * `DUMP_LIMIT`), as `request`'s `dump` did, and its head is handed over when it is complete (a
 * 304 has no body: at once), so the caller awaits one promise, not two. A 2xx body is a plain
 * Readable that pauses the socket when full (the `resume` undici hands over) and aborts the
 * request when destroyed before its end (the size cap), as `request`'s body does.
 */
class SendHandler implements Dispatcher.DispatchHandler {
  private head: Head | null = null;
  private settled = false;
  private complete = false;
  private body: Readable | null = null;
  private dumpLimit = DUMP_LIMIT;
  private dumped = 0;
  private abortRequest: ((reason: Error) => void) | null = null;

  constructor(
    private readonly setAbort: SetAbort,
    private readonly resolve: (head: Head) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  onConnect(abort: (reason: Error) => void): void {
    this.abortRequest = abort;
    this.setAbort(abort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    // 1xx informational answers come before the real one: skipped, as `request` does.
    if (statusCode < 200) return true;
    const h: Headers = {};
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = headerNameToString(rawHeaders[i]!);
      if (WANTED.has(name) && h[name] === undefined) h[name] = rawHeaders[i + 1]!.toString('latin1');
    }
    if (statusCode < 300) {
      this.body = new Readable({
        read: () => resume(),
        destroy: (err, cb) => {
          // Destroyed before its end (the size cap, an error): the request stops, its socket closes.
          if (!this.complete) this.abortRequest?.(err ?? new Error('response body destroyed'));
          cb(err);
        },
      });
      this.settle({ status: statusCode, statusText, headers: h, body: this.body });
    } else {
      if (REDIRECTS.has(statusCode)) this.dumpLimit = REDIRECT_DUMP_LIMIT;
      // Handed over at the end (onComplete, or onError once its body was cut off).
      this.head = { status: statusCode, statusText, headers: h, body: null };
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.body) return this.body.push(chunk);
    this.dumped += chunk.length;
    if (this.dumped > this.dumpLimit) this.abortRequest?.(new Error(`response body over ${this.dumpLimit} bytes dropped`));
    return true;
  }

  onComplete(): void {
    this.complete = true;
    this.setAbort(null);
    if (this.body) this.body.push(null);
    else if (this.head) this.settle(this.head);
  }

  onError(err: Error): void {
    this.setAbort(null);
    // A head without a body to keep is what the caller wanted, whatever became of the dropped body.
    if (this.head) this.settle(this.head);
    else if (!this.settled) {
      this.settled = true;
      this.reject(err);
    } else if (this.body && !this.complete) this.body.destroy(err);
  }

  private settle(head: Head): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(head);
  }
}

/** One request (SendHandler); the promise settles with its head (see Head for when). */
function send(agent: Dispatcher, target: URL, headers: string[], setAbort: SetAbort): Promise<Head> {
  return new Promise<Head>((resolve, reject) => {
    agent.dispatch({ origin: target.origin, path: target.search ? target.pathname + target.search : target.pathname, method: 'GET', headers }, new SendHandler(setAbort, resolve, reject));
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
            const validators: FeedValidators = {
              etag: h.etag ?? req.etag ?? null,
              lastModified: h['last-modified'] ?? req.lastModified ?? null,
            };
            return { kind: 'not-modified', validators, notBefore: notBeforeFromCacheControl(h['cache-control'] ?? null, now), fetchedAt: now };
          }
          if (!res.body) {
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
          // A copy, not a view into the document: the poll holds the outcome across Redis round trips (own-string.ts).
          title: ownString(titleText(parsed.feed.title)) || null,
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
