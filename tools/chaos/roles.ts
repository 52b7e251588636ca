// The product's roles as separate processes, run from source as `npx steppewatch worker|scheduler|bot`
// would run them (test/helpers/cli.ts), each with its log in the run's temp dir. A role that dies
// is started again; the harness tells its own kills from the failpoints' (a SIGKILL it did not send
// is a failpoint firing in a window).
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, spawnCli } from '../../test/helpers/cli.js';

export interface RoleSpec {
  name: string;
  role: 'worker' | 'scheduler' | 'bot';
  /** STEPPEWATCH_FAILPOINTS for this process. */
  failpoints?: string;
}

export interface Roles {
  /** Names of running worker processes. */
  workers(): string[];
  /** SIGKILLs a role; it is started again after `restartMs`. */
  kill(name: string, restartMs: number): boolean;
  counts: { harnessKills: number; windowKills: number; otherExits: number; starts: number };
  /** Faults off: each process started with failpoints is stopped gracefully and started without. */
  clearFailpoints(): Promise<void>;
  /** Graceful stop of everything (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export function startRoles(o: { specs: RoleSpec[]; env: Record<string, string>; dir: string; log: (s: string) => void }): Roles {
  const procs = new Map<string, ChildProcess>();
  const killedByUs = new Set<ChildProcess>();
  const counts = { harnessKills: 0, windowKills: 0, otherExits: 0, starts: 0 };
  let stopping = false;

  const launch = (spec: RoleSpec) => {
    const env = cleanEnv({ ...o.env, ...(spec.failpoints ? { STEPPEWATCH_FAILPOINTS: spec.failpoints } : {}) });
    // cwd: the run's own folder, so no developer .env or ./var is read.
    const child = spawnCli([spec.role], { env, cwd: o.dir });
    child.stdin?.end();
    const out = createWriteStream(join(o.dir, `${spec.name}.log`), { flags: 'a' });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    counts.starts += 1;
    procs.set(spec.name, child);
    child.on('exit', (code, signal) => {
      if (procs.get(spec.name) === child) procs.delete(spec.name);
      const ours = killedByUs.delete(child);
      if (stopping) return;
      if (!ours) {
        if (signal === 'SIGKILL') {
          counts.windowKills += 1;
          o.log(`${spec.name}: killed by its failpoint (${spec.failpoints}); restarting`);
        } else {
          counts.otherExits += 1;
          o.log(`${spec.name}: exited (code ${code}, signal ${signal}); restarting — see ${join(o.dir, `${spec.name}.log`)}`);
        }
        setTimeout(() => !stopping && launch(spec), 1_000);
      }
    });
  };
  for (const s of o.specs) launch(s);

  return {
    workers: () => o.specs.filter((s) => s.role === 'worker' && procs.has(s.name)).map((s) => s.name),
    kill(name, restartMs) {
      const child = procs.get(name);
      const spec = o.specs.find((s) => s.name === name);
      if (!child || !spec) return false;
      killedByUs.add(child);
      child.kill('SIGKILL');
      counts.harnessKills += 1;
      setTimeout(() => !stopping && launch(spec), restartMs);
      return true;
    },
    counts,
    async clearFailpoints() {
      const armed = o.specs.filter((s) => s.failpoints);
      for (const s of armed) delete s.failpoints;
      await Promise.all(
        armed.map(async (s) => {
          const c = procs.get(s.name);
          if (!c) return; // dead and about to restart: it restarts without them
          killedByUs.add(c);
          await new Promise<void>((resolve) => {
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          });
          if (!stopping) launch(s);
        }),
      );
    },
    async stop(graceMs = 35_000) {
      stopping = true;
      await Promise.all(
        [...procs.values()].map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
              c.once('exit', () => {
                clearTimeout(t);
                resolve();
              });
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
