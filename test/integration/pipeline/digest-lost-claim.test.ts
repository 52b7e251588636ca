// A digest's claim lost with Redis's last second of writes (a host crash, appendfsync everysec)
// while its job goes on, and the job run again after the restart (its start lost too). Before, the
// job claimed and posted within milliseconds: the run after the restart claimed again and posted the
// digest a second time. Now a run posts only once its claim is ON_DISK_AFTER_MS old and still its
// own: here the first run finds the claim the second run made and leaves the digest to it. Real
// Redis (stories, claims), the digest processor; the lost claim deleted by hand at the crash.
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createDigestProcessor, type DigestDeps } from '../../../jobs/digest.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { ON_DISK_AFTER_MS, type DigestLedger } from '../../../src/ports/stores.js';
import { containerOn, runCleanups, type Cleanups } from '../../helpers/crash.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { uniquePrefix } from '../../helpers/redis.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const job = { name: 'digest', data: {} } as Job;

describe('a digest whose claim a host crash lost', () => {
  it('goes out once: the run after the restart posts it, the first run (going on) finds the claim is not its own', async () => {
    const c = await containerOn(cleanups, uniquePrefix('digest-lost'));
    const now = Date.now();
    const published = new Date(now - 2 * 3_600_000).toISOString();
    const title = 'Tokayev warns of a color revolution in Almaty';
    const a: Article = { id: 'd-1', feedId: 'rt-en', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: null, title, text: `${title}. Officials spoke.`, published, publishedEstimated: false, firstSeen: published };
    const framing = { tag: 'color-revolution' as const, confidence: 0.8, evidence: [{ quote: a.title, attributedTo: null }] };
    const an: AnalysisResult = { id: a.id, language: 'en', countries: ['KZ'], relevance: 0.9, framings: [framing], summary: a.title, title: a.title, entities: [], regional: false };
    await c.stores.stories.assign(a, an, new Date(published));
    await c.stores.subscriptions.add({ id: 'sday', destination: 'console', countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'digest', isDefault: false, createdBy: null, createdAt: new Date(now - 86_400_000).toISOString(), paused: null });

    const rec = recordingNotifier();
    const posted: number[] = [];
    const deps = (digests: DigestLedger): DigestDeps => ({
      stories: c.stores.stories,
      subscriptions: c.stores.subscriptions,
      mutes: c.stores.mutes,
      notifiers: { console: { ...rec.notifier, postReply: (d, r, o) => (posted.push(Date.now()), rec.notifier.postReply(d, r, o)) } },
      digests,
      config: { alertMinRelevance: 0.3 },
      log: silentLogger(),
      clock: () => new Date(now),
    });
    const second = createDigestProcessor(deps(c.stores.digests));
    let claimedAt = 0;
    let crashed = false;
    const first = createDigestProcessor(
      deps({
        ...c.stores.digests,
        async claim(destination, period, token) {
          const ok = await c.stores.digests.claim(destination, period, token);
          claimedAt ||= Date.now();
          if (ok && !crashed) {
            // The crash: the claim lost; the job, its start lost too, is run again after the restart.
            crashed = true;
            await c.redis.del(c.keys.digestSent(destination, period));
            expect(await second(job)).toMatchObject({ sent: ['console'] });
          }
          return ok;
        },
      }),
    );
    const r = await first(job);
    expect(r).toMatchObject({ sent: [] });
    expect(rec.replies).toHaveLength(1);
    // The run after the restart posted its digest only once its claim was on disk.
    expect(posted[0]! - claimedAt).toBeGreaterThanOrEqual(ON_DISK_AFTER_MS);
  }, 30_000);
});
