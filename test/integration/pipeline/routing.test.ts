// Routing by subscription across several destinations, with mutes and a daily digest, on the
// running pipeline (real Redis, BullMQ, analysis and stories).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp, type App } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import type { Container } from '../../../src/main/container.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';

const sub = (id: string, destination: string, o: Partial<Subscription>): Subscription => ({
  ...defaultSubscription(destination, new Date()),
  id,
  isDefault: false,
  ...o,
});

describe('routing to several destinations', () => {
  let c: Container;
  let app: App;
  let server: TestFeedServer;
  const slack = recordingNotifier();
  const discord = recordingNotifier();
  const sent = (dest: string) =>
    [...slack.posts, ...discord.posts].filter((p) => `${p.alert.destination.platform}:${p.alert.destination.channel}` === dest).map((p) => `${p.alert.kind}:${p.alert.outlet.id}`);

  beforeAll(async () => {
    server = await startFeedServer();
    const now = Date.now();
    server.set('/gt.xml', rss('GT', [{ ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: new Date(now - 10 * 60_000) }]));
    server.set('/rt.xml', rss('RT', []));
    server.set(
      '/ledger.xml',
      rss('Ledger', [
        { title: "Tajikistan's Rogun dam fills its reservoir ahead of schedule", text: 'Tajikistan said the reservoir of the Rogun hydropower plant is filling faster than planned; Uzbekistan asked Dushanbe for daily flow data.', link: 'https://example.org/rogun', date: new Date(now - 20 * 60_000) },
        { title: 'A European league signs a new broadcast deal', text: 'A football league announced a five-year broadcast deal with a streaming service.', link: 'https://example.org/football', date: new Date(now - 30 * 60_000) },
      ]),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'sw-route-')), 'feeds.yaml');
    writeFileSync(
      file,
      YAML.stringify([
        { id: 'gt-en', url: server.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
        { id: 'rt-en', url: server.url('/rt.xml'), outlet: 'RT', language: 'en', affiliation: 'state:RU' },
        { id: 'ledger-en', url: server.url('/ledger.xml'), outlet: 'Steppe Ledger', language: 'en', affiliation: 'independent' },
      ]),
    );
    c = await testContainer({ FEEDS_FILE: file, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's' });
    for (const s of [
      sub('skz', 'slack:C1', { countries: ['KZ'] }),
      sub('sdebunk', 'slack:C2', { tags: ['disinfo-debunk'] }),
      sub('drt', 'discord:D1', { outlets: ['rt'] }),
      sub('srogun', 'slack:C3', { keywords: ['Rogun'] }),
      sub('sdigest', 'slack:C4', { countries: ['KZ'], mode: 'digest' }),
      sub('sdigesttm', 'slack:C6', { countries: ['TM'], mode: 'digest' }),
      sub('smuted', 'slack:C5', { countries: ['KZ'] }),
      sub('sstate', 'slack:C7', { affiliations: ['state:RU'] }),
    ]) {
      await c.stores.subscriptions.add(s);
    }
    await c.stores.mutes.mute('slack:C5', 'outlet', 'global-times');
    app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { slack: slack.notifier, discord: discord.notifier }, paceMs: { slack: 0, discord: 0 }, noHttp: true });
    await waitUntilIdle(c, 30_000);
    // A while later, RT carries the story.
    server.set('/rt.xml', rss('RT', [{ ...SEED_RETOLD.rt, link: 'https://example.org/rt', date: new Date() }]));
    await c.scheduler.pollNow('rt-en', 'manual');
    await waitUntilIdle(c, 30_000);
  }, 90_000);

  afterAll(async () => {
    await app?.stop(2000);
    await c?.close();
    await server?.close();
  });

  it('sends each destination what its subscription asks for, once', () => {
    expect(sent('slack:C1')).toEqual(['alert:global-times', 'followup:rt']);
    // The frame appears with RT's article: the story reaches C2 then, as its first alert there.
    expect(sent('slack:C2')).toEqual(['alert:rt']);
    expect(sent('discord:D1')).toEqual(['alert:rt']);
    expect(sent('slack:C3')).toEqual(['alert:steppe-ledger']);
    expect(sent('slack:C7')).toEqual(['alert:rt']);
    // Muted outlet: its article is not posted; the story still reaches the channel through RT.
    expect(sent('slack:C5')).toEqual(['alert:rt']);
    // Digest subscriptions get nothing as it comes.
    expect(sent('slack:C4')).toEqual([]);
    expect(JSON.stringify(slack.posts)).not.toMatch(/broadcast deal/);
  });

  it('tells a follow-up what it adds', () => {
    const f = slack.posts.find((p) => p.alert.kind === 'followup')!;
    expect(f.alert.followup?.newTags).toContain('disinfo-debunk');
    expect(f.alert.followup?.newTags).not.toContain('color-revolution');
    expect(f.alert.followup?.outletCount).toBe(2);
  });

  it('posts one daily digest per digest destination with matching stories, none when empty, and not twice', async () => {
    // This digest job done (a claim is posted ON_DISK_AFTER_MS after it is made; other digest-queue jobs may complete first).
    const job = await c.queues.digest.add('digest', {});
    await waitUntilIdle(c, 10_000, () => job.isCompleted());
    expect(slack.replies).toHaveLength(1);
    const digest = slack.replies[0]!;
    expect(digest.text).toMatch(/daily digest.*1 story/);
    const stories = digest.sections.find((s) => s.type === 'stories');
    expect(stories && stories.type === 'stories' && stories.stories.map((s) => s.outlets.map((o) => o.outletId))).toEqual([['global-times', 'rt']]);
    await c.queues.digest.add('digest', {});
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.replies).toHaveLength(1);
  });
});
