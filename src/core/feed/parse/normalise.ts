// Parsed feed items → NormalisedItem values: canonical link, article key and secondary keys,
// plain text, a date (or the first-seen time, flagged). Pure: the clock comes in as `now`.
import type { NormalisedItem } from '../../types.js';
import { canonicalLinkParts } from './canonical-url.js';
import { parseFeedDate } from './dates.js';
import { htmlToText, oneLine, titleText } from './html-text.js';
import { guidKey, hashKey, isStableGuid, titleKey } from './keys.js';
import type { ParsedFeed, ParsedItem } from './types.js';
import { ownString } from '../../text/own-string.js';

export type { ParsedFeed, ParsedItem } from './types.js';
export { canonicalLink, resolveLink, linkKeyMaterial } from './canonical-url.js';
export { parseFeedDate } from './dates.js';
export { htmlToText, titleText } from './html-text.js';
export { guidKey, hashKey, isStableGuid, linkKey, normaliseTitle, titleKey } from './keys.js';

export interface NormaliseContext {
  /** URL the feed was fetched from (final URL after redirects): base of relative links. */
  feedUrl: string;
  /** Outlet slug of the feed: scopes guid and title keys. */
  outletId: string;
  /** First-seen time, used for items without a usable date. */
  now: Date;
}

/** Caps on what one item may carry into the store: feeds are hostile input, and no real headline,
 * link or article comes near these. */
export const ITEM_LIMITS = { title: 1_000, text: 100_000, url: 4_096, author: 200, source: 200 } as const;

function cap(s: string, n: number): string {
  if (s.length <= n) return s;
  // do not split a surrogate pair
  const cut = /[\ud800-\udbff]/.test(s[n - 1]!) ? n - 1 : n;
  return `${s.slice(0, cut - 1)}…`;
}


function itemTitle(item: ParsedItem): string {
  return item.titleIsHtml === false ? oneLine(item.title ?? '') : titleText(item.title);
}

function itemLink(item: ParsedItem): string | null | undefined {
  if (item.link && item.link.trim()) return item.link;
  // RSS: a guid is the permalink unless isPermaLink="false".
  const g = item.guid?.trim();
  if (g && item.guidIsPermaLink !== false && /^https?:\/\//i.test(g)) return g;
  return null;
}

/**
 * Normalises every item of a parsed feed, in document order. Duplicates are kept (the seen-set
 * dedupes; `feeds check` counts what the document holds).
 */
export function normaliseItems(parsed: ParsedFeed, ctx: NormaliseContext): NormalisedItem[] {
  const guidCounts = new Map<string, number>();
  for (const it of parsed.items) {
    const g = it.guid?.trim();
    if (g) guidCounts.set(g, (guidCounts.get(g) ?? 0) + 1);
  }
  const guidCtx = { feedUrl: ctx.feedUrl, feedLink: parsed.link ?? null, guidCounts };

  return parsed.items.map((item) => {
    // The canonical link and its key material from one URL parse (= linkKey(url)).
    const link = canonicalLinkParts(itemLink(item), item.base, parsed.base, ctx.feedUrl);
    const url = link && link.href.length <= ITEM_LIMITS.url ? link.href : null;
    const title = cap(itemTitle(item), ITEM_LIMITS.title);
    // The longer of the two texts. Text is never longer than its HTML (tags and entities only
    // shrink), so a description no longer than the content's text is not converted at all.
    const content = htmlToText(item.content);
    const summary = (item.summary?.length ?? 0) > content.length ? htmlToText(item.summary) : '';
    const text = cap(content.length >= summary.length ? content : summary, ITEM_LIMITS.text);
    const date = parseFeedDate(item.published) ?? parseFeedDate(item.updated);
    const published = (date ?? ctx.now).toISOString();
    const guid = item.guid?.trim() || undefined;

    const uKey = url ? hashKey('u', link!.keyMaterial) : null;
    const tKey = title ? titleKey(ctx.outletId, title) : null;
    let key: string;
    if (isStableGuid(guid, guidCtx)) key = guidKey(ctx.outletId, guid);
    else if (uKey) key = uKey;
    // The first-seen time is not part of the key: it changes every poll.
    else if (title) key = hashKey('h', `${ctx.outletId}\n${title}\n${date ? published : ''}`);
    else key = hashKey('c', `${ctx.outletId}\n${text}`);
    // The link's and the title's keys other than the main one, once each, in that order.
    const altKeys: string[] = [];
    if (uKey && uKey !== key) altKeys.push(uKey);
    if (tKey && tKey !== key && tKey !== uKey) altKeys.push(tKey);

    // The strings an item keeps are copies of their own, not views into the document or a
    // description's HTML: the poll holds its items across Redis round trips (own-string.ts).
    const out: NormalisedItem = {
      key,
      altKeys,
      title: ownString(title),
      url,
      text: ownString(text),
      published,
      publishedEstimated: !date,
    };
    const source = cap(titleText(item.source?.title), ITEM_LIMITS.source);
    if (source) out.sourceOutlet = ownString(source);
    const author = cap(titleText(item.author), ITEM_LIMITS.author);
    if (author) out.author = ownString(author);
    if (guid) out.guid = ownString(guid);
    return out;
  });
}
