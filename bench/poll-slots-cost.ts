// CPU a poll's slot costs (jobs/poll-slots.ts), two checkouts' PollSlots alternated in one process:
// 80 lanes over the 64 slots a warm cycle's ten poll-due groups of 8 lanes share, each task a
// promise that settles on the next turn of the loop (setImmediate, included in the figure).
// Prints CPU µs a task, median of 9 rounds each.
//
//   npx tsx bench/poll-slots-cost.ts --a <checkout> --b <checkout> [--tasks 20000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PollSlots } from '../jobs/poll-slots.js';

const { values } = parseArgs({ options: { a: { type: 'string', default: '.' }, b: { type: 'string', default: '.' }, tasks: { type: 'string', default: '20000' } } });
const tasks = Number(values.tasks);
type Slots = new () => Pick<PollSlots, 'run'>;
const load = async (dir: string): Promise<Slots> => ((await import(pathToFileURL(resolve(dir, 'jobs/poll-slots.ts')).href)) as { PollSlots: Slots }).PollSlots;
const sides: [string, Slots][] = [
  [`a ${values.a}`, await load(values.a)],
  [`b ${values.b}`, await load(values.b)],
];

async function round(S: Slots): Promise<number> {
  const slots = new S();
  let started = 0;
  const task = () => new Promise<number>((r) => setImmediate(() => r(1)));
  const lane = async () => {
    while (started < tasks) {
      started += 1;
      await slots.run(task);
    }
  };
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 80 }, lane));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / tasks;
}

const us = sides.map(() => [] as number[]);
for (let r = 0; r < 9; r++) for (let i = 0; i < sides.length; i++) us[i]!.push(await round(sides[i]![1]));
sides.forEach(([label], i) => {
  const sorted = [...us[i]!].sort((x, y) => x - y);
  console.log(`${label}: median ${sorted[4]!.toFixed(2)} µs a task (rounds: ${us[i]!.map((x) => x.toFixed(2)).join(' ')})`);
});
