// Redis goes away and comes back (a restart, a failover): the pipeline reconnects and carries
// on; the AOF keeps what was stored, so nothing is reposted and nothing new is lost.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { spawnRedis } from '../../../src/adapters/redis/spawn.js';
import { createContainer } from '../../../src/main/container.js';
import { startApp } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { freePort } from '../../helpers/global-setup.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { rss, startFeedServer } from '../../helpers/feed-server.js';

describe('a Redis restart', () => {
  it('is ridden out: alerts before and after, none twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-restart-'));
    const port = await freePort();
    let redis = await spawnRedis({ dir, port });
    const server = await startFeedServer();
    const t0 = Date.now();
    const first = { title: 'Kyrgyzstan opens a new border crossing with Uzbekistan near Osh', text: 'Kyrgyzstan and Uzbekistan opened a border crossing near Osh, officials in Bishkek said.', link: 'https://example.org/kg1', date: new Date(t0 - 120_000) };
    const second = { title: 'Tajikistan raises electricity tariffs for households in Dushanbe', text: 'Tajikistan’s energy ministry raised household electricity tariffs in Dushanbe by a fifth from December.', link: 'https://example.org/tj2', date: new Date(t0 - 60_000) };
    server.set('/kg.xml', rss('KG', [first]));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(file, YAML.stringify([{ id: 'kg-en', url: server.url('/kg.xml'), outlet: 'Bishkek Wire', language: 'en', affiliation: 'independent' }]));
    const config = { ...loadConfig({ env: { FEEDS_FILE: file, ALLOW_PRIVATE_FEED_ADDRESSES: 'true', POLL_MIN_INTERVAL_SECONDS: '1' }, dotenv: false, cwd: dir }), varDir: dir };
    const c = await createContainer({ config, log: silentLogger(), redisUrl: redis.url });
    const rec = recordingNotifier();
    const app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { console: rec.notifier }, noHttp: true });
    try {
      expect(await waitUntilIdle(c, 20_000, async () => rec.posts.length === 1)).toBe(true);

      await redis.stop();
      await new Promise((r) => setTimeout(r, 1500));
      redis = await spawnRedis({ dir, port });

      server.set('/kg.xml', rss('KG', [second, first]));
      // The first commands after the restart wait for the reconnection.
      await c.scheduler.pollNow('kg-en', 'manual');
      expect(await waitUntilIdle(c, 30_000, async () => rec.posts.length >= 2)).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      expect(rec.posts.map((p) => p.alert.headline)).toEqual([first.title, second.title]);
    } finally {
      await app.stop(2000);
      await c.close();
      await redis.stop();
      await server.close();
    }
  }, 90_000);
});
