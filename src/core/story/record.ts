// The story record: one pure reducer that folds an analysed article into a story (or starts one).
import { clip } from '../alert/format.js';
import type { StoryCard } from '../alert/values.js';
import type { AnalysisResult, Article, CountryCode, Framing, Story, StoryOutlet, TagId } from '../types.js';
import { storyIdFor } from './decide.js';

/** What the reducer needs of an analysed article. */
export interface StoryArticle extends Pick<Article, 'id' | 'outletId' | 'outlet' | 'affiliation' | 'url' | 'title' | 'published'> {
  analysis: Pick<AnalysisResult, 'countries' | 'relevance' | 'framings' | 'summary' | 'entities'>;
  /** Sources the text says it cites (outlet ids, or names of non-outlet sources). */
  cites: string[];
}

export interface MergeOptions {
  /** Id of a new story; default `storyIdFor(article.id)`. Ignored when `story` is given. */
  storyId?: string;
}

const MAX_ENTITIES = 100;
const MAX_EVIDENCE = 3;

/**
 * Folds `a` into `story` (null: a new story). Idempotent: an article already in the story leaves
 * it unchanged, so a retried job cannot count an article twice. Outlets keep one entry each — the
 * outlet's earliest article in the story, whatever order articles arrive in — with the framings
 * and citations of all of that outlet's articles; they are ordered by publication.
 */
export function mergeIntoStory(story: Story | null, a: StoryArticle, o: MergeOptions = {}): Story {
  if (story?.articleIds.includes(a.id)) return story;
  const base: Story = story ?? {
    id: o.storyId ?? storyIdFor(a.id),
    headline: a.title,
    summary: a.analysis.summary,
    countries: [],
    relevance: 0,
    outlets: [],
    articleIds: [],
    entities: [],
    firstSeen: a.published,
    lastSeen: a.published,
  };

  const becomesFirst = story !== null && a.published < story.firstSeen;
  const outlets = base.outlets.map((x) => ({ ...x }));
  const existing = outlets.find((x) => x.outletId === a.outletId);
  if (!existing) {
    outlets.push(outletEntry(a));
  } else {
    if (a.published < existing.published) {
      Object.assign(existing, { articleId: a.id, url: a.url, title: a.title, published: a.published });
    }
    existing.framings = mergeFramings(existing.framings, a.analysis.framings);
    existing.cites = union(existing.cites, a.cites);
  }
  outlets.sort((x, y) => (x.published < y.published ? -1 : x.published > y.published ? 1 : x.outletId < y.outletId ? -1 : 1));

  return {
    ...base,
    headline: becomesFirst ? a.title : base.headline || a.title,
    summary: becomesFirst && a.analysis.summary ? a.analysis.summary : base.summary || a.analysis.summary,
    countries: union(base.countries, a.analysis.countries).sort() as CountryCode[],
    relevance: Math.max(base.relevance, a.analysis.relevance),
    outlets,
    articleIds: [...base.articleIds, a.id],
    entities: union(
      base.entities,
      a.analysis.entities.map((e) => e.id),
    ).slice(0, MAX_ENTITIES),
    firstSeen: a.published < base.firstSeen ? a.published : base.firstSeen,
    lastSeen: a.published > base.lastSeen ? a.published : base.lastSeen,
  };
}

function outletEntry(a: StoryArticle): StoryOutlet {
  return {
    outletId: a.outletId,
    outlet: a.outlet,
    affiliation: a.affiliation,
    articleId: a.id,
    url: a.url,
    title: a.title,
    published: a.published,
    cites: [...new Set(a.cites.filter((c) => c !== a.outletId))],
    framings: a.analysis.framings.map((f) => ({ ...f, evidence: f.evidence.slice(0, MAX_EVIDENCE) })),
  };
}

/** Union by tag: the higher confidence, and evidence quotes not yet there (at most three). */
export function mergeFramings(a: readonly Framing[], b: readonly Framing[]): Framing[] {
  const out = a.map((f) => ({ ...f, evidence: [...f.evidence] }));
  for (const f of b) {
    const cur = out.find((x) => x.tag === f.tag);
    if (!cur) {
      out.push({ ...f, evidence: f.evidence.slice(0, MAX_EVIDENCE) });
      continue;
    }
    cur.confidence = Math.max(cur.confidence, f.confidence);
    for (const e of f.evidence) {
      if (cur.evidence.length >= MAX_EVIDENCE) break;
      if (!cur.evidence.some((x) => x.quote === e.quote)) cur.evidence.push(e);
    }
  }
  return out;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

/** Framing tags any outlet of the story carries, in first-carried order. */
export function storyTags(s: Story): TagId[] {
  const out: TagId[] = [];
  for (const o of s.outlets) for (const f of o.framings) if (!out.includes(f.tag)) out.push(f.tag);
  return out;
}

/** A quote in a card: evidence is at most 300 characters already (analysis contract). */
const QUOTE_MAX = 300;

/**
 * A story as /story, digests and `story --json` show it. Outlets in order of publication.
 * Framings in the order the outlets first carried them; per tag, the outlets carrying it (ids)
 * and the top quote: an attributed one (a speaker voicing the frame says more than the outlet's
 * own voice) from the earliest outlet that has one, else the earliest outlet's first evidence.
 */
export function storyCard(story: Story): StoryCard {
  const outlets = story.outlets
    .map((o, i) => ({ o, i }))
    .sort((a, b) => a.o.published.localeCompare(b.o.published) || a.i - b.i)
    .map((x) => x.o);
  const tags: TagId[] = [];
  for (const o of outlets) for (const f of o.framings) if (!tags.includes(f.tag)) tags.push(f.tag);
  const framings = tags.map((tag) => {
    const carriers = outlets.filter((o) => o.framings.some((f) => f.tag === tag));
    const evidence = carriers.flatMap((o) => o.framings.filter((f) => f.tag === tag).flatMap((f) => f.evidence));
    const top = evidence.find((e) => e.attributedTo) ?? evidence[0] ?? null;
    return {
      tag,
      outlets: [...new Set(carriers.map((o) => o.outletId))],
      quote: top ? clip(top.quote, QUOTE_MAX) : null,
      attributedTo: top?.attributedTo ?? null,
    };
  });
  return {
    id: story.id,
    headline: story.headline,
    summary: story.summary,
    countries: story.countries,
    framings,
    outlets: outlets.map((o) => ({ outletId: o.outletId, outlet: o.outlet, affiliation: o.affiliation, url: o.url, published: o.published })),
    firstSeen: story.firstSeen,
    lastSeen: story.lastSeen,
  };
}
