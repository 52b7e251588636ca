// Spawns one real redis-server on a free loopback port with a temp dir for the whole test run,
// and stops it at the end. Tests read its URL with `inject('redisUrl')` and use a unique prefix.
// Also says which CLI build the tests will spawn (test/helpers/cli-mode.ts), and stops the run
// at once when STEPPEWATCH_TEST_CLI=dist finds dist/ stale.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnRedis, type SpawnedRedis } from '../../src/adapters/redis/spawn.js';
import { chooseCliMode } from './cli-mode.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
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
  const cli = chooseCliMode(join(import.meta.dirname, '..', '..'), process.env.STEPPEWATCH_TEST_CLI); // throws on a stale dist/ when asked for it
  process.stderr.write(`steppewatch tests: CLI spawned from ${cli.mode === 'dist' ? 'dist/' : 'the sources (tsx)'}: ${cli.why}\n`);
  dir = mkdtempSync(join(tmpdir(), 'steppewatch-test-redis-'));
  const port = await freePort();
  redis = await spawnRedis({ dir, port });
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
