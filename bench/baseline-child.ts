// Entry of the process the baselines and the analysis-only figure run in: a fresh process, so
// that neither inherits the heap, JIT state or timers of the pipeline sessions, nor leaves its own
// garbage to them.
import { measureAnalysis } from './analysis.js';
import { runLimit, runNaive, type LimitOptions } from './baselines.js';
import { serveRequests, type ChildRequest } from './child.js';
import type { FarmSpec } from './farm/content.js';

async function handle(m: ChildRequest): Promise<unknown> {
  switch (m.op) {
    case 'limit':
      return runLimit(m.options as LimitOptions);
    case 'naive':
      return runNaive(m.urls as string[]);
    case 'analysis':
      return measureAnalysis(m.spec as FarmSpec, m.options as { sample: number; repeats: number; minRelevance: number });
    case 'close':
      setImmediate(() => process.disconnect?.());
      return null;
    default:
      throw new Error(`baselines: unknown request ${m.op}`);
  }
}

serveRequests(handle, async () => {});
