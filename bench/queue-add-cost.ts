// What queueing a few BullMQ jobs costs the client (src/main/workers.ts queueJobs): `addBulk`
// (one ioredis pipeline, which copies every script BullMQ defined on the connection) against one
// `add` a job sent together, on the deliver queue's options, over a private redis-server's Unix
// socket. Client CPU µs a job, the two ways alternated round by round.
//
//   npx tsx bench/queue-add-cost.ts [--jobs 2] [--batches 1500] [--rounds 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_DEFAULTS } from '../src/adapters/queues.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '2' }, batches: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '4' } } });
const [k, batches] = [Number(values.jobs), Number(values.batches)];
const dir = mkdtempSync(join(tmpdir(), 'sw-queue-add-'));
const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
const connection = new Redis(server.url, { maxRetriesPerRequest: null });
const queue = new Queue('deliver', { connection, prefix: 'bench', defaultJobOptions: JOB_DEFAULTS.deliver });
await queue.waitUntilReady();
let n = 0;
const batch = () =>
  Array.from({ length: k }, () => {
    n += 1;
    return { name: 'deliver', data: { destination: `console:${n % 50}`, articleId: `farm-outlet-001-${n}`, storyId: `s-${n}`, kind: 'alert', fetchedAt: 1_733_500_000_000 }, opts: { jobId: `dlv-${n}` } };
  });
const ways: [string, () => Promise<unknown>][] = [
  ['addBulk', () => queue.addBulk(batch())],
  ['adds', () => Promise.all(batch().map((j) => queue.add(j.name, j.data, j.opts)))],
];
try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const line: string[] = [];
    for (const [name, f] of ways) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < batches; i++) await f();
      const c = process.cpuUsage(c0);
      line.push(`${name} ${((c.user + c.system) / batches / k).toFixed(0)} µs a job`);
    }
    process.stdout.write(`round ${r} (${k} jobs a batch): ${line.join(' | ')}\n`);
  }
} finally {
  await queue.close();
  connection.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
