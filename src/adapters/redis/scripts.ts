// The Lua scripts of the Redis stores, one per file in ./scripts/ (each with a KEYS/ARGV header,
// as BullMQ keeps its own). The folder is found beside this module: src/adapters/redis/scripts
// when run from source (tsx, tests), dist/src/adapters/redis/scripts in the build (tsc does not
// copy .lua files; `npm run build` does).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = new URL('./scripts/', import.meta.url);

/** The source of scripts/<name>.lua; a clear error when the file is missing (a build that did
 * not copy the scripts). */
export function luaScript(name: string): string {
  const file = fileURLToPath(new URL(`${name}.lua`, DIR));
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`steppewatch: cannot read the Redis script ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); rebuild with \`npm run build\``);
  }
}
