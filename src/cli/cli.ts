// The `steppewatch` command line. Each command loads only what it needs (analyze starts fast).
//
// Exit codes (design.md, every command): 0 done; 1 the work failed or an unexpected error (one
// line; the stack only at LOG_LEVEL=debug or trace); 2 bad configuration (ConfigError, a busy
// HTTP_PORT, an unreadable FEEDS_FILE); 3 Redis missing or unreachable; 64 bad usage (the
// command's usage follows). `steppewatch <command> --help` prints that command's usage, exit 0.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { RedisNotInstalledError, RedisStartError, RedisUnreachableError } from '../adapters/redis/spawn.js';
import { PortInUseError } from '../adapters/http/server.js';
import { version } from '../main/paths.js';

const OVERVIEW = `steppewatch — how Central Asia is covered in the news, in Slack and Discord

Usage: steppewatch <command> [options]     steppewatch <command> --help for its details

  demo [--once]             run the whole pipeline on bundled sample feeds (throwaway Redis, console output)
  start                     run every role in one process (worker, scheduler, bot)
  worker | scheduler | bot  run one role (scaled deployments)
  story QUERY [--json]      what /story QUERY answers, e.g. steppewatch story kazakhstan
  import FILE.jsonl         backfill history: analysed, clustered, counted for trends, never alerted
  export [QUERY] [--since DATE|Nd] [--format jsonl|csv]
                            stored articles matching QUERY, one row each, to stdout
  trends QUERY [--days N] [--json] [--png FILE]
                            what /trends answers: daily counts per framing, the chart as a PNG
  analyze [--in F] [--out F] [--cluster]
                            analyse JSON Lines of articles (no Redis needed)
  feeds check URL… [--json] fetch, parse and preview feeds (no Redis needed)
  feeds list [--json] | feeds add|remove|pause|resume …
                            feed health and administration, as /feeds (the console acts as an admin)
  subscribe … | unsubscribe ID|all | subscriptions | mute … | unmute …
                            the console's subscriptions and mutes, as the slash commands (… --help)
  eval                      measure the analysis on the development corpus in ../shared
  bench [--feeds N] [--items M] [--sweep 250,500,…] [--workers N] [--json] [--save]
                            benchmark the pipeline against a loopback feed farm (bench/README.md)
  help [COMMAND] | --version

Configuration comes from the environment and ./.env (see .env.example).
Exit codes: 0 done · 1 the work failed · 2 bad configuration · 3 Redis missing or unreachable · 64 bad usage.`;

const ROLE_HELP = (what: string, cmd: string) => `Usage: steppewatch ${cmd}

${what}
Runs until SIGINT/SIGTERM, then shuts down gracefully (a second signal exits at once).
HTTP on HTTP_PORT: /healthz (200 while the process lives), /readyz (200 once Redis answers and
the roles run; 503 while starting or when Redis is away), /metrics, /admin/queues.
A role that cannot start exits at once with one line: 2 for bad configuration (a variable, an
unreadable FEEDS_FILE, a busy HTTP_PORT), 3 when Redis is missing or does not answer.`;

/**
 * Usage text per command, printed by `steppewatch <command> --help` (exit 0) and after a usage
 * error (exit 64). Keys are the command words: `feeds` for the group, `feeds check` for one
 * subcommand. A new command adds its entry here.
 */
export const COMMAND_HELP: Record<string, string> = {
  demo: `Usage: steppewatch demo [--once]

Serves bundled sample feeds on loopback and runs the whole pipeline on a throwaway redis-server
and a temp folder of its own (whatever REDIS_URL says: your data is never touched), printing
alerts on the console, a follow-up and the /story kazakhstan answer.

  --once    exit after that (otherwise it keeps watching until Ctrl-C)

Needs redis-server on PATH (exit 3 with how to install it otherwise).`,
  start: ROLE_HELP('Runs every role in one process: worker, scheduler and bot.', 'start'),
  worker: ROLE_HELP('Runs the worker role: polls feeds, analyses articles, delivers alerts (run as many as you need).', 'worker'),
  scheduler: ROLE_HELP('Runs the scheduler role (once per deployment): applies FEEDS_FILE, default subscriptions and the digest schedule.', 'scheduler'),
  bot: ROLE_HELP('Runs the bot role: the Slack events and Discord interactions endpoints, or the Discord gateway.', 'bot'),
  import: `Usage: steppewatch import FILE.jsonl

Backfills history so trends and spike alerts have a baseline on day one. One JSON object a line:
the analyze input ({id, title?, text|html, url?, language?}) plus outlet (its name, required),
affiliation (state:CC, public:CC, independent or unknown [unknown]) and published (required).
Each line is analysed, put in its story and counted as the pipeline does; nothing is alerted.
A bad line is refused with one line naming its number; the others go on. Importing a file
again changes nothing.`,
  story: `Usage: steppewatch story QUERY [--json]

What /story QUERY answers, from the same store (e.g. steppewatch story kazakhstan 30d).
Works beside a running start (it joins the embedded Redis) and on its own.

  --json    an array of stories (empty when nothing matches; exit 0 either way)`,
  export: `Usage: steppewatch export [QUERY] [--since DATE|Nd] [--format jsonl|csv]

The stored articles QUERY matches (the query language of /story; none: every article), one row
each, oldest first, to stdout. Streamed: memory stays small however many articles there are.
Row: {articleId, storyId, headline, url, published, outletId, outlet, affiliation, countries,
framings} — framings as analyze gives them; storyId as story --json shows it.

  --since DATE|Nd   published since a date (2026-11-01, UTC) or N days back (30d); default: the
                    query's window (30d in QUERY), else everything stored
  --format jsonl    one JSON object per line (the default)
  --format csv      a header, then the same columns; lists joined by ";", framings as
                    "tag: quote — speaker"

Exit codes: 0 done (no rows is not an error); 64 a bad query or option (one line).`,
  trends: `Usage: steppewatch trends QUERY [--days N] [--by tag|country] [--json] [--png FILE]

What /trends QUERY answers: articles per UTC day for the query (the /story query language),
one line per framing tag (--by country: per country), over the last N days [30, at most 90].

  --json       {series: [{key, points: [{day, count}]}], spikes: [{key, at, count, baseline, z,
               stories}]}: every day present (zeros included), days as YYYY-MM-DD
  --png FILE   also write the chart /trends posts (PNG; needs fonts-dejavu-core and fonts-noto-cjk)`,
  analyze: `Usage: steppewatch analyze [--in FILE] [--out FILE] [--cluster]

Analyses articles, JSON Lines in, JSON Lines out, one output line per input line, in the same
order (stdin/stdout without --in/--out; blank lines are skipped). Needs no Redis.

Input, one JSON object per line:
  {"id": "a1", "title": "…", "text": "…", "url": "…", "outlet": "RT", "published": "2022-04-27T10:12:00Z", "language": "en"}
  id        required, a string or a number
  text|html one of them is required (html is reduced to text)
  title, url, outlet, published (ISO 8601; missing means now), language (a hint) are optional
Output: {id, language, countries, relevance, framings: [{tag, confidence, evidence: [{quote,
attributedTo}]}], summary} (+ storyId with --cluster).
A bad line yields {id?, line, error} on its line — line is its 1-based line number in the input —
and the batch goes on; a count of failed lines goes to stderr.

  --in FILE    read this file instead of stdin
  --out FILE   write this file instead of stdout
  --cluster    also assign story ids across the whole input, as one batch

Exit codes: 0 done (some lines may carry errors); 1 every line failed, or the input/output failed.`,
  feeds: `Usage: steppewatch feeds <subcommand> …

  feeds check URL… [--json]   fetch, parse and preview feeds (no Redis needed)
  feeds list [--json]         every feed's health (no subcommand: the same)
  feeds add url:<url> [outlet:…] [affiliation:…] [language:…]
  feeds remove|pause|resume <id>   (also id:<id>, as the /feeds slash command)

steppewatch feeds <subcommand> --help for its details.`,
  'feeds check': `Usage: steppewatch feeds check URL… [--json]

Fetches each URL (a feed, or a page that links to one), parses it and previews its newest items.
Needs no Redis. Loopback and private addresses are refused unless ALLOW_PRIVATE_FEED_ADDRESSES=true.

  --json    one line per URL, in the order given:
            {url, ok, feedUrl?, error?, title?, items, sample: [{title, link, published}]}

The preview: ✓ the feed was read, ✗ it failed (the error follows); each item shows its date
(UTC, or "no date" when it has none) and, in [brackets], the countries it concerns (— none).
The last line counts the readable feeds.

Exit codes: 0 every feed was readable; 1 any failed (every URL still gets its line).`,
  eval: `Usage: steppewatch eval [--shared DIR] [--write-story-background]

Measures the analysis on the development corpus and prints a table.

  --shared DIR               the shared folder with corpus/ and seeds/ (default ../shared beside the package)
  --write-story-background   rebuild data/story-background.tsv (the story engine's background IDF)`,
  help: `Usage: steppewatch help [COMMAND]

Prints the list of commands, or COMMAND's usage.`,
};

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  let code = 0;
  try {
    code = await dispatch(cmd, rest);
  } catch (e) {
    code = reportFatal(e);
  }
  // Commands that run until signalled return only when done; flush and leave.
  process.exitCode = code;
}

/** Prints one line (the usage after a usage error) and returns the exit code. */
export function reportFatal(e: unknown, env: Record<string, string | undefined> = process.env): number {
  if (e instanceof UsageError) {
    process.stderr.write(`steppewatch: ${e.message}\n\n${usageOf(e.command)}\n`);
    return 64;
  }
  if (e instanceof ConfigError || e instanceof PortInUseError) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  if (e instanceof RedisNotInstalledError) {
    // The install hint: several lines, on purpose.
    process.stderr.write(`${e.message}\n`);
    return 3;
  }
  if (e instanceof RedisStartError || e instanceof RedisUnreachableError) {
    process.stderr.write(`${oneLine(e.message)}\n`);
    return 3;
  }
  const debug = /^(debug|trace)$/i.test(env.LOG_LEVEL?.trim() ?? '');
  const message = e instanceof Error ? e.message || e.name : String(e);
  process.stderr.write(`steppewatch: ${oneLine(message)}${debug ? '' : ' (LOG_LEVEL=debug shows where)'}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage follows the message (the overview when unknown). */
    readonly command?: string,
  ) {
    super(message);
  }
}

function usageOf(command: string | undefined): string {
  return (command && COMMAND_HELP[command]) || OVERVIEW;
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** `--help`/`-h` anywhere among a command's arguments (before a `--`). */
function wantsHelp(rest: string[]): boolean {
  for (const a of rest) {
    if (a === '--') return false;
    if (HELP_FLAGS.has(a)) return true;
  }
  return false;
}

function printHelp(command: string): number {
  process.stdout.write(`${usageOf(command)}\n`);
  return 0;
}

function args(command: string, rest: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false) {
  try {
    return parseArgs({ args: rest, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message}`, command);
  }
}

async function dispatch(cmd: string | undefined, rest: string[]): Promise<number> {
  switch (cmd) {
    case undefined:
      process.stderr.write(`${OVERVIEW}\n`);
      return 64;
    case '--help':
    case '-h':
      return printHelp('');
    case 'help': {
      if (wantsHelp(rest)) return printHelp('help');
      const topic = rest.join(' ');
      if (topic.startsWith('-')) throw new UsageError(`help: unknown option ${JSON.stringify(rest[0])}`, 'help');
      if (!topic) return printHelp('');
      if (!COMMAND_HELP[topic]) throw new UsageError(`help: no command ${JSON.stringify(topic)}`);
      return printHelp(topic);
    }
    case '--version':
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'start':
    case 'worker':
    case 'bot':
    case 'scheduler': {
      if (wantsHelp(rest)) return printHelp(cmd);
      args(cmd, rest, {});
      const config = loadConfig();
      const { runRoles } = await import('../main/run.js');
      const roles = cmd === 'start' ? (['worker', 'scheduler', 'bot'] as const) : ([cmd] as const);
      return runRoles([...roles], { config });
    }
    case 'demo': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, { once: { type: 'boolean', default: false } });
      const { runDemo } = await import('./demo.js');
      return runDemo({ once: Boolean(a.values.once) }, io);
    }
    case 'analyze':
    case 'analyse': {
      if (wantsHelp(rest)) return printHelp('analyze');
      const a = args('analyze', rest, { in: { type: 'string' }, out: { type: 'string' }, cluster: { type: 'boolean', default: false } });
      const { runAnalyze } = await import('./analyze-cli.js');
      return runAnalyze(
        { in: a.values.in as string | undefined, out: a.values.out as string | undefined, cluster: Boolean(a.values.cluster) },
        io,
      );
    }
    case 'story': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, { json: { type: 'boolean', default: false } }, true);
      const query = a.positionals.join(' ').trim();
      const config = loadConfig();
      const { runStoryCli } = await import('./story-cli.js');
      return runStoryCli(query, { json: Boolean(a.values.json), config }, io);
    }
    case 'import': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, {}, true);
      if (a.positionals.length !== 1) throw new UsageError('import: give one FILE.jsonl', cmd);
      const config = loadConfig();
      const { runImportCli } = await import('./import-cli.js');
      return runImportCli(a.positionals[0]!, { config }, io);
    }
    case 'export': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, { since: { type: 'string' }, format: { type: 'string', default: 'jsonl' } }, true);
      const format = String(a.values.format).toLowerCase();
      if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`export: --format is jsonl or csv, not ${JSON.stringify(a.values.format)}`, cmd);
      const config = loadConfig();
      const { runExportCli, ExportUsageError } = await import('./export-cli.js');
      try {
        return await runExportCli({ query: a.positionals.join(' ').trim(), since: a.values.since as string | undefined, format, config }, io);
      } catch (e) {
        if (e instanceof ExportUsageError) throw new UsageError(e.message, cmd);
        throw e;
      }
    }
    case 'trends': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, { days: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean', default: false }, png: { type: 'string' } }, true);
      const { runTrendsCli } = await import('./trends-cli.js');
      const o = { days: a.values.days as string | undefined, by: a.values.by as string | undefined, json: Boolean(a.values.json), png: a.values.png as string | undefined };
      return runTrendsCli(a.positionals.join(' ').trim(), { ...o, config: loadConfig() }, io);
    }
    case 'feeds':
      return dispatchFeeds(rest);
    case 'subscribe':
    case 'unsubscribe':
    case 'subscriptions':
    case 'mute':
    case 'unmute': {
      // The slash commands' handlers, as the console user (admin-cli.ts); they print their own --help.
      const { runAdminCli } = await import('./admin-cli.js');
      return runAdminCli(cmd, undefined, rest, { config: loadConfig }, io);
    }
    case 'eval': {
      if (wantsHelp(rest)) return printHelp(cmd);
      const a = args(cmd, rest, { shared: { type: 'string' }, 'write-story-background': { type: 'boolean' } });
      const { runEval } = await import('../../tools/eval/eval-cli.js');
      return runEval({ shared: a.values.shared as string | undefined, writeStoryBackground: a.values['write-story-background'] === true }, io);
    }
    case 'bench': {
      if (wantsHelp(rest)) {
        const { BENCH_USAGE } = await import('../../bench/args.js');
        process.stdout.write(`${BENCH_USAGE}\n`);
        return 0;
      }
      const { runBench } = await import('../../bench/run.js');
      return runBench(rest, io);
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  }
}

/** `steppewatch feeds <subcommand> …`. */
async function dispatchFeeds(rest: string[]): Promise<number> {
  const [sub, ...more] = rest;
  if (sub !== undefined && HELP_FLAGS.has(sub)) return printHelp('feeds');
  // No subcommand (or --json alone) lists the feeds; any other option here is a usage error.
  if (sub !== undefined && sub.startsWith('-') && sub !== '--json') throw new UsageError(`feeds: unknown option ${sub}`, 'feeds');
  switch (sub) {
    case 'check': {
      if (wantsHelp(more)) return printHelp('feeds check');
      const a = args('feeds check', more, { json: { type: 'boolean', default: false } }, true);
      if (a.positionals.length === 0) throw new UsageError('feeds check: give at least one URL', 'feeds check');
      const config = loadConfig();
      const { runFeedsCheck } = await import('./feeds-check-cli.js');
      return runFeedsCheck(a.positionals, { json: Boolean(a.values.json), allowPrivate: config.ALLOW_PRIVATE_FEED_ADDRESSES }, io);
    }
    default: {
      // list (also no subcommand), add, remove, pause, resume: the /feeds handlers (admin-cli.ts).
      const { runFeedsAdminCli } = await import('./admin-cli.js');
      return runFeedsAdminCli(rest, { config: loadConfig }, io);
    }
  }
}
