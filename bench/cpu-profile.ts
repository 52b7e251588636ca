// An in-process CPU profile over one stretch of the bench (node:inspector), written as a
// .cpuprofile that Chrome DevTools or speedscope open. Used for the warm cycles
// (STEPPEWATCH_BENCH_WARM_PROFILE=<dir>) and the cold cycles (STEPPEWATCH_BENCH_COLD_PROFILE=<dir>),
// bench/README.md.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts sampling (every 200 µs); the returned function stops and writes the profile to `file`. */
export async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * Starts V8's sampling heap profiler (a sample every `intervalBytes` allocated, objects collected
 * since counted too: what was allocated, not what is alive); the returned function stops and
 * writes a .heapprofile (Chrome DevTools opens it; bench/alloc-summary.ts sums it by function).
 * STEPPEWATCH_BENCH_COLD_ALLOC=<dir> takes one over each cold cycle.
 * With STEPPEWATCH_BENCH_COLD_ALLOC_SURVIVORS=1, a sample is dropped when a young-generation GC
 * (scavenge) collects its object, and kept when a full GC does: what is left is what survived
 * the young generation (promoted to the old one, whose marking and sweeping V8's helper threads
 * pay for), or was still young and alive at the end. STEPPEWATCH_BENCH_COLD_ALLOC_INTERVAL=<bytes>
 * samples more often (finer, slower) than every 64 KB.
 */
export async function startHeapSampling(intervalBytes = Number(process.env.STEPPEWATCH_BENCH_COLD_ALLOC_INTERVAL) || 64 * 1024): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const survivors = process.env.STEPPEWATCH_BENCH_COLD_ALLOC_SURVIVORS === '1';
  // prettier-ignore
  await session.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivors } as never);
  return async (file) => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
