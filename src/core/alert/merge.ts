// The "merged with …" notice (issue 15, part 4): when two stories turn out to be one, a channel
// that received both stories' first messages gets one short notice in the surviving story's
// thread, so nobody wonders why the other thread went quiet. Built here, rendered by each
// platform (Slack, Discord, console) like a follow-up, plain text only (renderers escape it).
import type { Affiliation, Destination, Story } from '../types.js';
import { clip } from './format.js';
import type { Alert, OutletRef } from './values.js';

export interface MergeNoticeInput {
  destination: Destination;
  /** The surviving story as it is now. */
  survivor: Story;
  merged: { id: string; headline: string; outlets: { outletId: string; outlet: string; affiliation: Affiliation }[] };
  /** The report that showed they are one, when still stored. */
  bridge: { id: string; outletId: string; outlet: string; affiliation: Affiliation; published: string } | null;
  /** When the merge was made (ISO). */
  at: string;
}

/** What a merge notice is keyed and recorded by (in place of an article id): one per merged story and destination. */
export function mergeNoticeKey(mergedId: string): string {
  return `merge:${mergedId}`;
}

/** Outlets named in the notice at most; the rest are counted. */
const NAMED_OUTLETS = 3;

export function buildMergeAlert(i: MergeNoticeInput): Alert {
  const s = i.survivor;
  const bridge: OutletRef | null = i.bridge ? { id: i.bridge.outletId, name: i.bridge.outlet, affiliation: i.bridge.affiliation } : null;
  const first = s.outlets[0];
  return {
    kind: 'merge',
    destination: i.destination,
    storyId: s.id,
    // the post's key, not an article: one notice per merged story and destination
    articleId: mergeNoticeKey(i.merged.id),
    headline: s.headline,
    summary: '',
    url: null,
    published: i.bridge?.published ?? i.at,
    outlet: bridge ?? (first ? { id: first.outletId, name: first.outlet, affiliation: first.affiliation } : { id: 'unknown', name: 'unknown', affiliation: 'unknown' }),
    countries: s.countries,
    relevance: s.relevance,
    framings: [],
    outletCount: s.outlets.length,
    merge: {
      mergedId: i.merged.id,
      mergedHeadline: i.merged.headline,
      mergedOutlets: i.merged.outlets.map((o) => ({ id: o.outletId, name: o.outlet, affiliation: o.affiliation })),
      bridge,
    },
  };
}

/**
 * `Merged with “Temir Zholy: new Zhetygen line …” (story s-3b91…, Tengrinews, Kapital.kz): a later
 * report by Astana Times showed they are one story. Updates to both continue in this thread; now
 * 4 outlets.` One sentence or two, plain text.
 */
export function mergeText(a: Alert): string {
  const m = a.merge;
  if (!m) return `Merged with another story; updates continue in this thread.`;
  const names = m.mergedOutlets.slice(0, NAMED_OUTLETS).map((o) => o.name);
  const more = m.mergedOutlets.length - names.length;
  const carried = names.length ? `, ${names.join(', ')}${more > 0 ? ` +${more}` : ''}` : '';
  const by = m.bridge ? ` by ${m.bridge.name}` : '';
  return `Merged with “${clip(m.mergedHeadline, 200)}” (story ${m.mergedId}${carried}): a later report${by} showed they are one story. Updates to both continue in this thread; now ${a.outletCount} outlet${a.outletCount === 1 ? '' : 's'}.`;
}
