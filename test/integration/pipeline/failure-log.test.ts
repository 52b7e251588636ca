// Offline, the worker logs one summary warning for all failing feeds — not a line per feed at
// INFO, not again at every retry — and one line when they recover (issue 13 #8). Real Redis,
// real BullMQ workers, real HTTP fetches of a loopback port that refuses, then answers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Worker } from 'bullmq';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/adapters/log.js';
import { createHttpFeedFetcher } from '../../../src/adapters/http-feed/fetcher.js';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { createContainer, type Container } from '../../../src/main/container.js';
import { applyFeeds, readFeedsFile } from '../../../src/main/feeds-sync.js';
import { startWorkers, stopWorkers } from '../../../src/main/workers.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { rss } from '../../helpers/feed-server.js';
import { freePort } from '../../helpers/global-setup.js';
import { testRedisUrl, uniquePrefix } from '../../helpers/redis.js';

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

const FEEDS = 48;

describe('feed failures in the log', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('48 failing feeds give one warning (detail at debug), retries add nothing, recovery is one line', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sw-faillog-'));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(
      file,
      YAML.stringify(Array.from({ length: FEEDS }, (_, i) => ({ id: `f${i}-en`, url: `http://127.0.0.1:${port}/f${i}.xml`, outlet: `Outlet ${i}`, language: 'en', affiliation: 'independent' }))),
    );
    const lines: Line[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
        cb();
      },
    });
    const config = {
      ...loadConfig({
        env: { STEPPEWATCH_REDIS_PREFIX: uniquePrefix('fl'), ALLOW_PRIVATE_FEED_ADDRESSES: 'true', HTTP_PORT: '0', POLL_MIN_INTERVAL_SECONDS: '1', FEEDS_FILE: file },
        dotenv: false,
        cwd: dir,
      }),
      varDir: dir,
    };
    const c: Container = await createContainer({ config, log: createLogger({ level: 'debug', pretty: false, destination: sink }), redisUrl: testRedisUrl() });
    cleanup.push(() => c.close());
    const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true, userAgent: 'test' });
    cleanup.push(() => fetcher.close());
    await applyFeeds(c, readFeedsFile(file));
    const workers: Worker[] = startWorkers(c, { analyzer: defaultAnalyzer(), fetcher, notifiers: { console: recordingNotifier().notifier }, failureSummaryMs: 1500 });
    cleanup.push(async () => void (await stopWorkers(workers, 2000, c.log)));

    const failed = () => lines.filter((l) => l.msg === 'poll: feed failed');
    const summaries = () => lines.filter((l) => /feeds failing/.test(l.msg));
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      return cond();
    };
    // Every feed fails, and is retried at least once more (backoff from 1 s), past the window.
    expect(await until(() => failed().length >= FEEDS * 2 && summaries().length > 0, 30_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    expect(failed().every((l) => l.level === 20)).toBe(true); // debug, not info
    expect(new Set(failed().map((l) => l.feed)).size).toBe(FEEDS);
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]).toMatchObject({ level: 40, failing: FEEDS, feeds: FEEDS, codes: { connection_refused: FEEDS } });
    expect(summaries()[0]!.msg).toMatch(/^poll: 48 of 48 feeds failing: connection_refused \(48\)/);
    expect(lines.filter((l) => l.level >= 30 && /feed/.test(l.msg) && !/feeds failing/.test(l.msg))).toEqual([]);

    // The network is back: the feeds answer; polled now, they recover, and one line says so.
    const server: Server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('ok', [])));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    for (let i = 0; i < FEEDS; i++) await c.scheduler.pollNow(`f${i}-en`, 'manual');
    const recovered = () => lines.filter((l) => /polling again/.test(l.msg));
    expect(await until(() => recovered().length > 0, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    expect(recovered()).toHaveLength(1);
    expect(recovered()[0]).toMatchObject({ level: 30, recovered: FEEDS, failing: 0 });
    expect(recovered()[0]!.msg).toMatch(/^poll: 48 feeds polling again: .*; no feed is failing now$/);
    expect(summaries()).toHaveLength(1);
  }, 60_000);
});
