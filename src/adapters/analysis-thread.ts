// The worker role's analysis on a thread of its own (issue 16). The cold cycle's main thread was the
// bottleneck — fetch, parse, stores, BullMQ, story assignment and analysis all on one event loop,
// while V8's helper threads and Redis left the second core partly idle — and analysis is its
// largest pure part (~20% of the main thread's samples at 300 × 20, pace 0): text in, values out,
// no I/O. On a thread it runs beside the rest, and its garbage is collected in its own heap.
//
// One thread, batches in the order they come (one message a batch, not one an article). The thread
// builds `defaultAnalyzer()` itself (the same data files and code as the main thread's analyzer,
// so the same results; test/integration/pipeline/analysis-thread.test.ts compares them). A thread
// that dies (an exception outside an analysis, or killed) fails the batches it held — their jobs
// retry — and the next batch starts a new one. Hand-written: a pool library (piscina and kin)
// would be a dependency for one thread and a message handler.
import { Worker } from 'node:worker_threads';
import type { AnalysisInput, AnalysisResult } from '../core/types.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-thread-main.js';
import { threadEntry } from './thread-entry.js';

/** The thread's young generation, MB (V8's default is ~3 × 16 MB). */
const YOUNG_GENERATION_MB = 8;

export interface AnalysisThread {
  /** The analyses of `inputs`, in order, as `defaultAnalyzer().analyze(input, now)` gives them. */
  analyzeMany(inputs: AnalysisInput[], now: Date): Promise<AnalysisResult[]>;
  /** Stops the thread; batches still held fail. */
  close(): Promise<void>;
}

/** Null when no thread can be started here (no compiled entry and no tsx): analyse on the main thread. */
export function startAnalysisThread(onError?: (err: Error) => void): AnalysisThread | null {
  const entry = threadEntry(import.meta.url, 'analysis-thread-main');
  if (!entry) return null;
  let worker: Worker | null = null;
  let seq = 0;
  let closed = false;
  const held = new Map<number, { resolve: (r: AnalysisResult[]) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error) => {
    for (const h of held.values()) h.reject(err);
    held.clear();
  };
  const start = (): Worker => {
    // A small young generation: the thread's garbage (an article's tokens, sentences, matches) dies
    // within its analysis, so 8 MB collect as well as V8's default (2 × 16 MB semi-spaces), and the
    // thread's resident memory stays ~20 MB lower (measured: +64 against +87 MB at the peak).
    const w = new Worker(entry.code, { eval: entry.eval, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // The thread does not keep the process alive: the worker role's queues and connections do.
    w.unref();
    w.on('message', (m: AnalysisReply) => {
      const h = held.get(m.seq);
      if (!h) return;
      held.delete(m.seq);
      if ('error' in m) h.reject(new Error(`analysis thread: ${m.error}`));
      else h.resolve(m.results);
    });
    const gone = (err: Error) => {
      if (worker !== w) return;
      worker = null;
      if (!closed) onError?.(err);
      failAll(err);
    };
    w.on('error', (e) => gone(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code) => gone(new Error(`analysis thread exited (code ${code})`)));
    return w;
  };
  // Started now, so the analyzer is built before the first batch comes.
  worker = start();

  return {
    analyzeMany(inputs, now) {
      if (closed) return Promise.reject(new Error('analysis thread: closed'));
      if (inputs.length === 0) return Promise.resolve([]);
      const w = (worker ??= start());
      const id = ++seq;
      return new Promise<AnalysisResult[]>((resolve, reject) => {
        held.set(id, { resolve, reject });
        w.postMessage({ seq: id, now: now.getTime(), inputs } satisfies AnalysisRequest);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new Error('analysis thread: closed'));
      if (w) await w.terminate();
    },
  };
}
