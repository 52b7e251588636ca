// Configuration: read once from the environment (and ./.env when present), validated with zod,
// frozen. A bad or missing variable stops the program with one line naming it and what is expected.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { resolve } from 'node:path';
import { z } from 'zod';

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const channelId = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, 'a channel id such as C0123456789').optional())
  .optional();
const httpUrl = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional())
  .optional();
const bool = z.stringbool({ error: 'true or false' });

export const envSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : s))
    .pipe(
      z
        .string()
        .regex(/^(redis|rediss|unix):\/\//, 'a URL such as redis://127.0.0.1:6379 or unix:///path/redis.sock')
        .optional(),
    )
    .optional(),
  FEEDS_FILE: z.string().trim().min(1).default('data/feeds.yaml'),
  POLL_MIN_INTERVAL_SECONDS: intIn(1, 86_400).default(60),
  POLL_MAX_INTERVAL_SECONDS: intIn(1, 7 * 86_400).default(1800),
  ALLOW_PRIVATE_FEED_ADDRESSES: bool.default(false),
  ALERT_MAX_AGE_HOURS: z.coerce.number().min(0).max(24 * 365).default(48),
  ALERT_MIN_RELEVANCE: z.coerce.number().min(0).max(1).default(0.3),
  STORY_WINDOW_HOURS: z.coerce.number().min(1).max(24 * 60).default(72),
  RETENTION_DAYS: intIn(1, 3650).default(90),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: httpUrl,
  SLACK_DEFAULT_CHANNEL: channelId,
  SLACK_ADMIN_USERS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_PUBLIC_KEY: z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : s))
    .pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex characters (the application public key)').optional())
    .optional(),
  DISCORD_API_URL: httpUrl,
  DISCORD_DEFAULT_CHANNEL: channelId,
  DISCORD_GATEWAY: bool.optional(),
  DISCORD_DEV_GUILD: optionalString,
  HTTP_PORT: intIn(0, 65_535).default(8080),
  // Every role's heap: how far V8 grows it past the live data, percent (src/main/heap.ts); 0 is V8's own policy.
  HEAP_GROWTH_PERCENT: intIn(0, 1000).default(50),
  // The worker role's analysis on a thread of its own (1) or on the main thread (0): src/adapters/analysis-thread.ts.
  ANALYSIS_THREADS: intIn(0, 1).default(1),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The web view (/stories, /search, /trends, /feeds): off (404) unless `token` or `basic`. */
  WEB_AUTH: z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : s))
    .pipe(z.enum(['token', 'basic', 'off']).optional())
    .optional(),
  /** HMAC key of the web view's signed links (WEB_AUTH=token). */
  WEB_SECRET: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
  WEB_TOKEN_TTL_HOURS: z.coerce.number().min(1 / 60).max(24 * 365).default(168),
  WEB_USER: optionalString,
  WEB_PASSWORD: optionalString,
  /** Where people reach this server (https://news.example.org): "Open story" links start with it. */
  PUBLIC_URL: httpUrl,
  DIGEST_AT: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a UTC time as HH:MM')
    .default('08:00'),
  // Spikes (issue #17; README "Spikes"): z of the last 24 h against the 14 days before them.
  SPIKE_Z: z.coerce.number().min(0.5).max(100).default(3),
  SPIKE_MIN_COUNT: intIn(1, 100_000).default(5),
  SPIKE_COOLDOWN_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
  /** Spike alerts also go to the *_DEFAULT_CHANNEL channels. */
  SPIKES_DEFAULT_CHANNEL: bool.default(false),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** Working folder for runtime state (./var): embedded Redis, alerts.jsonl. */
  varDir: string;
  /** Key prefix for Redis keys and queues. */
  redisPrefix: string;
  slackEnabled: boolean;
  discordEnabled: boolean;
  /** Gateway on when DISCORD_TOKEN is set, unless DISCORD_GATEWAY=false. */
  discordGateway: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What each variable expects, in words (used for the one-line error; zod's own text otherwise). */
const EXPECTED: Partial<Record<keyof Env, string>> = {
  POLL_MIN_INTERVAL_SECONDS: 'a whole number of seconds from 1 to 86400',
  POLL_MAX_INTERVAL_SECONDS: 'a whole number of seconds from 1 to 604800',
  ALERT_MAX_AGE_HOURS: 'a number of hours from 0 to 8760',
  ALERT_MIN_RELEVANCE: 'a number from 0 to 1',
  STORY_WINDOW_HOURS: 'a number of hours from 1 to 1440',
  RETENTION_DAYS: 'a whole number of days from 1 to 3650',
  HTTP_PORT: 'a port number from 0 to 65535',
  HEAP_GROWTH_PERCENT: 'a whole number from 0 (V8\'s own policy) to 1000',
  ANALYSIS_THREADS: '0 (analysis on the main thread) or 1 (on a thread of its own)',
  SPIKE_Z: 'a number from 0.5 to 100',
  SPIKE_MIN_COUNT: 'a whole number from 1 to 100000',
  SPIKE_COOLDOWN_HOURS: 'a number of hours from 1 to 720',
  SPIKES_DEFAULT_CHANNEL: 'true or false',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  FEEDS_FILE: 'a path to a YAML or JSON feeds file',
  WEB_AUTH: 'token, basic or off',
  WEB_TOKEN_TTL_HOURS: 'a number of hours from 0.02 to 8760',
};

/** Formats a problem as one line: `config: HTTP_PORT="abc": expected a port number from 0 to 65535`. */
function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '?');
  const given = env[name];
  const secret = /TOKEN|SECRET|KEY|PASSWORD|REDIS_URL/.test(name);
  const shown = given === undefined ? `${name} (unset)` : secret ? name : `${name}=${JSON.stringify(given)}`;
  return `config: ${shown}: expected ${EXPECTED[name as keyof Env] ?? issue.message}`;
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Read ./.env (default true; values already in env win). */
  dotenv?: boolean;
  cwd?: string;
}

export function loadConfig(o: LoadConfigOptions = {}): Readonly<Config> {
  const cwd = o.cwd ?? process.cwd();
  const env: Record<string, string | undefined> = { ...(o.env ?? process.env) };
  if (o.dotenv ?? o.env === undefined) {
    const file = resolve(cwd, '.env');
    if (existsSync(file)) {
      const parsed = parseDotenv(file);
      for (const [k, v] of Object.entries(parsed)) if (env[k] === undefined) env[k] = v;
    }
  }
  const r = envSchema.safeParse(env);
  if (!r.success) throw new ConfigError(describeIssue(r.error.issues[0]!, env));
  const e = r.data;
  if (e.POLL_MAX_INTERVAL_SECONDS < e.POLL_MIN_INTERVAL_SECONDS) {
    throw new ConfigError(
      `config: POLL_MAX_INTERVAL_SECONDS=${e.POLL_MAX_INTERVAL_SECONDS}: expected at least POLL_MIN_INTERVAL_SECONDS (${e.POLL_MIN_INTERVAL_SECONDS})`,
    );
  }
  const slackEnabled = Boolean(e.SLACK_BOT_TOKEN);
  if (slackEnabled && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('config: SLACK_SIGNING_SECRET (unset): expected the app signing secret when SLACK_BOT_TOKEN is set (or SLACK_APP_TOKEN for Socket Mode)');
  }
  const discordEnabled = Boolean(e.DISCORD_TOKEN);
  if (discordEnabled && !e.DISCORD_APPLICATION_ID) {
    throw new ConfigError('config: DISCORD_APPLICATION_ID (unset): expected the application id when DISCORD_TOKEN is set');
  }
  const discordGateway = discordEnabled && e.DISCORD_GATEWAY !== false;
  if (discordEnabled && !discordGateway && !e.DISCORD_PUBLIC_KEY) {
    throw new ConfigError('config: DISCORD_PUBLIC_KEY (unset): expected the application public key when DISCORD_GATEWAY=false (HTTP interactions)');
  }
  if (e.WEB_AUTH === 'token' && !e.WEB_SECRET) {
    throw new ConfigError('config: WEB_SECRET (unset): expected a secret of at least 16 characters when WEB_AUTH=token (e.g. openssl rand -hex 32)');
  }
  if (e.WEB_AUTH === 'basic' && (!e.WEB_USER || !e.WEB_PASSWORD)) {
    throw new ConfigError(`config: ${e.WEB_USER ? 'WEB_PASSWORD' : 'WEB_USER'} (unset): expected WEB_USER and WEB_PASSWORD when WEB_AUTH=basic`);
  }
  return Object.freeze({
    ...e,
    FEEDS_FILE: resolve(cwd, e.FEEDS_FILE),
    varDir: resolve(cwd, 'var'),
    redisPrefix: env.STEPPEWATCH_REDIS_PREFIX?.trim() || 'sw',
    slackEnabled,
    discordEnabled,
    discordGateway,
  });
}

/** Node's util.parseEnv reads KEY=value lines with quotes and comments; it does not touch process.env. */
function parseDotenv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) if (v !== undefined) out[k] = v;
  return out;
}
