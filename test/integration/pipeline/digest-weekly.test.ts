// Weekly digests (issue #17): `mode:digest every:week` goes out on Mondays at DIGEST_AT (UTC) with
// the week's stories and a chart of their tags per day; daily digests as before; neither twice.
// Real Redis (story store, claims), the digest processor run with a fixed clock.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestProcessor } from '../../../jobs/digest.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { ReplySection } from '../../../src/core/alert/values.js';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import type { AnalysisResult, Article, TagId } from '../../../src/core/types.js';
import type { Container } from '../../../src/main/container.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';

const MONDAY = new Date('2026-11-30T08:00:00Z');
const sub = (id: string, destination: string, o: Partial<Subscription>): Subscription => ({
  id, destination, countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'digest', isDefault: false, createdBy: null, createdAt: '2026-11-01T00:00:00Z', paused: null, ...o,
});

describe('weekly digest', () => {
  let c: Container;

  beforeAll(async () => {
    c = await testContainer();
    // One story a day over the week Mon 23 – Sun 29 November, two outlets each, tags alternating.
    const titles = [
      'Tokayev warns of a color revolution in Almaty', 'Uzbek parliament debates the Kambarata dam', 'Bishkek protests over the border deal', 'Dushanbe hosts the Rogun investors',
      'Ashgabat gas talks with Beijing resume', 'Astana court jails activists for extremism', 'Tashkent opens a new Samarkand railway',
    ];
    for (let d = 0; d < 7; d++) {
      const tag: TagId = d % 2 ? 'external-interference' : 'color-revolution';
      for (const [o, outletId] of ['rt', 'global-times'].entries()) {
        const published = new Date(Date.parse('2026-11-23T10:00:00Z') + d * 86_400_000 + o * 3_600_000).toISOString();
        const id = `w-${d}-${o}`;
        const a: Article = { id, feedId: `${outletId}-en`, outletId, outlet: outletId, affiliation: o ? 'state:CN' : 'state:RU', url: null, title: titles[d]!, text: `${titles[d]}. Officials spoke.`, published, publishedEstimated: false, firstSeen: published };
        const an: AnalysisResult = { id, language: 'en', countries: ['KZ'], relevance: 0.9, framings: [{ tag, confidence: 0.8, evidence: [{ quote: titles[d]!, attributedTo: null }] }], summary: titles[d]!, title: titles[d]!, entities: [], regional: false };
        await c.stores.stories.assign(a, an, new Date(published));
      }
    }
    await c.stores.subscriptions.add(sub('sweek', 'slack:CW', { every: 'week', query: 'countries:KZ' }));
    await c.stores.subscriptions.add(sub('sday', 'slack:CD', { countries: ['KZ'] })); // made before `every`: daily
  });

  afterAll(async () => {
    await c?.close();
  });

  function run(at: Date) {
    const rec = recordingNotifier();
    const target: string[] = [];
    const notifier = { ...rec.notifier, platform: 'slack' as const, postReply: async (d: { channel: string }, r: Parameters<typeof rec.notifier.postReply>[1]) => (target.push(d.channel), rec.notifier.postReply(d as never, r)) };
    const processor = createDigestProcessor({
      stories: c.stores.stories,
      subscriptions: c.stores.subscriptions,
      mutes: c.stores.mutes,
      notifiers: { slack: notifier },
      digests: c.stores.digests,
      config: { alertMinRelevance: 0.3 },
      log: silentLogger(),
      clock: () => at,
    });
    return { processor, replies: rec.replies, target, job: { name: 'digest', data: {} } as Job };
  }

  it('goes out on Monday with the week Mon–Sun and a chart of its tags per day; the daily one as before', async () => {
    const r = run(MONDAY);
    const out = await r.processor(r.job);
    expect(out).toEqual({ sent: ['slack:CD', 'slack:CW (week)'], empty: [] });
    const weekly = r.replies[r.target.indexOf('CW')]!;
    expect(weekly.text).toBe('steppewatch weekly digest, 2026-11-23 to 2026-11-29: 7 stories');
    const chart = weekly.sections.find((s): s is Extract<ReplySection, { type: 'chart' }> => s.type === 'chart');
    expect(chart).toBeDefined();
    expect(chart!.chart.series.map((s) => s.key)).toEqual(['color-revolution', 'external-interference']);
    const cr = chart!.chart.series[0]!;
    expect(cr.points.map((p) => p.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(cr.points.map((p) => p.count)).toEqual([2, 0, 2, 0, 2, 0, 2]);
    expect(chart!.alt).toContain('color-revolution 8 (most on 2026-11-23: 2)');
    const stories = weekly.sections.find((s) => s.type === 'stories');
    expect(stories?.type === 'stories' && stories.stories).toHaveLength(7);
    // the daily digest: Sunday's story only, no chart
    const daily = r.replies[r.target.indexOf('CD')]!;
    expect(daily.text).toBe('steppewatch daily digest, 2026-11-29: 1 story');
    expect(daily.sections.some((s) => s.type === 'chart')).toBe(false);
  });

  it('is not sent twice for one week, nor on other days', async () => {
    const again = run(new Date(MONDAY.getTime() + 60_000));
    expect(await again.processor(again.job)).toEqual({ sent: [], empty: [] });
    const tuesday = run(new Date('2026-12-01T08:00:00Z'));
    const out = await tuesday.processor(tuesday.job);
    expect(out && 'sent' in out && out.sent.some((s) => s.includes('(week)'))).toBe(false);
    expect(tuesday.target).not.toContain('CW');
  });
});
