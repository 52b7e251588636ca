// Reading a parsed query with a vocabulary: bare words become the countries, tags, outlets and
// people they name (several words can be one name: "color revolution", "Global Times"), a
// window, and words left over; field values become ids. Pure: the vocabulary is a value.
//
// Bare words side by side that name terms of the same kind mean either ("kazakhstan uzbekistan"
// = stories about either, as /story has always read them); terms of different kinds and
// leftover words must all match. `kazakhstan AND uzbekistan` asks for both.
import { type QueryNode, type QueryTerm, type TermKind, type TextNode, QueryError } from './ast.js';
import { foldWords } from './fold.js';
import type { ParsedQuery } from './parse.js';
import { textNode } from './parse.js';
import { windowAt, windowValue } from './window.js';

/** What resolve needs of a vocabulary (src/commands/vocabulary.ts's QueryVocabulary has it). */
export interface QueryLexicon {
  /** Every term in free text; uncovered words (folded) are returned as `rest`. */
  scan(text: string, kinds?: readonly TermKind[]): { terms: QueryTerm[]; rest: string[] };
  /** The term the whole of `value` names (an alias or an id), or null. */
  resolve(value: string, kinds?: readonly TermKind[]): QueryTerm | null;
  /** Near matches of a misspelt value, nearest first. */
  suggest?(text: string, kinds?: readonly TermKind[], limit?: number): QueryTerm[];
}

export interface ResolvedQuery {
  /** No `words` nodes and no `days` fields left; null when the query names nothing. */
  root: QueryNode | null;
  /** The window the query names (the first one), in hours, or null. */
  windowHours: number | null;
  /** Vocabulary terms the query names, in order, each once. */
  terms: QueryTerm[];
  /** Bare words no term covered (folded, without filler), in order. */
  words: string[];
  /** Only bare words and a window: the query /story has always taken. */
  plain: boolean;
}

const FIELD_KIND: Partial<Record<string, TermKind>> = { countries: 'country', tags: 'tag', outlets: 'outlet', entities: 'entity' };
const KIND_FIELD: Record<TermKind, 'countries' | 'tags' | 'outlets' | 'entities'> = { country: 'countries', tag: 'tags', outlet: 'outlets', entity: 'entities' };
const AFFILIATION = /^(state|public):([a-z]{2})$|^(independent|unknown|state|public)$/i;

function unquote(v: string): { text: string; quoted: boolean } {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? { text: v.slice(1, -1), quoted: true } : { text: v, quoted: false };
}

function and(nodes: QueryNode[]): QueryNode | null {
  const flat = nodes.flatMap((n) => (n.kind === 'and' ? n.children : [n]));
  if (flat.length === 0) return null;
  return flat.length === 1 ? flat[0]! : { kind: 'and', children: flat };
}

export function resolveQuery(parsed: ParsedQuery, lexicon: QueryLexicon, o: { filler?: ReadonlySet<string> } = {}): ResolvedQuery {
  let windowHours: number | null = null;
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const words: string[] = [];
  /** The first bare word with no letter or digit (`😀`, `—`), and whether filler words were dropped. */
  let blank: { text: string; pos: number } | null = null;
  let filler = false;
  const note = (t: QueryTerm) => {
    const k = `${t.kind}:${t.id}`;
    if (!seen.has(k)) (seen.add(k), terms.push(t));
  };
  const setWindow = (hours: number, pos: number, raw: string, top: boolean) => {
    if (!top) throw new QueryError(`a window such as 30d is for the whole query, not inside OR, NOT or NEAR: "${raw}" at ${pos}`, pos);
    windowHours ??= hours;
  };

  const suggestion = (value: string, kind: TermKind) => {
    const s = lexicon.suggest?.(value, [kind], 1)[0];
    return s ? `; did you mean ${kind === 'country' ? s.id : s.id}?` : '';
  };

  function walk(node: QueryNode, top: boolean): QueryNode | null {
    switch (node.kind) {
      case 'and':
        return and(node.children.map((c) => walk(c, top)).filter((c): c is QueryNode => c !== null));
      case 'or': {
        const kids = node.children.map((c) => walk(c, false));
        // An alternative that names nothing ("the OR kz") matches everything.
        if (kids.some((k) => k === null)) return null;
        return { kind: 'or', children: kids as QueryNode[] };
      }
      case 'not': {
        const child = walk(node.child, false);
        return child ? { ...node, child } : null;
      }
      case 'text':
      case 'near':
        return node;
      case 'words': {
        // Fold each word (a word may fold to several: "days:30", "Nur-Sultan"), keeping where it was.
        const folded: { w: string; pos: number; raw: string }[] = [];
        for (const rw of node.words) {
          const ws = foldWords(rw.text);
          if (ws.length === 0) blank ??= { text: rw.text, pos: rw.pos };
          for (const w of ws) folded.push({ w, pos: rw.pos, raw: rw.text });
        }
        const kept: string[] = [];
        for (let i = 0; i < folded.length; ) {
          const win = windowAt(
            folded.map((f) => f.w),
            i,
          );
          if (win && win.hours > 0) {
            setWindow(win.hours, folded[i]!.pos, folded[i]!.raw, top);
            i += win.used;
            continue;
          }
          kept.push(folded[i]!.w);
          i++;
        }
        const scan = lexicon.scan(kept.join(' '));
        const out: QueryNode[] = [];
        const byKind = new Map<TermKind, QueryTerm[]>();
        for (const t of scan.terms) {
          note(t);
          byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
        }
        const pos = node.words[0]!.pos;
        for (const [kind, ts] of byKind) out.push({ kind: 'field', field: KIND_FIELD[kind], values: ts.map((t) => t.id), terms: ts, pos });
        for (const w of scan.rest) {
          if (o.filler?.has(w)) {
            filler = true;
            continue;
          }
          words.push(w);
          out.push({ kind: 'text', words: [{ key: w, prefix: false }], pos, quoted: false, raw: w });
        }
        return and(out);
      }
      case 'field': {
        const { field, pos } = node;
        const raw = `${field}:${node.values.join(',')}`;
        if ((field as string) === 'days') {
          const hours = windowValue(unquote(node.values[0] ?? '').text);
          if (hours === null || hours <= 0 || node.values.length > 1) throw new QueryError(`days: takes a number of days or a window like 30d: "${raw}" at ${pos}`, pos);
          setWindow(hours, pos, raw, top);
          return null;
        }
        const kind = FIELD_KIND[field];
        if (kind) {
          const ids: string[] = [];
          const ts: QueryTerm[] = [];
          const asText: TextNode[] = [];
          for (const v of node.values) {
            const { text } = unquote(v);
            const t = lexicon.resolve(text, [kind]);
            if (t) {
              note(t);
              ts.push(t);
              if (!ids.includes(t.id)) ids.push(t.id);
              continue;
            }
            if (kind === 'outlet' && /^[a-z0-9][a-z0-9-]*$/i.test(text)) {
              // An outlet no feed names now (removed feeds' stories stay): its id as typed.
              const id = text.toLowerCase();
              const t = { kind: 'outlet' as const, id, name: id };
              note(t);
              ts.push(t);
              if (!ids.includes(id)) ids.push(id);
              continue;
            }
            if (kind === 'entity') {
              asText.push(textNode(text, pos, true));
              continue;
            }
            const what = kind === 'country' ? 'Central Asian country' : kind === 'tag' ? 'framing tag' : 'outlet';
            throw new QueryError(`no ${what} "${text}" (${raw} at ${pos})${suggestion(text, kind)}`, pos);
          }
          const fieldNode: QueryNode | null = ids.length ? { kind: 'field', field, values: ids, pos, terms: ts } : null;
          const alts: QueryNode[] = [...(fieldNode ? [fieldNode] : []), ...asText];
          return alts.length === 1 ? alts[0]! : { kind: 'or', children: alts };
        }
        if (field === 'affiliations') {
          const values = node.values.map((v) => unquote(v).text.trim());
          for (const v of values) {
            if (!AFFILIATION.test(v)) throw new QueryError(`affiliations: takes state:<CC>, public:<CC>, independent or unknown, not "${v}" (at ${pos})`, pos);
          }
          return { kind: 'field', field, values: values.map((v) => (v.includes(':') ? `${v.slice(0, v.indexOf(':')).toLowerCase()}:${v.slice(v.indexOf(':') + 1).toUpperCase()}` : v.toLowerCase())), pos };
        }
        if (field === 'keywords') {
          const alts = node.values.map((v) => {
            const u = unquote(v);
            return textNode(u.text, pos, u.quoted || /\s/.test(u.text), v);
          });
          return alts.length === 1 ? alts[0]! : { kind: 'or', children: alts };
        }
        // story:<id>
        return { kind: 'field', field, values: node.values.map((v) => unquote(v).text.trim()), pos };
      }
    }
  }

  const root = parsed.root ? walk(parsed.root, true) : null;
  // A query of symbols only (an emoji, a dash) would otherwise mean "everything": say instead
  // that there is nothing to search. (Filler words alone, like "the", still mean everything.)
  const b = blank as { text: string; pos: number } | null;
  if (parsed.root && !root && b && windowHours === null && terms.length === 0 && words.length === 0 && !filler) {
    throw new QueryError(`nothing to search in "${b.text.length > 30 ? `${b.text.slice(0, 29)}…` : b.text}" at ${b.pos}: words need letters or digits`, b.pos);
  }
  return { root, windowHours, terms, words, plain: parsed.plain };
}
