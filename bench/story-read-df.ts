// story-read-many.lua's document-frequency read alone, two script versions alternated against one
// redis-server: Redis's CPU (its main thread, INFO cpu) and the EVALSHA time (INFO commandstats)
// per batch of DF fields read, and whether both answer the same. The DF hashes are synthetic: two
// epochs' hashes of Zipf-like counts (a term's count ~ N / rank^1.1, as document frequencies run),
// a batch's fields drawn from them with some missing (new terms), as story-rate's batches read ~3,100.
//   npx tsx bench/story-read-df.ts [--script old.lua --script new.lua] [--rounds 8] [--batches 20] [--fields 3100]
// (default: the script as it was at main's a28c79f, from git, against the working tree's)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { luaScript } from '../src/adapters/redis/scripts.js';

const { values } = parseArgs({
  options: { script: { type: 'string', multiple: true }, rounds: { type: 'string', default: '8' }, batches: { type: 'string', default: '20' }, fields: { type: 'string', default: '3100' } },
});
const sources = values.script?.length ? values.script.map((f) => readFileSync(f, 'utf8')) : [execFileSync('git', ['show', 'a28c79f:src/adapters/redis/scripts/story-read-many.lua'], { encoding: 'utf8' }), luaScript('story-read-many')];
const names = values.script?.length ? values.script : ['a28c79f', 'working tree'];

/** A small pseudo-random generator (a fixed seed: the same batches every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'sw-read-df-'));
const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
const redis = new Redis(server.url);
try {
  const r = rng(11);
  const TERMS = 60_000;
  const term = (i: number) => (i % 3 === 0 ? `срок${i}` : `term${i}`);
  for (const [key, share, n] of [['df:now', 1, 40_000], ['df:prev', 0.6, 25_000]] as const) {
    const args: (string | number)[] = [];
    for (let i = 1; i <= TERMS; i++) if (r() < share) args.push(term(i), Math.max(1, Math.floor(n / i ** 1.1)));
    for (let i = 0; i < args.length; i += 2000) await redis.hset(key, ...args.slice(i, i + 2000));
    await redis.hset(key, '#n', n);
  }
  const shas = await Promise.all(sources.map((s) => redis.script('LOAD', s) as Promise<string>));
  const batches: string[][] = [];
  for (let b = 0; b < Number(values.batches); b++) {
    const fields = ['#n'];
    const seen = new Set<string>();
    while (fields.length < Number(values.fields)) {
      // common terms more often (a rank drawn towards the head), a few new ones
      const t = r() < 0.05 ? `new${b}-${fields.length}` : term(1 + Math.floor(TERMS * r() ** 2));
      if (!seen.has(t)) fields.push(t), seen.add(t);
    }
    batches.push(fields);
  }
  /** Redis's main-thread CPU so far, µs. */
  const cpuUs = async () => {
    const info = await redis.info('cpu');
    const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN);
    return 1e6 * (v('used_cpu_user_main_thread') + v('used_cpu_sys_main_thread'));
  };
  const evalUs = async () => {
    const s = await redis.info('commandstats');
    return Number(/cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(s)?.[1] ?? 0);
  };
  const answers: string[] = [];
  const totals = sources.map(() => ({ cpu: 0, eval: 0 }));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (let k = 0; k < sources.length; k++) {
      // alternated, and the order turned each round
      const s = round % 2 === 0 ? k : sources.length - 1 - k;
      const c0 = await cpuUs();
      const e0 = await evalUs();
      let digest = '';
      for (const fields of batches) {
        const got = (await redis.evalsha(shas[s]!, 4, 'df:now', 'df:prev', 'gen', 'log', '', '', ...fields)) as [unknown, number[], unknown];
        digest += got[1].join(',') + ';';
      }
      const c1 = await cpuUs();
      const e1 = await evalUs();
      totals[s]!.cpu += c1 - c0;
      totals[s]!.eval += e1 - e0;
      answers[s] ??= digest;
      if (answers[s] !== digest) throw new Error(`script ${names[s]} answered differently between rounds`);
    }
  }
  const per = Number(values.rounds) * batches.length;
  for (let s = 0; s < sources.length; s++) {
    console.log(`${names[s]}: Redis CPU ${(totals[s]!.cpu / per).toFixed(0)} µs a batch of ${values.fields} fields (EVALSHA ${(totals[s]!.eval / per).toFixed(0)} µs)`);
  }
  console.log(`answers identical: ${answers.every((a) => a === answers[0])}`);
} finally {
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
