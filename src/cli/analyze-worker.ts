// Worker thread of `steppewatch analyze`: analyses chunks of input lines with its own analyzer
// and sends back the output lines (and, for --cluster, the results).
import { parentPort } from 'node:worker_threads';
import { defaultAnalyzer } from '../adapters/analysis-data.js';
import { analyzeLine } from './analyze-line.js';

export interface WorkRequest {
  seq: number;
  lines: string[];
  /** 1-based input line numbers of `lines` (errors name them). */
  lineNos: number[];
  now: string;
  keepResults: boolean;
}
export interface WorkReply {
  seq: number;
  outcomes: { json: string; failed: boolean; result?: unknown; input?: unknown }[];
}

const port = parentPort;
if (port) {
  const analyzer = defaultAnalyzer();
  port.on('message', (req: WorkRequest) => {
    const now = new Date(req.now);
    const outcomes = req.lines.map((line, k) => {
      const o = analyzeLine(line, analyzer, now, req.lineNos[k]);
      const failed = !o.result;
      return req.keepResults ? { json: JSON.stringify(o.out), failed, result: o.result, input: o.input } : { json: JSON.stringify(o.out), failed };
    });
    port.postMessage({ seq: req.seq, outcomes } satisfies WorkReply);
  });
}
