// Where the package lives (data/, package.json), from the compiled (dist/src/main) or source (src/main) file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder holding steppewatch's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('steppewatch: cannot find the package root (package.json beside data/)');
}

export function dataDir(): string {
  return join(packageRoot(), 'data');
}

/** `../shared` beside the checkout (design docs, corpus), or null when absent. */
export function sharedDir(explicit?: string): string | null {
  const dir = explicit ?? process.env.STEPPEWATCH_SHARED ?? join(packageRoot(), '..', 'shared');
  return existsSync(dir) ? dir : null;
}

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
