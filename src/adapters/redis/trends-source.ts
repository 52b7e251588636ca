// TrendsSource (ports/trends.ts) over the trend counters, the spikes recorded and the story store:
// what /trends, `trends --json|--png`, the web view and digests read. With no query the series
// come from the daily counters (every Central Asia article); with a query, from the stories that
// match it (found as /story finds them: the index query, then matchQuery where it is not exact).
import { tagName } from '../../core/alert/format.js';
import { compileStoryQuery, matchQuery, storyDocument, type ResolvedQuery } from '../../core/query/index.js';
import { storyCard } from '../../core/story/record.js';
import { dayRange, seriesFromCounters, seriesFromStories, shareOfVoice } from '../../core/trends/series.js';
import { SPIKE_STORIES } from '../../core/trends/spike-alert.js';
import type { Spike, TrendSeries } from '../../core/trends/types.js';
import { COUNTRY_NAMES, type CountryCode, type Story } from '../../core/types.js';
import type { StoryStore } from '../../ports/stores.js';
import type { SpikeStore, StoredSpike, TrendCounterStore } from '../../ports/trend-counters.js';
import type { TrendsSource } from '../../ports/trends.js';

/** Stories read for a query's series at most (the most recently seen in the window). */
export const TREND_STORY_LIMIT = 5_000;

export interface TrendsSourceOptions {
  counters: Pick<TrendCounterStore, 'days' | 'outlets'>;
  spikes: Pick<SpikeStore, 'since'>;
  stories: Pick<StoryStore, 'recent' | 'getMany'>;
}

function labelled(series: TrendSeries[], by: 'tag' | 'country'): TrendSeries[] {
  return series.map((s) => ({ ...s, label: by === 'tag' ? tagName(s.key) : (COUNTRY_NAMES[s.key as CountryCode] ?? s.key) }));
}

export function createTrendsSource(o: TrendsSourceOptions): TrendsSource & Required<Pick<TrendsSource, 'shareOfVoice' | 'spikes'>> {
  async function matching(q: ResolvedQuery, since: Date): Promise<Story[]> {
    const c = compileStoryQuery(q.root);
    const found = c.storyIds
      ? (await o.stories.getMany(c.storyIds)).filter((s): s is Story => s !== null)
      : await o.stories.recent({ ...c.query, since, limit: TREND_STORY_LIMIT });
    return c.exact ? found : found.filter((s) => matchQuery(q.root, storyDocument(s)));
  }

  /** The spikes with the stories an alert shows (the first SPIKE_STORIES of those kept with each). */
  async function withStories(list: StoredSpike[]): Promise<Spike[]> {
    const ids = [...new Set(list.flatMap((s) => s.storyIds.slice(0, SPIKE_STORIES)))];
    const byId = new Map((await o.stories.getMany(ids)).filter((s): s is Story => s !== null).map((s) => [s.id, s]));
    return list.map((s) => ({
      key: s.key,
      at: s.at,
      count: s.count,
      baseline: s.baseline,
      sd: s.sd,
      z: s.z,
      stories: s.storyIds.slice(0, SPIKE_STORIES).map((id) => byId.get(id)).filter((x): x is Story => !!x).map(storyCard),
    }));
  }

  return {
    async trends(req) {
      const by = req.by ?? 'tag';
      const days = dayRange(req.now, req.days);
      const since = new Date(`${days[0]}T00:00:00.000Z`);
      let series: TrendSeries[];
      let spikes = (await o.spikes.since(since)).filter((s) => Date.parse(s.at) <= req.now.getTime() + 3_600_000);
      if (req.query) {
        const stories = await matching(req.query, since);
        series = seriesFromStories(stories, days, by);
        // A spike belongs to the query's trends when a story behind it matches the query.
        const ids = new Set(stories.map((s) => s.id));
        spikes = spikes.filter((s) => s.storyIds.some((id) => ids.has(id)));
      } else {
        series = seriesFromCounters(await o.counters.days(days), days, by);
      }
      return { series: labelled(series, by), spikes: await withStories(spikes) };
    },
    async shareOfVoice(req) {
      const days = dayRange(req.now, req.days);
      const daily = await o.counters.days(days);
      const ids = new Set<string>();
      for (const h of daily.values()) for (const f of Object.keys(h)) if (f.startsWith('o:') && f.endsWith(`|${req.tag}`)) ids.add(f.slice(2, f.lastIndexOf('|')));
      const names = await o.counters.outlets([...ids]);
      return shareOfVoice(req.tag, daily, days, (id) => names.get(id));
    },
    async spikes(since) {
      return withStories(await o.spikes.since(since));
    },
  };
}
