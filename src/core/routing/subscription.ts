// Subscriptions and the pure decision of which destinations a story reaches.
import { pureMemo, pureWeakMemo } from '../memo.js';
import { matchQuery, readStoredQuery, type QueryDocument, type QueryNode } from '../query/index.js';
import type { AnalysisResult, CountryCode, Story, TagId } from '../types.js';

export interface Subscription {
  /** Short id people type: `s7f3a2c`. */
  id: string;
  /** Destination key: `slack:C0123`, `discord:123…`, `console`. */
  destination: string;
  countries: CountryCode[];
  tags: TagId[];
  /** Outlet ids (`rt`, `global-times`). */
  outlets: string[];
  /** `state:RU`, `public:US`, `independent`; `state` alone means any state media. */
  affiliations: string[];
  /** Watchlist words or phrases ("Rogun", "Tokayev"), matched case-insensitively on whole words. */
  keywords: string[];
  /** Null: the deployment's ALERT_MIN_RELEVANCE. */
  minRelevance: number | null;
  /** `alerts`: each story; `digest`: a summary `every` day or week; `spikes`: spike alerts only. */
  mode: 'alerts' | 'digest' | 'spikes';
  /** Digest period (mode `digest`); absent means `day`. Weekly digests go out on Mondays at DIGEST_AT. */
  every?: 'day' | 'week';
  /**
   * The subscription as typed in the query language (Boolean keywords, phrases, NEAR); absent for
   * subscriptions made before it, which the fields above describe fully.
   */
  query?: string;
  /** Created from *_DEFAULT_CHANNEL (every Central Asia story). */
  isDefault: boolean;
  createdBy: string | null;
  createdAt: string;
  /** Set when the platform refused the destination (channel gone …). */
  paused: { reason: string; at: string } | null;
}

/** What a subscription is matched against: the story as it is now plus the article that changed it. */
export interface RoutingSubject {
  story: Story;
  article: {
    outletId: string;
    affiliation: string;
    title: string;
    text: string;
    analysis: AnalysisResult;
  };
}

export function isCentralAsia(a: Pick<AnalysisResult, 'countries' | 'regional'>): boolean {
  return a.countries.length > 0 || a.regional;
}

/**
 * What a subscription's query is tested against: the story as it is now together with the
 * article that changed it — countries, tags, outlets, affiliations and people of either (as the
 * field lists always matched), and the words of the article (title, summary, text) and the
 * story's headline.
 */
export function routingDocument(s: RoutingSubject): QueryDocument {
  const a = s.article.analysis;
  const tags = new Set<string>(a.framings.map((f) => f.tag));
  for (const o of s.story.outlets) for (const f of o.framings) tags.add(f.tag);
  return {
    id: s.story.id,
    countries: [...new Set<string>([...s.story.countries, ...a.countries])],
    tags: [...tags],
    outletIds: [...new Set([s.article.outletId, ...s.story.outlets.map((o) => o.outletId)])],
    affiliations: [...new Set([s.article.affiliation, ...s.story.outlets.map((o) => o.affiliation)])],
    entityIds: [...new Set([...a.entities.map((e) => e.id), ...s.story.entities])],
    texts: [s.article.title || a.title, a.summary, s.article.text, s.story.headline].filter((t) => typeof t === 'string' && t.length > 0),
    lang: a.language,
  };
}

/**
 * A subscription's stored query, read once per subscription value (the store's read cache hands
 * out the same values for a while); null when it has none. A stored query that no longer reads
 * (it cannot happen through /subscribe) matches nothing rather than everything.
 */
export function queryOf(sub: Subscription): { root: QueryNode | null } | 'bad' | null {
  if (sub.query === undefined) return null;
  return compiled(sub);
}
/** Memoised per subscription value (src/core/memo.ts); subscriptions are not changed once read. */
const compiled = pureWeakMemo((sub: Subscription): { root: QueryNode | null } | 'bad' => {
  try {
    return { root: readStoredQuery(sub.query!).root };
  } catch {
    return 'bad';
  }
});

/**
 * What the subscriptions of a destination list are matched on, worked out from one subject once
 * (each when first asked) however many subscriptions ask: routing tried every alert subscription
 * against every Central Asia article, and built these sets and strings again for each (the
 * subscriptions' sets were ~4% of what the cold cycle's main thread allocated, issue 16). The
 * subject must not change while a view of it is in use.
 */
export class RoutingView {
  #countries: Set<string> | undefined;
  #tags: Set<string> | undefined;
  #outlets: Set<string> | undefined;
  #affiliations: string[] | undefined;
  #hay: string | undefined;
  #document: QueryDocument | undefined;
  constructor(readonly subject: RoutingSubject) {}
  get countries(): Set<string> {
    return (this.#countries ??= new Set<string>([...this.subject.story.countries, ...this.subject.article.analysis.countries]));
  }
  get tags(): Set<string> {
    if (this.#tags) return this.#tags;
    const have = new Set<string>(this.subject.article.analysis.framings.map((f) => f.tag));
    for (const o of this.subject.story.outlets) for (const f of o.framings) have.add(f.tag);
    return (this.#tags = have);
  }
  get outlets(): Set<string> {
    return (this.#outlets ??= new Set([this.subject.article.outletId, ...this.subject.story.outlets.map((o) => o.outletId)]));
  }
  get affiliations(): string[] {
    return (this.#affiliations ??= [this.subject.article.affiliation, ...this.subject.story.outlets.map((o) => o.affiliation)]);
  }
  /** The text keywords are looked for in. */
  get hay(): string {
    return (this.#hay ??= `${this.subject.article.title}\n${this.subject.article.text}\n${this.subject.story.headline}`);
  }
  /** Frozen, so that matchQuery builds its text index once for all the queries tried on it. */
  get document(): QueryDocument {
    if (this.#document) return this.#document;
    const d = routingDocument(this.subject);
    for (const v of Object.values(d)) if (Array.isArray(v)) Object.freeze(v);
    return (this.#document = Object.freeze(d));
  }
}

/**
 * Whether `sub` wants this story. A subscription with a `query` (the query language) matches when
 * the query matches routingDocument; one made before (fields only): fields are AND-ed, values
 * within a field OR-ed, an empty field does not constrain. Only Central Asia stories are routed
 * at all, and only at the subscription's relevance or above. A caller trying many subscriptions on
 * one subject passes one RoutingView of it (the same answers, its sets built once).
 */
export function subscriptionMatches(sub: Subscription, subject: RoutingSubject | RoutingView, defaultMinRelevance: number): boolean {
  if (sub.paused) return false;
  const s = subject instanceof RoutingView ? subject.subject : subject;
  const a = s.article.analysis;
  if (!isCentralAsia(a)) return false;
  const min = sub.minRelevance ?? defaultMinRelevance;
  if (Math.max(a.relevance, s.story.relevance) < min) return false;
  const q = queryOf(sub);
  if (q === 'bad') return false;
  const view = subject instanceof RoutingView ? subject : new RoutingView(s);
  if (q !== null) return matchQuery(q.root, view.document);
  if (sub.countries.length) {
    const have = view.countries;
    if (!sub.countries.some((c) => have.has(c))) return false;
  }
  if (sub.tags.length) {
    const have = view.tags;
    if (!sub.tags.some((t) => have.has(t))) return false;
  }
  if (sub.outlets.length) {
    const have = view.outlets;
    if (!sub.outlets.some((o) => have.has(o))) return false;
  }
  if (sub.affiliations.length) {
    const have = view.affiliations;
    const ok = sub.affiliations.some((want) =>
      have.some((aff) => aff === want || (!want.includes(':') && aff.startsWith(`${want}:`))),
    );
    if (!ok) return false;
  }
  if (sub.keywords.length) {
    const hay = view.hay;
    if (!sub.keywords.some((k) => keywordRegex(k).test(hay))) return false;
  }
  return true;
}

/**
 * Whole-word, case-insensitive, Unicode-aware ("Rogun" matches "Rogun's", not "Roguntown").
 * Memoised (src/core/memo.ts): the regex has neither the g nor the y flag, so `test` keeps no
 * state in it and one instance can serve every caller.
 */
export const keywordRegex: (k: string) => RegExp = pureMemo((k: string) => {
  const body = k.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}, 5000);

/** Muted stories and outlets of one destination. */
export interface Mutes {
  stories: Set<string>;
  outlets: Set<string>;
}

/**
 * Whether a destination muted the story or the outlet. A story answers to its own id and to the
 * ids of the stories merged into it (Story.mergedIds, issue 15.4): a channel that muted either of
 * two stories found to be one keeps the merged story muted — the survivor inherits the mute. Read
 * from the story record at routing time, so it holds from the moment the merge is committed (no
 * write per destination that a crash could leave undone). `/unmute` of either id lifts it.
 */
export function isMuted(m: Mutes, story: string | Pick<Story, 'id' | 'mergedIds'>, outletId?: string): boolean {
  if (outletId !== undefined && m.outlets.has(outletId)) return true;
  if (typeof story === 'string') return m.stories.has(story);
  return m.stories.has(story.id) || (story.mergedIds ?? []).some((id) => m.stories.has(id));
}
