// The slash commands for console users: `steppewatch feeds list|add|remove|pause|resume`,
// `subscribe`, `unsubscribe`, `subscriptions`, `mute`, `unmute`. The words after the command are
// the slash command's text (`feeds pause id:rt-en` or `feeds pause rt-en`), parsed by the same
// grammar and answered by the same handlers (src/commands). The console user acts as an admin,
// and its destination is `console`: the one whose alerts `start` prints and records in
// ./var/alerts.jsonl when no Slack or Discord is configured.
//
// Exit codes (design.md): 0 done; 1 the work failed (a feed could not be fetched, an error on
// our side); 2 bad configuration; 3 Redis missing or unreachable; 64 bad usage (the slash
// command's own message: an unknown option, feed, country, outlet …).
import { userInfo } from 'node:os';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { redisOptionsFromUrl } from '../adapters/redis/connection.js';
import { RedisStartError } from '../adapters/redis/spawn.js';
import { createHttpFeedFetcher, type HttpFeedFetcher } from '../adapters/http-feed/fetcher.js';
import type { FeedFetcher } from '../ports/feed-fetcher.js';
import { replyToText } from '../core/alert/text.js';
import type { Reply } from '../core/alert/values.js';
import { createCommandHandler } from '../commands/index.js';
import { COMMAND_SPECS, parseCommandText } from '../commands/grammar.js';
import type { CommandContext, CommandName } from '../commands/types.js';
import type { FeedAdmin, FeedStatus } from '../ports/feed-admin.js';
import { createContainer, type Container } from '../main/container.js';
import { createFeedAdmin } from '../main/feed-admin.js';
import { readFeedsFile } from '../main/feeds-sync.js';
import { currentVocabulary } from '../main/vocabulary.js';

export const FEEDS_ADMIN_SUBS = ['list', 'add', 'remove', 'pause', 'resume'] as const;

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** `/feeds resume x` in a reply → `steppewatch feeds resume x`; "this channel" → "the console". */
export function forConsole(text: string): string {
  return text
    .replace(/(^|[\s(“"'`])\/steppewatch help\b/g, '$1steppewatch help')
    .replace(/(^|[\s(“"'`])\/(story|subscribe|unsubscribe|subscriptions|mute|unmute|feeds|framing)\b/g, '$1steppewatch $2')
    .replace(/\bin this channel\b/g, 'on the console')
    .replace(/\bthis channel(['’]s)?\b/g, (_m, s: string | undefined) => `the console${s ?? ''}`)
    .replace(/\bThis channel(['’]s)?\b/g, (_m, s: string | undefined) => `The console${s ?? ''}`)
    .replace(/\bhere\b(?=[:.])/g, 'on the console');
}

/**
 * The slash command's text from the shell's words. The shell has taken the quotes off; a word
 * with spaces gets them back around each comma-separated part of its value, so
 * `keywords:"Rogun dam",Tokayev` arrives as it was typed. A word that still holds a double quote
 * was quoted on purpose (`'keywords:"Rogun dam"'`) and is kept as it is.
 */
export function commandText(words: readonly string[]): string {
  return words
    .map((w) => {
      if (!/\s/.test(w) || w.includes('"')) return w;
      const m = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/s.exec(w);
      const quote = (v: string) => v.split(',').map((p) => (/\s/.test(p) ? `"${p.trim()}"` : p)).join(',');
      return m ? `${m[1]}:${quote(m[2]!)}` : `"${w}"`;
    })
    .join(' ');
}

function specKeys(name: CommandName | 'feeds'): string[] {
  return name === 'feeds' ? [...FEEDS_ADMIN_SUBS.map((s) => `feeds ${s}`), 'feeds check'] : [name];
}

/** `--help` of a command: its usage lines from the grammar, as typed on the console. */
export function adminHelp(name: CommandName | 'feeds', sub?: string): string {
  const keys = sub ? [`${name} ${sub}`] : specKeys(name);
  const lines = keys.flatMap((k) => {
    const s = COMMAND_SPECS[k];
    if (!s) return [];
    return [`  ${forConsole(s.usage)}`, `      ${s.summary.replace(/ \(admins\)$/, '')}; e.g. ${forConsole(s.example)}`];
  });
  const notes = [
    '',
    'The words after the command are the slash command\'s text: name:value options, values comma-separated,',
    'quotes around values with spaces; a bare word is the main option. The console acts as an admin; its',
    'subscriptions and mutes are those of the console destination (what `steppewatch start` prints and',
    'writes to ./var/alerts.jsonl when no Slack or Discord is configured).',
  ];
  if (name === 'feeds' && (!sub || sub === 'list')) notes.push('`feeds list --json`: one JSON object per feed: {id, url, source, paused, lastSuccess, lastError, nextPoll}.');
  notes.push('Needs Redis: REDIS_URL, or the embedded one in ./var/redis. Exit: 0 done, 1 failed, 2 bad configuration, 3 Redis missing or unreachable, 64 bad usage.');
  return `Usage:\n${lines.join('\n')}\n${notes.join('\n')}`;
}

/** Fails fast with one line (exit 3) when REDIS_URL names a Redis that does not answer. */
async function probeRedis(url: string): Promise<void> {
  const r = new Redis({ ...redisOptionsFromUrl(url), lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // The socket's own error (ECONNREFUSED …) says more than ioredis's "Connection is closed".
  let cause: Error | null = null;
  r.on('error', (e: Error) => void (cause ??= e));
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    const shown = url.replace(/\/\/[^@/]*@/, '//***@');
    const why = ((cause as Error | null) ?? (e as Error)).message.replace(/\.$/, '');
    throw new RedisStartError(`Redis at ${shown} (REDIS_URL) does not answer: ${why}. Start it, or fix REDIS_URL (unset it to use the embedded one in ./var/redis).`);
  } finally {
    r.disconnect();
  }
}

function consoleUser(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console';
  }
}

const iso = (t: string | number | null | undefined): string | null => {
  if (t === null || t === undefined) return null;
  const d = new Date(t);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
};
/** ISO 8601 UTC to the second, for the table. */
const isoShort = (t: string | null): string => (t ? t.replace(/\.\d{3}Z$/, 'Z') : '–');

export interface FeedListRow {
  id: string;
  url: string;
  source: 'file' | 'command';
  paused: boolean;
  lastSuccess: string | null;
  lastError: string | null;
  nextPoll: string | null;
}

export function feedListRow(s: FeedStatus, nextPollMs: number | null): FeedListRow {
  const e = s.health.lastError;
  return {
    id: s.feed.id,
    url: s.feed.url,
    source: s.feed.source === 'command' ? 'command' : 'file',
    paused: s.paused !== null,
    lastSuccess: iso(s.health.lastSuccess),
    lastError: e ? `${e.code}: ${e.message}` : null,
    nextPoll: s.paused ? null : iso(nextPollMs),
  };
}

function statusCell(s: FeedStatus): string {
  if (s.paused) return `paused (${s.paused.by === 'admin' ? 'by an admin' : s.paused.reason})`;
  const e = s.health.lastError;
  if (e && s.health.consecutiveFailures > 0) return `failing: ${e.code} since ${isoShort(iso(e.since))}`;
  return s.health.lastSuccess ? 'ok' : 'not polled yet';
}

/** `feeds list` as a table: one feed a line, columns padded; the last error closes the line. */
export function feedTable(rows: { status: FeedStatus; row: FeedListRow }[]): string {
  const head = ['ID', 'OUTLET', 'SOURCE', 'STATUS', 'LAST SUCCESS', 'NEXT POLL', 'LAST ERROR'];
  const cells = rows.map(({ status, row }) => [
    row.id,
    status.feed.outlet,
    row.source,
    statusCell(status),
    isoShort(row.lastSuccess),
    isoShort(row.nextPoll),
    row.lastError ? (row.lastError.length > 80 ? `${row.lastError.slice(0, 79)}…` : row.lastError) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
}

/** What a reply means for the exit code: the handler's usage and error replies are the user's to fix. */
function exitFor(reply: Reply, failed: boolean): number {
  if (failed) return 1;
  if (reply.kind === 'usage' || reply.kind === 'error') return 64;
  return 0;
}

export interface AdminCliOptions {
  /** Read once the arguments are known good (`--help` needs no configuration). */
  config: () => Readonly<Config>;
  /** Use this Redis (tests); default REDIS_URL or the embedded one. */
  redisUrl?: string;
}

/**
 * `steppewatch feeds …` but `feeds check` (which needs no Redis): no subcommand or `--json` alone
 * is `list`; an unknown one gets the grammar's "did you mean" (exit 64).
 */
export async function runFeedsAdminCli(argv: string[], o: AdminCliOptions, io: Io): Promise<number> {
  const [first, ...more] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') {
      io.stdout.write(`${adminHelp('feeds')}\n`);
      return 0;
    }
    return runAdminCli('feeds', 'list', argv, o, io);
  }
  if (!(FEEDS_ADMIN_SUBS as readonly string[]).includes(first.toLowerCase())) {
    const parsed = parseCommandText('feeds', first);
    const reply = parsed.ok ? null : parsed.reply;
    io.stderr.write(`${reply ? forConsole(replyToText(reply)) : `steppewatch feeds ${first}: not a console command`}\n`);
    return 64;
  }
  return runAdminCli('feeds', first.toLowerCase(), more, o, io);
}

/**
 * Runs `name [sub] words…` as the console user. `argv` are the words after the command (and
 * after the subcommand for `feeds`); `--json` (feeds list) and `--help` are taken out first.
 */
export async function runAdminCli(name: CommandName, sub: string | undefined, argv: string[], o: AdminCliOptions, io: Io): Promise<number> {
  const words: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') {
      io.stdout.write(`${adminHelp(name, sub)}\n`);
      return 0;
    }
    if (a === '--json' && name === 'feeds' && sub === 'list') json = true;
    else if (/^--?[A-Za-z]/.test(a)) {
      io.stderr.write(`steppewatch ${[name, sub].filter(Boolean).join(' ')}: unknown option ${a}\n\n${adminHelp(name, sub)}\n`);
      return 64;
    } else words.push(a);
  }
  const text = commandText(words);
  const parsed = parseCommandText(name, sub ? `${sub} ${text}` : text);
  if (!parsed.ok) {
    io.stderr.write(`${forConsole(replyToText(parsed.reply))}\n`);
    return 64;
  }
  const cmd = parsed.cmd;
  const cfg = o.config();
  if (cmd.name === 'subscribe' && (cfg.slackEnabled || cfg.discordEnabled)) {
    io.stderr.write(
      'This deployment posts to Slack or Discord (their tokens are set), so the console gets no alerts: subscribe from a channel there (/subscribe …), or unset the tokens to get alerts on the console.\n',
    );
    return 2;
  }

  if (!o.redisUrl && cfg.REDIS_URL) await probeRedis(cfg.REDIS_URL);
  const log = createLogger({ level: cfg.LOG_LEVEL === 'info' ? 'warn' : cfg.LOG_LEVEL });
  const c = await createContainer({ config: cfg, log, ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}) });
  // Only `feeds add` fetches; the fetcher (and app.ts, which names the user agent) load for it alone.
  const held: { fetcher: HttpFeedFetcher | null } = { fetcher: null };
  const lazyFetcher: FeedFetcher = {
    fetch: async (req) => {
      const { userAgent } = await import('../main/app.js');
      held.fetcher ??= createHttpFeedFetcher({ allowPrivateAddresses: cfg.ALLOW_PRIVATE_FEED_ADDRESSES, userAgent: userAgent() });
      return held.fetcher.fetch(req);
    },
  };
  try {
    const feedAdmin = consoleFeedAdmin(c, lazyFetcher);
    if (cmd.name === 'feeds' && cmd.sub === 'list') return await listFeeds(c, feedAdmin, json, io);

    let failed = false;
    const admin: FeedAdmin = {
      ...feedAdmin,
      // A feed that cannot be fetched is the work failing (exit 1), not a bad argument.
      add: async (...a) => {
        const r = await feedAdmin.add(...a);
        if (!r.ok && r.code === 'fetch_failed') failed = true;
        return r;
      },
    };
    const handle = createCommandHandler({
      stories: c.stores.stories,
      subscriptions: c.stores.subscriptions,
      mutes: c.stores.mutes,
      feedAdmin: admin,
      vocabulary: await currentVocabulary(c),
      defaultMinRelevance: cfg.ALERT_MIN_RELEVANCE,
      onError: (err, info) => {
        failed = true;
        const e = err as Error;
        io.stderr.write(`steppewatch: ${cfg.LOG_LEVEL === 'debug' || cfg.LOG_LEVEL === 'trace' ? (e?.stack ?? String(err)) : (e?.message ?? String(err))} (ref ${info.ref})\n`);
      },
    });
    const ctx: CommandContext = { destination: { platform: 'console', channel: 'console' }, user: { id: consoleUser(), isAdmin: true }, now: c.clock() };
    const reply = await handle(cmd, ctx);
    const code = exitFor(reply, failed);
    (code === 0 ? io.stdout : io.stderr).write(`${forConsole(replyToText(reply))}\n`);
    return code;
  } finally {
    await held.fetcher?.close().catch(() => {});
    await c.close();
  }
}

function consoleFeedAdmin(c: Container, fetcher: FeedFetcher): FeedAdmin {
  let fileIds: Set<string> | null = null;
  return createFeedAdmin({
    feeds: c.stores.feeds,
    scheduler: c.scheduler,
    fetcher,
    fileFeedIds: () => {
      if (!fileIds) {
        try {
          fileIds = new Set(readFeedsFile(c.config.FEEDS_FILE).map((f) => f.id));
        } catch {
          fileIds = new Set();
        }
      }
      return fileIds;
    },
    allowPrivate: c.config.ALLOW_PRIVATE_FEED_ADDRESSES,
    pollMinSeconds: c.config.POLL_MIN_INTERVAL_SECONDS,
    clock: c.clock,
  });
}

async function listFeeds(c: Container, admin: FeedAdmin, json: boolean, io: Io): Promise<number> {
  const feeds = [...(await admin.list())].sort((a, b) => a.feed.id.localeCompare(b.feed.id));
  const next = await c.scheduler.nextPolls(feeds.filter((s) => !s.paused).map((s) => s.feed.id));
  const rows = feeds.map((status) => ({ status, row: feedListRow(status, status.paused ? null : (next.get(status.feed.id) ?? null)) }));
  if (json) {
    for (const r of rows) io.stdout.write(`${JSON.stringify(r.row)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout.write('No feeds yet. Add one: steppewatch feeds add https://example.org/feed.xml (or list them in FEEDS_FILE and run steppewatch start).\n');
    return 0;
  }
  const paused = feeds.filter((f) => f.paused).length;
  const failing = feeds.filter((f) => !f.paused && f.health.lastError && f.health.consecutiveFailures > 0).length;
  io.stdout.write(`${feedTable(rows)}\n\n${feeds.length} feeds: ${feeds.length - paused - failing} ok, ${failing} failing, ${paused} paused. Times are UTC.\n`);
  return 0;
}
