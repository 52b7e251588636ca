// The rule for which CLI build the tests spawn (test/helpers/cli-mode.ts), on a made-up checkout.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseCliMode, distStale } from '../../helpers/cli-mode.js';

function checkout(): { root: string; put: (rel: string, text: string, ageS: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'sw-climode-'));
  const now = Date.now() / 1000;
  const put = (rel: string, text: string, ageS: number) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
    utimesSync(join(root, rel), now - ageS, now - ageS);
  };
  put('src/cli/cli.ts', 'x', 100);
  put('jobs/deliver.ts', 'x', 100);
  put('src/adapters/redis/scripts/plan.lua', 'return 1', 100);
  put('dist/src/cli/cli.js', 'x', 50);
  put('dist/jobs/deliver.js', 'x', 50);
  put('dist/src/adapters/redis/scripts/plan.lua', 'return 1', 50);
  return { root, put };
}

describe('which CLI the tests spawn', () => {
  it('dist/ when every source is older than its build and the Lua scripts are the same', () => {
    const { root } = checkout();
    expect(distStale(root)).toBeNull();
    expect(chooseCliMode(root, undefined).mode).toBe('dist');
    expect(chooseCliMode(root, 'source').mode).toBe('source');
  });

  it('the sources when a file changed since the build, is not built, or a script differs; STEPPEWATCH_TEST_CLI=dist then stops', () => {
    const a = checkout();
    a.put('jobs/deliver.ts', 'y', 10);
    expect(chooseCliMode(a.root, undefined)).toEqual({ mode: 'source', why: expect.stringContaining('jobs/deliver.ts changed since the build') });
    expect(() => chooseCliMode(a.root, 'dist')).toThrow(/STEPPEWATCH_TEST_CLI=dist but jobs\/deliver\.ts changed since the build/);
    const b = checkout();
    b.put('src/new.ts', 'x', 100);
    expect(distStale(b.root)).toBe('src/new.ts is not built');
    const c = checkout();
    c.put('src/adapters/redis/scripts/plan.lua', 'return 2', 100);
    expect(distStale(c.root)).toMatch(/plan\.lua differs from dist/);
    expect(() => chooseCliMode(checkout().root, 'fast')).toThrow(/neither "dist" nor "source"/);
  });
});
