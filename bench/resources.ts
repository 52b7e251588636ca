// Resource accounting for the bench: Redis's INFO figures, this process's peak RSS and live heap,
// and the machine's busy CPU time.
import { cpus } from 'node:os';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Redis } from 'ioredis';

export interface RedisInfo {
  usedMemoryMB: number;
  usedMemoryPeakMB: number;
  cpuSeconds: number;
  commands: number;
  /** Socket reads and writes Redis processed (a read takes in what a client wrote since the last), and its network bytes in and out. */
  io: { reads: number; writes: number; inBytes: number; outBytes: number };
  /** Per command (scripts' inner calls included): calls and server time, µs. */
  commandStats: Record<string, { calls: number; usec: number }>;
}

export async function redisInfo(redis: Redis): Promise<RedisInfo> {
  const text = await redis.info('everything');
  const num = (k: string) => Number(new RegExp(`^${k}:(\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const commandStats: RedisInfo['commandStats'] = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) commandStats[m[1]!] = { calls: Number(m[2]), usec: Number(m[3]) };
  return {
    usedMemoryMB: num('used_memory') / 1048576,
    usedMemoryPeakMB: num('used_memory_peak') / 1048576,
    cpuSeconds: num('used_cpu_user') + num('used_cpu_sys'),
    commands: num('total_commands_processed'),
    io: { reads: num('total_reads_processed'), writes: num('total_writes_processed'), inBytes: num('total_net_input_bytes'), outBytes: num('total_net_output_bytes') },
    commandStats,
  };
}

/** Samples this process's memory every 50 ms (the event loop permitting) and keeps the peak RSS. */
export class RssSampler {
  peakMB = 0;
  /** process.memoryUsage() at the peak, MB, and the phase it happened in. */
  atPeak: Record<string, number | string> = {};
  /** What the pipeline is doing now (a cycle's label), for the peak's record. */
  phase = 'setup';
  private timer: NodeJS.Timeout | null = null;
  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
    this.timer.unref();
  }
  sample(): number {
    // rss() alone reads one number; memoryUsage() walks V8's heap spaces too (it cost ~2% of the
    // pipeline thread every 50 ms), so that is read only at a new peak.
    const mb = process.memoryUsage.rss() / 1048576;
    if (mb > this.peakMB) {
      const m = process.memoryUsage();
      this.peakMB = mb;
      // per V8 heap space, MB committed and in use ([size, used]): where heapTotal's room beyond heapUsed is
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name.replace(/_space$/u, ''), `${Math.round(x.physical_space_size / 1048576)}/${Math.round(x.space_used_size / 1048576)}`]));
      this.atPeak = { ...Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v / 1048576)])), phase: this.phase, spaces: JSON.stringify(spaces) };
    }
    return mb;
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }
}

/**
 * This process's heap after a full garbage collection, MB: the memory the pipeline really holds
 * (RSS also counts garbage V8 has not collected yet and the room it keeps). Uses the gc() V8 hands
 * out when --expose-gc is set at run time; null when it cannot.
 */
export function liveHeapMB(): number | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc !== 'function') return null;
    gc();
    return process.memoryUsage().heapUsed / 1048576;
  } catch {
    return null;
  }
}

/** CPU time all cores spent busy since boot, seconds. */
export function machineBusySeconds(): number {
  let ms = 0;
  for (const c of cpus()) ms += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return ms / 1000;
}

/**
 * Objects the bench is done with (closed pipeline sessions' containers), to check that nothing keeps
 * them: a closed session still reachable runs beside the next one and inflates its peak RSS.
 */
export class Released {
  private readonly refs: WeakRef<object>[] = [];
  add(o: object): void {
    this.refs.push(new WeakRef(o));
  }
  /** How many of them survive a full GC (0 is right); null when no GC can be forced. */
  stillHeld(): number | null {
    return liveHeapMB() === null ? null : this.refs.filter((r) => r.deref() !== undefined).length;
  }
}
