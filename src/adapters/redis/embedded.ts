// The embedded default: without REDIS_URL every command uses a private redis-server with its data
// and a Unix socket under ./var/redis. The first command that needs it starts it; each command
// holds a lease (a file named by its pid) while it runs; the last one out stops the server.
// So `steppewatch story …` works beside a running `start` (it finds the server and leaves it
// running) and on its own (it starts the server and stops it when done).
//
// Lease files and a start lock (O_EXCL file) serialise start, join and stop between processes
// on one machine; a stale lock or lease (its pid is gone) is cleared.
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, readdirSync, rmSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { pingRedis, redisServerArgs, redisServerInstalled, RedisNotInstalledError, RedisStartError } from './spawn.js';

export interface RedisHandle {
  url: string;
  /** True when this process started the embedded server. */
  startedHere: boolean;
  /** Embedded: drop this process's lease; stop the server when no other steppewatch process uses it. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  redisUrl?: string | undefined;
  /** ./var — the server lives in `<varDir>/redis`. */
  varDir: string;
  /** Seconds to wait for the start lock and for the server. */
  timeoutSeconds?: number;
  onEvent?: (msg: string) => void;
}

/** Unix socket paths are limited to ~104–108 bytes by the OS. */
const MAX_SOCKET_PATH = 100;

export function embeddedPaths(varDir: string) {
  const dir = join(varDir, 'redis');
  return { dir, socket: join(dir, 'redis.sock'), leases: join(dir, 'leases'), lock: join(dir, 'start.lock'), pidfile: join(dir, 'redis.pid') };
}

export async function acquireRedis(o: AcquireOptions): Promise<RedisHandle> {
  if (o.redisUrl) return { url: o.redisUrl, startedHere: false, release: async () => {} };
  const paths = embeddedPaths(o.varDir);
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
    throw new RedisStartError(
      `The embedded Redis socket path is too long for a Unix socket (${paths.socket}). Run steppewatch from a shorter folder or set REDIS_URL.`,
    );
  }
  mkdirSync(paths.leases, { recursive: true });
  const timeoutMs = (o.timeoutSeconds ?? 20) * 1000;
  const leaseFile = join(paths.leases, String(process.pid));
  let startedHere = false;

  await withLock(paths.lock, timeoutMs, async () => {
    writeFileExclusiveOrReplace(leaseFile, `${process.pid}\n`);
    if (await pingRedis({ socket: paths.socket })) return;
    if (!redisServerInstalled()) {
      rmSync(leaseFile, { force: true });
      throw new RedisNotInstalledError();
    }
    if (existsSync(paths.socket)) unlinkSync(paths.socket); // left by a server that died
    o.onEvent?.(`starting embedded redis-server in ${paths.dir}`);
    // Detached: a Ctrl-C meant for this command must not stop a server other commands still use.
    const child = spawn('redis-server', redisServerArgs({ dir: paths.dir, socket: paths.socket }), {
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    let exitCode: number | null = null;
    child.on('exit', (code) => (exitCode = code ?? -1));
    const deadline = Date.now() + timeoutMs;
    while (!(await pingRedis({ socket: paths.socket }))) {
      if (exitCode !== null) {
        rmSync(leaseFile, { force: true });
        throw new RedisStartError(`redis-server exited at start (code ${exitCode}); see ${join(paths.dir, 'redis.log')}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(leaseFile, { force: true });
        throw new RedisStartError(`redis-server did not answer within ${timeoutMs / 1000}s; see ${join(paths.dir, 'redis.log')}`);
      }
      await sleep(50);
    }
    startedHere = true;
  });

  let released = false;
  return {
    url: `unix://${paths.socket}`,
    startedHere,
    release: async () => {
      if (released) return;
      released = true;
      await withLock(paths.lock, timeoutMs, async () => {
        rmSync(leaseFile, { force: true });
        if (liveLeases(paths.leases).length > 0) return;
        o.onEvent?.('stopping embedded redis-server (no other steppewatch process uses it)');
        await shutdownServer(paths);
      });
    },
  };
}

/** Pids of steppewatch processes holding a lease; stale leases are removed. */
function liveLeases(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pidAlive(pid)) out.push(pid);
    else rmSync(join(dir, name), { force: true });
  }
  return out;
}

async function shutdownServer(paths: ReturnType<typeof embeddedPaths>): Promise<void> {
  let pid: number | null = null;
  try {
    pid = Number(readFileSync(paths.pidfile, 'utf8').trim()) || null;
  } catch {
    pid = null;
  }
  // SIGTERM: redis-server fsyncs the AOF and exits (a SHUTDOWN command would do the same).
  if (pid && pidAlive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const up = pid ? pidAlive(pid) : await pingRedis({ socket: paths.socket });
    if (!up) return;
    await sleep(50);
  }
  if (pid && pidAlive(pid)) process.kill(pid, 'SIGKILL');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeFileExclusiveOrReplace(file: string, content: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx');
  writeSync(fd, content);
  closeSync(fd);
}

async function withLock<T>(lock: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = 0;
      try {
        holder = Number(readFileSync(lock, 'utf8').trim());
      } catch {
        continue; // removed meanwhile
      }
      if (holder && !pidAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new RedisStartError(`timed out waiting for ${lock} (held by pid ${holder})`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
