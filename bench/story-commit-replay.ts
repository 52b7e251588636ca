// Redis's cost of the story commit (story-commit-many.lua) alone, and of variants of the script,
// over the commits of story-rate's timed part replayed against a real Redis.
//
// `--capture <file>`: warms a store as story-rate does (`--warm`, default 40,000; 0 gives a cold
// store's commits: every story new, ~10 index sets an article), then assigns `--articles` (2,000) in
// batches of `--batch` (100) and writes every commit the store sent (numkeys, KEYS, ARGV) with its
// answer's code, a JSON object a line. The arguments are this build's: replay them with its script
// (or variants that take the same arguments).
// `--replay <file> [--script a.lua --script b.lua ...]` (default: this build's script): a fresh
// redis-server (AOF on, as the product's), primed with one pass of the commits that wrote; then
// `--rounds` (default 5) rounds, each replaying every such commit once with each script in turn (the
// first script of a round alternates). Before each commit, plain commands (not counted) set what its
// checks read: the lock its token, the stories' versions as they were read; a first try (ARGV[13]
// '1') gets the mirror's generation, protocol and last log entry it names, and its articles unfiled.
// Figures by script, an article: EVALSHA's µs (INFO commandstats: the script with its inner calls,
// wall time) and Redis's main-thread CPU µs around each EVALSHA (INFO cpu: reply and AOF feed too),
// medians and rounds. On a loaded machine both move ±20% from round to round; for an exact figure
// run one script at a time under callgrind: `--redis-bin <wrapper>`, a script that runs
// `valgrind --tool=callgrind /usr/bin/redis-server "$@"` (instructions of the whole run: the prime
// pass, one round with `--rounds 1`, and the plain commands alike for every script).
// `--verify`: each commit run with the first script and with each other one from the same state
// (DUMP/RESTORE of every key it touches), and what they leave compared (values, TTLs within 5 s,
// the DF fields it counts); exits 1 on a difference. `--dump <file>`: every key after the rounds
// (values but versions and log ids), to compare two replays whose scripts take other arguments.
// By hand, e.g.:
//   npx tsx bench/story-commit-replay.ts --capture /tmp/commits.jsonl
//   npx tsx bench/story-commit-replay.ts --replay /tmp/commits.jsonl --script old.lua --script new.lua
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { luaScript } from '../src/adapters/redis/scripts.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { createRedisStoryStore } from '../src/adapters/redis/story-store.js';
import { centralAsiaItems, STORY_RATE_START, warmIndex } from './story-rate.js';

/** One commit as sent: numkeys, KEYS, ARGV (`a`), and the first element of its answer. */
interface Sent {
  a: (string | number)[];
  code: number;
}

async function withRedis<T>(f: (redis: Redis) => Promise<T>, bin?: string): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-commit-replay-'));
  const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock'), ...(bin ? { bin, timeoutSeconds: 120 } : {}) });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  try {
    return await f(redis);
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function capture(file: string, warm: number, articles: number, batch: number): Promise<number> {
  return withRedis(async (redis) => {
    const keys = makeKeys(`bench-commit-${process.pid}`);
    const store = createRedisStoryStore({ redis, keys });
    const base = centralAsiaItems(articles);
    await warmIndex(store, base, warm);
    const c = redis as unknown as { swStoryCommitMany: (a: (string | number)[]) => Promise<unknown[]> };
    const send = c.swStoryCommitMany.bind(redis);
    const sent: string[] = [];
    c.swStoryCommitMany = async (a) => {
      // copied now: the caller reuses the array (story-commit.ts, tryFirst)
      const copy = a.map(String);
      const res = await send(a);
      sent.push(JSON.stringify({ a: copy, code: Number(res[0]) } satisfies Sent));
      return res;
    };
    for (let i = 0; i < base.length; i += batch) await store.assignMany(base.slice(i, i + batch), new Date(STORY_RATE_START));
    writeFileSync(file, sent.join('\n') + '\n');
    return sent.length;
  });
}

async function load(file: string): Promise<Sent[]> {
  const out: Sent[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) if (line) out.push(JSON.parse(line) as Sent);
  return out;
}

/** A commit's parts by name (story-commit-many.lua's header). */
function parts(a: (string | number)[]) {
  const nk = Number(a[0]);
  const K = a.slice(1, nk + 1).map(String);
  const A = a.slice(nk + 1).map(String);
  const ns = Number(A[0]);
  const na = Number(A[1]);
  const ni = Number(A[2]);
  return { nk, K, A, ns, na, ni, first: A[12] === '1' };
}

/** Plain commands that give a commit's checks what they read when it was sent. */
function prepare(redis: Redis, a: (string | number)[]) {
  const { nk, K, A, ns, na, first } = parts(a);
  const p = redis.pipeline();
  const lock = K[nk - 4]!;
  const log = K[nk - 3]!;
  if (first) {
    p.del(lock);
    p.set(K[nk - 1]!, A[15]!);
    p.set(K[nk - 2]!, A[13]!);
    p.del(log);
    if (A[14] !== '') p.xadd(log, A[14]!, 'b', '');
    for (let i = 0; i < na; i++) p.del(K[2 * ns + i]!);
  } else p.set(lock, A[5]!);
  for (let j = 0; j < ns; j++) {
    const mode = A[18 + 2 * j]!;
    if (mode === '-') continue;
    if (mode === '') p.del(K[j]!);
    else if (mode === '0') {
      p.del(K[ns + j]!);
      p.set(K[j]!, '{}', 'NX');
    } else p.set(K[ns + j]!, mode);
  }
  return p.exec();
}

async function evalshaUsec(redis: Redis): Promise<number> {
  const m = /cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(await redis.info('commandstats'));
  return m ? Number(m[1]) : 0;
}

/** Redis's main thread CPU, µs (INFO cpu; CPU rather than EVALSHA's wall time: the machine is shared). */
async function mainCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return Math.round((v('used_cpu_user_main_thread') + v('used_cpu_sys_main_thread')) * 1e6);
}

async function runAll(redis: Redis, sha: string, sent: readonly Sent[]): Promise<{ usec: number; cpu: number; articles: number }> {
  let usec = 0;
  let cpu = 0;
  let articles = 0;
  for (const s of sent) {
    await prepare(redis, s.a);
    const u0 = await evalshaUsec(redis);
    // INFO's own CPU, taken off: two in a row
    const i0 = await mainCpuUs(redis);
    const c0 = await mainCpuUs(redis);
    const res = (await redis.call('EVALSHA', sha, ...s.a)) as unknown[];
    cpu += (await mainCpuUs(redis)) - c0 - (c0 - i0);
    const u1 = await evalshaUsec(redis);
    usec += u1 - u0;
    if (res[0] !== 1) throw new Error(`replayed commit answered ${JSON.stringify(res).slice(0, 200)}`);
    articles += parts(s.a).na;
  }
  return { usec, cpu, articles };
}

/** Every key a commit touches, and the DF fields it counts (the hash itself is shared by all). */
function touched(a: (string | number)[]): { keys: string[]; df: string; fields: string[]; drawn: Set<string> } {
  const { nk, K, A, ns, na, ni } = parts(a);
  const df = K[2 * ns + 2 * na + ni + 2]!;
  const nd = Number(A[4]);
  let at = 18 + 2 * ns + 2 * na;
  for (let i = 0; i < ni; i++) at += 1 + 2 * Number(A[at]);
  at += 2 * Number(A[3]);
  // (nd negative: one JSON array, the fields then their counts)
  const fields: string[] = nd < 0 ? (JSON.parse(A[at]!) as string[]).slice(0, -nd) : Array.from({ length: nd }, (_, i) => A[at + 2 * i]!);
  fields.push('#n');
  // the versions: every run of a commit draws a new one (INCR of the counter)
  const drawn = new Set([...K.slice(ns, 2 * ns), K[2 * ns + 2 * na + ni + 3]!]);
  return { keys: K.slice(0, nk).filter((k) => k !== df), df, fields, drawn };
}

/** What a commit left in the keys it touches (TTLs apart: `ttls`, ms, compared within 5 s). */
async function snapshot(redis: Redis, t: ReturnType<typeof touched>): Promise<{ text: string; ttls: number[] }> {
  const out: unknown[] = [];
  const ttls: number[] = [];
  for (const k of t.keys) {
    const type = await redis.type(k);
    ttls.push(await redis.pttl(k));
    let v: unknown = null;
    if (t.drawn.has(k)) v = 'drawn';
    else if (type === 'string') v = await redis.get(k);
    else if (type === 'zset') v = await redis.zrange(k, '0', '-1', 'WITHSCORES');
    else if (type === 'set') v = (await redis.smembers(k)).sort();
    else if (type === 'stream') v = (await redis.xrange(k, '-', '+')).map(([, f]) => f);
    else if (type === 'hash') v = await redis.hgetall(k);
    out.push([k, type, v]);
  }
  out.push(await redis.hmget(t.df, ...t.fields));
  ttls.push(await redis.pttl(t.df));
  return { text: JSON.stringify(out), ttls };
}

async function verify(redis: Redis, shas: string[], sent: readonly Sent[]): Promise<number> {
  let bad = 0;
  for (const [n, s] of sent.entries()) {
    const t = touched(s.a);
    await prepare(redis, s.a);
    const dumps = await Promise.all(t.keys.map(async (k) => [k, await redis.dumpBuffer(k), await redis.pttl(k)] as const));
    const df = await redis.hmget(t.df, ...t.fields);
    const after: { text: string; ttls: number[] }[] = [];
    const answers: string[] = [];
    for (const sha of shas) {
      for (const [k, d, ttl] of dumps) {
        await redis.del(k);
        if (d) await redis.call('RESTORE', k, ttl > 0 ? ttl : 0, d);
      }
      const back = t.fields.flatMap((f, i) => (df[i] === null ? [] : [f, df[i]!]));
      await redis.hdel(t.df, ...t.fields);
      if (back.length) await redis.hset(t.df, ...back);
      await prepare(redis, s.a);
      const res = (await redis.call('EVALSHA', sha, ...s.a)) as unknown[];
      // the version (INCR of the counter) and Redis's clock differ from run to run
      answers.push(JSON.stringify([res[0], typeof res[2]]));
      after.push(await snapshot(redis, t));
    }
    for (let i = 1; i < shas.length; i++) {
      const x = after[0]!;
      const y = after[i]!;
      const ttlsAlike = x.ttls.every((ms, k) => (ms < 0 ? ms === y.ttls[k] : Math.abs(ms - y.ttls[k]!) < 5000));
      if (answers[i] === answers[0] && x.text === y.text && ttlsAlike) continue;
      bad++;
      const at = [...x.text].findIndex((ch, k) => y.text[k] !== ch);
      const around = (z: string) => z.slice(Math.max(0, at - 150), at + 80);
      console.error(`commit ${n}: script ${i + 1} left another state than script 1 (answers ${answers[0]}, ${answers[i]}; TTLs alike: ${ttlsAlike}): …${around(x.text)}… against …${around(y.text)}…`);
    }
  }
  return bad;
}

/**
 * Every key as the replay left it, for two replays' comparison (`--dump`: e.g. a script that takes
 * its arguments in another form, run over commits rewritten to it): values but the versions (drawn
 * anew by every run) and the log's entry ids; whether a key expires, not when.
 */
async function dumpAll(redis: Redis, file: string): Promise<void> {
  const out: unknown[] = [];
  let cursor = '0';
  const all: string[] = [];
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    all.push(...found);
  } while (cursor !== '0');
  for (const k of all.sort()) {
    const type = await redis.type(k);
    const expires = (await redis.pttl(k)) > 0;
    let v: unknown = null;
    if (/:story:ver(:|-seq$)/.test(k)) v = 'drawn';
    else if (type === 'string') v = await redis.get(k);
    else if (type === 'zset') v = await redis.zrange(k, '0', '-1', 'WITHSCORES');
    else if (type === 'set') v = (await redis.smembers(k)).sort();
    else if (type === 'stream') v = (await redis.xrange(k, '-', '+')).map(([, f]) => f);
    else if (type === 'hash') v = Object.entries(await redis.hgetall(k)).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    out.push([k, type, expires, v]);
  }
  writeFileSync(file, out.map((x) => JSON.stringify(x)).join('\n') + '\n');
}

export async function replay(file: string, scripts: string[], rounds: number, check: boolean, bin?: string, dump?: string): Promise<void> {
  const sent = (await load(file)).filter((s) => s.code === 1);
  await withRedis(async (redis) => {
    const shas: string[] = [];
    for (const src of scripts) shas.push((await redis.script('LOAD', src)) as string);
    await runAll(redis, shas[0]!, sent);
    if (check) {
      const bad = await verify(redis, shas, sent);
      console.log(JSON.stringify({ commits: sent.length, differing: bad }));
      if (bad) process.exitCode = 1;
      return;
    }
    const per: number[][] = shas.map(() => []);
    const perCpu: number[][] = shas.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let v = 0; v < shas.length; v++) {
        const i = (v + r) % shas.length;
        const { usec, cpu, articles } = await runAll(redis, shas[i]!, sent);
        per[i]!.push(Math.round((usec / articles) * 10) / 10);
        perCpu[i]!.push(Math.round((cpu / articles) * 10) / 10);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const articles = sent.reduce((n, s) => n + parts(s.a).na, 0);
    if (dump) await dumpAll(redis, dump);
    console.log(JSON.stringify({ commits: sent.length, articles, byScript: per.map((xs, i) => ({ script: i + 1, evalshaUs: median(xs), cpuUs: median(perCpu[i]!), evalshaRounds: xs.join(' '), cpuRounds: perCpu[i]!.join(' ') })) }, null, 2));
  }, bin);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      capture: { type: 'string' }, replay: { type: 'string' }, script: { type: 'string', multiple: true }, rounds: { type: 'string', default: '5' },
      warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, batch: { type: 'string', default: '100' }, verify: { type: 'boolean' }, 'redis-bin': { type: 'string' }, dump: { type: 'string' },
    },
  });
  if (values.capture) console.log(`${await capture(values.capture, Number(values.warm), Number(values.articles), Number(values.batch))} commits written to ${values.capture}`);
  else if (values.replay) {
    const files = values.script ?? [];
    const srcs = files.length ? files.map((f) => readFileSync(f, 'utf8')) : [luaScript('story-commit-many')];
    await replay(values.replay, srcs, Number(values.rounds), values.verify === true, values['redis-bin'], values.dump);
  } else console.error('--capture <file> or --replay <file> (see the head of bench/story-commit-replay.ts)');
}
