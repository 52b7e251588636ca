// The TrendsSource the bot and `steppewatch trends` use.
//
// Until the hourly counters of the spike alerts are wired in here (issue #17, "Spike alerts":
// adapters/redis counters maintained by the pipeline, with spikes), trends are counted from the
// story store: each outlet's first article in a story, on its published UTC day, under its
// framing tags (or the story's countries). That undercounts an outlet that ran several articles
// of one story, and finds no spikes; the counters replace it.
import { compileStoryQuery, matchQuery, storyDocument } from '../core/query/index.js';
import { countStories } from '../core/trends/chart-data.js';
import type { StoryStore } from '../ports/stores.js';
import type { TrendsSource } from '../ports/trends.js';

/** Stories read at most for one chart (the most recently seen first). */
export const STORY_TRENDS_LIMIT = 5_000;

export function storyTrendsSource(stories: StoryStore): TrendsSource {
  return {
    async trends(req) {
      const since = new Date(Date.UTC(req.now.getUTCFullYear(), req.now.getUTCMonth(), req.now.getUTCDate()) - (req.days - 1) * 86_400_000);
      const root = req.query?.root ?? null;
      const compiled = compileStoryQuery(root);
      const found = compiled.storyIds
        ? (await stories.getMany(compiled.storyIds.slice(0, 100))).filter((s) => s !== null)
        : await stories.recent({ ...compiled.query, since, limit: STORY_TRENDS_LIMIT });
      const matching = compiled.exact && !compiled.storyIds ? found : found.filter((s) => matchQuery(root, storyDocument(s)));
      return { series: countStories(matching, { days: req.days, now: req.now, by: req.by ?? 'tag' }), spikes: [] };
    },
  };
}
