// The whole pipeline on real Redis and BullMQ: sample feeds served on loopback → poll → analyse
// → stories → console alerts, exactly once.
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleNotifier } from '../../../src/adapters/console/notifier.js';
import { startApp, type App } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { loadSampleFeeds, sampleFeedsFile, startSampleFeedServer, type SampleFeedServer } from '../../../src/cli/demo-feeds.js';
import { dataDir } from '../../../src/main/paths.js';
import { jobId } from '../../../src/ports/queue-payloads.js';
import { readAlertRecords, testContainer } from '../../helpers/pipeline.js';
import type { Container } from '../../../src/main/container.js';

describe('pipeline: poll → analyse → deliver to the console', () => {
  let c: Container & { dir: string };
  let app: App;
  let feeds: SampleFeedServer;
  const out = new PassThrough();
  let printed = '';
  out.on('data', (d) => (printed += d));

  beforeAll(async () => {
    const samples = loadSampleFeeds(dataDir());
    feeds = await startSampleFeedServer(samples, Date.now());
    const file = join(mkdtempSync(join(tmpdir(), 'sw-feeds-')), 'feeds.yaml');
    writeFileSync(file, sampleFeedsFile(samples, feeds));
    c = await testContainer({ FEEDS_FILE: file });
    app = await startApp(c, {
      roles: ['worker', 'scheduler'],
      notifiers: { console: createConsoleNotifier({ recordFile: c.alertsFile, out }) },
      noHttp: true,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop(5_000);
    await c?.close();
    await feeds?.close();
  });

  it('alerts each Central Asia story once and nothing unrelated', async () => {
    expect(await waitUntilIdle(c, 30_000, async () => readAlertRecords(c.alertsFile).length > 0)).toBe(true);
    const records = readAlertRecords(c.alertsFile);
    const headlines = records.map((r) => r.headline);
    expect(records.every((r) => r.kind === 'alert' && r.destination === 'console')).toBe(true);
    expect(headlines.some((h) => /color revolution/i.test(h))).toBe(true);
    expect(headlines.some((h) => /Rogun/.test(h))).toBe(true);
    for (const unrelated of [/Shanghai port/, /Moscow opens/, /football/i, /Погода/]) {
      expect(headlines.some((h) => unrelated.test(h))).toBe(false);
    }
    expect(new Set(records.map((r) => r.articleId)).size).toBe(records.length);
    const seed = records.find((r) => /color revolution/i.test(r.headline))!;
    expect(seed).toMatchObject({ outletId: 'global-times', affiliation: 'state:CN', countries: ['KZ'] });
    expect(seed.framings.map((f) => f.tag)).toContain('color-revolution');
    expect(printed).toContain('Global Times  [state media · CN]');
  });

  it('threads the second outlet of the story as a follow-up', async () => {
    const before = readAlertRecords(c.alertsFile);
    feeds.release();
    await c.scheduler.pollNow('rt-en', 'manual');
    expect(await waitUntilIdle(c, 30_000, async () => readAlertRecords(c.alertsFile).length > before.length)).toBe(true);
    const added = readAlertRecords(c.alertsFile).slice(before.length);
    expect(added).toHaveLength(1);
    const seed = before.find((r) => /color revolution/i.test(r.headline))!;
    expect(added[0]).toMatchObject({ kind: 'followup', outletId: 'rt', storyId: seed.storyId });
    const story = await c.stores.stories.get(seed.storyId);
    expect(story?.outlets.map((o) => o.outletId)).toEqual(['global-times', 'rt']);
  });

  it('never reposts: polling again, or a retried deliver job, posts nothing', async () => {
    const before = readAlertRecords(c.alertsFile);
    for (const f of ['global-times-en', 'rt-en', 'steppe-ledger-en', 'tengri-sample-ru']) await c.scheduler.pollNow(f, 'manual');
    await waitUntilIdle(c, 20_000);
    // The feeds answered 304 to the conditional requests.
    expect([...feeds.hits.values()].reduce((n, h) => n + h.notModified, 0)).toBeGreaterThan(0);
    // A deliver job for an article already posted (as after a crash and retry).
    const first = before[0]!;
    await c.queues.deliver.add('deliver', { destination: 'console', articleId: first.articleId, storyId: first.storyId, kind: 'alert' }, { jobId: jobId('retry', first.articleId) });
    await waitUntilIdle(c, 10_000);
    expect(readAlertRecords(c.alertsFile)).toHaveLength(before.length);
  });
});
