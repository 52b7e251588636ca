// "Open story" links: the web view's page of a story, put on alerts and on the story cards of
// replies (answers, digests) before a renderer sees them. The URL (PUBLIC_URL, a signed token) is
// made by the caller; this only places it.
import type { Alert, Reply } from './values.js';

/** Makes the URL of a story's page, or null when the web view has no public address. */
export type StoryUrlFor = (storyId: string) => string | null;

export function alertWithStoryUrl(a: Alert, urlFor: StoryUrlFor): Alert {
  const storyUrl = urlFor(a.storyId);
  return storyUrl ? { ...a, storyUrl } : a;
}

export function replyWithStoryUrls(r: Reply, urlFor: StoryUrlFor): Reply {
  if (!r.sections.some((s) => s.type === 'stories')) return r;
  return {
    ...r,
    sections: r.sections.map((s) =>
      s.type === 'stories'
        ? {
            ...s,
            stories: s.stories.map((c) => {
              const storyUrl = urlFor(c.id);
              return storyUrl ? { ...c, storyUrl } : c;
            }),
          }
        : s,
    ),
  };
}
