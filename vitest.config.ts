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
    // a time. Most files here wait (on Redis, child processes, timers, loopback servers) more than
    // they compute, so one more file than there are CPUs keeps the cores busy; measured on 2
    // cores in the commit that set this. `--maxWorkers=N` overrides it.
    maxWorkers: availableParallelism() + 1,
  },
});
