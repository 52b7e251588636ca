import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one redis-server; each uses its own key prefix.
    pool: 'forks',
    // Test files at once. Vitest's default is one less than the CPUs: on CI's 2 cores, one file at
    // a time, while most files here wait (on Redis, child processes, timers, loopback servers)
    // more than they compute. One file per CPU; not more: a few tests time sub-second answers
    // (Discord's 3 s interaction deadline, scaled down), and three files on two loaded cores made
    // them miss. `--maxWorkers=N` overrides it.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
