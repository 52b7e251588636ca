// Which `mode:spikes` subscriptions want a spike alert, and which of its stories each asked for.
// Pure: the spike job (jobs/spikes.ts) gathers the spike group, the stories behind it and the
// subscriptions.
//
// What a subscription means for a spike:
// - typed in the query language (`query` set, Boolean keywords, phrases, NEAR): the spike is
//   delivered when at least one story behind it matches the whole query. The story is seen as
//   /story sees it (storyDocument: every outlet, the headline, titles, summary, people), except
//   that its framing tags are those that spiked: the alert is about that tag's rise, and a story's
//   other framings do not make it about theirs. The matching stories are listed first in that
//   channel's alert.
// - fields only (made before the query language): as always, the fields against the spike's keys
//   and its stories (countries and tag of the keys; affiliations of the keys and the stories'
//   outlets; outlets and keywords of the stories); stories with a keyword are listed first.
// - either way, only spikes found after the subscription was made: a channel that subscribes
//   while a spike is within its cooldown does not get that spike (it was news before they asked).
import { matchQuery, storyDocument } from '../query/index.js';
import { keywordRegex, queryOf, type Subscription } from '../routing/subscription.js';
import type { Story, TagId } from '../types.js';
import { SPIKE_STORIES, type SpikeStory } from './spike-alert.js';
import { splitKey } from './spikes.js';

/** A story behind a spike: as the alert shows it, and its record (null when gone since). */
export interface SpikeCandidate {
  behind: SpikeStory;
  story: Story | null;
}

/** Whether the subscription was made before the spike was found (an unreadable date: made long ago). */
export function subscribedBefore(sub: Pick<Subscription, 'createdAt'>, foundAt: string): boolean {
  const made = Date.parse(sub.createdAt);
  const found = Date.parse(foundAt);
  return !Number.isFinite(made) || !Number.isFinite(found) || made <= found;
}

/**
 * Null when `sub` does not want the alert of this spike group; otherwise the ids of the stories
 * it asked for (to be listed first; empty when it asked for no story in particular).
 * `candidates`: the stories behind the lead spike, in the alert's order.
 */
export function spikeRouting(sub: Subscription, group: readonly { key: string; foundAt: string }[], candidates: readonly SpikeCandidate[]): string[] | null {
  if (sub.paused || sub.mode !== 'spikes') return null;
  if (!subscribedBefore(sub, group[0]!.foundAt)) return null;
  const q = queryOf(sub);
  if (q === 'bad') return null;
  if (q !== null) {
    if (!q.root) return [];
    const tags = [...new Set(group.map((s) => splitKey(s.key).tag))];
    const hits = candidates.filter((c) => c.story !== null && matchQuery(q.root, { ...storyDocument(c.story), tags }));
    return hits.length ? hits.map((c) => c.behind.storyId) : null;
  }
  return fieldsRouting(sub, group, candidates.map((c) => c.behind));
}

/** A subscription of fields only: the fields against the spike's keys and stories. */
function fieldsRouting(sub: Subscription, group: readonly { key: string }[], stories: readonly SpikeStory[]): string[] | null {
  const parts = group.map((s) => splitKey(s.key));
  const tag = parts[0]!.tag;
  if (sub.tags.length && !sub.tags.includes(tag as TagId)) return null;
  const countries = new Set(parts.filter((p) => p.isCountry).map((p) => p.scope));
  const affs = new Set(parts.filter((p) => !p.isCountry).map((p) => p.scope));
  for (const s of stories) for (const o of s.outlets) affs.add(o.affiliation);
  if (sub.countries.length && !sub.countries.some((c) => countries.has(c))) return null;
  if (sub.affiliations.length && !sub.affiliations.some((w) => [...affs].some((a) => a === w || (!w.includes(':') && a.startsWith(`${w}:`))))) return null;
  if (sub.outlets.length && !stories.some((s) => s.outlets.some((o) => sub.outlets.includes(o.outletId)))) return null;
  if (sub.keywords.length) {
    const hits = stories.filter((s) => sub.keywords.some((k) => keywordRegex(k).test(`${s.headline}\n${s.quote ?? ''}`)));
    return hits.length ? hits.map((s) => s.storyId) : null;
  }
  return [];
}

/** The stories an alert shows: those asked for first (in the alert's order), then the others; at most SPIKE_STORIES. */
export function storiesShown(candidates: readonly SpikeStory[], first: ReadonlySet<string>, max = SPIKE_STORIES): SpikeStory[] {
  return [...candidates.filter((s) => first.has(s.storyId)), ...candidates.filter((s) => !first.has(s.storyId))].slice(0, max);
}
