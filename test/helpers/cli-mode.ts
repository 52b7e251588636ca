// Which build of the CLI the tests spawn: the compiled `dist/` (as `npx steppewatch` runs it) or
// the sources through tsx. A spawn from source compiles every module on the fly (~3x the start-up
// time of the compiled CLI, 20 s a spawn on a loaded machine), so the tests use dist/ whenever it
// is the build of the sources in the tree.
//
// The rule (STEPPEWATCH_TEST_CLI):
//   dist    spawn dist/ (bin/steppewatch.js); the run stops at once if dist/ is missing or stale.
//           .ci/run sets it: `npm ci` has just built dist/.
//   source  spawn the sources through tsx, always.
//   unset   dist/ when it is up to date, else the sources (with a line saying why), so an edit
//           not yet built is still what the tests run.
// "Up to date": every .ts of what tsconfig.build.json compiles is older than its .js in dist/,
// and the Redis stores' Lua scripts in dist/ are the same as in src/.
// Hand-written: a few stat calls; tsc has no "is this build current" query short of rebuilding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type CliMode = 'dist' | 'source';

/** What tsconfig.build.json compiles (its `include`). */
const BUILT = ['src', 'jobs', 'bench', 'tools/eval'];
const LUA = 'src/adapters/redis/scripts';

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

/** Why dist/ is not the build of the sources under `root`, or null when it is. */
export function distStale(root: string): string | null {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'cli.js'))) return 'dist/ is not built';
  for (const top of BUILT) {
    for (const ts of files(join(root, top))) {
      if (!ts.endsWith('.ts') || ts.endsWith('.d.ts')) continue;
      const rel = relative(root, ts);
      const js = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
      if (!existsSync(js)) return `${rel} is not built`;
      if (statSync(ts).mtimeMs > statSync(js).mtimeMs) return `${rel} changed since the build`;
    }
  }
  for (const lua of files(join(root, LUA))) {
    const rel = relative(root, lua);
    const copy = join(root, 'dist', rel);
    if (!existsSync(copy) || !readFileSync(copy).equals(readFileSync(lua))) return `${rel} differs from dist/`;
  }
  return null;
}

/**
 * The mode for this run and a line saying why; throws when `asked` (STEPPEWATCH_TEST_CLI, passed in
 * so a test of the rule does not inherit the run's own setting) is "dist" and dist/ is stale.
 */
export function chooseCliMode(root: string, asked: string | undefined): { mode: CliMode; why: string } {
  if (asked === 'source') return { mode: 'source', why: 'STEPPEWATCH_TEST_CLI=source' };
  if (asked && asked !== 'dist') throw new Error(`STEPPEWATCH_TEST_CLI: ${JSON.stringify(asked)} is neither "dist" nor "source"`);
  const stale = distStale(root);
  if (asked === 'dist') {
    if (stale) throw new Error(`STEPPEWATCH_TEST_CLI=dist but ${stale}: run \`npm run build\` first`);
    return { mode: 'dist', why: 'STEPPEWATCH_TEST_CLI=dist' };
  }
  return stale ? { mode: 'source', why: `${stale} (\`npm run build\` to spawn the faster compiled CLI)` } : { mode: 'dist', why: 'dist/ is up to date' };
}
