// The demo's story pair as stored articles, for tests that hand articles to analysis directly
// (test/integration/pipeline/batches.test.ts, gone-deliver.test.ts).
import { loadSampleFeeds } from '../../src/cli/demo-feeds.js';
import { dataDir } from '../../src/main/paths.js';
import { articleIdFor } from '../../jobs/poll.js';
import type { Article } from '../../src/core/types.js';

/** The demo's story pair: Global Times first, RT (the same story) a day later; oldest first. */
export function sampleArticles(now: number): Article[] {
  const feeds = loadSampleFeeds(dataDir());
  const pick = (feedId: string, n: number) => {
    const f = feeds.find((x) => x.id === feedId)!;
    const i = f.items[n]!;
    const outletId = f.outlet.toLowerCase().replace(/\W+/g, '-');
    return {
      id: articleIdFor(outletId, i.link),
      feedId,
      outletId,
      outlet: f.outlet,
      affiliation: f.affiliation as Article['affiliation'],
      url: `http://feeds.test${i.link}`,
      title: i.title,
      text: i.text,
      published: new Date(now - i.ageHours * 3_600_000).toISOString(),
      publishedEstimated: false,
      firstSeen: new Date(now).toISOString(),
      languageHint: f.language,
    } satisfies Article;
  };
  const rtStory = loadSampleFeeds(dataDir()).find((x) => x.id === 'rt-en')!.items.findIndex((i) => /color revolution/i.test(i.title));
  return [pick('global-times-en', 0), pick('rt-en', rtStory)].sort((a, b) => a.published.localeCompare(b.published));
}

