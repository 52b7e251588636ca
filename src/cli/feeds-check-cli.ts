// `steppewatch feeds check URL… [--json]`: fetch, parse and preview feeds, no Redis.
// --json: one line per URL, in the order given:
//   {url, ok, feedUrl?, error?, title?, items, sample: [{title, link, published}]}
// `feedUrl` is the feed discovered from a site URL; `error` is "<code>: <message>" (http_<status>
// for HTTP errors); `published` is ISO 8601 UTC (the first-seen time when the item has no usable
// date; the human preview says "no date"). Exit code 1 when any URL failed; every URL still gets
// its line. A refused private or loopback address names ALLOW_PRIVATE_FEED_ADDRESSES in its error.
// Text mode ends with a legend of the preview's markers and a summary line ("2 of 3 feeds readable").
import type { FeedCheckResult } from '../ports/feed-admin.js';
import { createHttpFeedFetcher, type HttpFeedFetcher } from '../adapters/http-feed/fetcher.js';
import { checkOne } from '../main/feed-check.js';
import type { NormalisedItem } from '../core/types.js';

export interface FeedsCheckOptions {
  json: boolean;
  /** ALLOW_PRIVATE_FEED_ADDRESSES. */
  allowPrivate: boolean;
  now?: Date;
  /** A fetcher to use instead of a new one (tests); not closed here. */
  fetcher?: HttpFeedFetcher;
  /**
   * Countries an item concerns, for a column of the human preview. Default: the analysis core
   * (defaultAnalyzer); the column is left out when its data cannot be loaded.
   */
  countriesOf?: (item: { title: string; text: string }) => string[];
}

interface Out {
  write(s: string): unknown;
}

/** One line of `feeds check --json`. */
export type FeedsCheckLine = FeedCheckResult;

const HUMAN_PREVIEW = 5;
const CONCURRENCY = 4;

function truncate(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

function human(line: FeedsCheckLine, items: NormalisedItem[], opts: FeedsCheckOptions): string {
  const out: string[] = [];
  if (!line.ok) {
    out.push(`✗ ${line.url}`);
    out.push(`  ${line.error}`);
    return `${out.join('\n')}\n`;
  }
  out.push(`✓ ${line.url}${line.title ? ` — ${line.title}` : ''} (${line.items} item${line.items === 1 ? '' : 's'})`);
  if (line.feedUrl) out.push(`  feed found on the page: ${line.feedUrl}`);
  if (items.length === 0) out.push('  (the feed has no items)');
  for (const it of items.slice(0, HUMAN_PREVIEW)) {
    const when = it.publishedEstimated ? 'no date         ' : `${it.published.slice(0, 16).replace('T', ' ')}`;
    const countries = opts.countriesOf ? opts.countriesOf({ title: it.title, text: it.text }) : null;
    const cc = countries ? ` [${countries.length ? countries.join(',') : '—'}]` : '';
    out.push(`  ${when}  ${truncate(it.title || '(no title)', 90)}${cc}`);
    if (it.url) out.push(`                    ${it.url}`);
  }
  if (items.length > HUMAN_PREVIEW) out.push(`  … and ${items.length - HUMAN_PREVIEW} more`);
  return `${out.join('\n')}\n`;
}

/** The analysis core's country detection, loaded only for the human preview. */
async function defaultCountries(now: Date): Promise<Pick<FeedsCheckOptions, 'countriesOf'>> {
  try {
    const { defaultAnalyzer } = await import('../adapters/analysis-data.js');
    const analyzer = defaultAnalyzer();
    return { countriesOf: ({ title, text }) => analyzer.analyze({ id: 'feeds-check', title, text }, now).countries };
  } catch {
    return {};
  }
}

/** What a refused address means for a console user, who can change the setting. */
export const PRIVATE_ADDRESS_HINT =
  'loopback, private, link-local and metadata addresses are refused; set ALLOW_PRIVATE_FEED_ADDRESSES=true to allow them';

/** The human preview's markers, explained once after the feeds. */
export const LEGEND = '✓ read · ✗ failed · date and time in UTC ("no date": the feed gives none) · [KZ,UZ] the countries an item concerns ([—] none)';

function withHint(line: FeedsCheckLine, allowPrivate: boolean): FeedsCheckLine {
  if (allowPrivate || !line.error?.startsWith('blocked_address:')) return line;
  return { ...line, error: `${line.error} (${PRIVATE_ADDRESS_HINT})` };
}

export async function runFeedsCheck(urls: string[], opts: FeedsCheckOptions, io: { stdout: Out; stderr: Out }): Promise<number> {
  if (urls.length === 0) {
    io.stderr.write('usage: steppewatch feeds check URL… [--json]\n');
    return 64;
  }
  const now = opts.now ?? new Date();
  if (!opts.json && !opts.countriesOf) opts = { ...opts, ...(await defaultCountries(now)) };
  const fetcher = opts.fetcher ?? createHttpFeedFetcher({ allowPrivateAddresses: opts.allowPrivate });
  const results: Promise<{ line: FeedsCheckLine; items: NormalisedItem[] }>[] = [];
  // Fetch a few at a time, print in the order given.
  let next = 0;
  const slots: Promise<void>[] = [];
  const waiters = urls.map(() => {
    let resolve!: (v: { line: FeedsCheckLine; items: NormalisedItem[] }) => void;
    const p = new Promise<{ line: FeedsCheckLine; items: NormalisedItem[] }>((r) => (resolve = r));
    results.push(p);
    return resolve;
  });
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      waiters[i]!(await checkOne(fetcher, urls[i]!, now));
    }
  };
  for (let k = 0; k < Math.min(CONCURRENCY, urls.length); k++) slots.push(worker());

  let readable = 0;
  try {
    for (const p of results) {
      const r = await p;
      const line = withHint(r.line, opts.allowPrivate);
      if (line.ok) readable++;
      io.stdout.write(opts.json ? `${JSON.stringify(line)}\n` : human(line, r.items, opts));
    }
    await Promise.all(slots);
    if (!opts.json) {
      io.stdout.write(`\n${LEGEND}\n`);
      io.stdout.write(`${readable} of ${urls.length} feed${urls.length === 1 ? '' : 's'} readable\n`);
    }
  } finally {
    if (!opts.fetcher) await fetcher.close();
  }
  return readable < urls.length ? 1 : 0;
}
