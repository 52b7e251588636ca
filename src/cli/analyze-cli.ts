// `steppewatch analyze [--in FILE] [--out FILE] [--cluster]`: JSON Lines in, JSON Lines out, in
// the same order; no Redis. Without --cluster the output streams: lines are analysed in chunks,
// by this thread and, for large inputs, by worker threads (one per spare core), and written in
// input order as soon as their turn comes. With --cluster the whole input is one batch: every
// line is analysed, then `clusterBatch` assigns story ids across it.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { defaultAnalyzer, storyBackground, storyNames } from '../adapters/analysis-data.js';
import { threadEntry } from '../adapters/thread-entry.js';
import { clusterBatch, type ClusterItem } from '../core/story/cluster.js';
import { htmlToText } from '../core/feed/parse/html-text.js';
import type { AnalysisInput, AnalysisResult } from '../core/types.js';
import { analyzeLine } from './analyze-line.js';
import type { WorkReply, WorkRequest } from './analyze-worker.js';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface AnalyzeOptions {
  in?: string;
  out?: string;
  cluster: boolean;
  /** The clock for articles without `published` (default: now). */
  now?: Date;
  /** Worker threads to use; default one per core beyond the first, and only for large inputs. */
  workers?: number;
  /** Lines read before workers start (default 2,000: below that a worker costs more than it saves). */
  workerThreshold?: number;
}

/** Lines per unit of work. */
const CHUNK = 200;
const SMALL_CHUNK = 4;
/** Inputs smaller than this are analysed in this thread alone (a worker costs a data load). */
const WORKER_THRESHOLD = 2_000;
/** Chunks in flight per worker. */
const IN_FLIGHT = 2;

/** Input lines and their 1-based line numbers in the input (blank lines are skipped). */
interface Chunk {
  lines: string[];
  lineNos: number[];
}

interface Outcome {
  json: string;
  /** The line yielded `{id?, line, error}`. */
  failed?: boolean;
  result?: AnalysisResult;
  input?: AnalysisInput;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

export async function runAnalyze(opts: AnalyzeOptions, io: Io): Promise<number> {
  const now = opts.now ?? new Date();
  if (opts.in && !existsSync(opts.in)) {
    io.stderr.write(`analyze: input file not found: ${opts.in}\n`);
    return 1;
  }
  let analyzer;
  try {
    analyzer = defaultAnalyzer();
  } catch (err) {
    io.stderr.write(`analyze: cannot load the analysis data: ${(err as Error).message}\n`);
    return 1;
  }
  const input = opts.in ? createReadStream(opts.in, { encoding: 'utf8' }) : io.stdin;
  const out = opts.out ? createWriteStream(opts.out, { encoding: 'utf8' }) : io.stdout;
  const rl = createInterface({ input, crlfDelay: Infinity });

  const maxWorkers = Math.max(0, opts.workers ?? availableParallelism() - 1);
  const workers: { w: Worker; inflight: Map<number, Chunk>; dead: boolean }[] = [];
  const done = new Map<number, Outcome[]>();
  const kept: Outcome[][] = [];
  let nextSeq = 0;
  let nextWrite = 0;
  let linesSeen = 0;
  let linesFailed = 0;
  let linesWritten = 0;
  /** The first write (or output stream) error: it ends the run. */
  let writeError: Error | null = null;
  let writeChain: Promise<void> = Promise.resolve();
  // The reader waits here for room (bounded read-ahead) and, at the end, for the last chunks.
  // Invariant: every change a waiter waits for — nextWrite advancing, or writeError set — is
  // followed by wake(), and a waiter checks its condition and enqueues itself in one synchronous
  // step, so no wake-up is lost. (Waking when a worker replies was not enough: the write chain
  // advances nextWrite a tick later, the reader re-checked too early and slept for good.)
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const sleep = () => new Promise<void>((r) => waiters.push(r));
  const fail = (err: unknown) => {
    writeError ??= err instanceof Error ? err : new Error(String(err));
    wake();
  };
  if (opts.out) (out as NodeJS.EventEmitter).on('error', fail);

  const write = async (text: string): Promise<void> => {
    if (writeError) throw writeError;
    if (!out.write(text)) await once(out as NodeJS.EventEmitter, 'drain'); // rejects on 'error'
  };

  const flush = () => {
    writeChain = writeChain
      .then(async () => {
        while (!writeError && done.has(nextWrite)) {
          const outcomes = done.get(nextWrite)!;
          done.delete(nextWrite);
          for (const o of outcomes) if (o.failed) linesFailed++;
          linesWritten += outcomes.length;
          if (opts.cluster) kept[nextWrite] = outcomes;
          else if (outcomes.length) await write(outcomes.map((o) => o.json).join('\n') + '\n');
          nextWrite++;
          wake();
        }
      })
      .catch(fail);
    return writeChain;
  };

  const analyzeHere = (chunk: Chunk): Outcome[] =>
    chunk.lines.map((line, k) => {
      const o = analyzeLine(line, analyzer, now, chunk.lineNos[k]);
      const failed = !o.result;
      return opts.cluster
        ? { json: JSON.stringify(o.out), failed, ...(o.result ? { result: o.result, input: o.input! } : {}) }
        : { json: JSON.stringify(o.out), failed };
    });

  const startWorkers = () => {
    const spec = threadEntry(import.meta.url, 'analyze-worker');
    if (!spec) return;
    for (let i = 0; i < maxWorkers; i++) {
      const w = new Worker(spec.code, { eval: spec.eval });
      const entry = { w, inflight: new Map<number, Chunk>(), dead: false };
      w.on('message', (msg: WorkReply) => {
        entry.inflight.delete(msg.seq);
        done.set(msg.seq, msg.outcomes as Outcome[]);
        void flush();
      });
      const lost = () => {
        if (entry.dead) return;
        // A worker that cannot run: its chunks are analysed here instead.
        entry.dead = true;
        for (const [seq, chunk] of entry.inflight) done.set(seq, analyzeHere(chunk));
        entry.inflight.clear();
        void flush();
      };
      w.on('error', lost);
      w.on('exit', lost);
      workers.push(entry);
    }
  };

  const dispatch = async (chunk: Chunk) => {
    const seq = nextSeq++;
    linesSeen += chunk.lines.length;
    if (workers.length === 0 && maxWorkers > 0 && linesSeen > (opts.workerThreshold ?? WORKER_THRESHOLD)) startWorkers();
    const free = workers.find((x) => !x.dead && x.inflight.size < IN_FLIGHT);
    if (free && seq % (workers.length + 1) !== 0) {
      free.inflight.set(seq, chunk);
      free.w.postMessage({ seq, lines: chunk.lines, lineNos: chunk.lineNos, now: now.toISOString(), keepResults: opts.cluster } satisfies WorkRequest);
    } else {
      done.set(seq, analyzeHere(chunk));
      await flush();
    }
    // Keep memory bounded: do not read far ahead of what has been written.
    while (!writeError && nextSeq - nextWrite > (workers.length + 1) * (IN_FLIGHT + 1)) await sleep();
    if (writeError) throw writeError;
  };

  let code = 0;
  try {
    let chunk: Chunk = { lines: [], lineNos: [] };
    let lineNo = 0;
    const size = opts.workerThreshold !== undefined && opts.workerThreshold < CHUNK ? SMALL_CHUNK : CHUNK;
    for await (const line of rl) {
      lineNo++;
      if (!line.trim()) continue;
      chunk.lines.push(line);
      chunk.lineNos.push(lineNo);
      if (chunk.lines.length >= size) {
        await dispatch(chunk);
        chunk = { lines: [], lineNos: [] };
      }
    }
    if (chunk.lines.length) await dispatch(chunk);
    while (!writeError && nextWrite < nextSeq) await sleep();
    await writeChain;
    if (writeError) throw writeError;
    if (opts.cluster) code = await writeClustered(kept.flat(), now, write, io);
    if (code === 0 && linesWritten > 0 && linesFailed === linesWritten) {
      io.stderr.write(`analyze: every line failed (${linesFailed}); each error is on its line of the output\n`);
      code = 1;
    } else if (code === 0 && linesFailed > 0) {
      io.stderr.write(`analyze: ${linesFailed} of ${linesWritten} lines failed; each error is on its line of the output\n`);
    }
  } catch (err) {
    io.stderr.write(`analyze: ${(err as Error).message}\n`);
    code = 1;
  } finally {
    await Promise.all(workers.map((x) => x.w.terminate()));
    if (opts.out && !writeError) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(() => r()));
  }
  return code;
}

/** STORY_WINDOW_HOURS when set to a number (analyze needs no other configuration), else 72. */
function storyWindowHours(): number {
  const h = Number(process.env.STORY_WINDOW_HOURS);
  return Number.isFinite(h) && h > 0 ? h : 72;
}

async function writeClustered(all: Outcome[], now: Date, write: (t: string) => Promise<void>, io: Io): Promise<number> {
  const items: ClusterItem[] = [];
  const index: number[] = [];
  all.forEach((o, i) => {
    if (!o.result || !o.input) return;
    const item: ClusterItem = {
      id: o.result.id,
      title: o.input.title?.trim() ? o.result.title : '', // none: the story engine takes the first sentence as a lead
      text: o.input.text ?? (o.input.html ? htmlToText(o.input.html) : ''),
      published: o.input.published ? new Date(o.input.published).toISOString() : now.toISOString(),
      analysis: o.result,
    };
    if (o.input.outlet) item.outletId = slug(o.input.outlet);
    items.push(item);
    index.push(i);
  });
  let storyIds: string[];
  try {
    storyIds = clusterBatch(items, { windowHours: storyWindowHours(), background: storyBackground(), names: storyNames() });
  } catch (err) {
    io.stderr.write(`analyze --cluster: clustering failed: ${(err as Error).message}\n`);
    return 1;
  }
  const byLine = new Map<number, string>();
  index.forEach((lineNo, k) => byLine.set(lineNo, storyIds[k]!));
  const lines = all.map((o, i) => {
    const sid = byLine.get(i);
    if (sid === undefined) return o.json;
    const obj = JSON.parse(o.json) as Record<string, unknown>;
    return JSON.stringify({ ...obj, storyId: sid });
  });
  for (let i = 0; i < lines.length; i += 500) await write(lines.slice(i, i + 500).join('\n') + '\n');
  return 0;
}
