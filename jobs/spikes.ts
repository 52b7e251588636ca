// spikes: every SPIKE_EVERY_MS (a BullMQ job scheduler), find the keys whose last 24 h stand out
// against the 14 days before (core/trends/spikes.ts), record each once per SPIKE_COOLDOWN_HOURS,
// and post one spike alert per burst (spikes sharing their stories: core groupSpikes) to the
// destinations that want it: subscriptions with mode `spikes` that match (core/trends/spike-routing:
// a query subscription when one of the stories behind the spike matches its query, those stories
// then listed first), and the default channels when SPIKES_DEFAULT_CHANNEL=true — in both cases
// only spikes found after the subscription was made.
//
// Two phases, so a job that dies between them loses nothing: (1) detect and record (the store's
// claim takes the key's cooldown and records the spike in one step); (2) deliver every spike
// recorded lately to every destination that has not had it — exactly once per destination, by
// the delivery store's keys (`spike:<alert id>`) with an intent before the post, as deliver.ts.
//
// A Redis host crash (appendfsync everysec) loses the last second of writes while the job goes on.
// Had it taken the record, the intent and the post's record at once, the next run (15 min later,
// past Discord's nonce window) found the spike again and posted it again. So a spike just recorded
// is posted only RECORD_SETTLE_MS later, its record on disk by then; a post may then lose only its
// intent and record, and a run on a store restarted since the spike was recorded asks the platform
// (findPosted) first, as for an intent (test/integration/trends/spike-lost-writes.test.ts).
import type { Job } from 'bullmq';
import type { Reply } from '../src/core/alert/values.js';
import { dayKey, HOUR_MS } from '../src/core/trends/counters.js';
import { dayRange, shareOfVoice } from '../src/core/trends/series.js';
import { spikeAlertReply, spikeRecord, spikeStories, SPIKE_STORIES, type SpikeAlertInput } from '../src/core/trends/spike-alert.js';
import { spikeRouting, storiesShown, subscribedBefore, type SpikeCandidate } from '../src/core/trends/spike-routing.js';
import { detectSpikes, groupSpikes, spikeHours, splitKey, BASELINE_DAYS, type SpikeFinding } from '../src/core/trends/spikes.js';
import { parseDestinationKey, type CountryCode, type Platform, type Story, type TagId } from '../src/core/types.js';
import type { Logger } from '../src/ports/logger.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError, type Notifier } from '../src/ports/notifier.js';
import { ON_DISK_AFTER_MS, UPTIME_MARGIN_MS, type DeliveryStore, type StoryStore, type SubscriptionStore } from '../src/ports/stores.js';
import type { SpikeStore, StoredSpike, TrendCounterStore } from '../src/ports/trend-counters.js';

/** How often the job scheduler runs the spike job. */
export const SPIKE_EVERY_MS = 15 * 60_000;
/**
 * How long after recording spikes the job waits before posting them: under appendfsync everysec a
 * write is on disk within a second, two when an fsync is slow (Redis then delays the next one).
 */
export const RECORD_SETTLE_MS = ON_DISK_AFTER_MS;
/** Stories read from the index for one spike (the window's, most recent first). */
const STORY_SCAN = 500;
/**
 * Stories behind a spike kept with it (most outlets first): the alert shows SPIKE_STORIES of them,
 * a query subscription's alert those matching its query first.
 */
export const SPIKE_CANDIDATES = 30;

export interface SpikesDeps {
  counters: Pick<TrendCounterStore, 'hours' | 'days' | 'outlets'>;
  spikes: SpikeStore;
  stories: Pick<StoryStore, 'recent' | 'getMany'>;
  subscriptions: Pick<SubscriptionStore, 'list'>;
  deliveries: Pick<DeliveryStore, 'posted' | 'recordPost' | 'recordIntent' | 'intent' | 'clearIntent' | 'upSince'>;
  notifiers: Partial<Record<Platform, Notifier>>;
  config: {
    spikeZ: number;
    spikeMinCount: number;
    spikeCooldownHours: number;
    spikesDefaultChannel: boolean;
    retentionDays: number;
  };
  log: Logger;
  clock: () => Date;
}

export interface SpikesResult {
  found: string[];
  recorded: string[];
  posted: { destination: string; alert: string }[];
}

async function storiesFor(d: SpikesDeps, f: SpikeFinding): Promise<Story[]> {
  const { scope, tag, isCountry } = splitKey(f.key);
  return d.stories.recent({
    since: new Date(f.from),
    limit: STORY_SCAN,
    tags: [tag as TagId],
    ...(isCountry ? { countries: [scope as CountryCode] } : {}),
  });
}

/** Phase 1: spikes at `now`, each key claimed for its cooldown; one alert id per burst (groupSpikes). */
async function detectAndRecord(d: SpikesDeps, now: Date): Promise<{ found: string[]; recorded: string[] }> {
  const hours = await d.counters.hours(spikeHours(now));
  const found = detectSpikes((h) => hours.get(h), now, { z: d.config.spikeZ, minCount: d.config.spikeMinCount });
  const recorded: string[] = [];
  const withStories: (SpikeFinding & { storyIds: string[] })[] = [];
  const candidates = new Map<string, string[]>();
  for (const f of found) {
    const ids = spikeStories(f.key, await storiesFor(d, f), f.from, f.to, SPIKE_CANDIDATES).map((s) => s.storyId);
    candidates.set(f.key, ids);
    // Bursts are told apart by the stories an alert shows (groupSpikes), not by every candidate.
    withStories.push({ ...f, storyIds: ids.slice(0, SPIKE_STORIES) });
  }
  for (const group of groupSpikes(withStories)) {
    let alertId: string | null = null;
    for (const f of group) {
      const id: string = `${f.key}@${f.at}`;
      const spike: StoredSpike = { ...f, storyIds: candidates.get(f.key) ?? f.storyIds, id, alertId: alertId ?? id, foundAt: now.toISOString() };
      if (await d.spikes.claim(spike, d.config.spikeCooldownHours * 3600, d.config.retentionDays * 86_400)) {
        alertId ??= id;
        recorded.push(f.key);
      }
    }
  }
  return { found: found.map((f) => f.key), recorded };
}

/**
 * The alert of a group of recorded spikes (the lead first): stories (the first SPIKE_STORIES of
 * the candidates), share of voice, chart; and every candidate story behind it, for routing.
 */
async function alertInput(d: SpikesDeps, group: StoredSpike[]): Promise<SpikeAlertInput & { candidates: SpikeCandidate[] }> {
  const lead = group[0]!;
  const tag = splitKey(lead.key).tag;
  const stories = (await d.stories.getMany(lead.storyIds)).filter((s): s is Story => s !== null);
  const all = spikeStories(lead.key, stories, lead.from, lead.to, SPIKE_CANDIDATES);
  const byId = new Map(stories.map((s) => [s.id, s]));
  const candidates = all.map((behind) => ({ behind, story: byId.get(behind.storyId) ?? null }));
  const behind = all.slice(0, SPIKE_STORIES);
  const chartDays = dayRange(new Date(lead.to - 1), BASELINE_DAYS + 1);
  // The 24-hour window spans one or two UTC days: share of voice is read over those days.
  const windowDays = [...new Set([dayKey(lead.from), dayKey(lead.to - 1)])];
  const daily = await d.counters.days([...new Set([...chartDays, ...windowDays])]);
  const outletIds = new Set<string>();
  for (const day of windowDays) for (const f of Object.keys(daily.get(day) ?? {})) if (f.startsWith('o:') && f.endsWith(`|${tag}`)) outletIds.add(f.slice(2, f.lastIndexOf('|')));
  const names = await d.counters.outlets([...outletIds]);
  return {
    candidates,
    group,
    stories: behind,
    share: shareOfVoice(tag, daily, windowDays, (id) => names.get(id)),
    series: { key: lead.key, points: chartDays.map((day) => ({ day, count: daily.get(day)?.[lead.key] ?? 0 })) },
  };
}

/** Phase 2: every alert recorded within the cooldown, to each destination that has not had it. */
async function deliverRecorded(d: SpikesDeps, now: Date): Promise<SpikesResult['posted']> {
  const recent = await d.spikes.since(new Date(now.getTime() - d.config.spikeCooldownHours * HOUR_MS));
  const alerts = new Map<string, StoredSpike[]>();
  for (const s of [...recent].reverse()) alerts.set(s.alertId, [...(alerts.get(s.alertId) ?? []), s]);
  if (alerts.size === 0) return [];
  const subs = await d.subscriptions.list();
  // The store's start: a spike recorded before it may have been posted with its intent and record lost.
  const up = (await d.deliveries.upSince?.()) ?? null;
  const posted: SpikesResult['posted'] = [];
  for (const [alertId, members] of alerts) {
    const group = [...members].sort((a, b) => (a.id === alertId ? -1 : b.id === alertId ? 1 : b.z - a.z));
    const { candidates, ...input } = await alertInput(d, group);
    // Each destination with the stories its subscriptions asked for (listed first in its alert).
    const dests = new Map<string, Set<string>>();
    const want = (destination: string, ids: readonly string[]) => {
      const set = dests.get(destination) ?? new Set<string>();
      for (const id of ids) set.add(id);
      dests.set(destination, set);
    };
    for (const s of subs) {
      if (s.paused) continue;
      const asked = s.mode === 'spikes' ? spikeRouting(s, group, candidates) : null;
      if (asked) want(s.destination, asked);
      if (s.isDefault && d.config.spikesDefaultChannel && subscribedBefore(s, group[0]!.foundAt)) want(s.destination, []);
    }
    const replies = new Map<string, { input: SpikeAlertInput; reply: Reply }>();
    for (const [destination, first] of dests) {
      const target = parseDestinationKey(destination);
      const notifier = target ? d.notifiers[target.platform] : undefined;
      if (!target || !notifier) continue;
      const key = `spike:${alertId}`;
      if (await d.deliveries.posted(destination, key)) continue;
      // One reply per order of stories: most destinations share the alert's own.
      const shown = storiesShown(candidates.map((c) => c.behind), first);
      const order = shown.map((x) => x.storyId).join(' ');
      let made = replies.get(order);
      if (!made) {
        const own = { ...input, stories: shown };
        replies.set(order, (made = { input: own, reply: spikeAlertReply(own) }));
      }
      const reply = made.reply;
      // An intent without a post: an earlier run may have posted and died before recording it. Or
      // the store restarted since the spike was recorded: the intent may be lost with the record.
      const restarted = up !== null && up + UPTIME_MARGIN_MS > Date.parse(group[0]!.foundAt);
      let intended = false;
      try {
        let ref = (restarted || (await d.deliveries.intent(destination, key))) && notifier.findPosted
          ? await notifier.findPosted({ destination: target, key, thread: null, since: Date.parse(group[0]!.foundAt) })
          : null;
        if (!ref) {
          await d.deliveries.recordIntent(destination, key);
          intended = true;
          ref = await notifier.postReply(target, reply, { key, record: spikeRecord(made.input, destination, d.clock()) });
        }
        await d.deliveries.recordPost(destination, key, key, ref, 'followup');
        posted.push({ destination, alert: alertId });
      } catch (e) {
        // The platform said no (slow down, channel gone, credentials): nothing was posted; the
        // next run (SPIKE_EVERY_MS) tries again while the spike is within its cooldown.
        if (!(e instanceof RateLimitedError || e instanceof DestinationUnavailableError || e instanceof PlatformAuthError)) throw e;
        if (intended) await d.deliveries.clearIntent(destination, key);
        d.log.warn({ destination, alert: alertId, err: e.message }, 'spikes: the platform refused the spike alert; next run tries again');
      }
    }
  }
  return posted;
}

export function createSpikesProcessor(d: SpikesDeps) {
  return async (_job?: Job): Promise<SpikesResult> => {
    const now = d.clock();
    const { found, recorded } = await detectAndRecord(d, now);
    if (recorded.length) await new Promise((r) => setTimeout(r, RECORD_SETTLE_MS));
    const posted = await deliverRecorded(d, now);
    if (found.length || posted.length) d.log.info({ found, recorded, posted: posted.length }, 'spikes: done');
    return { found, recorded, posted };
  };
}
