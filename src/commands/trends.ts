// /trends [query] [days:30] [by:tag|country]: a line chart of daily article counts per framing tag
// (or per country) for a query of the one query language, with the usual range (the baseline the
// spike rule uses) as a band and the spikes marked, and a short text summary beside it — the
// chart's alt text for screen readers, and all a console user sees.
//
// Visibility: the chart is a shared picture: in_channel. Nothing found, errors, usage, and
// "trends are not set up": ephemeral.
import type { Reply, ReplySection } from '../core/alert/values.js';
import { parseQuery, QueryError, resolveQuery, type ResolvedQuery } from '../core/query/index.js';
import { baselineBand, spikeDay, shortDay, total, trendsSummary } from '../core/trends/chart-data.js';
import type { TrendChart, TrendsAnswer, TrendSeries } from '../core/trends/types.js';
import { COUNTRY_NAMES, type CountryCode } from '../core/types.js';
import type { TrendsSource } from '../ports/trends.js';
import { COMMAND_SPECS } from './grammar.js';
import { emptyReply, errorReply, okReply, usageReply } from './replies.js';
import { FILLER, parseStoryQuery, searchSubject } from './story-query.js';
import type { CommandContext, ParsedCommand } from './types.js';
import type { QueryVocabulary } from './vocabulary.js';

export interface TrendsDeps {
  /** Counters and spikes; absent until trends are set up (the answer says so). */
  trends?: TrendsSource | undefined;
  vocabulary: QueryVocabulary;
}

export const DEFAULT_TREND_DAYS = 30;
/** Counters are kept RETENTION_DAYS (90 by default). */
export const MAX_TREND_DAYS = 90;
/** Lines on one chart at most (more are unreadable); the rest are counted in the summary. */
export const MAX_LINES = 6;

export interface TrendsArgs {
  text: string;
  query: ResolvedQuery | null;
  subject: string;
  days: number;
  by: 'tag' | 'country';
}

export type TrendsArgsResult = { ok: true; args: TrendsArgs } | { ok: false; reply: Reply };

function usage(problem: string): Reply {
  const spec = COMMAND_SPECS.trends!;
  return usageReply(problem, spec.usage, `Example: ${spec.example} · /trends (kazakhstan OR uzbekistan) NOT outlet:rt days:60`);
}

/** Reads the query, the window and the split; a bad query is a one-line usage error and reaches no store. */
export function parseTrendsArgs(cmd: Pick<ParsedCommand, 'options' | 'bare'>, vocabulary: QueryVocabulary): TrendsArgsResult {
  const text = [...(cmd.options.query ?? []), ...cmd.bare].join(' ').trim();
  let days: number | null = null;
  const daysValue = cmd.options.days?.[0];
  if (daysValue !== undefined) {
    const m = /^(\d{1,4})\s*(?:d|days?)?$/i.exec(daysValue.trim());
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= 1 && n <= MAX_TREND_DAYS)) return { ok: false, reply: usage(`days is a whole number from 1 to ${MAX_TREND_DAYS} (got “${daysValue}”).`) };
    days = n;
  }
  const byValue = (cmd.options.by?.[0] ?? 'tag').toLowerCase();
  const by = byValue === 'tag' || byValue === 'tags' ? 'tag' : byValue === 'country' || byValue === 'countries' ? 'country' : null;
  if (!by) return { ok: false, reply: usage(`by is tag or country (got “${cmd.options.by?.[0]}”).`) };
  let query: ResolvedQuery | null = null;
  let subject = 'Central Asia';
  if (text) {
    try {
      const search = parseStoryQuery(text, vocabulary);
      query = resolveQuery(parseQuery(text), vocabulary, { filler: FILLER });
      subject = searchSubject(search);
      // A window in the query ("kazakhstan 60d") is the chart's, unless days: says otherwise.
      if (days === null && search.windowGiven) days = Math.max(1, Math.min(MAX_TREND_DAYS, Math.ceil(query.windowHours! / 24)));
      if (!query.root) query = null;
    } catch (e) {
      if (e instanceof QueryError) return { ok: false, reply: usage(e.message) };
      throw e;
    }
  }
  return { ok: true, args: { text, query, subject, days: days ?? DEFAULT_TREND_DAYS, by } };
}

/** A series key as a reader sees it: `KZ` → Kazakhstan, `KZ|color-revolution` → Kazakhstan · color-revolution. */
export function seriesLabel(key: string): string {
  return key
    .split('|')
    .map((part) => COUNTRY_NAMES[part as CountryCode] ?? part)
    .join(' · ');
}

/** The chart of an answer: the MAX_LINES largest series, bands for spiking series (else the largest), spikes marked. */
export function trendsChart(answer: TrendsAnswer, o: { subject: string; days: number; by: 'tag' | 'country'; query?: string }): TrendChart {
  const shown: TrendSeries[] = [...answer.series]
    .sort((a, b) => total(b) - total(a))
    .slice(0, MAX_LINES)
    .map((s) => ({ ...s, label: s.label ?? seriesLabel(s.key) }));
  const spiking = new Set(answer.spikes.map((s) => s.key));
  const banded = shown.filter((s) => spiking.has(s.key) || s.key.split('|').some((part) => [...spiking].some((k) => k.split('|').includes(part))));
  const bands = (banded.length ? banded.slice(0, 2) : shown.slice(0, 1)).map((s) => baselineBand(s)).filter((b) => b.points.length > 0);
  const days = new Set(shown[0]?.points.map((p) => p.day) ?? []);
  const marks = answer.spikes
    .map((s) => ({ day: spikeDay(s), label: `spike z ${s.z.toFixed(1)}` }))
    .filter((m) => days.has(m.day))
    .slice(0, 4);
  const more = answer.series.length - shown.length;
  return {
    title: `Trends: ${o.subject}`,
    subtitle: `${o.query ? `${o.query} · ` : ''}articles per UTC day by ${o.by === 'country' ? 'country' : 'framing tag'}, last ${o.days} days${more > 0 ? ` · top ${shown.length} of ${answer.series.length} lines` : ''} · shaded: usual range (14 days before, mean ± sd)`,
    series: shown,
    bands,
    marks,
  };
}

export async function handleTrends(cmd: ParsedCommand, ctx: CommandContext, deps: TrendsDeps): Promise<Reply> {
  const parsed = parseTrendsArgs(cmd, deps.vocabulary);
  if (!parsed.ok) return parsed.reply;
  if (!deps.trends) {
    return errorReply(
      'Trends are not set up on this steppewatch yet: it keeps no daily counts to draw.',
      'Whoever runs steppewatch can enable the trend counters; /story and /framing work meanwhile.',
    );
  }
  const { query, subject, days, by, text } = parsed.args;
  const answer = await deps.trends.trends({ query, days, by, now: ctx.now });
  return trendsReply(answer, { subject, days, by, query: text });
}

/** The reply for an answer (shared with the console's `trends`). */
export function trendsReply(answer: TrendsAnswer, o: { subject: string; days: number; by: 'tag' | 'country'; query?: string }): Reply {
  const counted = answer.series.reduce((n, s) => n + total(s), 0);
  if (counted === 0) {
    const text = `No articles about ${o.subject} in the last ${o.days} days.`;
    const hint = o.days < MAX_TREND_DAYS ? `Try a longer window: /trends ${o.query ? `${o.query} ` : ''}days:${MAX_TREND_DAYS}` : 'Try a wider query, e.g. /trends kazakhstan';
    return emptyReply(text, [{ type: 'paragraph', text }, { type: 'hint', text: hint }]);
  }
  const chart = trendsChart(answer, o);
  const alt = trendsSummary({ subject: o.subject, days: o.days, series: chart.series, spikes: answer.spikes, shown: chart.series.length });
  const heading = `Trends: ${o.subject}, last ${o.days} days`;
  const sections: ReplySection[] = [
    { type: 'heading', text: heading },
    { type: 'chart', chart, alt },
  ];
  const spikes = answer.spikes.slice(0, 5);
  if (spikes.length) {
    sections.push({
      type: 'list',
      items: spikes.map((s) => {
        const top = s.stories[0];
        return `${seriesLabel(s.key)} on ${shortDay(spikeDay(s))}: ${s.count} articles against a usual ${s.baseline.toFixed(1)} (z ${s.z.toFixed(1)})${top ? ` — e.g. “${top.headline}”` : ''}`;
      }),
    });
  }
  const first = chart.series[0]?.key;
  sections.push({ type: 'hint', text: `Stories behind it: /story ${o.query || (first ? first.split('|').pop() : 'kazakhstan')} · other windows: /trends ${o.query ? `${o.query} ` : ''}days:90` });
  return okReply('in_channel', heading, sections);
}
