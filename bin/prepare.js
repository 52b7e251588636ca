#!/usr/bin/env node
// The `prepare` and `build` scripts (npm ci and npm install run prepare): compiles dist/ with
// TypeScript (and copies the Redis stores' Lua scripts beside their code), and mends
// npm's npx cache for this checkout when an earlier `npx steppewatch` left it broken.
//
// Why this is more than `tsc`: in a checkout, `npx steppewatch` (npm 7 to 11) installs the checkout
// itself into npm's npx cache, `<npm cache>/_npx/<hash>` with <hash> the first 16 hex digits of
// the SHA-512 of the checkout's path, and that install runs this script. Run before `npm ci`,
// there is no TypeScript yet: a failing build made npx stop half-way (node_modules/steppewatch
// linked, no package.json), and every later `npx steppewatch` in the folder then failed with
// `ENOENT … _npx/<hash>/package.json` until that folder was deleted. So, without TypeScript, this
// script says what to run and succeeds (the bin then says "run npm ci" too); and when it finds
// such a broken folder for this checkout, it removes it (npx makes it again, healthy).
// Hand-written: no library knows npx's cache layout; it is read from npm's libnpmexec.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** npx's cache folder for a checkout at `dir` (libnpmexec: sha512 of the resolved path, 16 hex digits). */
function npxCacheDir(dir, npmCache = process.env.npm_config_cache || join(homedir(), '.npm')) {
  return join(npmCache, '_npx', createHash('sha512').update(dir).digest('hex').slice(0, 16));
}

function same(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Removes this checkout's npx cache folder when it is in the broken state described above. */
function mendNpxCache() {
  const candidates = new Set([root, process.env.INIT_CWD].filter(Boolean).flatMap((d) => [d, safeRealpath(d)]));
  for (const dir of candidates) {
    const cache = npxCacheDir(dir);
    const link = join(cache, 'node_modules', 'steppewatch');
    let isLink = false;
    try {
      isLink = lstatSync(link).isSymbolicLink();
    } catch {
      continue;
    }
    // A concurrency.lock: an npx install is running there right now.
    if (!isLink || existsSync(join(cache, 'package.json')) || existsSync(join(cache, 'concurrency.lock')) || !same(link, root)) continue;
    rmSync(cache, { recursive: true, force: true });
    process.stderr.write(`steppewatch: removed npx's broken cache for this folder (${cache}), left by an \`npx steppewatch\` run before \`npm ci\`; \`npx steppewatch\` works again\n`);
  }
}

function safeRealpath(d) {
  try {
    return realpathSync(d);
  } catch {
    return d;
  }
}

// Under npx (npm_command "exec") this script runs inside the very install that fills the cache
// folder: it must neither touch that folder (it has no package.json yet) nor build (`npm ci` did;
// the bin says so when dist/ is missing).
if (process.env.npm_command === 'exec') process.exit(0);

try {
  mendNpxCache();
} catch (e) {
  process.stderr.write(`steppewatch: could not check npx's cache (${e.message}); ignored\n`);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('steppewatch: the dependencies are not installed yet, so nothing was built: run `npm ci` (it builds)\n');
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
// tsc copies no .lua: the stores load their scripts from beside their compiled code.
if (r.status === 0) cpSync(join(root, 'src/adapters/redis/scripts'), join(root, 'dist/src/adapters/redis/scripts'), { recursive: true });
process.exit(r.status ?? 1);
