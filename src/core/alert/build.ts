// Building the platform-neutral Alert of an article of a story for one destination.
import type { AnalysedArticle, Destination, Story, TagId } from '../types.js';
import type { Alert, OutletRef } from './values.js';

export interface BuildAlertInput {
  article: AnalysedArticle;
  story: Story;
  destination: Destination;
  kind: 'alert' | 'followup';
  /** Follow-ups: the tags this article brings that the destination has not been shown yet. */
  newTags?: TagId[];
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
  const first = story.outlets[0];
  const firstOutlet: OutletRef = first
    ? { id: first.outletId, name: first.outlet, affiliation: first.affiliation }
    : outlet;
  const firstPublished = first?.published ?? story.firstSeen;
  return {
    ...base,
    followup: {
      firstOutlet,
      firstPublished,
      delayMs: Date.parse(article.published) - Date.parse(firstPublished),
      newTags: i.newTags ?? [],
      quoting: quoting(article, story),
      outletCount: story.outlets.length,
    },
  };
}
