// Worker thread of `steppewatch analyze`: analyses chunks of input lines with its own analyzer
// and sends back the output lines (and, for --cluster, the results).
import { parentPort } from 'node:worker_threads';
import { defaultAnalyzer } from '../adapters/analysis-data.js';
import { analyzeLine } from './analyze-line.js';

export interface WorkRequest {
  seq: number;
  lines: string[];
  now: string;
  keepResults: boolean;
}
export interface WorkReply {
  seq: number;
  outcomes: { json: string; result?: unknown; input?: unknown }[];
}

const port = parentPort;
if (port) {
  const analyzer = defaultAnalyzer();
  port.on('message', (req: WorkRequest) => {
    const now = new Date(req.now);
    const outcomes = req.lines.map((line) => {
      const o = analyzeLine(line, analyzer, now);
      return req.keepResults ? { json: JSON.stringify(o.out), result: o.result, input: o.input } : { json: JSON.stringify(o.out) };
    });
    port.postMessage({ seq: req.seq, outcomes } satisfies WorkReply);
  });
}
