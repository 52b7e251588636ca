// The fault schedule: drawn from the seed before the run, then played against the live system.
// Outside faults are spread over the fault phase; the window kills come from the failpoints the
// workers were started with (roles.ts), so they land exactly in the windows whenever work passes
// through them.
import { chooser, hash32, rng } from '../../bench/farm/rng.js';
import type { Farm } from './farm.js';
import type { Fakes } from './fakes.js';
import type { ChaosRedis, RedisRestart } from './redis.js';
import type { Roles } from './roles.js';

export type Fault =
  | { kind: 'worker-kill'; restartMs: number }
  | { kind: 'redis'; how: RedisRestart; downMs: number }
  | { kind: 'platform'; platform: 'slack' | 'discord'; fault: '429' | '500'; ms: number }
  | { kind: 'feed'; outlet: number; mode: 'hang' | 'fail'; ms: number };

export interface Timed {
  atMs: number;
  fault: Fault;
}

/**
 * The schedule for a fault phase of `phaseMs`: a worker SIGKILL every ~`phaseMs/kills`, three Redis
 * restarts (SIGTERM, SIGKILL, host crash, in a seeded order, at ~¼, ½, ¾ of the phase, then every
 * ~2 min more on longer runs), 429 storms and 500 bursts on each platform, hanging and failing feeds.
 */
export function planFaults(o: { seed: number; phaseMs: number; outlets: number }): Timed[] {
  const r = rng(hash32(`chaos-faults:${o.seed}`));
  const { pick, int } = chooser(r);
  const out: Timed[] = [];
  const minutes = o.phaseMs / 60_000;
  // Worker kills: ~2.5 a minute, at least 4.
  const kills = Math.max(4, Math.round(minutes * 2.5));
  for (let i = 0; i < kills; i++) out.push({ atMs: Math.round(((i + 0.3 + 0.5 * r()) / kills) * o.phaseMs), fault: { kind: 'worker-kill', restartMs: int(500, 3_000) } });
  // Redis: three restarts, one of each kind; more on long runs.
  const hows: RedisRestart[] = (['term', 'kill', 'crash'] as const).slice().sort(() => r() - 0.5);
  const restarts = Math.max(3, Math.floor(minutes / 2) + 1);
  for (let i = 0; i < restarts; i++) {
    out.push({ atMs: Math.round(((i + 0.6 + 0.2 * r()) / (restarts + 0.5)) * o.phaseMs), fault: { kind: 'redis', how: hows[i % 3]!, downMs: int(300, 2_500) } });
  }
  // Platforms: per minute one 429 storm on each and one 500 burst on one of them.
  for (let m = 0; m < Math.max(1, Math.round(minutes)); m++) {
    const base = m * 60_000;
    for (const platform of ['slack', 'discord'] as const) out.push({ atMs: base + int(5_000, 50_000), fault: { kind: 'platform', platform, fault: '429', ms: int(4_000, 10_000) } });
    out.push({ atMs: base + int(5_000, 50_000), fault: { kind: 'platform', platform: pick(['slack', 'discord'] as const), fault: '500', ms: int(2_000, 5_000) } });
    // Feeds: one hangs for a while, another fails for a few polls (short of the ten that pause it).
    out.push({ atMs: base + int(5_000, 45_000), fault: { kind: 'feed', outlet: int(0, o.outlets - 1), mode: 'hang', ms: int(10_000, 20_000) } });
    out.push({ atMs: base + int(5_000, 45_000), fault: { kind: 'feed', outlet: int(0, o.outlets - 1), mode: 'fail', ms: int(4_000, 10_000) } });
  }
  return out.filter((t) => t.atMs < o.phaseMs).sort((a, b) => a.atMs - b.atMs);
}

export interface FaultCounts {
  workerKills: number;
  redisRestarts: number;
  hostCrashes: number;
  feedHangs: number;
  feedFailures: number;
  /** When each host crash struck (ms since the epoch). */
  crashTimes: number[];
}

/** Plays the schedule from `t0`; resolves when every fault has been applied and undone. */
export async function playFaults(
  plan: Timed[],
  t0: number,
  sys: { roles: Roles; redis: ChaosRedis; fakes: Fakes; farm: Farm; log: (s: string) => void; random: () => number },
  counts: FaultCounts,
): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // One Redis restart at a time (a restart takes the server away; two would overlap).
  let redisBusy: Promise<unknown> = Promise.resolve();
  for (const t of plan) {
    const wait = t0 + t.atMs - Date.now();
    if (wait > 0) await sleep(wait);
    const f = t.fault;
    switch (f.kind) {
      case 'worker-kill': {
        const live = sys.roles.workers();
        if (!live.length) break;
        const name = live[Math.floor(sys.random() * live.length)]!;
        if (sys.roles.kill(name, f.restartMs)) {
          counts.workerKills += 1;
          sys.log(`fault: SIGKILL ${name} (back in ${f.restartMs} ms)`);
        }
        break;
      }
      case 'redis':
        redisBusy = redisBusy.then(async () => {
          if (f.how === 'crash') counts.crashTimes.push(Date.now());
          sys.log(`fault: redis ${f.how === 'crash' ? 'host crash (loses its last second of writes)' : `SIG${f.how === 'term' ? 'TERM' : 'KILL'}`}, down ${f.downMs} ms`);
          const r = await sys.redis.restart(f.how, f.downMs);
          counts.redisRestarts += 1;
          if (f.how === 'crash') {
            counts.hostCrashes += 1;
            sys.log(`fault: host crash dropped ${r.truncatedBytes} bytes of AOF`);
          }
        });
        pending.push(redisBusy);
        break;
      case 'platform':
        sys.log(`fault: ${f.platform} answers ${f.fault} for ${f.ms} ms`);
        sys.fakes.setFault(f.platform, f.fault);
        pending.push(sleep(f.ms).then(() => sys.fakes.setFault(f.platform, 'none')));
        break;
      case 'feed':
        sys.log(`fault: feed o${f.outlet} ${f.mode === 'hang' ? 'hangs' : 'fails (503)'} for ${f.ms} ms`);
        if (f.mode === 'hang') counts.feedHangs += 1;
        else counts.feedFailures += 1;
        sys.farm.setMode(f.outlet, f.mode);
        pending.push(sleep(f.ms).then(() => sys.farm.setMode(f.outlet, 'ok')));
        break;
    }
  }
  await Promise.all(pending);
}
