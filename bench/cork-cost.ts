// What a command's socket write costs the client and Redis when a few commands go out together
// (Promise.all, as the stores and jobs send their reads): one write a command (ioredis's way)
// against the socket corked until the current tick's callbacks and promise reactions are done
// (src/adapters/redis/connection.ts corkPerTick: one write for all). Client CPU and Redis CPU
// (INFO cpu) µs a command, the two ways alternated round by round, over a private redis-server's
// Unix socket with ioredis loaded as the workers have it.
//
//   npx tsx bench/cork-cost.ts [--together 5] [--batches 4000] [--rounds 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { corkPerTick } from '../src/adapters/redis/connection.js';

const { values } = parseArgs({ options: { together: { type: 'string', default: '5' }, batches: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '4' } } });
const [k, batches] = [Number(values.together), Number(values.batches)];
const dir = mkdtempSync(join(tmpdir(), 'sw-cork-cost-'));
const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
const plain = new Redis(server.url);
const corked = corkPerTick(new Redis(server.url));
const probe = new Redis(server.url);
for (const r of [plain, corked]) await r.set('k', 'x'.repeat(300));
await Promise.all([plain.ping(), corked.ping(), probe.ping()]);

async function redisCpuUs(): Promise<number> {
  const info = await probe.info('cpu');
  const v = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (v('used_cpu_sys') + v('used_cpu_user')) * 1e6;
}

try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const line: string[] = [];
    for (const [name, redis] of [
      ['a write a command', plain],
      ['corked a tick', corked],
    ] as const) {
      const s0 = await redisCpuUs();
      const c0 = process.cpuUsage();
      for (let i = 0; i < batches; i++) await Promise.all(Array.from({ length: k }, (_, j) => (j % 2 ? redis.get('k') : redis.exists('k'))));
      const c = process.cpuUsage(c0);
      const s = (await redisCpuUs()) - s0;
      const n = batches * k;
      line.push(`${name}: client ${((c.user + c.system) / n).toFixed(1)} (sys ${(c.system / n).toFixed(1)}), redis ${(s / n).toFixed(1)} µs a command`);
    }
    process.stdout.write(`round ${r} (${k} together): ${line.join(' | ')}\n`);
  }
} finally {
  for (const r of [plain, corked, probe]) r.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
