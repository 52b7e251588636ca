// `steppewatch start` as a user runs it: embedded Redis under ./var/redis, HTTP endpoints,
// `story` beside it and on its own, and a clean exit on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pingRedis } from '../../../src/adapters/redis/spawn.js';
import { embeddedPaths } from '../../../src/adapters/redis/embedded.js';
import { cleanEnv, runCli, spawnCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/global-setup.js';

async function waitFor(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return r;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('steppewatch start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves health and readiness, answers `story` beside it, and stops cleanly on SIGTERM', async () => {
    writeFileSync(join(dir, 'feeds.yaml'), '[]\n');
    const port = await freePort();
    const env = cleanEnv({ FEEDS_FILE: join(dir, 'feeds.yaml'), HTTP_PORT: String(port), LOG_LEVEL: 'info', ADMIN_TOKEN: 'a-long-admin-token-123' });
    const child = spawnCli(['start'], { cwd: dir, env });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/healthz`, 30_000)).status).toBe(200);
      const ready = await waitFor(`http://127.0.0.1:${port}/readyz`, 30_000);
      expect(await ready.json()).toEqual({ ready: true, redis: true, roles: { worker: true, scheduler: true, bot: true } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('steppewatch_queue_jobs{queue="poll"');
      expect(metrics).toContain('steppewatch_polls_total');
      expect((await fetch(`http://127.0.0.1:${port}/admin/queues`)).status).toBe(401);
      const board = await fetch(`http://127.0.0.1:${port}/admin/queues`, { headers: { authorization: 'Bearer a-long-admin-token-123' } });
      expect(board.status).toBe(200);
      // `story` joins the running server and leaves it running.
      const story = await runCli(['story', 'kazakhstan', '--json'], { cwd: dir, env: cleanEnv({ FEEDS_FILE: join(dir, 'feeds.yaml') }) });
      expect(story.code).toBe(0);
      expect(JSON.parse(story.stdout)).toEqual([]);
      expect(await pingRedis({ socket: embeddedPaths(join(dir, 'var')).socket })).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/shutting down/);
    expect(await pingRedis({ socket: embeddedPaths(join(dir, 'var')).socket })).toBe(false);
  }, 90_000);

  it('`story` on its own starts the embedded Redis and stops it when done', async () => {
    const r = await runCli(['story', 'kazakhstan'], { cwd: dir, env: cleanEnv({ FEEDS_FILE: join(dir, 'feeds.yaml') }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nothing|No stories/i);
    expect(await pingRedis({ socket: embeddedPaths(join(dir, 'var')).socket })).toBe(false);
  }, 60_000);

  it('stops at a bad variable with one line naming it', async () => {
    const r = await runCli(['start'], { cwd: dir, env: cleanEnv({ HTTP_PORT: 'eighty' }) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('config: HTTP_PORT="eighty": expected a port number from 0 to 65535');
  });
});
