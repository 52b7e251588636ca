// /story QUERY and `steppewatch story QUERY [--json]`: the top stories for a free-text query.
//
// Visibility: stories found are in_channel (the answer is what the channel asked about, and
// teammates read it too); nothing found is ephemeral (only the asker needs the suggestions).
//
// Widening: the query's window (7 days unless it names one) is searched first; when nothing is
// found, 30 days and then 90 days, each only if longer than the window already tried, and the
// answer says so. When still nothing, it says what was searched and offers near matches:
// vocabulary suggestions for unknown words, the query with one criterion, and the countries with
// the most stories lately.
import type { Reply, ReplySection, StoryCard } from '../core/alert/values.js';
import { COUNTRY_NAMES, type CountryCode, type Story, type TagId } from '../core/types.js';
import type { StoryQuery, StoryStore } from '../ports/stores.js';
import { compileStoryQuery, matchQuery, QueryError, storyDocument } from '../core/query/index.js';
import { COMMAND_SPECS } from './grammar.js';
import { emptyReply, okReply, plural, usageReply } from './replies.js';
import {
  canonicalQuery,
  MAX_WINDOW_HOURS,
  parseStoryQuery,
  searchDescription,
  searchSubject,
  wantedTerms,
  windowText,
  type StorySearch,
} from './story-query.js';
import type { CommandContext, ParsedCommand } from './types.js';
import type { QueryVocabulary, Term } from './vocabulary.js';

/** Stories in one answer (chat limits: a Slack message holds 50 blocks, a section 3000 characters). */
export const MAX_STORIES = 5;
/** Stories read from the store per window: the most recently seen ones, which are then ranked. */
export const FETCH_LIMIT = 50;
/** Windows tried after the query's own, in hours. */
export const WIDEN_HOURS = [30 * 24, 90 * 24] as const;

export interface StoryDeps {
  stories: StoryStore;
  vocabulary: QueryVocabulary;
}

// ── ranking ──

/**
 * Score of a story for /story, 0..1: 0.5 × recency + 0.3 × breadth + 0.2 × relevance.
 * - recency = 2^(−age / halfLife), age from lastSeen to now, halfLife = window / 4 (7 days → 42 h),
 *   so a story from today leads a week-old one, and the scale follows a widened window;
 * - breadth = min(1, log2(outlets) / 3): 1 outlet 0, 2 → 0.33, 4 → 0.67, 8 or more → 1 (one
 *   more outlet matters more for a small story than for a big one);
 * - relevance = the story's relevance (max over its articles), 0..1.
 */
export function storyScore(s: Story, now: Date, windowHours: number): number {
  const ageH = Math.max(0, (now.getTime() - Date.parse(s.lastSeen)) / 3_600_000);
  const halfLife = Math.max(1, windowHours / 4);
  const recency = Number.isFinite(ageH) ? 2 ** (-ageH / halfLife) : 0;
  const breadth = Math.min(1, Math.log2(Math.max(1, s.outlets.length)) / 3);
  const relevance = Math.min(1, Math.max(0, s.relevance || 0));
  return 0.5 * recency + 0.3 * breadth + 0.2 * relevance;
}

/** Best first; ties by last seen (newer first), then id. */
export function rankStories(stories: readonly Story[], now: Date, windowHours: number): Story[] {
  return stories
    .map((s) => ({ s, score: storyScore(s, now, windowHours) }))
    .sort((a, b) => b.score - a.score || b.s.lastSeen.localeCompare(a.s.lastSeen) || (a.s.id < b.s.id ? -1 : 1))
    .map((x) => x.s);
}

// ── cards ──

import { storyCard } from '../core/story/record.js';

// Cards of the stories a search reads, once per story value: the store hands the search path
// shared, frozen records (adapters/redis/story-read-cache.ts), the same value while the record
// is unchanged, and a big story's card (every outlet sorted, every tag's carriers) cost more than
// the rest of a search page. The cards are frozen too: shared in the same way.
const cards = new WeakMap<Story, StoryCard>();
/** The card of a story (core storyCard), computed once per story value when the value is frozen. */
export function storyToCard(s: Story): StoryCard {
  if (!Object.isFrozen(s)) return storyCard(s);
  let c = cards.get(s);
  if (!c) cards.set(s, (c = deepFreeze(storyCard(s))));
  return c;
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}

// ── the answer ──

export interface StoryAnswerInput {
  search: StorySearch;
  /** The stories the last window found (any order; ranked here). */
  found: readonly Story[];
  /** Windows searched, in order; the last one is the window `found` is from. */
  windowsTried: readonly number[];
  now: Date;
  vocabulary: QueryVocabulary;
  /** When nothing is found: queries to suggest, with why (`{query: 'kazakhstan', note: 'did you mean Kazakhstan (KZ)?'}`). */
  alternatives?: readonly { query: string; note?: string }[];
  /** Nothing at all was stored in the last 90 days (feeds not read yet?). */
  storeEmpty?: boolean;
}

/** The /story reply for what was found (pure). */
export function storyAnswer(input: StoryAnswerInput): { cards: StoryCard[]; reply: Reply } {
  const { search, now, vocabulary } = input;
  const tried = input.windowsTried.length ? input.windowsTried : [search.windowHours];
  const hours = tried[tried.length - 1]!;
  const widened = tried.length > 1;
  const firstWindow = tried[0]!;

  if (input.found.length === 0) {
    const searched = searchDescription(search, hours);
    const lines: string[] = [];
    if (widened) lines.push(`Nothing in the last ${windowText(firstWindow)}, nor when widened to ${tried.slice(1).map(windowText).join(' and then ')}.`);
    const text = `Nothing found for ${searched}.`;
    const sections: ReplySection[] = [{ type: 'paragraph', text }];
    if (lines.length) sections.push({ type: 'paragraph', text: lines.join(' ') });
    const alts = (input.alternatives ?? []).slice(0, 4);
    if (alts.length) sections.push({ type: 'hint', text: `Try: ${alts.map((a) => `/story ${a.query}${a.note ? ` (${a.note})` : ''}`).join(' · ')}` });
    else if (input.storeEmpty) sections.push({ type: 'hint', text: 'There are no stories at all from the last 90 days yet: /feeds list shows whether the feeds are being read.' });
    return { cards: [], reply: emptyReply(text, sections) };
  }

  const ranked = rankStories(input.found, now, hours);
  const shown = ranked.slice(0, MAX_STORIES);
  const cards = shown.map(storyToCard);
  const total = input.found.length >= FETCH_LIMIT ? `${FETCH_LIMIT}+ stories` : plural(input.found.length, 'story', 'stories');
  const top = input.found.length > MAX_STORIES ? `, top ${MAX_STORIES}` : '';
  const order = shown.length > 1 ? ' (recent and widely carried first)' : '';
  const heading = `${searchSubject(search)} — ${total} in the last ${windowText(hours)}${top}${order}`;
  const sections: ReplySection[] = [{ type: 'heading', text: heading }];
  let text = heading;
  const notes: string[] = [];
  if (widened) notes.push(`Nothing in the last ${windowText(firstWindow)}; widened to ${windowText(hours)}.`);
  if (search.windowClamped) notes.push(`Stories are kept ${windowText(MAX_WINDOW_HOURS)}, so that is the longest window.`);
  if (notes.length) {
    sections.push({ type: 'paragraph', text: notes.join(' ') });
    text = `${notes.join(' ')} ${heading}`;
  }
  sections.push({ type: 'stories', stories: cards });
  const narrow = narrowHints(search, shown, vocabulary, hours);
  if (narrow.length) sections.push({ type: 'hint', text: `Narrow it: ${narrow.map((q) => `/story ${q}`).join(' · ')}` });
  return { cards, reply: okReply('in_channel', text, sections) };
}

/**
 * Up to three follow-up queries: a longer window (when shorter than 30 days), and the query plus
 * the framing tag and the person most common among the stories shown that it does not name yet.
 */
function narrowHints(search: StorySearch, shown: readonly Story[], vocabulary: QueryVocabulary, hours: number): string[] {
  const out: string[] = [];
  if (hours < WIDEN_HOURS[0]) out.push(canonicalQuery(search, vocabulary, { windowHours: WIDEN_HOURS[0] }));
  const named = new Set(search.terms.map((t) => `${t.kind}:${t.id}`));
  const mostCommon = (ids: string[]): string | undefined => {
    const n = new Map<string, number>();
    for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
    return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  };
  const tag = mostCommon(shown.flatMap((s) => [...new Set(s.outlets.flatMap((o) => o.framings.map((f) => f.tag)))]).filter((t) => !named.has(`tag:${t}`)));
  const tagTerm = tag ? vocabulary.get('tag', tag) : null;
  if (tagTerm) out.push(canonicalQuery(search, vocabulary, { extra: [tagTerm] }));
  const person = mostCommon(shown.flatMap((s) => s.entities.filter((e) => e.startsWith('person:') && !named.has(`entity:${e}`))));
  const personTerm = person ? vocabulary.get('entity', person) : null;
  if (personTerm) out.push(canonicalQuery(search, vocabulary, { extra: [personTerm] }));
  return [...new Set(out.filter((q) => q.trim().length > 0))].slice(0, 3);
}

// ── the search ──

function storeQuery(search: StorySearch, since: Date, limit: number): StoryQuery {
  const q: StoryQuery = { since, limit };
  if (search.countries.length) q.countries = search.countries;
  if (search.tags.length) q.tags = search.tags;
  if (search.outletIds.length) q.outletIds = search.outletIds;
  if (search.entityIds.length) q.entityIds = search.entityIds;
  if (search.words.length) q.text = search.words.join(' ');
  return q;
}

/** The windows to try: the query's own, then 30 and 90 days when longer. */
export function windowsFor(search: StorySearch): number[] {
  return [search.windowHours, ...WIDEN_HOURS.filter((h) => h > search.windowHours)];
}

/** A search for one term alone. */
function searchOf(t: Term): StorySearch {
  return {
    terms: [t],
    countries: t.kind === 'country' ? [t.id as CountryCode] : [],
    tags: t.kind === 'tag' ? [t.id as TagId] : [],
    outletIds: t.kind === 'outlet' ? [t.id] : [],
    entityIds: t.kind === 'entity' ? [t.id] : [],
    words: [],
    windowHours: MAX_WINDOW_HOURS,
    windowGiven: true,
    windowClamped: false,
    expr: null,
    plain: true,
  };
}

/** Near matches when nothing is found: typo fixes, one criterion at a time, busy countries. */
async function alternativesFor(search: StorySearch, deps: StoryDeps, now: Date): Promise<{ alternatives: { query: string; note?: string }[]; storeEmpty: boolean }> {
  const { vocabulary } = deps;
  const out: { query: string; note?: string }[] = [];
  let storeEmpty = false;
  // Unknown words first: the whole leftover phrase, then each word (plain queries: a fix of a
  // word inside an expression would need the expression rewritten).
  if (search.words.length && search.plain) {
    const phrase = search.words.join(' ');
    const fixes: { word: string; term: Term }[] = [];
    for (const t of vocabulary.suggest(phrase, undefined, 2)) fixes.push({ word: phrase, term: t });
    if (fixes.length === 0) for (const w of search.words) for (const t of vocabulary.suggest(w, undefined, 1)) fixes.push({ word: w, term: t });
    for (const f of fixes.slice(0, 3)) {
      const words = f.word === phrase ? [] : search.words.filter((w) => w !== f.word);
      out.push({ query: canonicalQuery(search, vocabulary, { extra: [f.term], words }), note: `did you mean ${f.term.kind === 'country' ? `${f.term.name} (${f.term.id})` : f.term.name}?` });
    }
  }
  // A query of several criteria: each alone, if it finds something in 90 days.
  const wanted = wantedTerms(search);
  const criteria = search.terms.length + (search.words.length ? 1 : 0);
  if (criteria > 1) {
    const since = new Date(now.getTime() - MAX_WINDOW_HOURS * 3_600_000);
    for (const t of wanted.slice(0, 3)) {
      const hits = await deps.stories.recent(storeQuery(searchOf(t), since, FETCH_LIMIT));
      if (hits.length) out.push({ query: `${vocabulary.queryWords(t)} 90d`, note: plural(hits.length >= FETCH_LIMIT ? FETCH_LIMIT : hits.length, 'story', 'stories') });
    }
  }
  // Where the news is lately (the last 7 days, else the last 90).
  if (out.length < 3) {
    storeEmpty = true;
    for (const days of [7, 90]) {
      const recent = await deps.stories.recent({ since: new Date(now.getTime() - days * 86_400_000), limit: 200 });
      if (recent.length === 0) continue;
      storeEmpty = false;
      const n = new Map<CountryCode, number>();
      for (const s of recent) for (const c of s.countries) n.set(c, (n.get(c) ?? 0) + 1);
      const busy = [...n.entries()].filter(([c]) => !search.countries.includes(c)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      for (const [c, count] of busy.slice(0, 3 - out.length)) {
        out.push({ query: `${COUNTRY_NAMES[c].toLowerCase()}${days === 7 ? '' : ' 90d'}`, note: `${plural(count, 'story', 'stories')} in the last ${days} days` });
      }
      break;
    }
  }
  return { alternatives: out, storeEmpty };
}

/**
 * Stories read per window for a query the store's index cannot answer exactly, then filtered:
 * a query the index cannot narrow at all (`NOT outlet:rt`, `Tokay*`) looks at the window's most
 * recently seen SCAN_LIMIT stories.
 */
export const SCAN_LIMIT = 500;

/**
 * The stories of one window: a plain query goes to the store's index as it always did; a query
 * with operators is compiled to the index query that finds a superset (src/core/query) and the
 * stories are then tested against the whole expression; `story:<id>` is looked up directly.
 */
async function searchWindow(s: StorySearch, deps: StoryDeps, since: Date): Promise<Story[]> {
  if (s.plain || !s.expr) return deps.stories.recent(storeQuery(s, since, FETCH_LIMIT));
  const expr = s.expr;
  const c = compileStoryQuery(expr);
  const keep = (st: Story) => matchQuery(expr, storyDocument(st));
  if (c.storyIds) {
    const got = (await deps.stories.getMany(c.storyIds.slice(0, FETCH_LIMIT))).filter((x): x is Story => x !== null);
    return got.filter(keep);
  }
  if (c.exact) return deps.stories.recent({ ...c.query, since, limit: FETCH_LIMIT });
  // The most recent stories first, as many as the answer holds and a few more: a query that
  // keeps most of them (`NOT outlet:rt`) is answered from those. Otherwise the whole scan. The
  // first page is a prefix of the scan (one order), so the answer is the scan's either way.
  const page = await deps.stories.recent({ ...c.query, since, limit: FIRST_PAGE });
  const kept = page.filter(keep);
  if (kept.length >= FETCH_LIMIT) return kept.slice(0, FETCH_LIMIT);
  const found = await deps.stories.recent({ ...c.query, since, limit: SCAN_LIMIT });
  return found.filter(keep).slice(0, FETCH_LIMIT);
}
const FIRST_PAGE = FETCH_LIMIT + 14;

/** A query that cannot be run: the one-line error, the usage, an example (ephemeral). */
function queryErrorReply(e: QueryError): Reply {
  return usageReply(e.message, COMMAND_SPECS.story!.usage, `Example: ${COMMAND_SPECS.story!.example} · /story (kazakhstan OR uzbekistan) NOT outlet:rt · /story "Rogun dam" · /story tokayev NEAR/5 terrorists`);
}

/**
 * What `/story QUERY` answers, also for `steppewatch story QUERY [--json]`: the cards shown
 * (empty when nothing matches) and the reply. `now` is the clock of the caller. A query that
 * does not parse is answered with its error (kind `usage`) and never reaches the store.
 */
export async function findStories(query: string, deps: StoryDeps, now: Date): Promise<{ cards: StoryCard[]; reply: Reply }> {
  return answerSearch(await searchStories(query, deps, now), deps, now);
}

/** The /story answer for what searchStories gave (the near matches looked up when nothing was found). */
export async function answerSearch(r: Awaited<ReturnType<typeof searchStories>>, deps: StoryDeps, now: Date): Promise<{ cards: StoryCard[]; reply: Reply }> {
  if ('error' in r) return { cards: [], reply: r.error };
  const { search, found, tried } = r;
  const alt = found.length ? { alternatives: [], storeEmpty: false } : await alternativesFor(search, deps, now);
  return storyAnswer({ search, found, windowsTried: tried, now, vocabulary: deps.vocabulary, ...alt });
}

/**
 * The search behind `/story` (and the web view's /search): the stories of the first window that
 * finds any (unranked, at most FETCH_LIMIT), the windows tried, and the parsed search; a query
 * that does not parse gives its usage reply instead.
 */
export async function searchStories(query: string, deps: StoryDeps, now: Date): Promise<{ search: StorySearch; found: Story[]; tried: number[] } | { error: Reply }> {
  let search: StorySearch;
  try {
    search = parseStoryQuery(query, deps.vocabulary);
  } catch (e) {
    if (e instanceof QueryError) return { error: queryErrorReply(e) };
    throw e;
  }
  const run = async (s: StorySearch) => {
    const tried: number[] = [];
    let found: Story[] = [];
    // `story:<id>` names the story: no window to widen.
    const windows = !s.plain && s.expr && compileStoryQuery(s.expr).storyIds ? [s.windowHours] : windowsFor(s);
    for (const hours of windows) {
      tried.push(hours);
      found = await searchWindow(s, deps, new Date(now.getTime() - hours * 3_600_000));
      if (found.length) break;
    }
    return { tried, found };
  };
  let { tried, found } = await run(search);
  // A name the query vocabulary knows may not have been recognised in the articles (the query
  // side matches more loosely): look for it in headlines before giving up.
  if (found.length === 0 && search.entityIds.length && search.plain) {
    const entityTerms = search.terms.filter((t) => t.kind === 'entity');
    const asText = await run({ ...search, entityIds: [], words: [...entityTerms.map((t) => deps.vocabulary.queryWords(t)), ...search.words] });
    if (asText.found.length) ({ tried, found } = asText);
  }
  return { search, found, tried };
}

export async function handleStory(cmd: ParsedCommand, ctx: CommandContext, deps: StoryDeps): Promise<Reply> {
  const query = [...(cmd.options.query ?? []), ...cmd.bare].join(' ').trim();
  return (await findStories(query, deps, ctx.now)).reply;
}
