// Entry of an extra pipeline worker process (bench --workers N): the same worker role as the
// bench process runs, on the same Redis and key prefix, with its posts and job events sent to the
// bench over IPC, and its own RSS sampled for the peak.
import type { App } from '../src/main/app.js';
import type { Container } from '../src/main/container.js';
import { pushEvent, serveRequests, type ChildRequest } from './child.js';
import { startWorkerApp, type WorkerSettings } from './pipeline.js';
import { RssSampler } from './resources.js';
import { createRecordingNotifier } from './recorder.js';
import { watchWorkers } from './tracker.js';
import { processStatsOf } from './process-stats.js';

let running: { c: Container; app: App } | null = null;
let counting: ReturnType<typeof processStatsOf> | null = null;
const sampler = new RssSampler();
let sampling = false;

async function stop(): Promise<void> {
  const r = running;
  running = null;
  if (!r) return;
  counting?.stop();
  counting = null;
  await r.app.stop(10_000);
  await r.c.close();
}

async function handle(m: ChildRequest): Promise<unknown> {
  switch (m.op) {
    case 'start': {
      await stop(); // a process kept between sessions (pipeline.ts) starts the next one's workers
      const notifier = createRecordingNotifier('slack', Date.now, (post) => pushEvent({ event: 'post', post }));
      running = await startWorkerApp(m.settings as WorkerSettings, notifier);
      watchWorkers(running.app.workers, (job) => pushEvent({ event: 'job', job }));
      counting = processStatsOf(running.c, running.app.workers);
      if (!sampling) sampler.start();
      sampling = true;
      return { pid: process.pid };
    }
    case 'stats': {
      const cpu = process.cpuUsage();
      return { cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMB: sampler.sample(), peakRssMB: sampler.peakMB, process: counting?.snapshot() ?? null };
    }
    case 'stop':
      await stop();
      return null;
    case 'close':
      await stop();
      sampler.stop();
      setImmediate(() => process.disconnect?.());
      return null;
    default:
      throw new Error(`worker: unknown request ${m.op}`);
  }
}

serveRequests(handle, stop);
