// The story assigner's queue (story-assign.ts): split from it for size, the same code.
import { StoryLockTimeoutError, type AssignInput, type AssignResult } from './story-assign-types.js';

/** Articles at most in one run of batches joined while they waited (see `createTurns`). */
const MAX_JOINED = 200;

/** A batch waiting for its turn. */
export interface Turn<F> {
  inputs: readonly AssignInput[];
  feats: readonly F[];
  now: Date;
  resolve(r: AssignResult[]): void;
  reject(e: unknown): void;
}

type Run<F> = (inputs: readonly AssignInput[], feats: readonly F[], now: Date, nows?: readonly Date[]) => Promise<AssignResult[]>;

/** `inTurn` of a queue running `assignInTurn` one batch (or joined run) at a time. */
export function createTurns<F>(assignInTurn: Run<F>): (t: Turn<F>) => void {
  // One batch at a time per assigner (per process), in the order they come: a process runs many
  // analyse jobs at once, and their batches share matching keys (a country's name, a leader's), so
  // run side by side they waited for each other's locks in Redis anyway, polling it, while holding
  // the locks they had; a second worker process then met locks held through several interleaved
  // batches' CPU. Queued here, a process holds the locks of one batch at a time, for that batch's
  // own work only, and the batches of one process never meet in Redis. The pure feature work runs
  // before the queue; the document frequencies are read inside it, so a batch counts the ones the
  // process committed before it (as one by one).
  // The batches that queued up meanwhile go as one (up to MAX_JOINED articles), in queue order: the
  // same decisions as one after another (the assigner's contract), and a poll's few Central Asia
  // articles share the round trips, the locks and the candidate-set reads of the others. A joined
  // run that fails on anything but busy locks is run again batch by batch, so one batch's error is
  // its own (what was committed is found filed the second time: assigns are idempotent).
  const waiting: Turn<F>[] = [];
  let running = false;
  function inTurn(t: Turn<F>): void {
    waiting.push(t);
    if (!running) void drain();
  }
  async function drain(): Promise<void> {
    running = true;
    while (waiting.length) {
      const group = [waiting.shift()!];
      let n = group[0]!.inputs.length;
      while (waiting.length && n + waiting[0]!.inputs.length <= MAX_JOINED) {
        n += waiting[0]!.inputs.length;
        group.push(waiting.shift()!);
      }
      await runJoined(group);
    }
    running = false;
  }
  async function runJoined(group: Turn<F>[]): Promise<void> {
    if (group.length > 1) {
      try {
        // the latest `now` for what the batch shares (its DF epoch, the trim bounds); each article's own for its date
        const now = new Date(Math.max(...group.map((t) => t.now.getTime())));
        const all = await assignInTurn(group.flatMap((t) => t.inputs), group.flatMap((t) => t.feats), now, group.flatMap((t) => t.inputs.map(() => t.now)));
        let at = 0;
        for (const t of group) {
          t.resolve(all.slice(at, at + t.inputs.length));
          at += t.inputs.length;
        }
        return;
      } catch (e) {
        if (e instanceof StoryLockTimeoutError) {
          for (const t of group) t.reject(e);
          return;
        }
      }
    }
    for (const t of group) {
      try {
        t.resolve(await assignInTurn(t.inputs, t.feats, t.now));
      } catch (e) {
        t.reject(e);
      }
    }
  }
  return inTurn;
}
