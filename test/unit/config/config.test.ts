import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config.js';

const load = (env: Record<string, string>) => loadConfig({ env, dotenv: false, cwd: '/srv/sw' });
const problem = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('config', () => {
  it('has the contract defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      POLL_MIN_INTERVAL_SECONDS: 60,
      POLL_MAX_INTERVAL_SECONDS: 1800,
      ALLOW_PRIVATE_FEED_ADDRESSES: false,
      ALERT_MAX_AGE_HOURS: 48,
      ALERT_MIN_RELEVANCE: 0.3,
      STORY_WINDOW_HOURS: 72,
      RETENTION_DAYS: 90,
      HTTP_PORT: 8080,
      HEAP_GROWTH_PERCENT: 50,
      ANALYSIS_THREADS: 1,
      LOG_LEVEL: 'info',
      DIGEST_AT: '08:00',
      slackEnabled: false,
      discordEnabled: false,
      discordGateway: false,
    });
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.FEEDS_FILE).toBe('/srv/sw/data/feeds.yaml');
    expect(c.varDir).toBe('/srv/sw/var');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names a bad variable and what it expects, in one line', () => {
    for (const [env, name, expected] of [
      [{ HTTP_PORT: 'abc' }, 'HTTP_PORT="abc"', 'a port number from 0 to 65535'],
      [{ ALLOW_PRIVATE_FEED_ADDRESSES: 'maybe' }, 'ALLOW_PRIVATE_FEED_ADDRESSES="maybe"', 'true or false'],
      [{ ALERT_MIN_RELEVANCE: '1.5' }, 'ALERT_MIN_RELEVANCE="1.5"', 'a number from 0 to 1'],
      [{ DIGEST_AT: '8am' }, 'DIGEST_AT="8am"', 'HH:MM'],
      [{ SLACK_API_URL: 'ftp://x' }, 'SLACK_API_URL="ftp://x"', 'http(s) URL'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"', 'one of fatal'],
      [{ HEAP_GROWTH_PERCENT: '-5' }, 'HEAP_GROWTH_PERCENT="-5"', 'a whole number from 0'],
    ] as const) {
      const msg = problem(env);
      expect(msg).not.toContain('\n');
      expect(msg).toContain(name);
      expect(msg).toContain(expected);
    }
  });

  it('does not print secrets back', () => {
    const msg = problem({ ADMIN_TOKEN: 'short-secret' });
    expect(msg).toContain('ADMIN_TOKEN');
    expect(msg).not.toContain('short-secret');
    expect(problem({ REDIS_URL: 'http://user:pw@host' })).not.toContain('pw');
  });

  it('checks variables that go together', () => {
    expect(problem({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_SIGNING_SECRET');
    expect(problem({ DISCORD_TOKEN: 't' })).toContain('DISCORD_APPLICATION_ID');
    expect(problem({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_GATEWAY: 'false' })).toContain('DISCORD_PUBLIC_KEY');
    expect(problem({ POLL_MIN_INTERVAL_SECONDS: '600', POLL_MAX_INTERVAL_SECONDS: '60' })).toContain('POLL_MAX_INTERVAL_SECONDS');
  });

  it('turns platforms on from their tokens; the Discord gateway follows DISCORD_GATEWAY', () => {
    const c = load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' });
    expect([c.slackEnabled, c.discordEnabled, c.discordGateway]).toEqual([true, true, true]);
    const h = load({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_GATEWAY: 'false', DISCORD_PUBLIC_KEY: 'a'.repeat(64) });
    expect(h.discordGateway).toBe(false);
  });

  it('reads ./.env, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-cfg-'));
    writeFileSync(join(dir, '.env'), '# comment\nHTTP_PORT=9090\nLOG_LEVEL="debug"\n');
    const c = loadConfig({ env: { LOG_LEVEL: 'warn' }, dotenv: true, cwd: dir });
    expect(c.HTTP_PORT).toBe(9090);
    expect(c.LOG_LEVEL).toBe('warn');
  });
});
