// CPU seconds of this process by thread (Linux /proc/self/task: the main thread, V8's GC and
// compiler helpers, libuv's pool), over a stretch of the bench: the main thread's CPU profile does
// not see what V8's helper threads spend (concurrent marking, sweeping, parallel scavenges).
// STEPPEWATCH_BENCH_COLD_THREADS=<file> writes it for each cold cycle. Bench-only instrumentation.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc's CPU times (100 on every Linux Node supports). */
const HZ = 100;

type Sample = Map<string, { name: string; ticks: number }>;

function sample(): Sample {
  const out: Sample = new Map();
  let tasks: string[] = [];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses: utime is the 14th field, stime the 15th.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      out.set(tid, { name, ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Starts; the returned function gives CPU seconds by thread name (threads of one name summed) since. */
export function startThreadCpu(): () => Record<string, number> {
  const before = sample();
  return () => {
    const after = sample();
    const ticks: Record<string, number> = {};
    for (const [tid, a] of after) {
      const name = tid === String(process.pid) ? 'main' : a.name;
      ticks[name] = (ticks[name] ?? 0) + a.ticks - (before.get(tid)?.ticks ?? 0);
    }
    return Object.fromEntries(Object.entries(ticks).sort((x, y) => y[1] - x[1]).map(([k, t]) => [k, t / HZ]));
  };
}
