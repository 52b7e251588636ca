// The query language's parser: text → QueryNode (ast.ts). Pure; bounded cost (QUERY_LIMITS).
//
// Grammar (precedence NOT > AND > OR; words side by side are ANDed):
//   query   := or?
//   or      := and ( "OR" and )*
//   and     := unary ( "AND"? unary )*
//   unary   := ("NOT" | "-") unary | near
//   near    := primary ( "NEAR/" n primary )?         (both sides words or phrases)
//   primary := "(" or ")" | field | "\"phrase\"" | word | word"*"
//   field   := name ":" value ( "," value )*           (value: word or "quoted words")
// Operators are upper case (`and`, `or`, `not` in lower case are words, as in "news and
// analysis"). Bare words in a row stay together (a `words` node) so the vocabulary can read
// names of several words ("color revolution", "Global Times") and windows ("30 days").
//
// Written by hand, on purpose: the Lucene-style parser packages on npm (liqe, lucene) have no
// NEAR/n, no comma lists in field values and no curly quotes, and liqe accepts user regular
// expressions, which this language must refuse; a parser toolkit (chevrotain) would need the
// lexer below written anyway (quotes, Unicode words, positions) for a grammar of five rules.
// Every loop here advances over the text or the token list, so parsing is linear in the query,
// and recursion is bounded by QUERY_LIMITS.maxDepth.
import { type Field, type QueryNode, type RawWord, type TextNode, type TextWord, QUERY_LIMITS, QueryError } from './ast.js';
import { foldWords, hasCjk } from './fold.js';

/** Every spelling of a field name, singular and plural, to the field. */
export const FIELD_NAMES: Readonly<Record<string, Field>> = {
  countries: 'countries',
  country: 'countries',
  tags: 'tags',
  tag: 'tags',
  framing: 'tags',
  framings: 'tags',
  outlets: 'outlets',
  outlet: 'outlets',
  source: 'outlets',
  sources: 'outlets',
  affiliations: 'affiliations',
  affiliation: 'affiliations',
  keywords: 'keywords',
  keyword: 'keywords',
  entities: 'entities',
  entity: 'entities',
  people: 'entities',
  person: 'entities',
  story: 'story',
  stories: 'story',
  days: 'days',
  day: 'days',
  window: 'days',
};

export interface ParsedQuery {
  /** Null for an empty query (the region's top stories). */
  root: QueryNode | null;
  /** Only bare words (and `days:`): no operators, parentheses, quotes, wildcards or fields. */
  plain: boolean;
}

type Tok =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT'; pos: number; raw: string }
  | { t: 'NEAR'; n: number; pos: number; raw: string }
  | { t: 'field'; field: Field; values: { text: string; quoted: boolean }[]; pos: number; raw: string }
  | { t: 'phrase'; text: string; pos: number; raw: string }
  | { t: 'word'; text: string; pos: number; raw: string };

/** Closing quotes for each opening one (chat clients turn "…" into “…” or „…“; French «…»). */
const QUOTES: Record<string, string> = { '"': '"”“', '“': '”"“', '”': '”"', '„': '“”"', '«': '»' };
const SPACE = /\s/u;

/** A value to show in "needs a value, like …" for each field. */
const VALUE_EXAMPLE: Record<Field, string> = {
  countries: 'KZ',
  tags: 'color-revolution',
  outlets: 'rt',
  affiliations: 'state:RU',
  keywords: '"Rogun dam"',
  entities: 'tokayev',
  story: 's-821d3e02872c',
  days: '30',
};

function shown(raw: string): string {
  return raw.length > 30 ? `${raw.slice(0, 29)}…` : raw;
}

/** Edit distance up to 2 (for "did you mean countries:?"); small inputs only. */
function near2(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]! <= (a.length >= 7 ? 2 : 1);
}

function lex(text: string): Tok[] {
  const toks: Tok[] = [];
  let terms = 0;
  const count = (pos: number, raw: string, n = 1) => {
    terms += n;
    if (terms > QUERY_LIMITS.maxTerms) throw new QueryError(`too many terms (at most ${QUERY_LIMITS.maxTerms}): "${shown(raw)}" at ${pos}`, pos);
  };
  const n = text.length;
  /** A quoted run starting at i (an opening quote): its text and the index after it. */
  const quoted = (i: number): { text: string; next: number } => {
    const closers = QUOTES[text[i]!]!;
    for (let j = i + 1; j < n; j++) if (closers.includes(text[j]!)) return { text: text.slice(i + 1, j), next: j + 1 };
    throw new QueryError(`the quote at ${i + 1} is not closed`, i + 1);
  };
  const isBreak = (c: string) => SPACE.test(c) || c === '(' || c === ')';
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (c === '(' || c === ')') {
      toks.push({ t: c, pos, raw: c });
      i++;
      continue;
    }
    // `-word`, `-"phrase"`, `-outlet:rt`, `-(…)`: NOT, as search boxes have it (without this,
    // `kazakhstan -rt` would silently ask for RT). A hyphen inside a word is part of the word.
    if (c === '-' && i + 1 < n && (/[\p{L}(]/u.test(text[i + 1]!) || QUOTES[text[i + 1]!] !== undefined)) {
      toks.push({ t: 'NOT', pos, raw: '-' });
      i++;
      continue;
    }
    if (QUOTES[c]) {
      const q = quoted(i);
      const raw = text.slice(i, q.next);
      count(pos, raw);
      toks.push({ t: 'phrase', text: q.text, pos, raw });
      i = q.next;
      continue;
    }
    let j = i;
    while (j < n && !isBreak(text[j]!)) j++;
    const word = text.slice(i, j);
    if (word === 'AND' || word === 'OR' || word === 'NOT') {
      toks.push({ t: word, pos, raw: word });
      i = j;
      continue;
    }
    if (word.startsWith('NEAR')) {
      const m = /^NEAR\/(\d+)$/.exec(word);
      if (!m) throw new QueryError(`NEAR needs a distance in words, like NEAR/5: "${shown(word)}" at ${pos}`, pos);
      const d = Number(m[1]);
      if (d < 1 || d > QUERY_LIMITS.maxNear) throw new QueryError(`NEAR/n takes n from 1 to ${QUERY_LIMITS.maxNear}: "${word}" at ${pos}`, pos);
      toks.push({ t: 'NEAR', n: d, pos, raw: word });
      i = j;
      continue;
    }
    const fm = /^([A-Za-z_]+):/.exec(word);
    const field = fm ? FIELD_NAMES[fm[1]!.toLowerCase()] : undefined;
    if (fm && field) {
      // Values: words or quoted runs, comma-separated; `outlet: rt` (a space after the colon) too.
      let k = i + fm[0].length;
      if (k >= n || SPACE.test(text[k]!)) {
        while (k < n && SPACE.test(text[k]!)) k++;
        const rest = text.slice(k).split(/[\s()]/u)[0] ?? '';
        if (k >= n || text[k] === '(' || text[k] === ')' || /^(AND|OR|NOT|NEAR\/\d+)$/.test(rest)) {
          throw new QueryError(`"${fm[0]}" at ${pos} needs a value, like ${fm[0]}${VALUE_EXAMPLE[field]}`, pos);
        }
      }
      const values: { text: string; quoted: boolean }[] = [];
      for (;;) {
        const vpos = k + 1;
        if (k < n && QUOTES[text[k]!]) {
          const q = quoted(k);
          values.push({ text: q.text, quoted: true });
          k = q.next;
        } else {
          let e = k;
          while (e < n && !isBreak(text[e]!) && text[e] !== ',') e++;
          if (e > k) values.push({ text: text.slice(k, e), quoted: false });
          k = e;
        }
        count(vpos, text.slice(vpos - 1, k));
        if (k < n && text[k] === ',') {
          k++;
          continue;
        }
        break;
      }
      const kept = values.filter((v) => v.text.trim().length > 0);
      if (kept.length === 0) throw new QueryError(`"${fm[0]}" at ${pos} needs a value`, pos);
      toks.push({ t: 'field', field, values: kept, pos, raw: text.slice(i, k) });
      i = k;
      continue;
    }
    if (fm && word.length > fm[0].length && !/^(https?|ftp|mailto)$/i.test(fm[1]!)) {
      const name = fm[1]!.toLowerCase();
      const guess = name.length >= 4 ? Object.keys(FIELD_NAMES).find((f) => near2(name, f)) : undefined;
      if (guess) throw new QueryError(`no field "${fm[0]}" at ${pos}; did you mean ${guess}:?`, pos);
    }
    count(pos, word);
    toks.push({ t: 'word', text: word, pos, raw: word });
    i = j;
  }
  return toks;
}

/** A word or phrase as a text node: folded words, a trailing `*` a prefix. */
export function textNode(text: string, pos: number, quoted: boolean, raw = text): TextNode {
  const star = text.endsWith('*');
  const body = star ? text.slice(0, -1) : text;
  if (body.includes('*')) throw new QueryError(`* may only end a word: "${shown(raw)}" at ${pos}`, pos);
  const keys = foldWords(body);
  if (keys.length === 0) throw new QueryError(quoted ? `nothing to search between the quotes at ${pos}` : `nothing to search in "${shown(raw)}" at ${pos}`, pos);
  const words: TextWord[] = keys.map((key, k) => ({ key, prefix: star && k === keys.length - 1 }));
  const last = words[words.length - 1]!;
  if (last.prefix && !hasCjk(last.key) && [...last.key].length < QUERY_LIMITS.minPrefix) {
    throw new QueryError(`a wildcard needs at least ${QUERY_LIMITS.minPrefix} letters before *: "${shown(raw)}" at ${pos}`, pos);
  }
  return { kind: 'text', words, pos, quoted, raw };
}

/** Parses a query; throws QueryError (one line, with the bad token and its position). */
export function parseQuery(input: string): ParsedQuery {
  const text = input ?? '';
  if (text.length > QUERY_LIMITS.maxLength) {
    throw new QueryError(`too long (${text.length} characters; at most ${QUERY_LIMITS.maxLength})`, QUERY_LIMITS.maxLength + 1);
  }
  const toks = lex(text);
  let plain = true;
  let i = 0;
  const peek = () => toks[i];
  const unexpected = (t: Tok | undefined, after?: Tok): never => {
    if (!t) {
      if (after) throw new QueryError(`nothing after "${shown(after.raw)}" at ${after.pos}`, after.pos);
      throw new QueryError('unexpected end');
    }
    throw new QueryError(`unexpected "${shown(t.raw)}" at ${t.pos}`, t.pos);
  };
  const deeper = (depth: number, t: Tok) => {
    if (depth > QUERY_LIMITS.maxDepth) throw new QueryError(`nested too deep (at most ${QUERY_LIMITS.maxDepth} levels): "${t.raw}" at ${t.pos}`, t.pos);
  };

  const startsUnary = (t: Tok | undefined) => t !== undefined && (t.t === '(' || t.t === 'NOT' || t.t === 'field' || t.t === 'phrase' || t.t === 'word');

  function primary(depth: number, prev?: Tok): QueryNode {
    const t = peek();
    if (!t) return unexpected(t, prev);
    switch (t.t) {
      case '(': {
        plain = false;
        deeper(depth + 1, t);
        i++;
        if (peek()?.t === ')') throw new QueryError(`empty parentheses at ${t.pos}`, t.pos);
        const inner = or(depth + 1, t);
        if (peek()?.t !== ')') {
          if (peek()) unexpected(peek());
          throw new QueryError(`the "(" at ${t.pos} is not closed`, t.pos);
        }
        i++;
        return inner;
      }
      case 'phrase':
        plain = false;
        i++;
        return textNode(t.text, t.pos, true, t.raw);
      case 'word':
        i++;
        if (t.text.includes('*')) {
          plain = false;
          return textNode(t.text, t.pos, false, t.raw);
        }
        return { kind: 'words', words: [{ text: t.text, pos: t.pos }] };
      case 'field':
        i++;
        if (t.field !== 'days') plain = false;
        return { kind: 'field', field: t.field as Exclude<Field, 'days'>, values: t.values.map((v) => (v.quoted ? `"${v.text}"` : v.text)), pos: t.pos };
      default:
        return unexpected(t, prev);
    }
  }

  const asText = (node: QueryNode, t: Tok): TextNode => {
    if (node.kind === 'text') return node;
    if (node.kind === 'words' && node.words.length === 1) return textNode(node.words[0]!.text, node.words[0]!.pos, false);
    throw new QueryError(`NEAR joins words or phrases, not "${shown(t.raw)}" at ${t.pos}`, t.pos);
  };

  function nearExpr(depth: number, prev?: Tok): QueryNode {
    const first = peek();
    const a = primary(depth, prev);
    const op = peek();
    if (op?.t !== 'NEAR') return a;
    plain = false;
    i++;
    const second = peek();
    if (!second) return unexpected(second, op);
    const b = primary(depth, op);
    const node: QueryNode = { kind: 'near', a: asText(a, first!), b: asText(b, second), distance: op.n, pos: op.pos };
    if (peek()?.t === 'NEAR') throw new QueryError(`one NEAR at a time; group with AND: "${peek()!.raw}" at ${peek()!.pos}`, peek()!.pos);
    return node;
  }

  function unary(depth: number, prev?: Tok): QueryNode {
    const t = peek();
    if (t?.t === 'NOT') {
      plain = false;
      deeper(depth + 1, t);
      i++;
      if (!startsUnary(peek())) return unexpected(peek(), t);
      return { kind: 'not', child: unary(depth + 1, t), pos: t.pos };
    }
    return nearExpr(depth, prev);
  }

  function and(depth: number, prev?: Tok): QueryNode {
    const children: QueryNode[] = [];
    let explicit = false;
    for (;;) {
      const t = peek();
      if (!t || t.t === ')' || t.t === 'OR') break;
      if (t.t === 'AND') {
        plain = false;
        if (children.length === 0) unexpected(t);
        i++;
        if (!startsUnary(peek())) unexpected(peek(), t);
        explicit = true;
        continue;
      }
      if (!startsUnary(t)) unexpected(t);
      const u = unary(depth, prev);
      const last = children[children.length - 1];
      if (u.kind === 'words' && last?.kind === 'words' && !explicit) last.words.push(...u.words);
      else children.push(u);
      explicit = false;
    }
    if (children.length === 0) return unexpected(peek(), prev);
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  function or(depth: number, prev?: Tok): QueryNode {
    const children = [and(depth, prev)];
    while (peek()?.t === 'OR') {
      const op = peek()!;
      plain = false;
      i++;
      const next = peek();
      if (!startsUnary(next)) unexpected(next, op);
      children.push(and(depth, op));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  if (toks.length === 0) return { root: null, plain: true };
  const root = or(0);
  if (i < toks.length) unexpected(toks[i]);
  return { root, plain };
}

export type { RawWord };
