// Checking one feed URL: fetch (following the first feed an HTML page links to), parse, and the
// `feeds check --json` line. A service of the wiring: `/feeds check` and `/feeds add` (feed-admin)
// and the `steppewatch feeds check` command (src/cli/feeds-check-cli.ts) use it.
import { errorCodeLabel, type FeedFetcher, type FetchOutcome } from '../ports/feed-fetcher.js';
import type { FeedCheckResult } from '../ports/feed-admin.js';
import { discoverAndFetch } from '../adapters/http-feed/fetcher.js';
import type { NormalisedItem } from '../core/types.js';

/** Items in a check's sample. */
const SAMPLE = 3;

function toLine(url: string, outcome: FetchOutcome, feedUrl: string | undefined): FeedCheckResult {
  const line: FeedCheckResult = { url, ok: outcome.kind !== 'error', items: 0, sample: [] };
  if (feedUrl) line.feedUrl = feedUrl;
  if (outcome.kind === 'error') {
    line.error = `${errorCodeLabel(outcome)}: ${outcome.message}`;
  } else if (outcome.kind === 'ok') {
    if (outcome.title) line.title = outcome.title;
    line.items = outcome.items.length;
    line.sample = outcome.items.slice(0, SAMPLE).map(sampleOf);
  }
  return line;
}

function sampleOf(i: NormalisedItem): FeedCheckResult['sample'][number] {
  return { title: i.title, link: i.url, published: i.published };
}

function outletIdFor(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || 'check';
  } catch {
    return 'check';
  }
}

export async function checkOne(fetcher: FeedFetcher, url: string, now: Date): Promise<{ line: FeedCheckResult; items: NormalisedItem[] }> {
  try {
    const { outcome, feedUrl } = await discoverAndFetch(fetcher, { url, outletId: outletIdFor(url), now });
    return { line: toLine(url, outcome, feedUrl), items: outcome.kind === 'ok' ? outcome.items : [] };
  } catch (e) {
    // The fetcher returns failures as values; anything thrown is a bug, still reported per URL.
    return { line: { url, ok: false, error: `network: ${(e as Error).message}`, items: 0, sample: [] }, items: [] };
  }
}

/**
 * Fetches one URL (following the first feed an HTML page links to) and returns its
 * `feeds check --json` line; `/feeds check` and `/feeds add` use it too.
 */
export async function checkFeed(fetcher: FeedFetcher, url: string, now: Date): Promise<FeedCheckResult> {
  return (await checkOne(fetcher, url, now)).line;
}
