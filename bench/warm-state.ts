// CPU per feed of a warm cycle's state work alone, two builds side by side in one process: a
// poll-due group's load of its feeds' config, runtime and health (FeedStore.loadManyForPoll), the
// 304's reducer and next-poll plan (core/feed/policy/schedule.ts), the group's save
// (saveManyAfterPoll), against a real Redis, with 20 recent item dates a feed as after a cold
// cycle. The builds' compiled modules (`npm run build` in each checkout) are loaded from their
// dist/ and run cycle by cycle alternately, each on its own keys, so a loaded machine slows both
// alike. Reports client CPU µs per feed (process.cpuUsage), each cycle and the median.
//
//   npx tsx bench/warm-state.ts --a ../base --b . [--feeds 1000] [--group 50] [--cycles 15]
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import { connectRedis } from '../src/adapters/redis/connection.js';
import { makeKeys } from '../src/adapters/redis/keys.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    feeds: { type: 'string', default: '1000' },
    group: { type: 'string', default: '50' },
    cycles: { type: 'string', default: '15' },
  },
});
const feeds = Number(values.feeds);
const group = Number(values.group);
const cycles = Number(values.cycles);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- two builds' modules, typed by neither
type Build = { name: string; store: any; schedule: any };
async function load(name: string, root: string, redis: Redis): Promise<Build> {
  const dist = (p: string) => import(pathToFileURL(join(resolve(root), 'dist', p)).href);
  const { createRedisFeedStore } = await dist('src/adapters/redis/feed-store.js');
  const schedule = await dist('src/core/feed/policy/schedule.js');
  return { name, store: createRedisFeedStore(redis, makeKeys(`ws-${name}`)), schedule };
}

const dir = mkdtempSync(join(tmpdir(), 'sw-warm-state-'));
const server = await spawnRedis({ dir: join(dir, 'redis'), socket: join(dir, 'redis.sock') });
const redis = connectRedis(server.url);
try {
  const builds = [await load('a', values.a ?? '.', redis), await load('b', values.b!, redis)];
  const ids = Array.from({ length: feeds }, (_, i) => `feed-${i}`);
  const start = Date.UTC(2026, 11, 1);
  // Set-up as a cold cycle leaves it: config, runtime with validators, health after a poll of 20 dated items.
  for (const b of builds) {
    const items = Array.from({ length: 20 }, (_, k) => ({ published: new Date(start - k * 3_600_000).toISOString(), publishedEstimated: false }));
    const health = b.schedule.recordPollOutcome(b.schedule.emptyHealth(), { kind: 'ok', items, notBefore: null }, new Date(start));
    for (const id of ids) {
      await b.store.upsert({ id, url: `http://127.0.0.1:9/${id}.xml`, outlet: `Outlet ${id}`, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
      // Each feed's own health object, as each feed's poll makes one (a store may keep what it saved).
      await b.store.saveAfterPoll(id, { etag: `"${id}-v1"`, lastModified: new Date(start).toUTCString(), intervalSeconds: 600, polls: 1, paused: null }, structuredClone(health));
    }
  }
  const us: Record<string, number[]> = { a: [], b: [] };
  for (let c = 0; c < cycles; c++) {
    for (const b of c % 2 ? [...builds].reverse() : builds) {
      const now = new Date(start + (c + 1) * 60_000);
      const c0 = process.cpuUsage();
      for (let i = 0; i < ids.length; i += group) {
        const chunk = ids.slice(i, i + group);
        const loaded = await b.store.loadManyForPoll(chunk);
        const saves = chunk.map((id) => {
          const l = loaded.get(id);
          const health = b.schedule.recordPollOutcome(l.health, { kind: 'not-modified', notBefore: null }, now);
          b.schedule.planNextPoll(health, { minSeconds: 300, maxSeconds: 3600, now, random: Math.random });
          return { id, runtime: { ...l.runtime, polls: l.runtime.polls + 1 }, health };
        });
        await b.store.saveManyAfterPoll(saves);
      }
      const t = process.cpuUsage(c0);
      us[b.name]!.push((t.user + t.system) / feeds);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  for (const b of builds) console.log(`${b.name}: median ${median(us[b.name]!.slice(1)).toFixed(1)} µs/feed  (cycles: ${us[b.name]!.map((u) => u.toFixed(0)).join(' ')})`);
} finally {
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
