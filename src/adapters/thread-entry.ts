// How to start a worker thread on one of our modules: the compiled `.js` beside the caller (the
// build), or, when running from source (tsx, vitest), a small bootstrap that registers tsx's
// loader and imports the `.ts`. Null when neither is possible (no file, no tsx): the caller then
// does the work on its own thread. Shared by `steppewatch analyze` and the worker role's analysis
// thread (analysis-thread.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ThreadEntry {
  code: string | URL;
  eval: boolean;
}

/** The entry of module `base` (no extension) in the directory of `callerUrl` (the caller's import.meta.url). */
export function threadEntry(callerUrl: string, base: string): ThreadEntry | null {
  const here = fileURLToPath(callerUrl);
  const js = join(dirname(here), `${base}.js`);
  if (here.endsWith('.js') && existsSync(js)) return { code: pathToFileURL(js), eval: false };
  const ts = join(dirname(here), `${base}.ts`);
  if (!existsSync(ts)) return null;
  let api: string;
  try {
    api = createRequire(callerUrl).resolve('tsx/esm/api');
  } catch {
    return null;
  }
  const apiUrl = pathToFileURL(api.replace(/index\.cjs$/, 'index.mjs')).href;
  const code = `import(${JSON.stringify(apiUrl)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(ts).href)}); });`;
  return { code, eval: true };
}
