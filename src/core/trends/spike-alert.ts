// A spike alert: the message that says why a narrative rose — the count against its baseline,
// the stories behind it with outlet, affiliation, quote and speaker, who carries it, and a chart.
// Pure: the spike job gathers the values, the notifiers render the Reply (the chart included).
import { affiliationBadge, clip, tagName } from '../alert/format.js';
import type { Reply } from '../alert/values.js';
import { COUNTRY_NAMES, type CountryCode, type Story, type TagId } from '../types.js';
import { splitKey, type SpikeFinding } from './spikes.js';
import type { ShareOfVoice, TrendChart, TrendSeries } from './types.js';

/** Stories in a spike alert: at least 3 when there are, at most 6. */
export const SPIKE_STORIES = 6;

/** One story behind a spike, as the alert and its record show it. */
export interface SpikeStory {
  storyId: string;
  headline: string;
  /** Outlets that carried the tag in the window, first publisher first. */
  outlets: { outletId: string; outlet: string; affiliation: string; url: string | null; published: string }[];
  /** The tag's telling quote (one with a named speaker first) and its speaker (null: the outlet's voice). */
  quote: string | null;
  attributedTo: string | null;
}

/** The console's alert record of a spike alert (design.md: alert records of `kind: "spike"`). */
export interface SpikeRecord {
  at: string;
  destination: string;
  kind: 'spike';
  /** The leading key and every key of the tag that spiked with it. */
  key: string;
  keys: string[];
  count: number;
  baseline: number;
  z: number;
  windowStart: string;
  windowEnd: string;
  /** The story with the most outlets behind the spike (the contract's `storyId`/`headline`). */
  storyId: string | null;
  headline: string;
  stories: SpikeStory[];
  shareOfVoice: ShareOfVoice | null;
  /** The alert's chart section's chart (the console cannot show the image; a reader can redraw it). */
  chart: TrendChart;
}

/** `Kazakhstan · color revolution`, `state media · RU · color revolution`. */
export function spikeKeyLabel(key: string): string {
  const { scope, tag, isCountry } = splitKey(key);
  const who = isCountry ? (COUNTRY_NAMES[scope as CountryCode] ?? scope) : affiliationBadge(scope);
  return `${who} · ${tagName(tag as TagId)}`;
}

/**
 * The stories behind a spike of `key` in [from, to): those with an outlet that carried the tag
 * in the window (and, for a country key, about that country; for an affiliation key, from such
 * an outlet), most such outlets first, then the latest.
 */
export function spikeStories(key: string, stories: readonly Story[], from: number, to: number, max = SPIKE_STORIES): SpikeStory[] {
  const { scope, tag, isCountry } = splitKey(key);
  const picked: { s: Story; outlets: Story['outlets'] }[] = [];
  for (const s of stories) {
    if (isCountry && !s.countries.includes(scope as CountryCode)) continue;
    const outlets = s.outlets.filter((o) => {
      const t = Date.parse(o.published);
      return t >= from && t < to && o.framings.some((f) => f.tag === tag) && (isCountry || o.affiliation === scope);
    });
    if (outlets.length) picked.push({ s, outlets });
  }
  picked.sort((a, b) => b.outlets.length - a.outlets.length || b.s.lastSeen.localeCompare(a.s.lastSeen));
  return picked.slice(0, max).map(({ s, outlets }) => {
    const evidence = outlets.flatMap((o) => o.framings.filter((f) => f.tag === tag).flatMap((f) => f.evidence));
    const top = evidence.find((e) => e.attributedTo && !e.background) ?? evidence.find((e) => !e.background) ?? evidence[0] ?? null;
    const sorted = [...outlets].sort((a, b) => a.published.localeCompare(b.published));
    return {
      storyId: s.id,
      headline: s.headline,
      outlets: sorted.map((o) => ({ outletId: o.outletId, outlet: o.outlet, affiliation: o.affiliation, url: o.url, published: o.published })),
      quote: top ? clip(top.quote, 280) : null,
      attributedTo: top?.attributedTo ?? null,
    };
  });
}

function storyLine(s: SpikeStory): string {
  const who = s.outlets.map((o) => `${o.outlet} (${affiliationBadge(o.affiliation)})`).join(', ');
  const quote = s.quote ? ` — “${s.quote}” — ${s.attributedTo ?? 'the outlet’s own voice'}` : '';
  return `${s.headline} · ${who}${quote}`;
}

export interface SpikeAlertInput {
  /** Spikes of one burst, the lead first (groupSpikes). */
  group: readonly SpikeFinding[];
  stories: readonly SpikeStory[];
  share: ShareOfVoice | null;
  /** Daily counts of the leading key over the baseline and the window, for the chart. */
  series: TrendSeries;
}

/** The chart of a spike: the key's daily counts, the baseline band, the window marked. */
export function spikeChart(lead: SpikeFinding, series: TrendSeries): TrendChart {
  const label = spikeKeyLabel(lead.key);
  return {
    title: `Spike: ${label}`,
    subtitle: `${lead.count} in the last 24 h against ${lead.baseline} a day (z ${lead.z})`,
    series: [{ ...series, label }],
    bands: [{ key: series.key, points: series.points.map((p) => ({ day: p.day, mean: lead.baseline, sd: lead.sd })) }],
    marks: [{ day: lead.at.slice(0, 10), label: 'spike' }],
  };
}

export function spikeAlertReply(i: SpikeAlertInput): Reply {
  const lead = i.group[0]!;
  const label = spikeKeyLabel(lead.key);
  const headline = `Spike: ${label} — ${lead.count} articles in 24 h against a usual ${lead.baseline} a day (z ${lead.z})`;
  const also = i.group.slice(1).map((s) => `${spikeKeyLabel(s.key)} ${s.count} (z ${s.z})`);
  const share = i.share && i.share.total > 0
    ? [
        {
          label: 'Who carries it (24 h)',
          value: i.share.byAffiliation.map((a) => `${affiliationBadge(a.affiliation)} ${a.percent}%`).join(' · ') || '—',
        },
        { label: 'Top outlets', value: i.share.topOutlets.map((o) => `${o.outlet} ${o.count}`).join(' · ') || '—' },
      ]
    : [];
  const chart = spikeChart(lead, i.series);
  const days = i.series.points.map((p) => p.count).join(', ');
  return {
    visibility: 'in_channel',
    kind: 'ok',
    text: headline,
    sections: [
      { type: 'heading', text: headline },
      {
        type: 'fields',
        fields: [
          { label: 'Last 24 h', value: String(lead.count) },
          { label: 'Baseline (14 days)', value: `${lead.baseline} a day, sd ${lead.sd}` },
          { label: 'z', value: String(lead.z) },
          ...share,
        ],
      },
      ...(also.length ? [{ type: 'paragraph' as const, text: `Rising with it: ${also.join('; ')}` }] : []),
      { type: 'heading', text: `The ${i.stories.length === 1 ? 'story' : `${i.stories.length} stories`} behind it` },
      { type: 'list', items: i.stories.map(storyLine) },
      { type: 'chart', chart, alt: `Chart: ${label}, articles a day, oldest first: ${days}. Baseline ${lead.baseline} a day.` },
    ],
  };
}

export function spikeRecord(i: SpikeAlertInput, destination: string, at: Date): SpikeRecord {
  const lead = i.group[0]!;
  const top = i.stories[0] ?? null;
  return {
    at: at.toISOString(),
    destination,
    kind: 'spike',
    key: lead.key,
    keys: i.group.map((s) => s.key),
    count: lead.count,
    baseline: lead.baseline,
    z: lead.z,
    windowStart: new Date(lead.from).toISOString(),
    windowEnd: lead.at,
    storyId: top?.storyId ?? null,
    headline: spikeAlertReply(i).text,
    stories: [...i.stories],
    shareOfVoice: i.share,
    chart: spikeChart(lead, i.series),
  };
}
