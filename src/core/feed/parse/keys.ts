// Article keys: short, Redis-safe identities of an item, stable across polls.
// Format `<kind>:<sha1 hex>` (42 characters), kind one of
//   g  a stable guid, scoped by outlet (two outlets may both number their items "1234")
//   u  a canonical link (scheme and www. left out, see linkKeyMaterial)
//   t  normalised title + outlet (secondary only)
//   h  hash of title + published date (only when the item has neither guid nor link)
//   c  hash of the body text (no title either)
import { hash } from 'node:crypto';
import { linkKeyMaterial } from './canonical-url.js';

export type KeyKind = 'g' | 'u' | 't' | 'h' | 'c';

export function hashKey(kind: KeyKind, material: string): string {
  // crypto.hash (Node ≥ 20.12): one call, no Hash object; ~4 × less CPU than createHash for a key's few bytes.
  return `${kind}:${hash('sha1', material, 'hex')}`;
}

/** The key of a canonical link. */
export function linkKey(canonical: string): string {
  return hashKey('u', linkKeyMaterial(canonical));
}

const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * A title reduced to what survives republishing: case, punctuation, quotes, dashes and spacing
 * ignored (NFKC, so full-width forms match too).
 */
export function normaliseTitle(title: string): string {
  // Printable ASCII (most titles of most feeds): NFKC leaves it as it is, and once lower-cased its
  // letters and digits are [a-z0-9]: the same result without NFKC and Unicode property classes.
  if (PRINTABLE_ASCII.test(title)) return title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The outlet-scoped title key, or null when the title is too short to identify an article:
 * "News", "Погода" or "Live" recur every day and must not suppress each other for 90 days.
 */
export function titleKey(outletId: string, title: string): string | null {
  const norm = normaliseTitle(title);
  // normaliseTitle leaves words between single spaces, trimmed: its words are its spaces + 1
  // (counted, no array of words), its letters and digits the rest.
  let spaces = 0;
  for (let i = norm.indexOf(' '); i >= 0; i = norm.indexOf(' ', i + 1)) spaces++;
  const words = norm ? spaces + 1 : 0;
  // Each test only when the one before fails (most titles have four words).
  const enough =
    words >= 4 ||
    norm.length - spaces >= 16 ||
    // CJK titles have no spaces: count characters instead (eight Han characters make a headline).
    (!PRINTABLE_ASCII.test(norm) && (norm.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length >= 8);
  return enough ? hashKey('t', `${outletId}\n${norm}`) : null;
}

export interface GuidContext {
  feedUrl: string;
  feedLink?: string | null;
  /** How many items of this fetch carry each guid. */
  guidCounts: ReadonlyMap<string, number>;
}

/**
 * Whether a guid identifies one article for good. Not when it is empty, a trivially short id
 * ("1", "42"), the feed's own URL or home page (templates that print the channel link), or
 * shared by several items of the same fetch.
 */
export function isStableGuid(guid: string | null | undefined, ctx: GuidContext): guid is string {
  if (!guid) return false;
  const g = guid.trim();
  if (g.length < 4) return false;
  if ((ctx.guidCounts.get(g) ?? 0) > 1) return false;
  const same = (u: string | null | undefined) => !!u && u.trim().replace(/\/+$/, '') === g.replace(/\/+$/, '');
  if (same(ctx.feedUrl) || same(ctx.feedLink)) return false;
  return true;
}

export function guidKey(outletId: string, guid: string): string {
  return hashKey('g', `${outletId}\n${guid.trim()}`);
}
