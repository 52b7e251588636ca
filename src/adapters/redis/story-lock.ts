// Taking story locks (story-merge.ts takes the story write lock, keys.storyWriteLock, with it; the
// assigner took a lock per matching key with it before the change log: story-mirror.ts) through
// one script, story-lock-read-many.lua: in one global order (sorted),
// front to back, keeping what it has while it waits for the rest (no deadlock: nobody waits while
// holding a later lock; no starvation of a batch needing many keys by smaller ones: what a waiter
// holds only grows). The wait is bounded (`waitMs`); an analyse job's BullMQ lease (60 s, renewed
// while its process runs: src/main/workers.ts LOCK_TIMING) outlasts it, and a dead holder's locks
// lapse after LOCK_TTL_MS, so waiting is better than failing the whole job for a retry.
import type { Redis } from 'ioredis';

export const LOCK_TTL_MS = 10_000;

interface Scripted {
  swStoryLockReadMany(...args: (string | number)[]): Promise<[0, number] | [1]>;
  swStoryUnlock(...args: (string | number)[]): Promise<number>;
}

/** What a wait for locks cost (bench figures; the last wait's, given up or not). */
export interface LockWait {
  /** Calls that found a lock held by someone else. */
  busy: number;
  ms: number;
}

/**
 * Takes `lockKeys` (sorted: one order for every caller; story-lock-read-many.lua): true, or false
 * when the locks could not all be had within `waitMs` (then none is held).
 */
export async function takeStoryLocks(redis: Redis, lockKeys: readonly string[], token: string, waitMs: number, wait?: LockWait): Promise<boolean> {
  const scripts = redis as unknown as Scripted;
  const t0 = Date.now();
  const deadline = t0 + waitMs;
  let from = 1;
  // the locks before `from` were taken or renewed no earlier than the last call from 1
  let fullAt = 0;
  for (let attempt = 0; ; attempt++) {
    if (Date.now() - fullAt > LOCK_TTL_MS / 3) from = 1;
    if (from === 1) fullAt = Date.now();
    const got = await scripts.swStoryLockReadMany(lockKeys.length, ...lockKeys, token, LOCK_TTL_MS, from);
    if (got[0] === 1) {
      if (wait) wait.ms = Date.now() - t0;
      return true;
    }
    if (wait) wait.busy += 1;
    from = (got[1] as number) + 1;
    if (Date.now() > deadline) {
      if (wait) wait.ms = Date.now() - t0;
      if (lockKeys.length) await scripts.swStoryUnlock(lockKeys.length, ...lockKeys, token);
      return false;
    }
    await new Promise((r) => setTimeout(r, Math.min(1 + attempt, 20) + Math.random() * 3));
  }
}
