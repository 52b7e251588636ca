// Queries kept in records (subscriptions): stored as formatQuery prints a resolved query — field
// values by id (`countries:KZ`, `outlets:rt`, `entities:person:tokayev`), words folded — so they
// read back without the vocabulary of the day they were typed: a name the vocabulary learns or
// forgets later does not change what a stored query means. `readStoredQuery` reads them with
// ID_LEXICON, which knows ids only (every bare word stays a word).
import { COUNTRY_CODES, TAG_IDS } from '../types.js';
import type { QueryNode, QueryTerm, TermKind } from './ast.js';
import { formatQuery } from './format.js';
import { parseQuery } from './parse.js';
import { resolveQuery, type QueryLexicon, type ResolvedQuery } from './resolve.js';

const COUNTRIES = new Set<string>(COUNTRY_CODES);
const TAGS = new Set<string>(TAG_IDS);

/** A lexicon of ids: `KZ`, `color-revolution`, `rt`, `person:tokayev`; no names, no bare-word terms. */
export const ID_LEXICON: QueryLexicon = {
  scan(text) {
    return { terms: [], rest: text.split(/\s+/u).filter(Boolean) };
  },
  resolve(value, kinds?: readonly TermKind[]): QueryTerm | null {
    const v = value.trim();
    const want = (k: TermKind) => !kinds || kinds.includes(k);
    if (want('country') && COUNTRIES.has(v.toUpperCase())) return { kind: 'country', id: v.toUpperCase(), name: v.toUpperCase() };
    if (want('tag') && TAGS.has(v.toLowerCase())) return { kind: 'tag', id: v.toLowerCase(), name: v.toLowerCase() };
    if (want('outlet') && /^[a-z0-9][a-z0-9-]*$/i.test(v)) return { kind: 'outlet', id: v.toLowerCase(), name: v.toLowerCase() };
    if (want('entity') && /^[a-z]+:[\p{L}\p{N}_-]+$/iu.test(v)) return { kind: 'entity', id: v, name: v };
    return null;
  },
};

/** Every word quoted, so that no stored word reads back as something else (`30` as a window). */
function quoteWords(n: QueryNode): QueryNode {
  switch (n.kind) {
    case 'and':
    case 'or':
      return { ...n, children: n.children.map(quoteWords) };
    case 'not':
      return { ...n, child: quoteWords(n.child) };
    case 'text':
      return { ...n, quoted: true };
    default:
      return n;
  }
}

/** The text to store for a resolved query (null root: the empty query, ''). */
export function storedQueryText(root: QueryNode | null): string {
  return root ? formatQuery(quoteWords(root)) : '';
}

/** A stored query read back, ready for matchQuery. Throws QueryError if the text is not one. */
export function readStoredQuery(text: string): ResolvedQuery {
  return resolveQuery(parseQuery(text), ID_LEXICON);
}
