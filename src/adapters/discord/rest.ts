// The REST client every Discord part shares, and the mapping of its errors onto the Notifier
// port's typed errors (what the deliver job should do next).
import { DefaultRestOptions, DiscordAPIError, RateLimitError, REST, type ResponseLike } from '@discordjs/rest';
import { RESTJSONErrorCodes } from 'discord.js';
import type { Destination } from '../../core/types.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError } from '../../ports/notifier.js';

export const DISCORD_API = 'https://discord.com/api';

export interface DiscordRestOptions {
  /** DISCORD_API_URL: base without the version, e.g. `http://127.0.0.1:3001/api` (default Discord's). */
  apiUrl?: string | undefined;
  token: string;
  /** Per-request timeout, ms (default 15 000). */
  timeoutMs?: number;
  /** Retries of a 5xx or a reset connection (default 3). A 429 is never retried here. */
  retries?: number;
}

/**
 * @discordjs/rest sets its rate-limit timers from the `Retry-After` header only. A 429 without that
 * header but with Discord's JSON `retry_after` (seconds) would read as "retry after 0 ms"; this
 * wrapper copies the body's value into the header so both the library and our RateLimitedError
 * see it.
 */
export function withJsonRetryAfter(makeRequest: (url: string, init: RequestInit) => Promise<ResponseLike>) {
  return async (url: string, init: RequestInit): Promise<ResponseLike> => {
    const res = await makeRequest(url, init);
    if (res.status !== 429 || res.headers.get('retry-after')) return res;
    const text = await res.text();
    let retryAfter: unknown;
    let global: unknown;
    try {
      ({ retry_after: retryAfter, global } = JSON.parse(text) as { retry_after?: unknown; global?: unknown });
    } catch {
      /* not JSON: leave the headers as they are */
    }
    const headers = new Headers(res.headers);
    if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) headers.set('Retry-After', String(retryAfter));
    if (global === true && !headers.has('X-RateLimit-Global')) headers.set('X-RateLimit-Global', 'true');
    const bytes = new TextEncoder().encode(text);
    return {
      body: null,
      bodyUsed: false,
      headers,
      ok: false,
      status: res.status,
      statusText: res.statusText,
      arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      json: async () => JSON.parse(text) as unknown,
      text: async () => text,
    } as ResponseLike;
  };
}

/**
 * A REST client for API v10 at `apiUrl` that rejects on rate limits (RateLimitError) instead of
 * waiting: without `rejectOnRateLimit` a persistent 429 is retried forever and blocks a worker.
 */
export function createDiscordRest(o: DiscordRestOptions): REST {
  return new REST({
    api: (o.apiUrl ?? DISCORD_API).replace(/\/+$/, ''),
    version: '10',
    rejectOnRateLimit: () => true,
    timeout: o.timeoutMs ?? 15_000,
    retries: o.retries ?? 3,
    makeRequest: withJsonRetryAfter(DefaultRestOptions.makeRequest),
  }).setToken(o.token);
}

/** When nothing says how long to wait. */
const DEFAULT_RETRY_MS = 1_000;

const UNAVAILABLE: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel'],
  [RESTJSONErrorCodes.MissingAccess, 'Missing Access'],
  [RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions'],
]);

/** The Discord JSON error code of an error, if it is a DiscordAPIError. */
export function discordCode(e: unknown): number | null {
  return e instanceof DiscordAPIError && typeof e.code === 'number' ? e.code : null;
}

/**
 * Maps a REST failure to the port's errors: 429 → RateLimitedError (ms to wait); Unknown Channel,
 * Missing Access, Missing Permissions → DestinationUnavailableError; 401 → PlatformAuthError.
 * Anything else is returned unchanged (the job retries it with backoff).
 */
export function toNotifierError(e: unknown, destination: Destination): unknown {
  if (e instanceof RateLimitError) {
    const ms = Math.ceil(Math.max(e.retryAfter, e.sublimitTimeout ?? 0));
    return new RateLimitedError(ms > 0 ? ms : DEFAULT_RETRY_MS, `discord rate limit on ${e.route}${e.global ? ' (global)' : ''}; retry after ${ms > 0 ? ms : DEFAULT_RETRY_MS} ms`);
  }
  if (e instanceof DiscordAPIError) {
    if (e.status === 401 || e.code === RESTJSONErrorCodes.Unauthorized) return new PlatformAuthError('discord', `401 ${e.message}`);
    const reason = typeof e.code === 'number' ? UNAVAILABLE.get(e.code) : undefined;
    if (reason) return new DestinationUnavailableError(destination, reason);
    return e;
  }
  // After a 401 @discordjs/rest forgets the token; later calls fail before reaching Discord.
  if (e instanceof Error && /Expected token to be set/.test(e.message)) return new PlatformAuthError('discord', 'token refused earlier (401)');
  return e;
}
