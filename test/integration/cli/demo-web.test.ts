// `steppewatch demo` serves the web view until Ctrl-C and prints the seed story's signed link,
// on the HTTP_PORT and PUBLIC_URL it is given.
import { describe, expect, it } from 'vitest';
import { cleanEnv, spawnCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/global-setup.js';

describe('demo and the web view', () => {
  it('prints Story: <PUBLIC_URL>/stories/<id>?token=… and serves it until SIGINT', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const child = spawnCli(['demo'], { env: cleanEnv({ HTTP_PORT: String(port), PUBLIC_URL: publicUrl }) });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 120_000;
      let line: string | undefined;
      while (!(line = /^Story: (\S+)$/m.exec(out)?.[1])) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no Story line:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(line).toMatch(new RegExp(`^${publicUrl}/stories/s-[0-9a-f]+\\?token=\\d+\\.[0-9a-f]{64}$`));
      const res = await fetch(line);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('color revolution');
      expect(html).toContain('Global Times');
      expect(html).toContain('RT');
      expect(html).toContain('Wei Fenghe');
      // Without the token: 401.
      expect((await fetch(line.split('?')[0]!)).status).toBe(401);
      // Still serving after the demo's run: it waits for Ctrl-C.
      await new Promise((r) => setTimeout(r, 1000));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(0);
  }, 180_000);
});
