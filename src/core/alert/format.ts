// Wording shared by every renderer (console, Slack, Discord): badges, dates, follow-up lines.
// Plain text; renderers escape it for their markup.
import { COUNTRY_FLAGS, COUNTRY_NAMES, type Affiliation, type CountryCode, type Evidence, type Framing } from '../types.js';
import type { Alert, OutletRef } from './values.js';

/** `state media · CN`, `public media · US`, `independent`, `affiliation unknown`. */
export function affiliationBadge(a: Affiliation | string): string {
  const m = /^(state|public):([A-Za-z]{2})$/.exec(a);
  if (m) return `${m[1] === 'state' ? 'state media' : 'public media'} · ${m[2]!.toUpperCase()}`;
  if (a === 'independent') return 'independent';
  return 'affiliation unknown';
}

/** `state:CN` → `state: CN`-style short form used in lists: `state:CN`, `independent`. */
export function isStateMedia(a: Affiliation | string): boolean {
  return a.startsWith('state:');
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

/** `+3 min`, `+5 h`, `+1 day`, `+4 days`. */
export function formatDelay(ms: number): string {
  if (ms < 0) return 'earlier';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `+${min} min`;
  const h = Math.round(ms / 3_600_000);
  if (h < 24) return `+${h} h`;
  const d = Math.round(ms / 86_400_000);
  return `+${d} day${d === 1 ? '' : 's'}`;
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

/** Shortens at a word boundary with an ellipsis. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, Math.max(0, max - 1));
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).trimEnd()}…`;
}

/** One line per framing: `color-revolution — “quote” — Wei Fenghe`; the same quote again says so. */
export function framingLines(framings: Framing[], quoteMax = 200): string[] {
  const seen = new Map<string, string>();
  return framings.map((f) => {
    const ev = topEvidence(f);
    if (!ev) return f.tag;
    const who = ev.attributedTo ? ` — ${ev.attributedTo}` : ' — (outlet’s own voice)';
    const prior = seen.get(ev.quote);
    if (prior) return `${f.tag} — same quote as ${prior}${who}`;
    seen.set(ev.quote, f.tag);
    return `${f.tag} — “${clip(ev.quote, quoteMax)}”${who}`;
  });
}

/**
 * The follow-up sentence: `Also carried by RT [state media · RU], 27 Apr 2022, 10:12 UTC (+1 day),
 * quoting China's Defense Ministry. New framing here: foreign-trained-terrorists (Tokayev), …`
 */
export function followupText(a: Alert): string {
  const f = a.followup;
  const parts = [`Also carried by ${outletWithBadge(a.outlet)}, ${formatWhen(a.published)}`];
  if (f) parts[0] += ` (${formatDelay(f.delayMs)})`;
  if (f?.quoting) parts[0] += `, quoting ${f.quoting}`;
  let s = `${parts[0]}.`;
  if (f && f.newTags.length) {
    const items = f.newTags.map((t) => {
      const fr = a.framings.find((x) => x.tag === t);
      const who = fr?.evidence[0]?.attributedTo;
      return who ? `${t} (${who})` : `${t} (${a.outlet.name}’s own voice)`;
    });
    s += ` New framing here: ${items.join(', ')}.`;
  }
  if (f) s += ` Now ${f.outletCount} outlets.`;
  return s;
}
