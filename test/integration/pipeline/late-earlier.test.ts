// An earlier article that arrives late (Global Times read after RT has alerted) is a follow-up
// whose time is relative to PUBLICATION: "published 3 h before RT", never "+0 min" (issue 13,
// item 10). Real Redis, BullMQ, analysis and stories.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp, type App } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import { followupText } from '../../../src/core/alert/format.js';
import type { Container } from '../../../src/main/container.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';

describe('a late-arriving earlier article', () => {
  let c: Container;
  let app: App;
  let server: TestFeedServer;
  const slack = recordingNotifier();

  beforeAll(async () => {
    server = await startFeedServer();
    const now = Date.now();
    server.set('/gt.xml', rss('GT', []));
    server.set('/rt.xml', rss('RT', [{ ...SEED_RETOLD.rt, link: 'https://example.org/rt', date: new Date(now - 5 * 60_000) }]));
    const file = join(mkdtempSync(join(tmpdir(), 'sw-late-')), 'feeds.yaml');
    writeFileSync(
      file,
      YAML.stringify([
        { id: 'gt-en', url: server.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
        { id: 'rt-en', url: server.url('/rt.xml'), outlet: 'RT', language: 'en', affiliation: 'state:RU' },
      ]),
    );
    c = await testContainer({ FEEDS_FILE: file, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's' });
    await c.stores.subscriptions.add({ ...defaultSubscription('slack:C1', new Date()), id: 'skz', isDefault: false, countries: ['KZ'] });
    app = await startApp(c, { roles: ['worker', 'scheduler'], notifiers: { slack: slack.notifier }, paceMs: { slack: 0 }, noHttp: true });
    await waitUntilIdle(c, 30_000);
    // Global Times published three hours before RT, but its feed is read only now.
    server.set('/gt.xml', rss('GT', [{ ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: new Date(now - 3 * 3_600_000 - 5 * 60_000) }]));
    await c.scheduler.pollNow('gt-en', 'manual');
    await waitUntilIdle(c, 30_000);
  }, 90_000);

  afterAll(async () => {
    await app?.stop(2000);
    await c?.close();
    await server?.close();
  });

  it('times the follow-up against the article that alerted, by publication', () => {
    expect(slack.posts.map((p) => `${p.alert.kind}:${p.alert.outlet.id}`)).toEqual(['alert:rt', 'followup:global-times']);
    const f = slack.posts[1]!.alert;
    expect(f.followup?.firstOutlet.id).toBe('rt');
    expect(f.followup!.delayMs).toBeLessThan(0);
    const text = followupText(f);
    expect(text).not.toContain('+0 min');
    expect(text).toContain('(published 3 h before RT)');
  });
});
