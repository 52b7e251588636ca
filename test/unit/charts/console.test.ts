// The console destination writes a reply's charts and files under its directory and prints the paths.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/index.js';
import { createConsoleNotifier } from '../../../src/adapters/console/notifier.js';
import { pngSize, sampleChart } from '../../helpers/charts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('console: a reply with a chart and a file', () => {
  it('writes the PNG and the CSV under the files directory and prints their paths beside the alt text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-console-'));
    dirs.push(dir);
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const n = createConsoleNotifier({ recordFile: join(dir, 'alerts.jsonl'), out, charts: createChartRenderer(), clock: () => new Date('2026-12-05T10:00:00Z') });
    await n.postReply(
      { platform: 'console', channel: 'console' },
      {
        visibility: 'in_channel',
        kind: 'ok',
        text: 'Trends',
        sections: [{ type: 'chart', chart: sampleChart(), alt: 'Kazakhstan: 36 articles in 3 days' }],
        files: [{ filename: '../../etc/export.csv', contentType: 'text/csv', data: new TextEncoder().encode('a,b\n') }],
      },
    );
    const files = readdirSync(join(dir, 'files')).sort();
    expect(files).toEqual(['2026-12-05T10-00-00-000Z-export.csv', '2026-12-05T10-00-00-000Z-trends-kz-color-revolution.png']);
    const png = readFileSync(join(dir, 'files', files[1]!));
    expect(pngSize(png)).toEqual({ width: 960, height: 480 });
    expect(printed).toContain('Kazakhstan: 36 articles in 3 days');
    expect(printed).toMatch(/Chart: .*trends-kz-color-revolution\.png — Kazakhstan: 36 articles in 3 days/);
    expect(printed).toMatch(/File: .*export\.csv/);
  });
});
