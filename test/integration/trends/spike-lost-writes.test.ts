// A spike alert posted just before a Redis host crash (appendfsync everysec: the last second of
// writes lost) while the spike job goes on. Before, the job recorded the spike and posted it within
// milliseconds, so the crash took the record, the intent and the post's record at once, and the
// next run (SPIKE_EVERY_MS later, past RESTART_GRACE_MS and Discord's nonce window) found the spike
// again and posted it again. Now the job posts a spike it just recorded only RECORD_SETTLE_MS later
// (the record on disk by then), and a run on a store restarted since the spike was recorded asks the
// platform for the post first. Real Redis (spawned, restarted), the real spike job and stores; the
// crash's lost writes undone by hand after the restart (test/helpers/lost-writes.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { spawnRedis, type SpawnedRedis } from '../../../src/adapters/redis/spawn.js';
import { createContainer, type Container } from '../../../src/main/container.js';
import { startApp } from '../../../src/main/app.js';
import { createSpikesProcessor, RECORD_SETTLE_MS, SPIKE_EVERY_MS } from '../../../jobs/spikes.js';
import type { Framing, TagId } from '../../../src/core/types.js';
import type { DeliveryStore } from '../../../src/ports/stores.js';
import { freePort } from '../../helpers/global-setup.js';
import { discordNotifierOf, until } from '../../helpers/crash.js';
import { startFakeDiscord } from '../../helpers/fake-discord.js';
import { markLostFrom, type LostWrites } from '../../helpers/lost-writes.js';
import { askablePlatform } from '../../helpers/pipeline.js';
import { uniquePrefix } from '../../helpers/redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f().catch(() => undefined);
});

/** A burst of `n` color-revolution × Kazakhstan articles in the last hours, nothing before: a spike. */
async function burst(c: Container, n: number) {
  const framing: Framing = { tag: 'color-revolution' as TagId, confidence: 1, evidence: [] };
  const now = Date.now();
  const articles = Array.from({ length: n }, (_, i) => ({
    id: `burst-${i}`,
    outletId: 'rt',
    outlet: 'RT',
    affiliation: 'state:RU' as const,
    published: new Date(now - (i + 1) * 20 * 60_000).toISOString(),
    analysis: { countries: ['KZ' as const], framings: [framing], regional: false },
  }));
  await c.stores.trends.countMany(articles, new Date(now));
}

/** A spawned Redis (`restart()`: stopped and started again on its files), a container on it, a spikes subscription of `destination` and a burst. */
async function setup(destination: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sw-spike-lost-'));
  const port = await freePort();
  let redis: SpawnedRedis = await spawnRedis({ dir, port });
  cleanups.push(() => redis.stop());
  const prefix = uniquePrefix('spike-lost');
  // A feeds file for the scheduler role: one feed nobody answers.
  const feeds = join(dir, 'feeds.yaml');
  writeFileSync(feeds, '- { id: quiet-en, url: "http://127.0.0.1:9/feed.xml", outlet: Quiet, language: en, affiliation: independent }\n');
  const config = { ...loadConfig({ env: { STEPPEWATCH_REDIS_PREFIX: prefix, HTTP_PORT: '0', FEEDS_FILE: feeds }, dotenv: false, cwd: dir }), varDir: dir };
  const c = await createContainer({ config, log: silentLogger(), redisUrl: redis.url });
  cleanups.push(() => c.close());
  await c.stores.subscriptions.add({ id: 'sub-s', destination, countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'spikes', isDefault: false, createdAt: new Date(Date.now() - 86_400_000).toISOString(), createdBy: 'test', paused: null });
  await burst(c, 8);
  const restart = async () => {
    await redis.stop();
    redis = await spawnRedis({ dir, port });
  };
  return { c, prefix, restart };
}

describe('a spike alert posted just before a host crash', () => {
  it('is posted after its record is on disk, and the next run, on the restarted store, finds the post instead of posting again', async () => {
    const { c, prefix, restart } = await setup('console');
    // The spike recorded well after the server's start: one recorded within ~3 s of it counts as
    // before it (uptime's whole seconds + the job's 2 s margin). 2.5 s here failed once in CI.
    await new Promise((r) => setTimeout(r, 4_500));

    const platform = askablePlatform();
    // The crash's moment: just before the post's intent (the last writes before the post).
    let crash: LostWrites | null = null;
    let settled: number | null = null;
    const deliveries: DeliveryStore = {
      ...c.stores.deliveries,
      async recordIntent(destination, key, swappedFor) {
        if (!crash) {
          const [spike] = await c.stores.trends.since(new Date(0));
          settled = Date.now() - Date.parse(spike!.foundAt);
          crash = await markLostFrom(c.redis, prefix);
        }
        return c.stores.deliveries.recordIntent(destination, key, swappedFor);
      },
    };
    let clock = () => new Date();
    const run = createSpikesProcessor({
      counters: c.stores.trends,
      spikes: c.stores.trends,
      stories: c.stores.stories,
      subscriptions: c.stores.subscriptions,
      deliveries,
      notifiers: { console: platform.notifier },
      config: { spikeZ: 3, spikeMinCount: 5, spikeCooldownHours: 24, spikesDefaultChannel: false, retentionDays: 90 },
      log: silentLogger(),
      clock: () => clock(),
    });
    const first = await run();
    expect(first.posted).toHaveLength(1);
    expect(platform.posts).toHaveLength(1);
    const key = platform.posts[0]!.key;
    expect(key).toMatch(/^spike:/);
    expect(platform.asked).toEqual([]);

    // The host crash: Redis restarts without the writes since the intent's moment.
    await restart();
    await crash!.lose();
    expect(await c.stores.deliveries.posted('console', key)).toBeNull();
    expect(await c.stores.deliveries.intent('console', key)).toBe(false);

    // The next run, SPIKE_EVERY_MS later.
    clock = () => new Date(Date.now() + SPIKE_EVERY_MS);
    const second = await run();
    expect(platform.asked).toEqual([key]);
    expect(platform.posts).toHaveLength(1);
    expect(second.posted).toEqual([{ destination: 'console', alert: key.slice('spike:'.length) }]);
    expect(await c.stores.deliveries.posted('console', key)).toEqual(platform.posts[0]!.ref);
    // The first post waited for the spike's record to be on disk.
    expect(settled).toBeGreaterThanOrEqual(RECORD_SETTLE_MS);
  }, 60_000);

  it('on Discord (no post to look up): the spike job runs again right after the restart, and its post under the same nonce is answered with the first message', async () => {
    const discord = await startFakeDiscord({ token: 'spike-token' });
    cleanups.push(() => discord.close());
    const dest = 'discord:C-SPIKES';
    const { c, restart } = await setup(dest);
    const app = await startApp(c, { roles: ['scheduler', 'worker'], notifiers: { discord: discordNotifierOf(discord, 'spike-token') }, noHttp: true, scheduleCheckMs: 200 });
    cleanups.push(() => app.stop(2_000));
    const [spike] = await until('the spike recorded', () => c.stores.trends.since(new Date(0)).then((x) => (x.length ? x : null)), 20_000);
    const key = `spike:${spike!.alertId}`;
    const first = await until('the spike alert posted', () => c.stores.deliveries.posted(dest, key), 20_000);
    expect(discord.messages.size).toBe(1);

    // The crash took the post's intent and record (the spike's record, written 2 s before, kept); Redis restarts.
    await c.redis.del(c.keys.deliveryArticle(dest, key), c.keys.deliveryStory(dest, key));
    expect(await c.stores.deliveries.posted(dest, key)).toBeNull();
    await restart();
    // The next scheduled run is SPIKE_EVERY_MS away, past Discord's nonce window: the role runs the job now.
    const again = await until('the spike alert recorded again', () => c.stores.deliveries.posted(dest, key), 20_000);
    expect(again).toEqual(first);
    expect(discord.messages.size).toBe(1);
  }, 90_000);
});
