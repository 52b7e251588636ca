// digest: every day at DIGEST_AT (UTC), one message per digest destination listing the day's
// matching stories; on Mondays also the weekly digests (every:week) of the week Monday–Sunday,
// with a chart of their tags. A digest with nothing in it is not sent. What matches and what the
// message says: src/core/digest.
//
// Once per (destination, period): the job claims it, and posts only when the claim is its own and
// on disk (postClaimed: test/integration/pipeline/digest-lost-claim.test.ts).
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { digestPeriods, digestReply, periodOf, storyMatches } from '../src/core/digest/digest.js';
import { isMuted, type Subscription } from '../src/core/routing/subscription.js';
import { parseDestinationKey, type Destination, type Platform } from '../src/core/types.js';
import { digestPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { Notifier } from '../src/ports/notifier.js';
import type { Reply } from '../src/core/alert/values.js';
import { ON_DISK_AFTER_MS, type ArticleTimeline, type DigestLedger, type MuteStore, type StoryStore, type SubscriptionStore } from '../src/ports/stores.js';
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

/** A digest to post: where, and its message. */
type Due = { dest: string; target: Destination; notifier: Notifier; reply: () => Reply; label: string };

/**
 * Claims each digest of `due` for `period`, and posts those whose claim is this run's and on disk:
 * claimed ON_DISK_AFTER_MS before the post, so a host crash after the post keeps the claim (a claim
 * lost with Redis's last second let the job, run again after the restart, post the digest again).
 * A claim found gone after the wait (lost) is claimed again; one another run holds is its to post.
 * Returns the labels of the digests posted.
 */
async function postClaimed(d: DigestDeps, due: readonly Due[], period: string, token: string): Promise<string[]> {
  const sent: string[] = [];
  let pending: Due[] = [...due];
  for (let round = 0; round < 3 && pending.length; round++) {
    const mine: Due[] = [];
    for (const x of pending) if (await d.digests.claim(x.dest, period, token)) mine.push(x);
    if (mine.length && d.digests.holder) await new Promise((r) => setTimeout(r, ON_DISK_AFTER_MS));
    pending = [];
    for (const x of mine) {
      const holder = d.digests.holder ? await d.digests.holder(x.dest, period) : token;
      if (holder === null) pending.push(x);
      if (holder !== token) continue;
      await x.notifier.postReply(x.target, x.reply());
      sent.push(x.label);
    }
  }
  return sent;
}

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
    const token = randomUUID();
    for (const period of digestPeriods(day)) {
      const byDest = new Map<string, Subscription[]>();
      for (const s of all) if (periodOf(s) === period.every) byDest.set(s.destination, [...(byDest.get(s.destination) ?? []), s]);
      if (byDest.size === 0) continue;
      const weekly = period.every === 'week';
      const recent = await d.stories.recent({ since: new Date(now.getTime() - (weekly ? 7 : 1) * DAY_MS), limit: weekly ? 2000 : 500 });
      const due: Due[] = [];
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
        due.push({ dest, target, notifier, reply: () => digestReply(day, matching, { every: period.every, from: period.from }), label: weekly ? `${dest} (week)` : dest });
      }
      sent.push(...(await postClaimed(d, due, weekly ? `week-${period.from}` : day, token)));
    }
    d.log.info({ day, sent: sent.length, empty: empty.length }, 'digest: done');
    return { sent, empty };
  };
}
