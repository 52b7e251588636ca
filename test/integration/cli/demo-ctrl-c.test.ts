// Ctrl-C in a terminal goes to the whole foreground process group: `steppewatch demo` and, before,
// its throwaway redis-server too. Redis died at once and the app, still stopping, logged ~190 lines
// of connection errors ("worker error", "redis error") before the demo ended. Now Redis runs in a
// group of its own and the demo stops it after the app: a quiet, prompt end, nothing left behind.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, spawnCliGathering } from '../../helpers/cli.js';

describe('demo and Ctrl-C', () => {
  it('signalled as a terminal does (the whole process group), ends with 0, no error logged, its Redis and folder gone', async () => {
    const { child, out, err, exit } = spawnCliGathering(['demo'], { env: cleanEnv({ HTTP_PORT: '0' }), detached: true });
    try {
      const deadline = Date.now() + 120_000;
      while (!out().includes('Ctrl-C to stop')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the demo did not reach its watch:\n${out()}\n${err()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    const folder = /a throwaway Redis and records in (\S+)/.exec(out())?.[1];
    expect(folder && existsSync(folder)).toBe(true);
    const at = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    expect(await exit).toBe(0);
    expect(Date.now() - at).toBeLessThan(8_000);
    expect(err()).not.toMatch(/"level":50|worker error|redis error|ECONNRESET|ENOENT/);
    expect(existsSync(folder!)).toBe(false);
  }, 180_000);
});
