// A schedule's next run lost with Redis's last writes. BullMQ makes a job scheduler's next run when
// a worker takes the current one; a host crash (appendfsync everysec) that keeps the run taken and
// loses its successor, while the worker completes the run on the restarted Redis, left the schedule
// pointing at a finished run: the due-feeds tick never ran again, so no feed was polled until the
// scheduler role restarted. Now the scheduler role makes a schedule without a next run again
// (src/main/schedules.ts). Real Redis and BullMQ; the lost writes are undone by hand while the run
// is active, as the crash left them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/adapters/log.js';
import { TICK_SCHEDULER_ID } from '../../../src/adapters/feed-scheduler.js';
import { queuePrefix, workerConnection } from '../../../src/adapters/queues.js';
import { startApp } from '../../../src/main/app.js';
import type { Container } from '../../../src/main/container.js';
import { reviveSchedules, roleSchedules } from '../../../src/main/schedules.js';
import { DUE_TICK_JOB } from '../../../src/ports/feed-scheduler.js';
import type { QueueName } from '../../../src/ports/queue-payloads.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { until } from '../../helpers/crash.js';
import { testRedisUrl } from '../../helpers/redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function schedulerRole(checkMs: number): Promise<Container> {
  const file = join(mkdtempSync(join(tmpdir(), 'sw-sched-')), 'feeds.yaml');
  writeFileSync(file, YAML.stringify([{ id: 'quiet-en', url: 'http://127.0.0.1:9/feed.xml', outlet: 'Quiet', language: 'en', affiliation: 'independent' }]));
  const c = await testContainer({ FEEDS_FILE: file });
  cleanups.push(() => c.close());
  const app = await startApp(c, { roles: ['scheduler'], notifiers: { console: recordingNotifier().notifier }, noHttp: true, scheduleCheckMs: checkMs });
  cleanups.push(() => app.stop(2_000));
  return c;
}

/** Deletes a scheduler's next run (its job and its place in the delayed set or the wait list). */
async function dropRun(c: Container, queue: QueueName, jobId: string): Promise<void> {
  const base = `${queuePrefix(c.keys, queue)}:${queue}`;
  await Promise.all([c.redis.zrem(`${base}:delayed`, jobId), c.redis.lrem(`${base}:wait`, 0, jobId), c.redis.del(`${base}:${jobId}`)]);
}

/**
 * What the crash left while `run` goes on: its successor (made when it was taken) gone, and the
 * tick's schedule as it was when `run` was its next run.
 */
async function loseSuccessor(c: Container, run: Job): Promise<void> {
  const next = (await c.queues.poll.getJobScheduler(TICK_SCHEDULER_ID))!.next!;
  const successor = `repeat:${TICK_SCHEDULER_ID}:${next}`;
  if (successor === run.id) throw new Error('the run has no successor yet');
  await dropRun(c, 'poll', successor);
  const base = `${queuePrefix(c.keys, 'poll')}:poll`;
  await c.redis.zadd(`${base}:repeat`, run.id!.split(':').pop()!, TICK_SCHEDULER_ID);
  await c.redis.hincrby(`${base}:repeat:${TICK_SCHEDULER_ID}`, 'ic', -1);
}

describe('a schedule whose next run Redis lost', () => {
  it('the due-feeds tick runs again: the scheduler role makes its next run anew', async () => {
    const c = await schedulerRole(200);
    const ticks: string[] = [];
    // The poll queue's worker: it counts the ticks; while the second runs, Redis loses its successor.
    const worker = new Worker(
      'poll',
      async (job) => {
        if (job.name !== DUE_TICK_JOB) return;
        ticks.push(job.id!);
        if (ticks.length === 2) await loseSuccessor(c, job);
      },
      { connection: workerConnection(testRedisUrl()), prefix: queuePrefix(c.keys, 'poll') },
    );
    cleanups.push(() => worker.close());
    await until('two ticks', () => ticks.length >= 2, 10_000);
    // The tick runs every second: before, none came after the second.
    await until('ticks after the lost one', () => ticks.length >= 4, 10_000);
    expect(new Set(ticks).size).toBe(ticks.length);
  }, 30_000);

  it('the other schedules too; one with its next run to come is left as it is', async () => {
    const c = await schedulerRole(60_000);
    const schedules = roleSchedules(c);
    expect(await reviveSchedules(schedules, silentLogger())).toEqual([]);
    const nextRun = async (id: string) => {
      const s = schedules.find((x) => x.id === id)!;
      const next = (await s.queue.getJobScheduler(id))?.next;
      return next === undefined ? null : { job: `repeat:${id}:${next}`, state: await s.queue.getJobState(`repeat:${id}:${next}`) };
    };
    const lost = ['daily-digest', 'spikes', 'daily-trim', 'merge-sweep'];
    for (const id of lost) {
      const run = await nextRun(id);
      // (an `every` schedule's first run is due at once: waiting, with no worker here)
      expect(run?.state).toMatch(/^(delayed|waiting)$/);
      await dropRun(c, id === 'spikes' ? 'spikes' : 'digest', run!.job);
      expect((await nextRun(id))?.state).toBe('unknown');
    }
    expect(await reviveSchedules(schedules, silentLogger())).toEqual(lost);
    for (const id of lost) expect((await nextRun(id))?.state).toMatch(/^(delayed|waiting)$/);
    expect(await reviveSchedules(schedules, silentLogger())).toEqual([]);
  });
});
