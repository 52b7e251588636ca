// Building the platform-neutral Alert of an article of a story for one destination.
import type { AnalysedArticle, Destination, Story, StoryOutlet, TagId } from '../types.js';
import type { Alert, OutletRef } from './values.js';

export interface BuildAlertInput {
  article: AnalysedArticle;
  story: Story;
  destination: Destination;
  kind: 'alert' | 'followup';
  /** Follow-ups: the tags this article brings that the destination has not been shown yet. */
  newTags?: TagId[];
  /**
   * Follow-ups: the article of the story's first message in this destination, when the caller
   * knows it (the delivery store's root article). Without it, the story's first article by
   * arrival stands for it: the one that alerted first wherever routing was the same.
   */
  rootArticleId?: string | null;
}

/** Whom the article quotes: an outlet it cites, else a named source such as "China's Defense Ministry". */
function quoting(article: AnalysedArticle, story: Story): string | null {
  const mine = story.outlets.find((o) => o.outletId === article.outletId);
  const cites = mine?.cites.length ? mine.cites : article.cites;
  if (!cites || cites.length === 0) return null;
  const names = cites.map((c) => story.outlets.find((o) => o.outletId === c)?.outlet ?? c);
  return names.join(', ');
}

export function buildAlert(i: BuildAlertInput): Alert {
  const { article, story } = i;
  const a = article.analysis;
  const outlet: OutletRef = { id: article.outletId, name: article.outlet, affiliation: article.affiliation };
  const base: Alert = {
    kind: i.kind,
    destination: i.destination,
    storyId: story.id,
    articleId: article.id,
    headline: article.title || a.title || story.headline,
    summary: a.summary || story.summary,
    url: article.url,
    published: article.published,
    outlet,
    countries: a.countries.length ? a.countries : story.countries,
    relevance: a.relevance,
    framings: a.framings,
    outletCount: story.outlets.length,
  };
  if (i.kind === 'alert') return base;
  const ref = referenceOf(article, story, i.rootArticleId ?? null);
  const firstOutlet: OutletRef = ref ? { id: ref.outletId, name: ref.outlet, affiliation: ref.affiliation } : outlet;
  const firstPublished = ref?.published ?? story.firstSeen;
  const delay = Date.parse(article.published) - Date.parse(firstPublished);
  return {
    ...base,
    followup: {
      firstOutlet,
      firstPublished,
      delayMs: Number.isFinite(delay) ? delay : 0,
      newTags: i.newTags ?? [],
      quoting: quoting(article, story),
      outletCount: story.outlets.length,
    },
  };
}

/**
 * What a follow-up is timed against: the article of the story's first message here. A follow-up
 * may be an article published BEFORE that one that arrived later (Global Times read after RT had
 * alerted): its delay is then negative, and the story's outlets — in order of publication — no
 * longer start with the article that alerted, so they cannot stand for it.
 */
function referenceOf(article: AnalysedArticle, story: Story, rootArticleId: string | null): StoryOutlet | null {
  const others = story.outlets.filter((o) => o.articleId !== article.id && o.outletId !== article.outletId);
  const byId = (id: string | null | undefined) => (id ? (story.outlets.find((o) => o.articleId === id) ?? null) : null);
  const root = byId(rootArticleId);
  if (root && root.articleId !== article.id) return root;
  // The first article by arrival that is not this one (nor this outlet's own first).
  for (const id of story.articleIds) {
    const o = byId(id);
    if (o && others.includes(o)) return o;
  }
  return others[0] ?? story.outlets.find((o) => o.articleId !== article.id) ?? null;
}
