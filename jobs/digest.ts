// digest: every day at DIGEST_AT (UTC), one message per digest destination listing the day's
// matching stories; on Mondays also the weekly digests (every:week) of the week Monday–Sunday,
// with a chart of their tags. A digest with nothing in it is not sent. What matches and what the
// message says: src/core/digest.
import type { Job } from 'bullmq';
import { digestPeriods, digestReply, periodOf, storyMatches } from '../src/core/digest/digest.js';
import { isMuted, type Subscription } from '../src/core/routing/subscription.js';
import { parseDestinationKey, type Platform } from '../src/core/types.js';
import { digestPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { Notifier } from '../src/ports/notifier.js';
import type { ArticleTimeline, DigestLedger, MuteStore, StoryStore, SubscriptionStore } from '../src/ports/stores.js';
import { sweepMerges, type TellMergesDeps } from './merge-notice.js';

export { storyMatches, digestReply } from '../src/core/digest/digest.js';

export interface DigestDeps {
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  notifiers: Partial<Record<Platform, Notifier>>;
  /** Claims (destination, key) once — the day, or `week-<Monday>` — false when already sent. */
  digests: DigestLedger;
  /** The article time index, trimmed by the daily maintenance with the stories. */
  articles?: Pick<ArticleTimeline, 'trimBefore'>;
  config: { alertMinRelevance: number; retentionDays?: number };
  /** What the `merge-sweep` needs beyond the above (jobs/merge-notice.ts); without it the sweep does nothing. */
  merges?: Pick<TellMergesDeps, 'deliveries' | 'enqueueDeliver'>;
  log: Logger;
  clock: () => Date;
}

const DAY_MS = 86_400_000;

export function createDigestProcessor(d: DigestDeps) {
  return async (job: Job): Promise<{ sent: string[]; empty: string[] } | { trimmed: number } | { mergesFinished: number }> => {
    // Maintenance shares this queue. Every few minutes: merges of stories a crash left untold.
    if (job.name === 'merge-sweep') {
      const mergesFinished = d.merges ? await sweepMerges({ ...d.merges, stories: d.stories, subscriptions: d.subscriptions, mutes: d.mutes, log: d.log }) : 0;
      if (mergesFinished) d.log.info({ mergesFinished }, 'maintenance: pending story merges finished');
      return { mergesFinished };
    }
    // Daily: story indexes past the retention are trimmed.
    if (job.name === 'trim') {
      const r = (await d.stories.trim?.(d.clock())) ?? { entriesRemoved: 0, keysRemoved: 0 };
      const articles = d.articles && d.config.retentionDays ? await d.articles.trimBefore(new Date(d.clock().getTime() - d.config.retentionDays * DAY_MS)) : 0;
      d.log.info({ ...r, articleEntriesRemoved: articles }, 'maintenance: story and article indexes trimmed');
      return { trimmed: r.entriesRemoved + r.keysRemoved + articles };
    }
    const p = digestPayload.parse(job.data ?? {});
    const now = d.clock();
    const day = p.day ?? new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
    const all = (await d.subscriptions.list()).filter((s) => s.mode === 'digest' && !s.paused);
    const sent: string[] = [];
    const empty: string[] = [];
    for (const period of digestPeriods(day)) {
      const byDest = new Map<string, Subscription[]>();
      for (const s of all) if (periodOf(s) === period.every) byDest.set(s.destination, [...(byDest.get(s.destination) ?? []), s]);
      if (byDest.size === 0) continue;
      const weekly = period.every === 'week';
      const recent = await d.stories.recent({ since: new Date(now.getTime() - (weekly ? 7 : 1) * DAY_MS), limit: weekly ? 2000 : 500 });
      for (const [dest, list] of byDest) {
        const target = parseDestinationKey(dest);
        const notifier = target ? d.notifiers[target.platform] : undefined;
        if (!target || !notifier) continue;
        const mutes = await d.mutes.get(dest);
        const matching = recent
          .filter((st) => !isMuted(mutes, st, st.outlets[0]?.outletId ?? ''))
          .filter((st) => list.some((s) => storyMatches(s, st, d.config.alertMinRelevance)))
          .sort((a, b) => b.outlets.length - a.outlets.length || b.lastSeen.localeCompare(a.lastSeen));
        if (matching.length === 0) {
          empty.push(dest);
          continue;
        }
        if (!(await d.digests.claim(dest, weekly ? `week-${period.from}` : day))) continue;
        await notifier.postReply(target, digestReply(day, matching, { every: period.every, from: period.from }));
        sent.push(weekly ? `${dest} (week)` : dest);
      }
    }
    d.log.info({ day, sent: sent.length, empty: empty.length }, 'digest: done');
    return { sent, empty };
  };
}
