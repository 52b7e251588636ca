import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRedis, embeddedPaths } from '../../../src/adapters/redis/embedded.js';
import { pingRedis, RedisNotInstalledError } from '../../../src/adapters/redis/spawn.js';
import { ROOT, TSX } from '../../helpers/cli.js';

interface Holder {
  child: ChildProcess;
  info: { url: string; startedHere: boolean; pid: number };
  release(): Promise<void>;
}

function hold(varDir: string): Promise<Holder> {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'test/helpers/embedded-client.ts'), varDir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        const info = JSON.parse(line) as Holder['info'];
        resolve({
          child,
          info,
          release: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.stdin!.write('release\n');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
}

describe('embedded Redis under ./var/redis', () => {
  // A short path: Unix socket paths are limited to ~100 bytes.
  const varDir = mkdtempSync(join(tmpdir(), 'sw-emb-'));
  const paths = embeddedPaths(varDir);
  afterAll(async () => {
    // Never leave a server behind, whatever happened above.
    if (existsSync(paths.pidfile)) {
      const pid = Number(readFileSync(paths.pidfile, 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(varDir, { recursive: true, force: true });
  });

  it('is started by the first command, shared by the next, and stopped by the last one out', async () => {
    const a = await hold(varDir);
    expect(a.info.startedHere).toBe(true);
    expect(a.info.url).toBe(`unix://${paths.socket}`);
    expect(await pingRedis({ socket: paths.socket })).toBe(true);
    const b = await hold(varDir);
    expect(b.info.startedHere).toBe(false);
    // The starter leaves first: the server keeps running for the other command.
    await a.release();
    expect(await pingRedis({ socket: paths.socket })).toBe(true);
    await b.release();
    expect(await pingRedis({ socket: paths.socket })).toBe(false);
  }, 60_000);

  it('keeps its data (AOF) across a restart, with noeviction', async () => {
    const a = await acquireRedis({ varDir });
    const { connectRedis } = await import('../../../src/adapters/redis/connection.js');
    const r = connectRedis(a.url);
    await r.set('kept', 'yes');
    expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    await r.quit();
    await a.release();
    expect(await pingRedis({ socket: paths.socket })).toBe(false);
    const b = await acquireRedis({ varDir });
    expect(b.startedHere).toBe(true);
    const r2 = connectRedis(b.url);
    expect(await r2.get('kept')).toBe('yes');
    await r2.quit();
    await b.release();
  }, 60_000);

  it('a command killed without releasing leaves a stale lease that the next one clears', async () => {
    const a = await hold(varDir);
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    // The server outlives the killed command and is reused.
    const b = await acquireRedis({ varDir });
    expect(b.startedHere).toBe(false);
    await b.release();
    expect(await pingRedis({ socket: paths.socket })).toBe(false);
  }, 60_000);

  it('says how to install redis-server when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-nored-'));
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      await expect(acquireRedis({ varDir: dir })).rejects.toBeInstanceOf(RedisNotInstalledError);
      await expect(acquireRedis({ varDir: dir })).rejects.toThrow(/apt-get install redis-server[\s\S]*brew install redis[\s\S]*REDIS_URL/);
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses REDIS_URL as given, starting nothing', async () => {
    const h = await acquireRedis({ varDir: '/nonexistent', redisUrl: 'redis://127.0.0.1:1' });
    expect(h).toMatchObject({ url: 'redis://127.0.0.1:1', startedHere: false });
  });
});
