// What the CLI does when it cannot do its job (issue 13, items 2–4 and the exit codes of
// design.md): it exits at once with one line and the right code, cleans up after itself, and a
// role that cannot start never serves /healthz 200. Spawned from source, as a user runs it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv, runCli, spawnCli, type CliRun } from '../../helpers/cli.js';
import { freePort } from '../../helpers/global-setup.js';

const STACK_LINE = /^\s+at /m;

/** Status of GET url, or null when nothing answers. */
async function status(url: string): Promise<number | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return null;
  }
}

/** Runs the CLI and probes /healthz on `port` every 100 ms while it lives; returns what /healthz ever answered. */
async function runWatchingHealth(args: string[], env: Record<string, string>, port: number, cwd: string): Promise<CliRun & { health: (number | null)[] }> {
  const child = spawnCli(args, { env, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  let alive = true;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => ((alive = false), r(code))));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const health: (number | null)[] = [];
  while (alive) {
    health.push(await status(`http://127.0.0.1:${port}/healthz`));
    await new Promise((r) => setTimeout(r, 100));
  }
  clearTimeout(timer);
  return { code: await exited, stdout, stderr, health };
}

function oneLine(s: string): string[] {
  return s.trim().split('\n').filter(Boolean);
}

describe('a role that cannot start exits with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const redisUrl = inject('redisUrl');

  it('scheduler with a missing FEEDS_FILE: exit 2, one line naming the file, never /healthz 200', async () => {
    const port = await freePort();
    const env = cleanEnv({ FEEDS_FILE: '/nope.yaml', HTTP_PORT: String(port), REDIS_URL: redisUrl, STEPPEWATCH_REDIS_PREFIX: `t-${randomUUID()}` });
    const r = await runWatchingHealth(['scheduler'], env, port, dir);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/^FEEDS_FILE \/nope\.yaml: cannot read it \(ENOENT\)$/)]);
    expect(r.health).not.toContain(200);
  }, 90_000);

  it('start with a feeds file that does not parse: exit 2, one line', async () => {
    const file = join(dir, 'bad-feeds.yaml');
    writeFileSync(file, '- url: not a url\n  outlet: X\n');
    const port = await freePort();
    const env = cleanEnv({ FEEDS_FILE: file, HTTP_PORT: String(port), REDIS_URL: redisUrl, STEPPEWATCH_REDIS_PREFIX: `t-${randomUUID()}` });
    const r = await runWatchingHealth(['start'], env, port, dir);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`FEEDS_FILE ${file}`);
    expect(r.health).not.toContain(200);
  }, 90_000);

  it('a busy HTTP_PORT: exit 2, one line naming the port and HTTP_PORT, no stack', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const feeds = join(dir, 'empty.yaml');
      writeFileSync(feeds, '[]\n');
      const env = cleanEnv({ FEEDS_FILE: feeds, HTTP_PORT: String(port), REDIS_URL: redisUrl, STEPPEWATCH_REDIS_PREFIX: `t-${randomUUID()}` });
      const r = await runCli(['worker'], { env, cwd: dir, timeoutMs: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(STACK_LINE);
      const lines = oneLine(r.stderr).filter((l) => !l.startsWith('{')); // log lines are JSON
      expect(lines).toEqual([`HTTP_PORT=${port}: the port is in use by another process; stop it or set HTTP_PORT to a free port (0 picks one)`]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 90_000);

  it('Redis that does not answer: exit 3, one line naming it', async () => {
    const dead = await freePort();
    const feeds = join(dir, 'empty.yaml');
    writeFileSync(feeds, '[]\n');
    const env = cleanEnv({ FEEDS_FILE: feeds, HTTP_PORT: '0', REDIS_URL: `redis://:hunter2@127.0.0.1:${dead}`, LOG_LEVEL: 'warn' });
    const r = await runCli(['worker'], { env, cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${dead} did not answer within 15 s \\(.*ECONNREFUSED.*\\); start it, or fix REDIS_URL`))]);
    expect(r.stderr).not.toContain('hunter2');
  }, 90_000);

  it('/readyz says 503 while the roles start (/healthz 200), then 200', async () => {
    const port = await freePort();
    const feeds = join(dir, 'empty.yaml');
    writeFileSync(feeds, '[]\n');
    const env = cleanEnv({
      FEEDS_FILE: feeds,
      HTTP_PORT: String(port),
      REDIS_URL: redisUrl,
      STEPPEWATCH_REDIS_PREFIX: `t-${randomUUID()}`,
      // Hold the start for 4 s after the HTTP server is up, so "starting" can be seen.
      STEPPEWATCH_FAILPOINTS: 'app.starting=sleep:4000',
    });
    const child = spawnCli(['scheduler'], { env, cwd: dir });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 40_000;
      while ((await status(`http://127.0.0.1:${port}/healthz`)) !== 200) {
        if (Date.now() > deadline) throw new Error('never served /healthz');
        await new Promise((r) => setTimeout(r, 100));
      }
      const starting = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(starting.status).toBe(503);
      expect(await starting.json()).toEqual({ ready: false, redis: true, roles: { scheduler: false } });
      while ((await status(`http://127.0.0.1:${port}/readyz`)) !== 200) {
        if (Date.now() > deadline) throw new Error('never ready');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});

describe('demo without redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-demo-noredis-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 3 promptly with the install hint and leaves no temp folder', async () => {
    const bin = join(dir, 'bin'); // a PATH without redis-server (node is spawned by its full path)
    const tmp = join(dir, 'tmp');
    for (const d of [bin, tmp]) mkdirSync(d, { recursive: true });
    const started = Date.now();
    const r = await runCli(['demo', '--once'], { env: { PATH: bin, HOME: dir, TMPDIR: tmp }, cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no `redis-server` was found on PATH');
    expect(r.stderr).toContain('sudo apt-get install redis-server');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(readdirSync(tmp).filter((f) => f.startsWith('steppewatch-demo-'))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 90_000);

  it('a redis-server that dies at start: exit 3, one line, the temp folder removed', async () => {
    const bin = join(dir, 'bin-broken');
    const tmp = join(dir, 'tmp-broken');
    for (const d of [bin, tmp]) mkdirSync(d, { recursive: true });
    // Answers --version, then fails to start, as a broken install would.
    writeFileSync(join(bin, 'redis-server'), '#!/bin/sh\n[ "$1" = "--version" ] && exit 0\necho "FATAL: broken" >&2\nexit 1\n', { mode: 0o755 });
    const r = await runCli(['demo', '--once'], { env: { PATH: bin, HOME: dir, TMPDIR: tmp }, cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('redis-server exited at start: FATAL: broken');
    expect(r.stdout).toContain('a throwaway Redis and records in');
    expect(readdirSync(tmp).filter((f) => f.startsWith('steppewatch-demo-'))).toEqual([]);
  }, 90_000);
});

describe('unexpected errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-unexpected-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 1 with one line; the stack only at LOG_LEVEL=debug', async () => {
    // An empty folder as --shared: eval cannot read its corpus.
    const quiet = await runCli(['eval', '--shared', dir], { env: cleanEnv(), cwd: dir });
    expect(quiet.code).toBe(1);
    expect(oneLine(quiet.stderr)).toEqual([expect.stringMatching(/^steppewatch: ENOENT.*\(LOG_LEVEL=debug shows where\)$/)]);
    const debug = await runCli(['eval', '--shared', dir], { env: cleanEnv({ LOG_LEVEL: 'debug' }), cwd: dir });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(STACK_LINE);
  }, 90_000);
});
