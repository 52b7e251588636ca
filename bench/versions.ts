// What a saved bench report records about the build it measured, and where it is saved.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/adapters/analysis-data.js';

/** The checkout's commit, with `+dirty` when files differ from it (read-only git calls). */
function gitVersion(root: string): string {
  const git = (...args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', timeout: 10_000 });
  const rev = git('rev-parse', '--short', 'HEAD');
  if (rev.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return `${rev.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() ? '+dirty' : ''}`;
}

export function readVersions(): Record<string, string> {
  const root = packageRoot();
  const v = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    steppewatch: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    commit: gitVersion(root),
    node: process.version,
    redis: 'unknown',
    bullmq: v('bullmq'),
    ioredis: v('ioredis'),
    undici: v('undici'),
    'rss-parser': v('rss-parser'),
    'fast-xml-parser': v('fast-xml-parser'),
  };
}

export async function redisVersion(url: string): Promise<string> {
  const { connectRedis } = await import('../src/adapters/redis/connection.js');
  const r = connectRedis(url, { name: 'steppewatch-bench' });
  try {
    return /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? 'unknown';
  } finally {
    r.disconnect();
  }
}

/** bench/results/<date>.json (a second run the same day gets -2, -3 …). */
export function saveReport(r: unknown, date: string): string {
  const dirOut = join(packageRoot(), 'bench', 'results');
  mkdirSync(dirOut, { recursive: true });
  const day = date.slice(0, 10);
  let file = join(dirOut, `${day}.json`);
  for (let i = 2; existsSync(file); i++) file = join(dirOut, `${day}-${i}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
