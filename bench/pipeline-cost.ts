// What an ioredis pipeline costs the client against the same commands sent as plain calls
// together (src/adapters/redis/connection.ts): on a connection with as many scripts defined as the
// stores' connection has (the Pipeline constructor copies each), over a private redis-server's
// Unix socket. Client CPU µs a round trip, each way alternated round by round.
//
//   npx tsx bench/pipeline-cost.ts [--scripts 26] [--calls 5000] [--rounds 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { spawnRedis } from '../src/adapters/redis/spawn.js';

const { values } = parseArgs({ options: { scripts: { type: 'string', default: '26' }, calls: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '4' } } });
const dir = mkdtempSync(join(tmpdir(), 'sw-pipeline-cost-'));
const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
const redis = new Redis(server.url);
for (let i = 0; i < Number(values.scripts); i++) redis.defineCommand(`swBench${i}`, { lua: `return ${i}` });
await redis.hset('h', 'a', 'x'.repeat(200), 'b', 'y'.repeat(300));
const ways: [string, () => Promise<unknown>][] = [
  ['two reads, pipeline', () => redis.pipeline().hget('h', 'a').hmget('h', 'a', 'b').exec()],
  ['two reads, calls', () => Promise.all([redis.hget('h', 'a'), redis.hmget('h', 'a', 'b')])],
  ['one read, pipeline', () => redis.pipeline().hgetall('h').exec()],
  ['one read, call', () => redis.hgetall('h')],
];
try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const line: string[] = [];
    for (const [name, f] of ways) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < Number(values.calls); i++) await f();
      const c = process.cpuUsage(c0);
      line.push(`${name} ${((c.user + c.system) / Number(values.calls)).toFixed(1)} µs`);
    }
    process.stdout.write(`round ${r}: ${line.join(' | ')}\n`);
  }
} finally {
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
