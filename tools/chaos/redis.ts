// The run's redis-server: AOF on (`appendfsync everysec`, as the product's own servers), on a
// fixed loopback port in a temp dir, restartable three ways:
//   term   SIGTERM: Redis writes and fsyncs the AOF, exits; nothing is lost.
//   kill   SIGKILL: the process dies, but what it wrote is in the OS page cache; nothing is lost.
//   crash  a host crash: SIGKILL, and the AOF loses its last ~second of writes, which
//          `everysec` allows (written but not yet fsynced when the machine went down).
//
// How the crash is simulated without copying a live file: automatic AOF rewrites are switched off
// (`auto-aof-rewrite-percentage 0`), so while Redis runs its AOF files only grow by appends (Redis
// 7's multipart AOF: a base file, incr files and a manifest that changes only at a rewrite). Every
// 200 ms the harness records the size of each file in appendonlydir. At crash time it kills Redis
// and truncates each file to the size it had ≥ `lossMs` earlier (and removes files born since):
// exactly a prefix of the write stream, i.e. what the disk would hold had the last second never
// been fsynced. A cut may fall inside a command; Redis's `aof-load-truncated yes` (the default)
// drops that torn tail at load, as it would after a real crash (and an open MULTI with it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pingRedis, redisServerArgs, stopChild } from '../../src/adapters/redis/spawn.js';

export type RedisRestart = 'term' | 'kill' | 'crash';

export interface ChaosRedis {
  url: string;
  port: number;
  /** What a host crash loses: acknowledged writes of the last `lossMs` (0 under `always`). */
  lossMs: number;
  restart(how: RedisRestart, downMs: number): Promise<{ truncatedBytes: number }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Snapshot {
  at: number;
  sizes: Map<string, number>;
  manifest: string | null;
}

/**
 * `appendfsync`: `everysec` (the product's default) lets a host crash lose up to ~1 s of
 * acknowledged writes; `always` fsyncs before Redis answers, so a host crash loses none (the
 * crash is then a SIGKILL).
 */
export async function startChaosRedis(o: { dir: string; log: (s: string) => void; appendfsync: 'everysec' | 'always' }): Promise<ChaosRedis> {
  mkdirSync(o.dir, { recursive: true });
  const port = await freePort();
  const aofDir = join(o.dir, 'appendonlydir');
  const lossMs = o.appendfsync === 'always' ? 0 : 1_000;
  let child: ChildProcess | null = null;
  let snapshots: Snapshot[] = [];

  // Later arguments win over redisServerArgs's own.
  const args = [...redisServerArgs({ dir: o.dir, port }), '--auto-aof-rewrite-percentage', '0', '--appendfsync', o.appendfsync];
  const start = async () => {
    const c = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr?.on('data', (d) => (err += d));
    child = c;
    const deadline = Date.now() + 30_000;
    while (!(await pingRedis({ port }))) {
      if (c.exitCode !== null) throw new Error(`chaos: redis-server exited at start: ${err.trim() || `see ${join(o.dir, 'redis.log')}`}`);
      if (Date.now() > deadline) throw new Error('chaos: redis-server did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const snap = (): Snapshot => {
    const sizes = new Map<string, number>();
    let manifest: string | null = null;
    if (existsSync(aofDir)) {
      for (const f of readdirSync(aofDir)) {
        const p = join(aofDir, f);
        if (f.endsWith('.manifest')) manifest = readFileSync(p, 'utf8');
        else sizes.set(f, statSync(p).size);
      }
    }
    return { at: Date.now(), sizes, manifest };
  };
  const timer = setInterval(() => {
    try {
      snapshots.push(snap());
      if (snapshots.length > 50) snapshots = snapshots.slice(-50);
    } catch {
      /* a file may vanish while Redis starts; the next tick sees it */
    }
  }, 200);

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    lossMs,
    async restart(how, downMs) {
      const c = child!;
      let truncatedBytes = 0;
      if (how === 'term') await stopChild(c);
      else {
        const cutoff = Date.now() - lossMs;
        const before = [...snapshots].reverse().find((s) => s.at <= cutoff);
        c.kill('SIGKILL');
        await new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
        if (how === 'crash') {
          if (!before) o.log('redis: no AOF snapshot old enough; crash loses nothing');
          else {
            const now = snap();
            for (const [f, size] of now.sizes) {
              const keep = before.sizes.get(f);
              if (keep === undefined) {
                rmSync(join(aofDir, f));
                truncatedBytes += size;
              } else if (keep < size) {
                truncateSync(join(aofDir, f), keep);
                truncatedBytes += size - keep;
              }
            }
            const mf = readdirSync(aofDir).find((f) => f.endsWith('.manifest'));
            if (before.manifest !== null && mf) writeFileSync(join(aofDir, mf), before.manifest);
          }
        }
      }
      snapshots = [];
      await new Promise((r) => setTimeout(r, downMs));
      await start();
      return { truncatedBytes };
    },
    async stop() {
      clearInterval(timer);
      if (child) await stopChild(child);
    },
  };
}
