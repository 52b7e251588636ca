// Spawns one real redis-server on a free loopback port with a temp dir for the whole test run,
// and stops it at the end. Tests read its URL with `inject('redisUrl')` and use a unique prefix.
// Also decides, once, which CLI build the tests spawn (`inject('cliMode')`, test/helpers/cli-mode.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnRedis, type SpawnedRedis } from '../../src/adapters/redis/spawn.js';
import { chooseCliMode, type CliMode } from './cli-mode.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Which CLI the tests spawn (test/helpers/cli-mode.ts). */
    cliMode: CliMode;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
    srv.on('error', reject);
  });
}

let redis: SpawnedRedis | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'steppewatch-test-redis-'));
  const port = await freePort();
  redis = await spawnRedis({ dir, port });
  project.provide('redisUrl', redis.url);
  const cli = chooseCliMode(join(import.meta.dirname, '..', '..'));
  process.stderr.write(`steppewatch tests: CLI spawned from ${cli.mode === 'dist' ? 'dist/' : 'the sources (tsx)'}: ${cli.why}\n`);
  project.provide('cliMode', cli.mode);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
