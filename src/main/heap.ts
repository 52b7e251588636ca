// How far V8 lets a process's heap grow past its live data before the next full collection.
//
// V8 sizes the old generation at the live heap times a factor it picks between 1.1 and 4 (4 on a
// machine with a few GB to spare), so a worker holding ~90–110 MB live, allocating fast through a
// cold cycle, reaches 450–660 MB of RSS that is mostly garbage (bench, issue 16: live heap after a
// full GC 110 MB, heap in use at the RSS peak 468 MB). `--heap-growing-percent=P` fixes the
// factor at 1 + P/100: the same live data, fewer MB of garbage, a few more full collections.
// The flag is read at every collection, so it can be set after the process started (a NODE_OPTIONS
// default would also reach every child and every other command).
import { setFlagsFromString } from 'node:v8';

export type HeapGrowth = { applied: number } | { own: string };

type NodeArgs = { execArgv: readonly string[]; nodeOptions: string | undefined };
const thisNode = (): NodeArgs => ({ execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });

/** The operator's own `--heap-growing-percent` given to node (arguments or NODE_OPTIONS), or null. */
export function ownHeapGrowthFlag(node: NodeArgs = thisNode()): string | null {
  return [...node.execArgv, ...(node.nodeOptions ?? '').split(/\s+/)].find((a) => /^--heap-growing-percent\b/.test(a)) ?? null;
}

/**
 * Sets V8's heap growth to `percent` (0: V8's own policy) for this process, unless node was
 * started with its own `--heap-growing-percent`: theirs stands.
 */
export function applyHeapGrowth(percent: number, node: NodeArgs = thisNode()): HeapGrowth {
  const own = ownHeapGrowthFlag(node);
  if (own) return { own };
  setFlagsFromString(`--heap-growing-percent=${Math.max(0, Math.round(percent))}`);
  return { applied: percent };
}
