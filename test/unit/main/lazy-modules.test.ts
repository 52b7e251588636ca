// The worker role does not load echarts/resvg (~33 MB of RSS, ~10 MB of live heap a process,
// issue 16): they load on the first chart. Checked in a fresh node process, with a module hook
// that records every module resolved, so an import added anywhere on the worker's path is caught.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, TSX } from '../../helpers/cli.js';
import { sampleChart } from '../../helpers/charts.js';
import { chartRenderer, chartRendererLoaded, loadChartRenderer } from '../../../src/main/charts.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` (an ES module's text) in a fresh node with tsx; returns the modules it resolved that match `pattern`. */
function resolvedIn(body: string, pattern: RegExp): string[] {
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  appendFileSync(${JSON.stringify(join(dir, 'resolved.txt'))}, r.url + '\\n');
  return r;
}`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  writeFileSync(join(dir, 'resolved.txt'), '');
  const main = join(dir, 'main.mjs');
  writeFileSync(main, body);
  const r = spawnSync(process.execPath, ['--import', TSX, '--import', pathToFileURL(register).href, main], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(join(dir, 'resolved.txt'), 'utf8').split('\n').filter((u) => pattern.test(u));
}

describe('chart renderer, loaded on first use', () => {
  it('the worker role’s modules (app, workers, container) do not load echarts or resvg', { timeout: 180_000 }, () => {
    const src = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, p)).href);
    const heavy = resolvedIn(`await import(${src('src/main/app.ts')});\nawait import(${src('src/main/workers.ts')});\nawait import(${src('src/main/container.ts')});\n`, /echarts|resvg/);
    expect(heavy).toEqual([]);
    // The hook does see them when they are loaded: the check above can fail.
    expect(resolvedIn(`await import(${src('src/adapters/charts/index.ts')});\n`, /echarts|resvg/).length).toBeGreaterThan(0);
  });

  it('draws an SVG only once loaded, saying so clearly before; loads itself for a PNG', async () => {
    expect(chartRendererLoaded()).toBe(false);
    expect(() => chartRenderer().svg(sampleChart())).toThrow(/await loadChartRenderer\(\)/);
    await loadChartRenderer();
    expect(chartRendererLoaded()).toBe(true);
    expect(chartRenderer().svg(sampleChart()).startsWith('<svg')).toBe(true);
  });
});
