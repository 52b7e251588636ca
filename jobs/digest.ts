// digest: once a day at DIGEST_AT (UTC), one message per digest destination listing the day's
// matching stories with their outlets and framings. A digest with nothing in it is not sent.
import type { Job } from 'bullmq';
import type { Reply } from '../src/core/alert/values.js';
import { storyCard } from '../src/core/story/record.js';
import { subscriptionMatches, isMuted, type Subscription } from '../src/core/routing/subscription.js';
import { parseDestinationKey, type Platform, type Story } from '../src/core/types.js';
import { digestPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { Notifier } from '../src/ports/notifier.js';
import type { DigestLedger, MuteStore, StoryStore, SubscriptionStore } from '../src/ports/stores.js';

export interface DigestDeps {
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  notifiers: Partial<Record<Platform, Notifier>>;
  /** Claims (destination, day) once; false when that digest was already sent. */
  digests: DigestLedger;
  config: { alertMinRelevance: number };
  log: Logger;
  clock: () => Date;
}

/** A subscription matched against a whole story (every outlet's framings and affiliation). */
export function storyMatches(sub: Subscription, story: Story, min: number): boolean {
  const first = story.outlets[0];
  if (!first) return false;
  const framings = story.outlets.flatMap((o) => o.framings);
  return subscriptionMatches(
    sub,
    {
      story,
      article: {
        outletId: first.outletId,
        affiliation: first.affiliation,
        title: story.headline,
        text: story.summary,
        analysis: { id: first.articleId, language: 'und', countries: story.countries, relevance: story.relevance, framings, summary: story.summary, title: story.headline, entities: [], regional: story.countries.length === 0 },
      },
    },
    min,
  );
}

export function digestReply(day: string, stories: Story[]): Reply {
  const cards = stories.slice(0, 10).map(storyCard);
  const more = stories.length - cards.length;
  return {
    visibility: 'in_channel',
    kind: 'ok',
    text: `steppewatch daily digest, ${day}: ${stories.length} stor${stories.length === 1 ? 'y' : 'ies'}`,
    sections: [
      { type: 'heading', text: `Daily digest — ${day} (UTC): ${stories.length} stor${stories.length === 1 ? 'y' : 'ies'}, most widely carried first` },
      { type: 'stories', stories: cards },
      ...(more > 0 ? [{ type: 'hint' as const, text: `${more} more — /story 1d shows them all.` }] : []),
    ],
  };
}

export function createDigestProcessor(d: DigestDeps) {
  return async (job: Job): Promise<{ sent: string[]; empty: string[] } | { trimmed: number }> => {
    // The daily maintenance shares this queue: story indexes past the retention are trimmed.
    if (job.name === 'trim') {
      const r = (await d.stories.trim?.(d.clock())) ?? { entriesRemoved: 0, keysRemoved: 0 };
      d.log.info(r, 'maintenance: story indexes trimmed');
      return { trimmed: r.entriesRemoved + r.keysRemoved };
    }
    const p = digestPayload.parse(job.data ?? {});
    const now = d.clock();
    const day = p.day ?? new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const since = new Date(now.getTime() - 86_400_000);
    const subs = (await d.subscriptions.list()).filter((s) => s.mode === 'digest' && !s.paused);
    const byDest = new Map<string, Subscription[]>();
    for (const s of subs) byDest.set(s.destination, [...(byDest.get(s.destination) ?? []), s]);
    if (byDest.size === 0) return { sent: [], empty: [] };
    const recent = await d.stories.recent({ since, limit: 500 });
    const sent: string[] = [];
    const empty: string[] = [];
    for (const [dest, list] of byDest) {
      const target = parseDestinationKey(dest);
      const notifier = target ? d.notifiers[target.platform] : undefined;
      if (!target || !notifier) continue;
      const mutes = await d.mutes.get(dest);
      const matching = recent
        .filter((st) => !isMuted(mutes, st.id, st.outlets[0]?.outletId ?? ''))
        .filter((st) => list.some((s) => storyMatches(s, st, d.config.alertMinRelevance)))
        .sort((a, b) => b.outlets.length - a.outlets.length || b.lastSeen.localeCompare(a.lastSeen));
      if (matching.length === 0) {
        empty.push(dest);
        continue;
      }
      if (!(await d.digests.claim(dest, day))) continue;
      await notifier.postReply(target, digestReply(day, matching));
      sent.push(dest);
    }
    d.log.info({ day, sent: sent.length, empty: empty.length }, 'digest: done');
    return { sent, empty };
  };
}
