#!/usr/bin/env node
// Entry point of the `steppewatch` bin. It runs the compiled CLI (built by `npm run build`,
// which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('steppewatch: the compiled CLI is missing (dist/). Run `npm ci` or `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv.slice(2));
