// The analysis thread of the worker role (analysis-thread.ts starts it): builds the default analyzer
// once and analyses the batches the main thread sends, in the order they come. Pure work: no Redis,
// no clock of its own (each batch carries its `now`).
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
