// JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) → ParsedFeed.
import type { ParsedFeed, ParsedItem } from './types.js';

export type JsonFeedResult =
  | { ok: true; feed: ParsedFeed }
  | { ok: false; code: 'parse_error' | 'not_a_feed'; message: string };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function authorName(item: Record<string, unknown>): string | null {
  // 1.1 has `authors`, 1.0 had `author`.
  const authors = Array.isArray(item.authors) ? item.authors : item.author ? [item.author] : [];
  const names = authors.map((a) => str(obj(a)?.name)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

export function parseJsonFeed(text: string): JsonFeedResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'parse_error', message: `invalid JSON: ${(e as Error).message}` };
  }
  const root = obj(doc);
  const version = str(root?.version) ?? '';
  // The version URL is required by the spec, but feeds written as "1.0"/"1.1" or without one
  // exist; an object with an `items` array and a title or home page is read as a JSON Feed too.
  const versioned = /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/.test(version.trim());
  const shaped =
    !!root &&
    Array.isArray(root.items) &&
    (/^1(\.\d+)?$/.test(version.trim()) || typeof root.title === 'string' || typeof root.home_page_url === 'string' || typeof root.feed_url === 'string');
  if (!root || !(versioned || shaped)) {
    return { ok: false, code: 'not_a_feed', message: 'a JSON document that is not a JSON Feed (no jsonfeed.org version)' };
  }
  const rawItems = Array.isArray(root.items) ? root.items : [];
  const base = str(root.feed_url) ?? str(root.home_page_url);
  const items: ParsedItem[] = rawItems.map((raw) => {
    const it = obj(raw) ?? {};
    const id = str(it.id);
    return {
      title: str(it.title),
      titleIsHtml: false,
      link: str(it.url) ?? str(it.external_url),
      guid: id,
      // JSON Feed ids are opaque: never a permalink unless `url` says so.
      guidIsPermaLink: false,
      published: str(it.date_published),
      updated: str(it.date_modified),
      content: str(it.content_html) ?? str(it.content_text),
      summary: str(it.summary),
      author: authorName(it) ?? authorName(root),
      base,
    };
  });
  return {
    ok: true,
    feed: { format: 'json', title: str(root.title), link: str(root.home_page_url), base, items },
  };
}
