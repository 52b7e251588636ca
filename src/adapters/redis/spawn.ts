// Starting and stopping a private redis-server process. Used by the embedded default
// (./var/redis, Unix socket), by `demo` (a throwaway folder) and by the test setup (a TCP port).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      [
        'steppewatch needs Redis, and no `redis-server` was found on PATH.',
        'Install it — Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis` —',
        'and steppewatch will start a private one under ./var/redis by itself;',
        'or point REDIS_URL at a Redis you run (e.g. REDIS_URL=redis://127.0.0.1:6379).',
      ].join('\n'),
    );
    this.name = 'RedisNotInstalledError';
  }
}

export class RedisStartError extends Error {
  override name = 'RedisStartError';
}

/** A Redis named by REDIS_URL (or the embedded one) that does not answer. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** REDIS_URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Resolves once `client` answers PING; throws RedisUnreachableError after `timeoutMs`, naming the
 * last connection error. A command must not wait on a Redis that is not there (ioredis would
 * queue and retry its commands for minutes): it says so and exits. Connection errors while
 * waiting are caught here (one line at the end, not one per retry).
 */
export async function waitForRedis(
  client: { ping(): Promise<string>; on(e: 'error', f: (err: Error) => void): unknown; off(e: 'error', f: (err: Error) => void): unknown },
  url: string,
  timeoutMs = 15_000,
): Promise<void> {
  let last = '';
  const onError = (err: Error) => (last = err.message);
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(last || 'no answer')), timeoutMs);
  });
  try {
    await Promise.race([client.ping(), timeout]);
  } catch (e) {
    throw new RedisUnreachableError(
      `Redis at ${redactRedisUrl(url)} did not answer within ${Math.round(timeoutMs / 1000)} s (${(e as Error).message}); start it, or fix REDIS_URL (unset, steppewatch runs its own)`,
    );
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}

export function redisServerInstalled(bin = 'redis-server'): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

export interface SpawnRedisOptions {
  /** Data directory (AOF, logs). Created when missing. */
  dir: string;
  /** Listen on this Unix socket … */
  socket?: string;
  /** … or on this TCP port on 127.0.0.1. */
  port?: number;
  /** Seconds to wait for the server to answer. */
  timeoutSeconds?: number;
  bin?: string;
  /** AOF fsync policy (default appendfsyncMode(): STEPPEWATCH_REDIS_APPENDFSYNC, else everysec). */
  appendfsync?: AppendFsync;
  /**
   * The server in a process group of its own, stopped by `stop()` (or when this process exits):
   * a terminal's Ctrl-C, sent to the whole foreground group, then reaches only us, and we stop
   * the server after the app that uses it. In our group it died at once and the app, still
   * stopping, logged ~190 lines of connection errors (`steppewatch demo`).
   */
  ownProcessGroup?: boolean;
}

export type AppendFsync = 'everysec' | 'always';

/**
 * The AOF fsync policy of the private servers: STEPPEWATCH_REDIS_APPENDFSYNC (`everysec`, the
 * default, or `always`). `everysec` may lose the last second of writes in a host crash (a killed
 * redis-server loses nothing: the kernel still has the writes); `always` fsyncs every write before
 * answering. What each means for alerts: README, Operations. Read here rather than in config.ts
 * because the embedded server is started before the configuration is (acquireRedis, demo, bench).
 */
export function appendfsyncMode(env: Record<string, string | undefined> = process.env): AppendFsync {
  const v = env.STEPPEWATCH_REDIS_APPENDFSYNC?.trim().toLowerCase();
  if (!v || v === 'everysec') return 'everysec';
  if (v === 'always') return 'always';
  throw new RedisStartError(`STEPPEWATCH_REDIS_APPENDFSYNC must be everysec or always, not ${JSON.stringify(v)}`);
}

export interface SpawnedRedis {
  process: ChildProcess;
  /** Connection URL: `redis://127.0.0.1:<port>` or `redis+unix://<socket>` style for ioredis (see toIORedisOptions). */
  url: string;
  stop(): Promise<void>;
}

/** Arguments shared by every private server: AOF on, never evict (BullMQ requires noeviction). */
export function redisServerArgs(o: SpawnRedisOptions): string[] {
  const args = [
    '--dir', o.dir,
    '--appendonly', 'yes',
    '--appendfsync', o.appendfsync ?? appendfsyncMode(),
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--logfile', join(o.dir, 'redis.log'),
    '--pidfile', join(o.dir, 'redis.pid'),
  ];
  if (o.socket) args.push('--unixsocket', o.socket, '--unixsocketperm', '700', '--port', '0');
  else args.push('--bind', '127.0.0.1', '--port', String(o.port ?? 6379));
  return args;
}

/** Sends PING over a raw connection; true when the server answers PONG. */
export function pingRedis(target: { socket?: string; port?: number; host?: string }, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = target.socket
      ? createConnection({ path: target.socket })
      : createConnection({ host: target.host ?? '127.0.0.1', port: target.port ?? 6379 });
    let buf = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.on('connect', () => conn.write('PING\r\n'));
    conn.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    conn.on('error', () => done(false));
  });
}

export async function spawnRedis(o: SpawnRedisOptions): Promise<SpawnedRedis> {
  const bin = o.bin ?? 'redis-server';
  if (!redisServerInstalled(bin)) throw new RedisNotInstalledError();
  mkdirSync(o.dir, { recursive: true });
  const child = spawn(bin, redisServerArgs(o), { stdio: ['ignore', 'ignore', 'pipe'], detached: o.ownProcessGroup === true });
  // Out of our group, it would outlive an exit that skipped stop() (an error, process.exit).
  const atExit = () => void child.kill('SIGTERM');
  if (o.ownProcessGroup) process.once('exit', atExit);
  child.once('exit', () => process.off('exit', atExit));
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const target = o.socket ? { socket: o.socket } : { port: o.port ?? 6379 };
  const deadline = Date.now() + (o.timeoutSeconds ?? 15) * 1000;
  while (!(await pingRedis(target))) {
    if (exited) throw new RedisStartError(`redis-server exited at start: ${stderr.trim() || `see ${join(o.dir, 'redis.log')}`}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisStartError(`redis-server did not answer within ${o.timeoutSeconds ?? 15}s (log: ${join(o.dir, 'redis.log')})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = o.socket ? `unix://${o.socket}` : `redis://127.0.0.1:${o.port}`;
  return {
    process: child,
    url,
    stop: () => stopChild(child),
  };
}

/** SIGTERM makes redis-server flush the AOF and exit; SIGKILL after 10 s. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
