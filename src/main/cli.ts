// The `steppewatch` command line. Each command loads only what it needs (analyze starts fast).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { RedisNotInstalledError, RedisStartError } from '../adapters/redis/spawn.js';
import { version } from './paths.js';

const USAGE = `steppewatch — how Central Asia is covered in the news, in Slack and Discord

Usage: steppewatch <command> [options]

  demo [--once]             run the whole pipeline on bundled sample feeds (throwaway Redis, console output)
  start                     run every role in one process (worker, scheduler, bot)
  worker | scheduler | bot  run one role (scaled deployments)
  story QUERY [--json]      what /story QUERY answers, e.g. steppewatch story kazakhstan
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
  help | --version

Configuration comes from the environment and ./.env (see .env.example).`;

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

function reportFatal(e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  if (e instanceof RedisNotInstalledError || e instanceof RedisStartError) {
    process.stderr.write(`${e.message}\n`);
    return 3;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`steppewatch: ${e.message}\n\n${USAGE}\n`);
    return 64;
  }
  process.stderr.write(`steppewatch: ${(e as Error)?.stack ?? String(e)}\n`);
  return 1;
}

class UsageError extends Error {}

function args(rest: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false) {
  try {
    return parseArgs({ args: rest, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function dispatch(cmd: string | undefined, rest: string[]): Promise<number> {
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? 64 : 0;
    case '--version':
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'start':
    case 'worker':
    case 'bot':
    case 'scheduler': {
      args(rest, {});
      const config = loadConfig();
      const { runRoles } = await import('./run.js');
      const roles = cmd === 'start' ? (['worker', 'scheduler', 'bot'] as const) : ([cmd] as const);
      return runRoles([...roles], { config });
    }
    case 'demo': {
      const a = args(rest, { once: { type: 'boolean', default: false } });
      const { runDemo } = await import('./demo.js');
      return runDemo({ once: Boolean(a.values.once) }, io);
    }
    case 'analyze':
    case 'analyse': {
      const a = args(rest, { in: { type: 'string' }, out: { type: 'string' }, cluster: { type: 'boolean', default: false } });
      const { runAnalyze } = await import('./analyze-cli.js');
      return runAnalyze(
        { in: a.values.in as string | undefined, out: a.values.out as string | undefined, cluster: Boolean(a.values.cluster) },
        io,
      );
    }
    case 'story': {
      const a = args(rest, { json: { type: 'boolean', default: false } }, true);
      const query = a.positionals.join(' ').trim();
      const config = loadConfig();
      const { runStoryCli } = await import('./story-cli.js');
      return runStoryCli(query, { json: Boolean(a.values.json), config }, io);
    }
    case 'subscribe':
    case 'unsubscribe':
    case 'subscriptions':
    case 'mute':
    case 'unmute': {
      const { runAdminCli } = await import('./admin-cli.js');
      return runAdminCli(cmd, undefined, rest, { config: loadConfig }, io);
    }
    case 'feeds': {
      const [sub, ...more] = rest;
      if (sub !== 'check') {
        const { runFeedsAdminCli } = await import('./admin-cli.js');
        return runFeedsAdminCli(rest, { config: loadConfig }, io);
      }
      const a = args(more, { json: { type: 'boolean', default: false } }, true);
      if (a.positionals.length === 0) throw new UsageError('feeds check: give at least one URL');
      const config = loadConfig();
      const { runFeedsCheck } = await import('./feeds-check-cli.js');
      return runFeedsCheck(a.positionals, { json: Boolean(a.values.json), allowPrivate: config.ALLOW_PRIVATE_FEED_ADDRESSES }, io);
    }
    case 'eval': {
      const a = args(rest, { shared: { type: 'string' }, 'write-story-background': { type: 'boolean' } });
      const { runEval } = await import('./eval-cli.js');
      return runEval({ shared: a.values.shared as string | undefined, writeStoryBackground: a.values['write-story-background'] === true }, io);
    }
    case 'bench': {
      const { runBench } = await import('../../bench/run.js');
      return runBench(rest, io);
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  }
}
