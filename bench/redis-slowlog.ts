// Redis's own time by script and top-level command over a stretch of the bench (the cold cycle:
// STEPPEWATCH_BENCH_COLD_SLOWLOG=<file>), from SLOWLOG at 0 µs, drained every 250 ms so that its
// length stays bounded. A script's time includes the commands it calls; scripts are named by
// their SHA1: ours (src/adapters/redis/scripts/*.lua) and BullMQ's (its scripts' sources), so the
// table says which script spends Redis's CPU. Logging every command costs Redis CPU of its own
// (bench/README.md: up to ~+40%): read the shares, not the totals. Bench-only instrumentation.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

type Entry = [id: number, at: number, us: number, args: string[], addr: string, name: string];

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** SHA1 → script name: ours from the scripts folder, BullMQ's from its exported sources. */
export function scriptNames(): Map<string, string> {
  const names = new Map<string, string>();
  const ours = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'adapters', 'redis', 'scripts');
  for (const f of readdirSync(ours)) if (f.endsWith('.lua')) names.set(sha1(readFileSync(join(ours, f), 'utf8')), f.replace(/\.lua$/, ''));
  const req = createRequire(import.meta.url);
  // BullMQ's ESM index imports without file extensions (Node's ESM loader refuses): its CommonJS build.
  const bull = req('bullmq/dist/cjs/scripts/index.js') as Record<string, { name?: string; content?: string }>;
  for (const s of Object.values(bull)) if (s?.name && s.content) names.set(sha1(s.content), `bullmq:${s.name}`);
  return names;
}

export interface SlowlogSummary {
  /** By script or top-level command: calls, Redis ms and share of the top-level total (scripts include their inner calls, listed apart as `(in scripts) …`). */
  rows: { name: string; calls: number; ms: number; share: number }[];
  totalMs: number;
  /** Entries the log dropped between drains (its max length reached), if any. */
  dropped: number;
}

/** Starts logging every command; the returned function stops, restores the settings and sums up. */
export async function startSlowlog(redis: Redis): Promise<() => Promise<SlowlogSummary>> {
  const names = scriptNames();
  const saved = (await redis.config('GET', 'slowlog-log-slower-than', 'slowlog-max-len')) as string[];
  await redis.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '100000');
  await redis.slowlog('RESET');
  const sums = new Map<string, { calls: number; us: number; inner: boolean }>();
  let lastId = -1;
  let dropped = 0;
  const drain = async () => {
    // GET and RESET in one MULTI: nothing logged between them is lost.
    const res = (await redis.multi().slowlog('GET', -1).slowlog('RESET').exec()) ?? [];
    const entries = (res[0]?.[1] ?? []) as Entry[];
    // Newest first; ids are consecutive, so a gap to the last drain's newest is what the log dropped.
    if (entries.length && lastId >= 0) dropped += Math.max(0, entries[entries.length - 1]![0] - lastId - 1);
    if (entries.length) lastId = entries[0]![0];
    for (const [, , us, args, addr] of entries) {
      const cmd = String(args[0]).toLowerCase();
      if (cmd === 'slowlog' || cmd === 'config' || cmd === 'multi' || cmd === 'exec') continue;
      // A script's own calls are logged too, with no client address: counted apart (the script's time includes them).
      const inner = addr === '?:0';
      let name = cmd === 'evalsha' ? (names.get(String(args[1])) ?? `evalsha:${String(args[1]).slice(0, 8)}`) : inner ? `  (in scripts) ${cmd}` : cmd;
      // BullMQ's scripts by queue too (their keys carry the queue's hash tag): a deliver job's cost is not a poll's.
      if (name.startsWith('bullmq:')) name += ` {${/\{([\w-]+)\}/.exec(String(args[3]))?.[1] ?? '?'}}`;
      const s = sums.get(name) ?? { calls: 0, us: 0, inner };
      s.calls += 1;
      s.us += us;
      sums.set(name, s);
    }
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void drain().finally(() => (busy = false));
  }, 250);
  return async () => {
    clearInterval(timer);
    while (busy) await new Promise((r) => setTimeout(r, 10));
    await drain();
    await redis.config('SET', saved[0]!, saved[1]!, saved[2]!, saved[3]!);
    // Top-level commands only: a script's inner calls are in its own time.
    const totalUs = [...sums.values()].reduce((a, s) => a + (s.inner ? 0 : s.us), 0);
    const rows = [...sums]
      .map(([name, s]) => ({ name, calls: s.calls, ms: Math.round(s.us / 100) / 10, share: Math.round((1000 * s.us) / Math.max(1, totalUs)) / 10 }))
      .sort((a, b) => b.ms - a.ms);
    return { rows, totalMs: Math.round(totalUs / 1000), dropped };
  };
}
