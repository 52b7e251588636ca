// What the words of a command mean: countries (any language or alias), people and other
// entities, framing tags and outlets, with near-match suggestions for typos. Built once from
// plain inputs (vocabulary-from-data.ts adapts the gazetteer and the feeds); a value, no I/O.
//
// Alias syntax (every kind): words separated by spaces or punctuation ("color revolution",
// "global-times" = "global times"); a trailing `*` on a word matches any ending of at least the
// stem ("казахстан*" matches "казахстанский"; stems shorter than 3 characters are exact);
// an alias with Chinese characters matches as a substring (Chinese is written without spaces).
// Case, accents and apostrophes never matter (fold.ts).
import { COUNTRY_CODES, COUNTRY_NAMES, type CountryCode, type TagId } from '../core/types.js';
import { foldKey, foldWords, hasCjk, nearest, typoBudget, editDistance } from './fold.js';

export type TermKind = 'country' | 'tag' | 'outlet' | 'entity';

export interface Term {
  kind: TermKind;
  /** `KZ`, `color-revolution`, `rt`, `person:tokayev`. */
  id: string;
  /** English display name: `Kazakhstan`, `color-revolution`, `RT`, `Kassym-Jomart Tokayev`. */
  name: string;
}

export interface VocabularyInput {
  /** Aliases per country (the English name and the ISO code are always added). */
  countries: Partial<Record<CountryCode, string[]>>;
  /** People, places, organisations: `{id: 'person:tokayev', name: 'Kassym-Jomart Tokayev', aliases: ['tokayev*', 'токаев*']}`. */
  entities: { id: string; name: string; aliases: string[] }[];
  /** Framing tags with their labels (the id is always an alias). */
  tags: { id: TagId; labels: string[] }[];
  /** Outlets by slug and display name (both are aliases). */
  outlets: { id: string; name: string }[];
}

export interface ScanResult {
  /** Terms found, in the order of the text, each once. */
  terms: Term[];
  /** Words no alias covered (folded), in order. */
  rest: string[];
}

export interface QueryVocabulary {
  /** The term the whole of `value` names (an alias or an id), or null. */
  resolve(value: string, kinds?: readonly TermKind[]): Term | null;
  /** Every term in free text, longest alias first; uncovered words are returned as `rest`. */
  scan(text: string, kinds?: readonly TermKind[]): ScanResult;
  /** Near matches of a misspelt word or phrase (edit distance within a typo budget), nearest first. */
  suggest(text: string, kinds?: readonly TermKind[], limit?: number): Term[];
  /** The term with this id, or null. */
  get(kind: TermKind, id: string): Term | null;
  /** All terms of a kind. */
  all(kind: TermKind): readonly Term[];
  /** Words that find the term again in a query: `kazakhstan`, `color revolution`, `rt`, `tokayev`. */
  queryWords(term: Term): string;
}

/** Equal-length matches: a country beats a tag, a tag an outlet, an outlet another entity. */
const KIND_RANK: Record<TermKind, number> = { country: 0, tag: 1, outlet: 2, entity: 3 };
const MIN_STEM = 3;

interface Word {
  key: string;
  stem: boolean;
}
interface Alias {
  words: Word[];
  term: Term;
  /** Folded text of the alias without stem marks, for suggestions. */
  key: string;
  order: number;
}

function parseAlias(raw: string): Word[] {
  const out: Word[] = [];
  for (const piece of raw.trim().split(/\s+/)) {
    const stem = piece.endsWith('*');
    const parts = foldWords(stem ? piece.slice(0, -1) : piece);
    parts.forEach((key, i) => out.push({ key, stem: stem && i === parts.length - 1 && key.length >= MIN_STEM }));
  }
  return out;
}

function wordMatches(w: Word, token: string): boolean {
  return w.stem ? token.startsWith(w.key) : token === w.key;
}

export function buildVocabulary(input: VocabularyInput): QueryVocabulary {
  const terms = new Map<string, Term>();
  const byKind: Record<TermKind, Term[]> = { country: [], tag: [], outlet: [], entity: [] };
  const aliases: Alias[] = [];
  const cjk: { text: string; alias: Alias }[] = [];
  /** First word → aliases starting with it (exact first words). */
  const exactFirst = new Map<string, Alias[]>();
  /** First-word stem → aliases (stemmed first words), with the stem lengths in use. */
  const stemFirst = new Map<string, Alias[]>();
  const stemLens = new Set<number>();
  const idKeys = new Map<string, Term>();

  const tkey = (kind: TermKind, id: string) => `${kind}\u0000${id}`;
  const termFor = (kind: TermKind, id: string, name: string): Term => {
    const k = tkey(kind, id);
    let t = terms.get(k);
    if (!t) {
      t = { kind, id, name };
      terms.set(k, t);
      byKind[kind].push(t);
      idKeys.set(`${kind}:${id.toLowerCase()}`, t);
    }
    return t;
  };
  const addAlias = (term: Term, raw: string) => {
    if (!raw || !raw.trim()) return;
    if (hasCjk(raw)) {
      const text = foldKey(raw).replace(/\s+/g, '');
      if (text) cjk.push({ text, alias: { words: [], term, key: text, order: aliases.length } });
      return;
    }
    const words = parseAlias(raw);
    if (words.length === 0) return;
    const a: Alias = { words, term, key: words.map((w) => w.key).join(' '), order: aliases.length };
    aliases.push(a);
    const first = words[0]!;
    const map = first.stem ? stemFirst : exactFirst;
    const list = map.get(first.key) ?? [];
    list.push(a);
    map.set(first.key, list);
    if (first.stem) stemLens.add(first.key.length);
  };

  for (const cc of COUNTRY_CODES) {
    const t = termFor('country', cc, COUNTRY_NAMES[cc]);
    addAlias(t, cc);
    addAlias(t, COUNTRY_NAMES[cc]);
    for (const a of input.countries[cc] ?? []) addAlias(t, a);
  }
  for (const tag of input.tags) {
    const t = termFor('tag', tag.id, tag.id);
    addAlias(t, tag.id);
    for (const l of tag.labels) addAlias(t, l);
  }
  for (const o of input.outlets) {
    const t = termFor('outlet', o.id, o.name);
    addAlias(t, o.id);
    if (o.id.includes('-')) addAlias(t, o.id.replace(/-/g, ''));
    addAlias(t, o.name);
    const plain = o.name.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    if (plain && plain !== o.name) addAlias(t, plain);
  }
  for (const e of input.entities) {
    const t = termFor('entity', e.id, e.name);
    addAlias(t, e.name);
    addAlias(t, e.id.slice(e.id.indexOf(':') + 1));
    for (const a of e.aliases) addAlias(t, a);
  }
  cjk.sort((a, b) => b.text.length - a.text.length || a.alias.order - b.alias.order);
  const stemLensDesc = [...stemLens].sort((a, b) => b - a);

  const allowed = (kinds: readonly TermKind[] | undefined, t: Term) => !kinds || kinds.includes(t.kind);

  /** Aliases that could start at token i. */
  const startingAt = (tokens: string[], i: number): Alias[] => {
    const tok = tokens[i]!;
    const out = [...(exactFirst.get(tok) ?? [])];
    for (const len of stemLensDesc) {
      if (len > tok.length) continue;
      const l = stemFirst.get(tok.slice(0, len));
      if (l) out.push(...l);
    }
    return out;
  };
  const matchLen = (a: Alias, tokens: string[], i: number): number => {
    if (i + a.words.length > tokens.length) return 0;
    for (let j = 0; j < a.words.length; j++) if (!wordMatches(a.words[j]!, tokens[i + j]!)) return 0;
    return a.words.length;
  };

  const scan = (text: string, kinds?: readonly TermKind[]): ScanResult => {
    const found: { term: Term; pos: number }[] = [];
    let folded = foldKey(text);
    // Chinese first: substrings, longest first, each replaced by a space so words stay apart.
    if (hasCjk(folded)) {
      for (const c of cjk) {
        if (!allowed(kinds, c.alias.term)) continue;
        let at = folded.indexOf(c.text);
        while (at >= 0) {
          found.push({ term: c.alias.term, pos: at });
          folded = `${folded.slice(0, at)} ${' '.repeat(c.text.length - 1)}${folded.slice(at + c.text.length)}`;
          at = folded.indexOf(c.text);
        }
      }
    }
    const tokens = folded.split(/\s+/).filter(Boolean);
    // Terms come out Chinese hits first (by offset), then word hits in the order of the words.
    const rest: string[] = [];
    let i = 0;
    while (i < tokens.length) {
      let best: Alias | null = null;
      let bestLen = 0;
      for (const a of startingAt(tokens, i)) {
        if (!allowed(kinds, a.term)) continue;
        const len = matchLen(a, tokens, i);
        if (len === 0) continue;
        if (
          len > bestLen ||
          (len === bestLen && best && (KIND_RANK[a.term.kind] < KIND_RANK[best.term.kind] || (KIND_RANK[a.term.kind] === KIND_RANK[best.term.kind] && a.order < best.order)))
        ) {
          best = a;
          bestLen = len;
        }
      }
      if (best) {
        found.push({ term: best.term, pos: folded.length + i });
        i += bestLen;
      } else {
        rest.push(tokens[i]!);
        i += 1;
      }
    }
    found.sort((a, b) => a.pos - b.pos);
    const seen = new Set<Term>();
    const out: Term[] = [];
    for (const f of found) if (!seen.has(f.term)) (seen.add(f.term), out.push(f.term));
    return { terms: out, rest };
  };

  const resolve = (value: string, kinds?: readonly TermKind[]): Term | null => {
    const v = value.trim();
    if (!v) return null;
    for (const k of kinds ?? (['country', 'tag', 'outlet', 'entity'] as const)) {
      const byId = idKeys.get(`${k}:${v.toLowerCase()}`);
      if (byId) return byId;
    }
    const r = scan(v, kinds);
    return r.terms.length === 1 && r.rest.length === 0 ? r.terms[0]! : null;
  };

  const suggest = (text: string, kinds?: readonly TermKind[], limit = 3): Term[] => {
    const word = foldKey(text);
    if (!word) return [];
    const budget = typoBudget(word.replace(/\s/g, '').length);
    const best = new Map<Term, number>();
    const consider = (t: Term, d: number) => {
      const prev = best.get(t);
      if (prev === undefined || d < prev) best.set(t, d);
    };
    if (hasCjk(word)) {
      for (const c of cjk) if (allowed(kinds, c.alias.term) && (c.text.includes(word) || word.includes(c.text))) consider(c.alias.term, 1);
    } else if (budget > 0) {
      const candidates: { key: string; value: Term }[] = [];
      for (const a of aliases) {
        if (!allowed(kinds, a.term)) continue;
        const last = a.words[a.words.length - 1]!;
        candidates.push({ key: a.key, value: a.term });
        // A stemmed alias also stands for the stem plus the rest of the typed word.
        if (last.stem && word.length > a.key.length && word.startsWith(a.key.slice(0, 2))) {
          const d = editDistance(word.slice(0, a.key.length), a.key, budget);
          if (d > 0 && d <= budget) consider(a.term, d);
        }
      }
      for (const n of nearest(word, candidates, 50)) consider(n.value, n.distance);
    }
    return [...best.entries()]
      .sort((a, b) => a[1] - b[1] || KIND_RANK[a[0].kind] - KIND_RANK[b[0].kind])
      .slice(0, limit)
      .map(([t]) => t);
  };

  const get = (kind: TermKind, id: string) => idKeys.get(`${kind}:${id.toLowerCase()}`) ?? null;

  const queryWords = (t: Term): string => {
    switch (t.kind) {
      case 'country':
        return t.name.toLowerCase();
      case 'tag':
        return t.id.replace(/-/g, ' ');
      case 'outlet':
        return t.id;
      case 'entity':
        return t.id.slice(t.id.indexOf(':') + 1).replace(/-/g, ' ');
    }
  };

  return { resolve, scan, suggest, get, all: (k) => byKind[k], queryWords };
}

/** `Kazakhstan (KZ)`, `color-revolution`, `RT (rt)`, `Kassym-Jomart Tokayev`: a suggestion as people read it. */
export function termLabel(t: Term): string {
  if (t.kind === 'country') return `${t.name} (${t.id})`;
  if (t.kind === 'outlet') return t.name.toLowerCase() === t.id ? t.name : `${t.name} (${t.id})`;
  return t.name;
}
