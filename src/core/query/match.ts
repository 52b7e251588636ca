// Testing a resolved query against one story or article (a QueryDocument). Linear in the text:
// the document's texts are split into sentences and tokenised once (src/core/text), on first
// need; each text node is one pass over the tokens (a query has at most QUERY_LIMITS.maxTerms
// of them), NEAR one more pass over the two nodes' hits. No regular expression comes from the
// user: words are compared as folded keys (equal, same stem, a prefix, or for Chinese a part of
// the token, since Chinese is written without spaces).
import type { AnalysisResult, Article, Story } from '../types.js';
import { stem } from '../story/text.js';
import { pureWeakMemo } from '../memo.js';
import { splitSentences } from '../text/sentences.js';
import { tokenize } from '../text/tokenize.js';
import type { QueryNode, TextNode, TextWord } from './ast.js';
import { foldKey, hasCjk } from './fold.js';

/** What a query can be tested against: a story, or one article with its analysis. */
export interface QueryDocument {
  /** The story's id (for `story:<id>`). */
  id: string;
  /** Ids of stories merged into it, which `story:<id>` also names (core/story/merge.ts). */
  aliases?: readonly string[];
  countries: readonly string[];
  tags: readonly string[];
  outletIds: readonly string[];
  affiliations: readonly string[];
  entityIds: readonly string[];
  /** Headline, titles, summary: what words and phrases are looked for in. */
  texts: readonly string[];
  /** Language for sentence splitting ('und' when unknown). */
  lang?: string;
}

// Frozen stories (the search path's shared records, adapters/redis/story-read-cache.ts) give one
// frozen document each, built once: with the text index kept per frozen document (matchQuery),
// a query with operators tests each story without rebuilding either.
const frozenDocument = pureWeakMemo((s: Story): QueryDocument => freezeDocument(buildStoryDocument(s)));

/** A story as a document: every outlet's tags, affiliations and title; the headline and summary. Frozen, and built once, for a frozen story. */
export function storyDocument(s: Story): QueryDocument {
  return Object.isFrozen(s) ? frozenDocument(s) : buildStoryDocument(s);
}

function freezeDocument(d: QueryDocument): QueryDocument {
  for (const v of Object.values(d)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(d);
}

function buildStoryDocument(s: Story): QueryDocument {
  const tags = new Set<string>();
  for (const o of s.outlets) for (const f of o.framings) tags.add(f.tag);
  return {
    id: s.id,
    ...(s.mergedIds?.length ? { aliases: s.mergedIds } : {}),
    countries: s.countries,
    tags: [...tags],
    outletIds: s.outlets.map((o) => o.outletId),
    affiliations: [...new Set(s.outlets.map((o) => o.affiliation))],
    entityIds: s.entities,
    texts: [s.headline, ...s.outlets.map((o) => o.title), s.summary].filter((t) => typeof t === 'string' && t.length > 0),
  };
}

/** One analysed article as a document (for subscriptions and export): its own fields and title, summary and text. */
export function articleDocument(a: Pick<Article, 'id' | 'outletId' | 'affiliation' | 'title' | 'text'>, analysis: AnalysisResult, storyId?: string): QueryDocument {
  return {
    id: storyId ?? a.id,
    countries: analysis.countries,
    tags: analysis.framings.map((f) => f.tag),
    outletIds: [a.outletId],
    affiliations: [a.affiliation],
    entityIds: analysis.entities.map((e) => e.id),
    texts: [a.title || analysis.title, analysis.summary, a.text].filter((t) => typeof t === 'string' && t.length > 0),
    lang: analysis.language,
  };
}

/** The document's words: folded keys in order, and the sentence each is in. */
interface TextIndex {
  keys: string[];
  stems: (string | undefined)[];
  /** For each token, the index one past the last token of its sentence. */
  sentenceEnd: Int32Array;
  /** For each token, the index of the first token of its sentence. */
  sentenceStart: Int32Array;
}

function buildIndex(doc: QueryDocument): TextIndex {
  const keys: string[] = [];
  const starts: number[] = [];
  for (const text of doc.texts) {
    for (const s of splitSentences(text, doc.lang ?? 'en')) {
      const first = keys.length;
      const t = tokenize(s.text);
      for (let i = 0; i < t.length; i++) {
        const k = foldKey(s.text.slice(t.start[i]!, t.end[i]!));
        if (k) keys.push(k.replace(/ /g, ''));
      }
      for (let i = first; i < keys.length; i++) starts.push(first);
    }
  }
  const sentenceStart = Int32Array.from(starts);
  const sentenceEnd = new Int32Array(keys.length);
  for (let i = keys.length - 1; i >= 0; i--) sentenceEnd[i] = i + 1 < keys.length && sentenceStart[i + 1] === sentenceStart[i] ? sentenceEnd[i + 1]! : i + 1;
  return { keys, stems: new Array(keys.length), sentenceEnd, sentenceStart };
}

const LATIN_OR_CYRILLIC = /^[\p{Script=Latin}\p{Script=Cyrillic}]+$/u;

function stemOf(ix: TextIndex, i: number): string {
  let s = ix.stems[i];
  if (s === undefined) s = ix.stems[i] = stem(ix.keys[i]!);
  return s;
}

function wordMatches(w: TextWord, ix: TextIndex, i: number, wStem: string | null): boolean {
  const k = ix.keys[i]!;
  if (w.prefix) return k.startsWith(w.key);
  if (k === w.key) return true;
  if (wStem !== null && stemOf(ix, i) === wStem) return true;
  return wStem === null && hasCjk(w.key) && k.includes(w.key);
}

/** Stems for the words that are compared by stem (Latin and Cyrillic words of 4 letters or more). */
function stemsOf(n: TextNode): (string | null)[] {
  return n.words.map((w) => (!w.prefix && w.key.length >= 4 && LATIN_OR_CYRILLIC.test(w.key) ? stem(w.key) : null));
}

/** Where the text node starts in the document, in order (each hit is words.length tokens). */
function hits(n: TextNode, ix: TextIndex, firstOnly: boolean): number[] {
  const out: number[] = [];
  const stems = stemsOf(n);
  const len = n.words.length;
  outer: for (let i = 0; i < ix.keys.length; i++) {
    if (i + len > ix.sentenceEnd[i]!) continue;
    for (let j = 0; j < len; j++) if (!wordMatches(n.words[j]!, ix, i + j, stems[j]!)) continue outer;
    out.push(i);
    if (firstOnly) break;
  }
  return out;
}

/** `a NEAR/n b`: a hit of each in one sentence with at most n − 1 words between them. */
function nearMatches(a: TextNode, b: TextNode, n: number, ix: TextIndex): boolean {
  const ha = hits(a, ix, false);
  if (ha.length === 0) return false;
  const hb = hits(b, ix, false);
  const la = a.words.length;
  const lb = b.words.length;
  let j = 0;
  for (const s of ha) {
    // b may start from n + lb − 1 tokens before a to n tokens after a's end, within a's sentence.
    const lo = Math.max(s - n - (lb - 1), ix.sentenceStart[s]!);
    const hi = Math.min(s + la - 1 + n, ix.sentenceEnd[s]! - lb);
    while (j < hb.length && hb[j]! < lo) j++;
    // Both bounds only grow with s, so j never moves back: one pass over both lists.
    for (let k = j; k < hb.length && hb[k]! <= hi; k++) {
      const t = hb[k]!;
      // The two must not be the same words (`tokayev NEAR/3 tokay*`).
      if (t + lb - 1 < s || t > s + la - 1) return true;
    }
  }
  return false;
}

// The text index of a frozen document, kept while the document lives: the search path tests the
// same shared story documents (commands/story.ts) query after query. A document that is not
// frozen may still change, so its index is built per call.
const frozenIndex = pureWeakMemo(buildIndex);

function indexOf(doc: QueryDocument): TextIndex {
  return Object.isFrozen(doc) ? frozenIndex(doc) : buildIndex(doc);
}

/** A query tested against documents; the text index of each is built once, on first need (once per frozen document). */
export function matchQuery(root: QueryNode | null, doc: QueryDocument): boolean {
  if (!root) return true;
  let ix: TextIndex | null = null;
  const index = () => (ix ??= indexOf(doc));
  const anyOf = (have: readonly string[], want: readonly string[]) => want.some((w) => have.includes(w));
  const test = (n: QueryNode): boolean => {
    switch (n.kind) {
      case 'and':
        return n.children.every(test);
      case 'or':
        return n.children.some(test);
      case 'not':
        return !test(n.child);
      case 'text':
        return hits(n, index(), true).length > 0;
      case 'near':
        return nearMatches(n.a, n.b, n.distance, index());
      case 'words':
        throw new Error('matchQuery: resolve the query first (resolveQuery)');
      case 'field':
        switch (n.field) {
          case 'countries':
            return anyOf(doc.countries, n.values);
          case 'tags':
            return anyOf(doc.tags, n.values);
          case 'outlets':
            return anyOf(doc.outletIds, n.values);
          case 'entities':
            return anyOf(doc.entityIds, n.values);
          case 'story':
            return n.values.includes(doc.id) || (doc.aliases?.some((a) => n.values.includes(a)) ?? false);
          case 'affiliations':
            // `state` alone is any state's outlet.
            return n.values.some((v) => doc.affiliations.some((a) => a === v || (!v.includes(':') && a.startsWith(`${v}:`))));
          case 'keywords':
            return true; // resolveQuery turns keywords into text nodes
        }
    }
  };
  return test(root);
}
