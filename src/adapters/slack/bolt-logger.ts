// Bolt and the WebClient log through @slack/logger's interface; this sends their lines to our pino
// logger (with its redaction), under a `component` field. Their level follows pino's: Bolt's
// setLevel() calls are ignored so LOG_LEVEL stays the one switch.
import { LogLevel } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';

type SlackLogger = webApi.Logger;

function toSlackLevel(pinoLevel: string): LogLevel {
  switch (pinoLevel) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

function split(args: unknown[]): { err?: unknown; msg: string } {
  const err = args.find((a) => a instanceof Error);
  const msg = args
    .filter((a) => a !== err)
    .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
    .join(' ');
  return err ? { err, msg } : { msg };
}

export function boltLogger(log: Logger, component = 'slack'): SlackLogger {
  const child = log.child({ component });
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const { err, msg } = split(args);
    if (err) child[level]({ err }, msg || (err as Error).message);
    else child[level](msg);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    setLevel: () => {},
    getLevel: () => toSlackLevel(child.level),
    setName: () => {},
  };
}
