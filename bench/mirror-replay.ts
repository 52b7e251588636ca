// The story assigner's mirror upkeep alone (story-mirror.ts over core/story/candidate-sets.ts), no
// engine, no Redis in the timed part (not a test; run by hand):
//
//   npx tsx bench/mirror-replay.ts --save <log.json> [--warm 40000] [--articles 2000]
//   npx tsx bench/mirror-replay.ts --log <log.json> [--rounds 5] [--split]
//
// `--save` runs story-rate's input (bench/story-rate.ts: the warm index, then the timed articles)
// through the Redis store once and writes the change log it left (XRANGE, as a mirror reads it).
// `--log` replays that log into fresh mirrors `rounds` times and prints, per round, the CPU (µs)
// of building the mirror from the log (what `loadMirror` does after the XRANGE) and of the timed
// articles' upkeep as the assigner does it: per filing a lookup over its keys (weights 1, the
// engine's perKey and want), then the filing; and the mirror's heap after a full GC. Two builds
// (A/B, alternated) replay the same file, so their figures compare the candidate sets alone.
// `--split` also times the lookups apart (a cpuUsage call around each: adds its own cost).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { DEFAULT_WINDOW_HOURS, MAX_CANDIDATES } from '../src/core/story/decide.js';
import { PER_KEY_LIMIT } from '../src/core/story/engine.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { createRedisStoryStore } from '../src/adapters/redis/story-store.js';
import { StoryMirror } from '../src/adapters/redis/story-mirror.js';
import { centralAsiaItems, STORY_RATE_START, warmIndex } from './story-rate.js';

type Entries = [string, string[]][];
const REC = '\x1e';
const FLD = '\x1f';

const { values: opt } = parseArgs({ options: { save: { type: 'string' }, log: { type: 'string' }, warm: { type: 'string', default: '40000' }, articles: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' }, split: { type: 'boolean' } } });

if (opt.save) {
  const dir = mkdtempSync(join(tmpdir(), 'sw-mirror-replay-'));
  const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
  try {
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    const keys = makeKeys('replay');
    const store = createRedisStoryStore({ redis, keys });
    const base = centralAsiaItems(Number(opt.articles));
    await warmIndex(store, base, Number(opt.warm));
    for (let i = 0; i < base.length; i += 100) await store.assignMany(base.slice(i, i + 100), new Date(STORY_RATE_START));
    const log = (await redis.xrange(keys.storyLog, '-', '+')) as Entries;
    writeFileSync(opt.save, JSON.stringify(log));
    console.log(`${log.length} log entries -> ${opt.save}`);
    await redis.quit();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
} else if (opt.log) {
  const log = JSON.parse(readFileSync(opt.log, 'utf8')) as Entries;
  // the timed part: the last batches at story-rate's `now` (the warm batches are an hour back or more)
  const isTimed = (e: Entries[number]) => e[1][0] === 'b' && Number(e[1][1]!.split(REC)[0]) === STORY_RATE_START;
  const firstTimed = log.findIndex(isTimed);
  const warm = log.slice(0, firstTimed);
  const timed = log.slice(firstTimed);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const us = (c: NodeJS.CpuUsage) => c.user + c.system;
  const windowMs = DEFAULT_WINDOW_HOURS * 3_600_000;
  let filings = 0;
  let m: StoryMirror | null = null;
  const split = opt.split === true;
  for (let r = 0; r < Number(opt.rounds); r++) {
    m = null;
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    m = new StoryMirror(windowMs);
    m.apply(warm);
    const c1 = process.cpuUsage();
    let hits = 0;
    let lookupUs = 0;
    filings = 0;
    for (const [, fv] of timed) {
      const recs = fv[1]!.split(REC);
      const nowMs = Number(recs[0]);
      for (let i = 1; i < recs.length; i++) {
        const p = recs[i]!.split(FLD);
        const t = Number(p[1]);
        const ks = p.slice(2);
        const l0 = split ? process.cpuUsage() : null;
        hits += m.sets.lookup({ keys: ks, weights: ks.map(() => 1), tMin: t - windowMs, tMax: t + windowMs, perKey: PER_KEY_LIMIT, want: MAX_CANDIDATES }).size;
        if (l0) lookupUs += us(process.cpuUsage(l0));
        m.file({ storyId: p[0]!, t, keys: ks }, nowMs);
        filings++;
      }
    }
    const c2 = process.cpuUsage();
    gc();
    const heapMB = (process.memoryUsage().heapUsed - h0) / 2 ** 20;
    const st = m.sets.stats();
    const perFiling = (x: number) => Math.round((x / filings) * 10) / 10;
    const lookups = split ? { lookupUsPerFiling: perFiling(lookupUs) } : {};
    console.log(JSON.stringify({ round: r, buildCpuMs: Math.round((us(c1) - us(c0)) / 1000), timedUsPerFiling: perFiling(us(c2) - us(c1)), ...lookups, hits, heapMB: Math.round(heapMB * 10) / 10, sets: st.sets, entries: st.entries }));
  }
} else {
  console.error('--save <file> or --log <file>');
  process.exit(2);
}
