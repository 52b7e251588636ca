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
 */
export async function startHeapSampling(intervalBytes = 64 * 1024): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  return async (file) => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
