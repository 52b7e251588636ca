// Spawning the steppewatch CLI in tests (and the chaos suite): the compiled dist/ when it is the
// build of the sources, else the sources through tsx (the rule: test/helpers/cli-mode.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { chooseCliMode, type CliMode } from './cli-mode.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = join(ROOT, 'test', 'helpers', 'cli-entry.ts');
/** tsx's loader by path, so the child can run from any folder. */
export const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI child: the parent's PATH and HOME, nothing of steppewatch's own. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) env[k] = process.env[k]!;
  return { ...env, ...extra };
}

let mode: CliMode | undefined;

/** The node arguments that run `steppewatch <args>`: dist/ or the sources (decided once per process). */
export function cliArgs(args: string[]): string[] {
  mode ??= chooseCliMode(ROOT, process.env.STEPPEWATCH_TEST_CLI).mode;
  return mode === 'dist' ? [join(ROOT, 'bin', 'steppewatch.js'), ...args] : ['--import', TSX, ENTRY, ...args];
}

/** `detached`: the child leads a process group of its own (signal the group as a terminal does: `process.kill(-pid, …)`). */
export function spawnCli(args: string[], o: { env?: Record<string, string>; cwd?: string; detached?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, cliArgs(args), {
    cwd: o.cwd ?? ROOT,
    env: o.env ?? cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: o.detached === true,
  });
}

/** spawnCli with its output gathered as it comes (`out()`, `err()`) and its exit code (`exit`). */
export function spawnCliGathering(args: string[], o: Parameters<typeof spawnCli>[1] = {}) {
  const child = spawnCli(args, o);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

export function runCli(args: string[], o: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, o);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`steppewatch ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, o.timeoutMs ?? 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(o.input ?? '');
  });
}
