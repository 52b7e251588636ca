// The Slack Web API client as steppewatch uses it, and what its errors mean for delivery.
// One definition of the client options, shared by the Bolt app (commands) and a standalone
// WebClient (a worker that only delivers alerts).
import { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError } from '../../ports/notifier.js';
import type { Destination } from '../../core/types.js';
import { boltLogger } from './bolt-logger.js';

export type WebClient = webApi.WebClient;
export type WebClientOptions = webApi.WebClientOptions;

/** Slack's own base; SLACK_API_URL replaces it (tests, proxies). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** The WebClient appends method names to the base, so it must end with a slash. */
export function normaliseApiUrl(url: string | undefined): string {
  const u = url?.trim() || DEFAULT_SLACK_API_URL;
  return u.endsWith('/') ? u : `${u}/`;
}

/** Per-request timeout: a hung connection must not hold a delivery job. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Network failures worth retrying inside one call: the request could not have reached Slack. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    cur = (cur as { cause?: unknown; original?: unknown }).original ?? (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Retry policy of the client (p-retry under the hood): at most 2 quick retries, only for transient
 * network errors and HTTP 5xx. Everything else — Slack's `ok: false` errors, 429 (rejected at once
 * by `rejectRateLimitedCalls`), and a request that timed out after it may have been delivered —
 * surfaces immediately, so the deliver job decides (reschedule, pause, back off) and one job never
 * blocks a worker. `onFailedAttempt` is p-retry's hook: throwing from it stops retrying.
 */
export function slackRetryConfig(): webApi.RetryOptions {
  const config = {
    retries: 2,
    factor: 2,
    minTimeout: 200,
    maxTimeout: 1_000,
    randomize: true,
    onFailedAttempt: (error: unknown) => {
      if (error instanceof webApi.WebAPIHTTPError && error.statusCode >= 500) return;
      if (error instanceof webApi.WebAPIRequestError) {
        const code = errorCode(error.original);
        if (code && CONNECT_ERRORS.has(code)) return;
      }
      throw error;
    },
  };
  return config;
}

/** Client options for Bolt's `clientOptions` and for a standalone WebClient. */
export function slackClientOptions(apiUrl: string | undefined): WebClientOptions {
  return {
    slackApiUrl: normaliseApiUrl(apiUrl),
    // A 429 rejects at once with WebAPIRateLimitedError instead of pausing the client's queue.
    rejectRateLimitedCalls: true,
    retryConfig: slackRetryConfig(),
    timeout: REQUEST_TIMEOUT_MS,
  };
}

export interface SlackWebClientOptions {
  botToken: string;
  apiUrl?: string | undefined;
  log: Logger;
}

/** A WebClient for delivery alone (no Bolt app): same options as the app's client. */
export function createSlackWebClient(o: SlackWebClientOptions): WebClient {
  return new webApi.WebClient(o.botToken, { ...slackClientOptions(o.apiUrl), logger: boltLogger(o.log, 'slack-web-api') });
}

/** Slack error codes that mean "this channel cannot take our messages": pause its subscriptions. */
export const DESTINATION_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'access_denied',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Slack error codes that mean "our credentials are refused": stop delivering to this workspace. */
export const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'team_disabled',
  'org_login_required',
]);

/** When Slack says "rate limited" without a usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

/** The Slack error code of a WebClient error, if it has one. */
export function slackErrorCode(e: unknown): string | undefined {
  if (e instanceof webApi.WebAPIPlatformError) return e.data.error;
  return undefined;
}

/**
 * Maps a WebClient error to the port's typed errors; returns other errors unchanged (the job
 * retries them with backoff). `destination` names the channel for DestinationUnavailableError.
 */
export function mapSlackError(e: unknown, destination: Destination): unknown {
  if (e instanceof webApi.WebAPIRateLimitedError) {
    return new RateLimitedError(Math.max(1, e.retryAfter) * 1000);
  }
  if (e instanceof webApi.WebAPIPlatformError) {
    const code = e.data.error;
    if (code === 'ratelimited' || code === 'rate_limited') {
      const retryAfter = (e.data.response_metadata as { retryAfter?: number } | undefined)?.retryAfter;
      return new RateLimitedError(retryAfter && retryAfter > 0 ? retryAfter * 1000 : DEFAULT_RETRY_AFTER_MS);
    }
    if (DESTINATION_ERRORS.has(code)) return new DestinationUnavailableError(destination, code);
    if (AUTH_ERRORS.has(code)) return new PlatformAuthError('slack', code);
    return e;
  }
  // A 429 whose Retry-After header was missing or unreadable (the client gives up at once).
  if (e instanceof Error && /rate limit|Retry header did not contain/i.test(e.message)) {
    return new RateLimitedError(DEFAULT_RETRY_AFTER_MS);
  }
  return e;
}
