// Hang guards in CPU time rather than wall time: a test file runs alone in its fork (vitest's
// `forks` pool), so this process's CPU between two readings is the work done in between, and a
// loaded machine (other forks, Redis, a CI neighbour) stretches the wall clock but not this.
// Quadratic or runaway work still shows: it burns CPU, not just time.

/** Milliseconds of this process's CPU (user + system) since `from` (a `process.cpuUsage()`). */
export function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}
