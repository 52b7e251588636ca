// /story's query as a search: countries, entities, tags and outlets the vocabulary recognises,
// a time window, and the words left over (matched against headlines by the store); for a query
// with operators, fields, phrases or wildcards, also its expression (src/core/query).
import type { CountryCode, TagId } from '../core/types.js';
import { compileStoryQuery, formatQuery, parseQuery, resolveQuery, type QueryNode } from '../core/query/index.js';
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
  /** The query as an expression (resolved), null when it names nothing but a window. */
  expr: QueryNode | null;
  /** Only bare words and a window: the lists above are the whole query. */
  plain: boolean;
}

/** Terms the query asks for (not only under a NOT): the ones worth suggesting alone. */
export function wantedTerms(s: StorySearch): Term[] {
  if (s.plain || !s.expr) return s.terms;
  const wanted = new Set<string>();
  const walk = (n: QueryNode) => {
    if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk);
    else if (n.kind === 'field') for (const v of n.values) wanted.add(`${n.field}:${v}`);
  };
  walk(s.expr);
  return s.terms.filter((t) => wanted.has(`${KIND_FIELD[t.kind]}:${t.id}`));
}

/** The query is a plain AND of what the lists above hold (so they describe it in full). */
export function describedByLists(s: StorySearch): boolean {
  if (s.plain || !s.expr) return true;
  const conj = (n: QueryNode): boolean =>
    n.kind === 'and' ? n.children.every(conj) : (n.kind === 'field' && n.field !== 'affiliations' && n.field !== 'story') || (n.kind === 'text' && !n.quoted && n.words.length === 1 && !n.words[0]!.prefix && s.words.includes(n.words[0]!.key));
  return conj(s.expr) && compileStoryQuery(s.expr).exact;
}

/** Words that only make a query read like a sentence ("news about", "последние новости о"). */
export const FILLER = new Set(
  (
    'a an the and or of on in at to for from by with about any all news story stories latest recent last past ' +
    'week weeks month today yesterday show me find what whats is are was ' +
    'о об про в во на по за и или с со из последние новости новость'
  ).split(' '),
);

/**
 * Parses and reads a /story query (the one query language, src/core/query): bare words as
 * /story always took them, plus fields, AND/OR/NOT, parentheses, phrases, NEAR/n and prefix
 * wildcards. Throws QueryError (one line, pointing at the bad token) before anything is searched.
 */
export function parseStoryQuery(text: string, vocabulary: QueryVocabulary): StorySearch {
  const r = resolveQuery(parseQuery(text), vocabulary, { filler: FILLER });
  const by = <K extends Term['kind']>(k: K) => r.terms.filter((t) => t.kind === k).map((t) => t.id);
  const given = r.windowHours !== null;
  const hours = r.windowHours ?? DEFAULT_WINDOW_HOURS;
  return {
    terms: r.terms,
    countries: by('country') as CountryCode[],
    tags: by('tag') as TagId[],
    outletIds: by('outlet'),
    entityIds: by('entity'),
    words: r.words,
    windowHours: Math.min(hours, MAX_WINDOW_HOURS),
    windowGiven: given,
    windowClamped: hours > MAX_WINDOW_HOURS,
    expr: r.root,
    plain: r.plain,
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

const KIND_FIELD = { country: 'countries', tag: 'tags', outlet: 'outlets', entity: 'entities' } as const;

/**
 * The search as a query that finds it again: `kazakhstan color revolution 30d`; a query with
 * operators or fields is printed from its expression (`(countries:KZ OR outlets:rt) tags:color-revolution 30d`).
 */
export function canonicalQuery(s: StorySearch, vocabulary: QueryVocabulary, o: { windowHours?: number; extra?: Term[]; without?: Term[]; words?: string[] } = {}): string {
  const hours = o.windowHours ?? (s.windowGiven ? s.windowHours : undefined);
  const win = hours !== undefined && hours !== DEFAULT_WINDOW_HOURS ? windowWord(hours) : null;
  if (!s.plain && s.expr) {
    const extra: QueryNode[] = (o.extra ?? []).map((t) => ({ kind: 'field', field: KIND_FIELD[t.kind], values: [t.id], pos: 0 }));
    const node: QueryNode = extra.length ? { kind: 'and', children: [s.expr, ...extra] } : s.expr;
    // Inside an AND so that an OR at the top gets its parentheses before a window is added.
    return [formatQuery(node, win ? 'and' : 'top'), ...(win ? [win] : [])].join(' ');
  }
  const terms = [...s.terms.filter((t) => !o.without?.includes(t)), ...(o.extra ?? [])];
  const parts = [...terms.map((t) => vocabulary.queryWords(t)), ...(o.words ?? s.words)];
  if (win) parts.push(win);
  return parts.join(' ');
}

/** What the search is about, for a heading: `Kazakhstan`, `Kazakhstan, color-revolution, from RT`, `Central Asia`. */
export function searchSubject(s: StorySearch): string {
  if (!describedByLists(s)) return formatQuery(s.expr);
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
  if (!describedByLists(s)) return `stories matching ${formatQuery(s.expr)}, last ${windowText(hours)}`;
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
