// The analysis thread of the worker role (analysis-thread.ts starts it): builds the default analyzer
// once and analyses the batches the main thread sends, in the order they come. Pure work: no Redis,
// no clock of its own (each batch carries its `now`).
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { defaultAnalyzer } from './analysis-data.js';
import type { AnalysisInput, AnalysisResult } from '../core/types.js';

export interface AnalysisRequest {
  seq: number;
  /** The batch's clock, epoch ms. */
  now: number;
  inputs: AnalysisInput[];
}
export type AnalysisReply = { seq: number; results: AnalysisResult[] } | { seq: number; error: string };

const port = parentPort;
if (port) {
  // The thread's name in /proc (Linux; elsewhere a no-op): `top -H`, `ps -L` and the bench's CPU by
  // thread (bench/thread-cpu.ts) tell it from V8's helpers, which all carry the process's name.
  try {
    writeFileSync('/proc/thread-self/comm', 'sw-analysis');
  } catch {
    // no /proc: the name is for diagnosis only
  }
  const analyzer = defaultAnalyzer();
  port.on('message', (req: AnalysisRequest) => {
    let reply: AnalysisReply;
    try {
      const now = new Date(req.now);
      reply = { seq: req.seq, results: req.inputs.map((input) => analyzer.analyze(input, now)) };
    } catch (e) {
      reply = { seq: req.seq, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  });
}
