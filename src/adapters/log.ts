// Structured logs with pino: JSON lines in production, human-readable on a terminal.
// Secrets never reach a log line: tokens, signing secrets, authorization headers are redacted.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

// pino's Logger is the jobs' Logger port (src/ports/logger.ts): checked where the wiring passes one.

export const REDACT_PATHS = [
  'token',
  '*.token',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  '*.DISCORD_TOKEN',
  '*.ADMIN_TOKEN',
  '*.REDIS_URL',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.DISCORD_TOKEN',
  'config.ADMIN_TOKEN',
  'config.REDIS_URL',
  'password',
  '*.password',
];

export interface LoggerOptions {
  level: string;
  /** Human-readable output (default: when stderr is a terminal). */
  pretty?: boolean;
  /** Where lines go (default stderr, so stdout stays for command output). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(o: LoggerOptions): Logger {
  const usePretty = o.pretty ?? Boolean(process.stderr.isTTY);
  const dest = o.destination ?? process.stderr;
  const options = {
    level: o.level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (usePretty) {
    // pino-pretty as a synchronous stream (no worker thread), so the last lines before exit are kept.
    return pino(options, pretty({ destination: dest, sync: true, colorize: Boolean((dest as { isTTY?: boolean }).isTTY), ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
  }
  return pino(options, dest as NodeJS.WritableStream & { write(s: string): boolean });
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
