// Wording shared by every renderer (console, Slack, Discord): badges, dates, follow-up lines.
// Plain text; renderers escape it for their markup.
import { COUNTRY_FLAGS, COUNTRY_NAMES, type Affiliation, type CountryCode, type Evidence, type Framing, type TagId } from '../types.js';
import type { Alert, OutletRef, StoryCard } from './values.js';
import { clip } from '../text/clip.js';

export { clip };

/** `state media · CN`, `public media · US`, `independent`, `affiliation unknown`. */
export function affiliationBadge(a: Affiliation | string): string {
  const m = /^(state|public):([A-Za-z]{2})$/.exec(a);
  if (m) return `${m[1] === 'state' ? 'state media' : 'public media'} · ${m[2]!.toUpperCase()}`;
  if (a === 'independent') return 'independent';
  return 'affiliation unknown';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `26 Apr 2022, 08:00 UTC`. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** `26 Apr`, or `26–27 Apr` / `30 Apr – 2 May` for a span. */
export function formatDaySpan(fromIso: string, toIso: string): string {
  const a = new Date(fromIso);
  const b = new Date(toIso);
  const day = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  if (a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10)) return day(a);
  if (a.getUTCMonth() === b.getUTCMonth() && a.getUTCFullYear() === b.getUTCFullYear()) {
    return `${a.getUTCDate()}–${b.getUTCDate()} ${MONTHS[a.getUTCMonth()]}`;
  }
  return `${day(a)} – ${day(b)}`;
}

/** `3 min`, `5 h`, `1 day`, `4 days` (the length of a span, whatever its sign). */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.round(abs / 3_600_000);
  if (h < 24) return `${h} h`;
  const d = Math.round(abs / 86_400_000);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** `+3 min`, `+5 h`, `+1 day`, `+4 days`; a negative span is `earlier` (see publishedRelative). */
export function formatDelay(ms: number): string {
  if (ms < 0) return 'earlier';
  return `+${formatSpan(ms)}`;
}

/**
 * A follow-up's publication time against the article of the story's first message (`than`):
 * `+1 day`; `within a minute of Global Times`; `published 1 day before RT` for an earlier
 * article that arrived late. Times are publication times, never arrival times.
 */
export function publishedRelative(delayMs: number, than: string): string {
  if (!Number.isFinite(delayMs)) return '';
  if (Math.abs(delayMs) < 60_000) return `within a minute of ${than}`;
  if (delayMs < 0) return `published ${formatSpan(delayMs)} before ${than}`;
  return formatDelay(delayMs);
}

/** `🇰🇿 Kazakhstan`, `🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan`, `Central Asia`. */
export function countryLine(countries: CountryCode[]): string {
  if (countries.length === 0) return 'Central Asia';
  return countries.map((c) => `${COUNTRY_FLAGS[c]} ${COUNTRY_NAMES[c]}`).join(', ');
}

export function outletWithBadge(o: OutletRef): string {
  return `${o.name} [${affiliationBadge(o.affiliation)}]`;
}

/** The most telling evidence of a framing, or null. */
export function topEvidence(f: Framing): Evidence | null {
  return f.evidence[0] ?? null;
}

/**
 * What analysts call the tags in chat. Ids stay in JSON, records and alerts.jsonl (they are the
 * contract); people read these.
 */
export const TAG_NAMES: Record<TagId, string> = {
  'color-revolution': 'color revolution',
  'external-interference': 'external interference',
  'major-power-hegemony': 'major-power hegemony',
  'three-evil-forces': 'three evil forces',
  'foreign-trained-terrorists': 'foreign-trained terrorists',
  'attempted-coup': 'attempted coup',
  'double-standards-sanctions': 'double standards on sanctions',
  'human-rights-pretext': 'human rights as a pretext',
  'foreign-agent-ngo': 'foreign agents / NGOs',
  'us-biolabs': 'US biolabs',
  'russophobia-compatriots': 'Russophobia / compatriots',
  'anti-russia-front': 'anti-Russia front',
  'benevolent-partner': 'benevolent partner',
  'disinfo-debunk': 'disinformation debunked',
  'crackdown-pretext': 'crackdown pretext',
  'neo-imperial-pressure': 'neo-imperial pressure',
};

/** The readable name of a tag (an unknown id as it is). */
export function tagName(tag: TagId | string): string {
  return (TAG_NAMES as Record<string, string>)[tag] ?? tag;
}

/** Letters and digits, lower case, single spaces: for comparing a quote with a headline. */
function norm(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Whether a framing is the headline's own: flagged by the analysis, or (records made before
 * the flag) one of its quotes is the headline itself. */
function isHeadlineTag(f: Framing, headline: string): boolean {
  if (f.inTitle) return true;
  const h = norm(headline);
  if (h.length < 12) return false;
  return f.evidence.some((e) => {
    const q = norm(e.quote.replace(/…$/, ''));
    return q.length >= 12 && (q === h || h.includes(q) || q.startsWith(h));
  });
}

/**
 * Framings in the order an alert shows them: the headline's own tags first (what the story is
 * said to be), then the others; each part in the analysis's order (confidence).
 */
export function orderFramings(framings: Framing[], headline = ''): Framing[] {
  if (!headline) return framings;
  const own = framings.filter((f) => isHeadlineTag(f, headline));
  return own.length === 0 ? framings : [...own, ...framings.filter((f) => !own.includes(f))];
}

/**
 * A quote without the quotation marks around it when the whole sentence is one quotation
 * (“We must be vigilant …”), so that wrapping it in our own marks does not double them; a
 * sentence with a quotation inside it is kept as it is.
 */
export function unquote(q: string): string {
  const m = /^\s*([“"«„])([\s\S]*?)([”"»“])([.!?…]?)\s*$/.exec(q);
  if (!m) return q;
  const inner = m[2]!;
  // The first closing mark must be the last one: “A,” he said, “B.” is not one quotation.
  if (/[”"»]/.test(inner)) return q;
  return `${inner}${m[4]}`;
}

/** One line of an alert's framing block: the tags that share one quote, and that quote. */
export interface FramingLine {
  tags: TagId[];
  /** `color revolution · external interference` */
  names: string;
  /** The quote, clipped; null when the analysis kept none. */
  quote: string | null;
  /** The speaker, null for the outlet's own voice. */
  speaker: string | null;
  /** The quote is background (history, context), not the story's own claim. */
  background: boolean;
}

/**
 * The framing block: one line per distinct quote (tags that share one quote and speaker on one
 * line), the headline's own tags first.
 */
export function framingGroups(framings: Framing[], headline = '', quoteMax = 200): FramingLine[] {
  const out: FramingLine[] = [];
  const byQuote = new Map<string, FramingLine>();
  for (const f of orderFramings(framings, headline)) {
    const ev = topEvidence(f);
    const key = ev ? `${ev.quote}\u0000${ev.attributedTo ?? ''}` : null;
    const prior = key ? byQuote.get(key) : undefined;
    if (prior) {
      prior.tags.push(f.tag);
      prior.names = prior.tags.map(tagName).join(' · ');
      continue;
    }
    const line: FramingLine = {
      tags: [f.tag],
      names: tagName(f.tag),
      quote: ev ? clip(unquote(ev.quote), quoteMax) : null,
      speaker: ev?.attributedTo ?? null,
      background: ev?.background === true,
    };
    out.push(line);
    if (key) byQuote.set(key, line);
  }
  return out;
}

/** The part after the tag names: `— “quote” — Wei Fenghe`, `— “…” — (outlet’s own voice) · background`. */
export function framingRest(l: FramingLine): string {
  if (l.quote === null) return '';
  const who = l.speaker ? ` — ${l.speaker}` : ' — (outlet’s own voice)';
  return ` — “${l.quote}”${who}${l.background ? ' · background' : ''}`;
}

/** One line per distinct quote: `color revolution · external interference — “quote” — Wei Fenghe`. */
export function framingLines(framings: Framing[], quoteMax = 200, headline = ''): string[] {
  return framingGroups(framings, headline, quoteMax).map((l) => `${l.names}${framingRest(l)}`);
}

/**
 * The follow-up sentence: `Also carried by RT [state media · RU], 27 Apr 2022, 10:12 UTC (+1 day),
 * quoting China's Defense Ministry. New framing here: foreign-trained terrorists (Tokayev), …`.
 * Its time is relative to the PUBLICATION of the article of the story's first message, so an
 * earlier article read late says `(published 1 day before RT)`.
 */
export function followupText(a: Alert): string {
  const f = a.followup;
  let head = `Also carried by ${outletWithBadge(a.outlet)}, ${formatWhen(a.published)}`;
  if (f) {
    const rel = publishedRelative(f.delayMs, f.firstOutlet.id === a.outlet.id ? 'its first article' : f.firstOutlet.name);
    if (rel) head += ` (${rel})`;
  }
  if (f?.quoting) head += `, quoting ${f.quoting}`;
  let s = `${head}.`;
  if (f && f.newTags.length) {
    const items = f.newTags.map((t) => {
      const ev = a.framings.find((x) => x.tag === t)?.evidence[0];
      const who = ev?.attributedTo ? ev.attributedTo : `${a.outlet.name}’s own voice`;
      return `${tagName(t)} (${who}${ev?.background ? ', background' : ''})`;
    });
    s += ` New framing here: ${items.join(', ')}.`;
  }
  if (f) s += ` Now ${f.outletCount} outlets.`;
  return s;
}

/**
 * A story card's quotes: one line per distinct quote, with every tag it stands for, so a lead
 * sentence carrying three frames is shown once (`color revolution · external interference:
 * “…” — Wei Fenghe (global-times, rt)`), not three times.
 */
export function storyQuoteLines(s: StoryCard, quoteMax = 160, maxLines = Infinity): { names: string; rest: string }[] {
  const out: { tags: TagId[]; quote: string; who: string | null; outlets: string[] }[] = [];
  for (const f of s.framings) {
    if (!f.quote) continue;
    const prior = out.find((o) => o.quote === f.quote && o.who === f.attributedTo);
    if (prior) {
      prior.tags.push(f.tag);
      for (const o of f.outlets) if (!prior.outlets.includes(o)) prior.outlets.push(o);
    } else out.push({ tags: [f.tag], quote: f.quote, who: f.attributedTo, outlets: [...f.outlets] });
  }
  const outletName = (id: string) => s.outlets.find((o) => o.outletId === id)?.outlet ?? id;
  return out.slice(0, maxLines).map((o) => ({
    names: o.tags.map(tagName).join(' · '),
    rest: `“${clip(unquote(o.quote), quoteMax)}” — ${o.who ?? '(outlet’s own voice)'} (${o.outlets.map(outletName).join(', ')})`,
  }));
}
