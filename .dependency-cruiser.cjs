// The architecture rules of style.md, checked (npm run lint:deps; also run by the test suite).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core: values in, values out. It imports nothing of ours outside src/core (types included), and no I/O modules.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(fs|net|http|https|child_process|dns|tls|worker_threads)$|^node:(fs|net|http|https|child_process|dns|tls|worker_threads)', dependencyTypes: ['core'] },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'src/ports: small interfaces over core values.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: ['^src/ports/', '^src/core/', '^node_modules/'] },
    },
    {
      name: 'adapters-do-not-reach-up',
      comment: 'adapters implement ports; they do not know the jobs, the commands dispatcher or the wiring.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^(src/main/|src/cli/|jobs/)' },
    },
    {
      name: 'commands-are-platform-neutral',
      comment: 'src/commands: core and ports only; no adapter, job or wiring (types included).',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^(src/main/|src/cli/|src/adapters/|src/config\\.ts$|jobs/)' },
    },
    {
      name: 'jobs-are-thin',
      comment: 'jobs: load → core → save/enqueue, over ports (src/ports, incl. the queue payloads); no adapter, no wiring (types included).',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^(src/main/|src/cli/|src/adapters/|src/config\\.ts$)' },
    },
    {
      name: 'services-over-ports',
      comment:
        'src/main/feed-admin.ts implements a port (FeedAdmin) over other ports (feed store, scheduler, fetcher): it imports their types from src/ports, never an adapter (the container passes the adapters in).',
      severity: 'error',
      from: { path: '^src/main/feed-admin\\.ts$' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'product-does-not-ship-tools',
      comment:
        'src/ imports neither bench/ nor tools/ statically; `steppewatch bench|eval` reach them by a lazy import (dynamic imports are allowed).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(bench|tools)/', dynamic: false },
    },
    {
      name: 'tools-stand-aside',
      comment:
        'tools/ (the chaos suite, the eval tooling) drives the product from outside; nothing of the product imports it, save the CLI dispatching `steppewatch eval` by a lazy import.',
      severity: 'error',
      from: { pathNot: '^(tools|src/cli)/' },
      to: { path: '^tools/' },
    },
    {
      name: 'cli-sits-on-top',
      comment: 'src/cli: the commands of the `steppewatch` bin, over the wiring (src/main), adapters, core and ports; nothing below imports them.',
      severity: 'error',
      from: { pathNot: '^(src/cli|tools|bench)/' },
      to: { path: '^src/cli/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, dependencyTypesNot: ['type-only'] } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
