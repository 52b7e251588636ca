// /story's free-text query as a search: countries, entities, tags and outlets the vocabulary
// recognises, a time window, and the words left over (matched against headlines by the store).
import type { CountryCode, TagId } from '../core/types.js';
import { foldWords } from './fold.js';
import { orList } from './replies.js';
import type { QueryVocabulary, Term } from './vocabulary.js';

export const DEFAULT_WINDOW_HOURS = 7 * 24;
/** Stories are kept 90 days by default (RETENTION_DAYS); a longer window finds nothing more. */
export const MAX_WINDOW_HOURS = 90 * 24;

export interface StorySearch {
  /** Recognised terms in the order of the query. */
  terms: Term[];
  countries: CountryCode[];
  tags: TagId[];
  outletIds: string[];
  entityIds: string[];
  /** Words no term covered (folded), for the store's headline match. */
  words: string[];
  windowHours: number;
  /** The query named a window (so a suggestion repeats it). */
  windowGiven: boolean;
  /** The window asked for was longer than MAX_WINDOW_HOURS and was shortened. */
  windowClamped: boolean;
}

/** Words that only make a query read like a sentence ("news about", "последние новости о"). */
const FILLER = new Set(
  (
    'a an the and or of on in at to for from by with about any all news story stories latest recent last past ' +
    'week weeks month today yesterday show me find what whats is are was ' +
    'о об про в во на по за и или с со из последние новости новость'
  ).split(' '),
);

const UNIT_HOURS: [RegExp, number][] = [
  [/^(h|hr|hrs|hour|hours|ч|час|часа|часов)$/u, 1],
  [/^(d|day|days|д|дн|дня|дней|день|сут|суток)$/u, 24],
  [/^(w|wk|wks|week|weeks|нед|недели|недель|неделя)$/u, 24 * 7],
  [/^(m|mo|month|months|мес|месяц|месяца|месяцев)$/u, 24 * 30],
];
function unitHours(u: string): number | null {
  for (const [re, h] of UNIT_HOURS) if (re.test(u)) return h;
  return null;
}

/**
 * A window in folded words, starting at `i`: `30d`, `24h`, `2w`, `30 days`, `days 30`, `last week`; a lone
 * number of days (`/story kazakhstan 30`) counts too when it is at most 365. Returns hours and
 * how many words it used.
 */
function windowAt(words: string[], i: number): { hours: number; used: number } | null {
  const w = words[i]!;
  const glued = /^(\d{1,4})(\p{L}+)$/u.exec(w);
  if (glued) {
    const h = unitHours(glued[2]!);
    return h ? { hours: Number(glued[1]) * h, used: 1 } : null;
  }
  if (/^\d{1,4}$/.test(w)) {
    const next = words[i + 1];
    const h = next ? unitHours(next) : null;
    if (h) return { hours: Number(w) * h, used: 2 };
    if (Number(w) >= 1 && Number(w) <= 365) return { hours: Number(w) * 24, used: 1 };
    return null;
  }
  const h = unitHours(w);
  const n = words[i + 1];
  if (h && n && /^\d{1,4}$/.test(n)) return { hours: Number(n) * h, used: 2 };
  // `last week`, `past month`, `за последнюю неделю`
  const hn = n ? unitHours(n) : null;
  if (hn && /^(last|past|this|последн\p{L}*|прошл\p{L}*)$/u.test(w)) return { hours: hn, used: 2 };
  return null;
}

export function parseStoryQuery(text: string, vocabulary: QueryVocabulary): StorySearch {
  const words = foldWords(text);
  let windowHours: number | null = null;
  const kept: string[] = [];
  for (let i = 0; i < words.length; ) {
    const win: { hours: number; used: number } | null = windowHours === null ? windowAt(words, i) : null;
    if (win && win.hours > 0) {
      windowHours = win.hours;
      i += win.used;
      continue;
    }
    kept.push(words[i]!);
    i++;
  }
  const scan = vocabulary.scan(kept.join(' '));
  const by = <K extends Term['kind']>(k: K) => scan.terms.filter((t) => t.kind === k).map((t) => t.id);
  const given = windowHours !== null;
  const hours = windowHours ?? DEFAULT_WINDOW_HOURS;
  return {
    terms: scan.terms,
    countries: by('country') as CountryCode[],
    tags: by('tag') as TagId[],
    outletIds: by('outlet'),
    entityIds: by('entity'),
    words: scan.rest.filter((w) => !FILLER.has(w)),
    windowHours: Math.min(hours, MAX_WINDOW_HOURS),
    windowGiven: given,
    windowClamped: hours > MAX_WINDOW_HOURS,
  };
}

/** `7 days`, `24 hours`, `36 hours`, `1 day`. */
export function windowText(hours: number): string {
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  if (hours === 24) return '24 hours';
  return `${hours} hours`;
}

/** `30d`, `24h`: a window as a query word. */
export function windowWord(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}

/** The search as a query that finds it again: `kazakhstan color revolution 30d`. */
export function canonicalQuery(s: StorySearch, vocabulary: QueryVocabulary, o: { windowHours?: number; extra?: Term[]; without?: Term[]; words?: string[] } = {}): string {
  const terms = [...s.terms.filter((t) => !o.without?.includes(t)), ...(o.extra ?? [])];
  const parts = [...terms.map((t) => vocabulary.queryWords(t)), ...(o.words ?? s.words)];
  const hours = o.windowHours ?? (s.windowGiven ? s.windowHours : undefined);
  if (hours !== undefined && hours !== DEFAULT_WINDOW_HOURS) parts.push(windowWord(hours));
  return parts.join(' ');
}

/** What the search is about, for a heading: `Kazakhstan`, `Kazakhstan, color-revolution, from RT`, `Central Asia`. */
export function searchSubject(s: StorySearch): string {
  const names = (k: Term['kind']) => s.terms.filter((t) => t.kind === k).map((t) => t.name);
  const parts: string[] = [];
  if (names('country').length) parts.push(orList(names('country')));
  if (names('entity').length) parts.push(orList(names('entity')));
  if (names('tag').length) parts.push(orList(names('tag')));
  if (names('outlet').length) parts.push(`from ${orList(names('outlet'))}`);
  if (s.words.length) parts.push(`“${s.words.join(' ')}”`);
  return parts.length ? parts.join(', ') : 'Central Asia';
}

/** What was searched, in full: `Kazakhstan, any framing, last 90 days`. */
export function searchDescription(s: StorySearch, hours: number): string {
  const names = (k: Term['kind']) => s.terms.filter((t) => t.kind === k).map((t) => t.name);
  const parts: string[] = [];
  const countries = names('country');
  const entities = names('entity');
  if (countries.length) parts.push(orList(countries));
  if (entities.length) parts.push(countries.length ? `mentioning ${orList(entities)}` : orList(entities));
  if (!countries.length && !entities.length) parts.push('Central Asia');
  parts.push(names('tag').length ? `framed as ${orList(names('tag'))}` : 'any framing');
  if (names('outlet').length) parts.push(`carried by ${orList(names('outlet'))}`);
  if (s.words.length) parts.push(`headlines with “${s.words.join(' ')}”`);
  parts.push(`last ${windowText(hours)}`);
  return parts.join(', ');
}
