// Compares what steppewatch made of a corpus document with what the document's source expects.
import { canonicalLink } from '../../src/core/feed/parse/canonical-url.js';
import { parseFeedDate } from '../../src/core/feed/parse/dates.js';
import { titleText } from '../../src/core/feed/parse/html-text.js';
import type { ParsedFeed } from '../../src/core/feed/parse/types.js';
import type { NormalisedItem } from '../../src/core/types.js';
import type { Check, CheckKind } from './expectations.js';

export interface CheckResult {
  check: Check;
  pass: boolean;
  actual: string | number | null;
}

const seconds = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : null);

export function evaluate(
  checks: Check[],
  result: { feed: ParsedFeed; items: NormalisedItem[] } | null,
  docUrl: string,
): CheckResult[] {
  return checks.map((check) => {
    if (!result) return { check, pass: false, actual: null };
    const { feed, items } = result;
    const item = check.index !== undefined ? items[check.index] : undefined;
    const parsedItem = check.index !== undefined ? feed.items[check.index] : undefined;
    let actual: string | number | null = null;
    let expected: string | number | null = check.expected;
    switch (check.kind) {
      case 'count':
        actual = items.length;
        break;
      case 'feedTitle':
        actual = titleText(feed.title);
        expected = titleText(String(check.expected ?? ''));
        break;
      case 'title':
        actual = item ? item.title : null;
        expected = titleText(String(check.expected ?? ''));
        break;
      case 'link':
        actual = item ? item.url : null;
        expected = canonicalLink(String(check.expected ?? ''), docUrl);
        break;
      case 'date': {
        expected = seconds(parseFeedDate(String(check.expected ?? ''))?.toISOString());
        if (!item || !parsedItem) break;
        if (check.dateField === 'updated') {
          actual = seconds(parseFeedDate(parsedItem.updated ?? parsedItem.published)?.toISOString());
          // feedparser falls back to the publication date when there is no update date
          if (actual === null && !item.publishedEstimated) actual = seconds(item.published);
        } else {
          actual = item.publishedEstimated ? null : seconds(item.published);
        }
        break;
      }
    }
    let pass = actual === expected;
    // A plain-text title may legitimately contain "<blink>": accept the literal reading too.
    if (!pass && check.kind === 'title' && typeof check.expected === 'string') {
      pass = actual === check.expected.replace(/\s+/g, ' ').trim();
    }
    // A relative expected link (the source did not resolve xml:base): compare the path.
    if (!pass && check.kind === 'link' && typeof check.expected === 'string' && check.expected.startsWith('/')) {
      pass = typeof actual === 'string' && actual.endsWith(check.expected);
    }
    return { check, pass, actual };
  });
}

export function tally(results: CheckResult[]): Record<CheckKind | 'all', { pass: number; total: number }> {
  const t = {} as Record<CheckKind | 'all', { pass: number; total: number }>;
  for (const r of results) {
    for (const k of [r.check.kind, 'all'] as const) {
      t[k] ??= { pass: 0, total: 0 };
      t[k].total++;
      if (r.pass) t[k].pass++;
    }
  }
  return t;
}
