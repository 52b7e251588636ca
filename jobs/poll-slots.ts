// One in-flight limit for the scheduled polls of a process, shared by all its poll-due jobs, that
// gives way to analysis. Why: a process runs several poll-due jobs at once (the poll queue's
// concurrency), each polling several feeds at once; multiplied, over a hundred polls were in
// flight, and their callbacks (responses, parsing, the feed state's round trips) filled the event
// loop that the analyse jobs of the same process share: an alert's analysis waited behind them
// (issue 16: alert latency p99 364 → 849 ms once the poll-due groups landed). Analysis is what an
// alert waits for; a 304 poll is not. So the limit is per process, and while an analyse job runs
// in the process, polls are let in only a few at a time: the analysis gets most of the loop, the
// polls still move. A warm cycle (nothing new, no analysis) keeps the full limit.
//
// Hand-written: p-limit and its kin have a fixed limit; this one reads the analysis count at each
// grant. A few lines of FIFO queue.

export interface PollSlotsOptions {
  /** Polls in flight at most in the process. */
  limit: number;
  /** Polls in flight at most while an analyse job runs in the process. */
  whileAnalysing: number;
}

export const DEFAULT_POLL_SLOTS: PollSlotsOptions = { limit: 64, whileAnalysing: 4 };

export class PollSlots {
  private active = 0;
  private analysing = 0;
  private readonly waiting: (() => void)[] = [];
  readonly options: PollSlotsOptions;

  constructor(o: Partial<PollSlotsOptions> = {}) {
    this.options = { ...DEFAULT_POLL_SLOTS, ...o };
    if (!(this.options.limit >= 1) || !(this.options.whileAnalysing >= 1)) throw new RangeError('poll slots: limits must be at least 1');
  }

  /** Polls in flight now, and the limit in force. */
  get inFlight(): number {
    return this.active;
  }

  get limit(): number {
    return this.analysing > 0 ? Math.min(this.options.whileAnalysing, this.options.limit) : this.options.limit;
  }

  /** Waits for a slot (first come, first served); the returned function frees it (idempotent). */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit && this.waiting.length === 0) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.active -= 1;
      this.grant();
    };
  }

  /**
   * Runs `f` in a slot. A free slot is taken at once, without the awaits of `acquire` (a warm
   * cycle runs this for every feed: each async step is a promise and a microtask, issue 16).
   */
  run<T>(f: () => Promise<T>): Promise<T> {
    if (!(this.active < this.limit && this.waiting.length === 0)) return this.runQueued(f);
    this.active += 1;
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      this.active -= 1;
      this.grant();
    };
    let p: Promise<T>;
    try {
      p = f();
    } catch (e) {
      free();
      return Promise.reject(e);
    }
    return p.finally(free);
  }

  private async runQueued<T>(f: () => Promise<T>): Promise<T> {
    const free = await this.acquire();
    try {
      return await f();
    } finally {
      free();
    }
  }

  /**
   * Wraps an analyse processor: while any of its runs is in progress, polls get `whileAnalysing`
   * slots. Polls already in flight finish; new ones wait until fewer than that are.
   */
  analysis<A extends unknown[], R>(f: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.analysing += 1;
      try {
        return await f(...args);
      } finally {
        this.analysing -= 1;
        this.grant();
      }
    };
  }

  private grant(): void {
    while (this.waiting.length > 0 && this.active < this.limit) {
      this.active += 1;
      this.waiting.shift()!();
    }
  }
}
