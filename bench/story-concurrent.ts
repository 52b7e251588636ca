// Story assignment from several processes at once over one Redis (issue 16, `--workers N`): what
// the story locks cost when analyse jobs of two workers assign side by side. Not a test; by hand:
//
//   npx tsx bench/story-concurrent.ts [--procs 2] [--jobs 16] [--warm 10000] [--articles 2000] [--redis <url>]
//
// The farm's Central Asia items (bench/story-rate.ts) are grouped per feed, as a poll hands a
// feed's new items to one analyse job; the groups are dealt to `procs` processes in turn, each
// running `jobs` of them at once (the worker's analyse concurrency), all at the same `now` over an
// index warmed with `warm` articles. A batch failing on "story locks busy" is counted and tried
// again, as BullMQ would. Printed: per process the lock figures (`lockStats` of the story store:
// calls that met a held lock, ms waited, timeouts), retries, CPU; and Redis's CPU. The counts do
// not depend on the machine's load as wall-clock figures do; the CPU figures do, a little.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { createRedisStoryStore, StoryLockTimeoutError, type AssignInput } from '../src/adapters/redis/story-store.js';
import { childExecArgv } from './child.js';
import { centralAsiaItems, redisCpuSeconds, STORY_RATE_START, warmIndex } from './story-rate.js';

interface ChildReport {
  proc: number;
  batches: number;
  articles: number;
  retries: number;
  cpuMs: number;
  wallMs: number;
  lock: { batches: number; busy: number; waitMs: number; timeouts: number };
}

/** A child: its share of the batches, `jobs` at a time; reports over IPC. */
async function child(file: string, url: string, prefix: string, proc: number, procs: number, jobs: number): Promise<void> {
  const items = JSON.parse(readFileSync(file, 'utf8')) as AssignInput[];
  const groups = new Map<string, AssignInput[]>();
  for (const x of items) {
    const g = groups.get(x.article.feedId);
    if (g) g.push(x);
    else groups.set(x.article.feedId, [x]);
  }
  const mine = [...groups.values()].filter((_, i) => i % procs === proc);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const store = createRedisStoryStore({ redis, keys: makeKeys(prefix) });
  let retries = 0;
  let next = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const now = new Date(STORY_RATE_START);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < mine.length) {
        const batch = mine[next++]!;
        for (;;) {
          try {
            await store.assignMany(batch, now);
            break;
          } catch (e) {
            if (!(e instanceof StoryLockTimeoutError)) throw e;
            retries += 1;
          }
        }
      }
    }),
  );
  const c = process.cpuUsage(c0);
  const report: ChildReport = { proc, batches: mine.length, articles: mine.reduce((n, b) => n + b.length, 0), retries, cpuMs: Math.round((c.user + c.system) / 1000), wallMs: Math.round(performance.now() - t0), lock: store.lockStats() };
  process.send!(report);
  await redis.quit();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { procs: { type: 'string', default: '2' }, jobs: { type: 'string', default: '16' }, warm: { type: 'string', default: '10000' }, articles: { type: 'string', default: '2000' }, redis: { type: 'string' } } });
  const procs = Number(values.procs);
  const dir = mkdtempSync(join(tmpdir(), 'sw-story-concurrent-'));
  const server = values.redis ? null : await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
  const url = values.redis ?? server!.url;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `bench-story-conc-${process.pid}-${Date.now()}`;
  try {
    const base = centralAsiaItems(Number(values.articles));
    await warmIndex(createRedisStoryStore({ redis, keys: makeKeys(prefix) }), base, Number(values.warm));
    const file = join(dir, 'items.json');
    writeFileSync(file, JSON.stringify(base));
    const cpu0 = await redisCpuSeconds(redis);
    const t0 = performance.now();
    const reports = await Promise.all(
      Array.from({ length: procs }, (_, k) =>
        new Promise<ChildReport>((resolve, reject) => {
          const c = fork(fileURLToPath(import.meta.url), ['--child', file, url, prefix, String(k), String(procs), values.jobs!], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: childExecArgv() });
          let got: ChildReport | null = null;
          c.on('message', (m) => (got = m as ChildReport));
          c.on('exit', (code) => (got ? resolve(got) : reject(new Error(`child ${k} exited (${code}) without a report`))));
        }),
      ),
    );
    const total = (f: (r: ChildReport) => number) => reports.reduce((n, r) => n + f(r), 0);
    console.log(
      JSON.stringify(
        {
          procs,
          jobs: Number(values.jobs),
          articles: total((r) => r.articles),
          batches: total((r) => r.batches),
          lockBusyCalls: total((r) => r.lock.busy),
          lockWaitMs: total((r) => r.lock.waitMs),
          lockTimeouts: total((r) => r.lock.timeouts),
          retries: total((r) => r.retries),
          clientCpuMs: total((r) => r.cpuMs),
          redisCpuMs: Math.round(((await redisCpuSeconds(redis)) - cpu0) * 1000),
          wallMs: Math.round(performance.now() - t0),
          perProcess: reports,
        },
        null,
        2,
      ),
    );
  } finally {
    let cursor = '0';
    do {
      const [n, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = n;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.quit();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const a = process.argv;
  const i = a.indexOf('--child');
  if (i >= 0) await child(a[i + 1]!, a[i + 2]!, a[i + 3]!, Number(a[i + 4]), Number(a[i + 5]), Number(a[i + 6]));
  else await main();
}
