// A compiled index of token phrases, matched over the tokens of a text in one pass with hash
// look-ups (no per-phrase regex scan), so hundreds of phrases cost about the same as one.
//
// Phrase syntax (data files use it for English, Russian and the Latin/Cyrillic national
// languages; Chinese is matched by substrings elsewhere):
//   words separated by spaces or hyphens    "foreign-trained terrorists" = foreign trained terrorists
//   stem*        a token starting with stem (Russian/Kazakh inflection: "казахстан*")
//   a|b*|c       one token, any alternative
//   ?word        an optional token (not first)
//   ..N          up to N arbitrary tokens
//   ^word        the token must be capitalised in the original text ("^mary", "^osh")
//   =word        the token must be all capitals in the original text (acronyms: "=sco", "=csto")
//   word@kk      the word or the word plus a Kazakh case/possessive suffix (@ru, @uz, @tk too):
//                an exact closed set, for names whose stem is also a common word ("орал@kk",
//                not "орал*", which would match оралу "to return")
//   _            (first only) any one token, e.g. "^_ ауданы" = a capitalised word + "district"
// Matching is on folded keys (see normalize.ts), so case, diacritics and ё/е do not matter.
import { foldForMatch, tokenKey } from './normalize.js';
import { HEAD_BITS, HEAD_MASK, LONG, headOf, keyAt, type Tokens } from './tokenize.js';

interface Alt {
  word: string;
  prefix: boolean;
}
/** Closed suffix sets (folded, so Turkmen ň ý ä appear as n y a). */
export const SUFFIXES: Record<string, string[]> = {
  kk: ('ның нің дың дің тың тің ға ге қа ке на не а е да де та те нда нде дан ден тан тен нан нен ны ні ' +
    'ды ді ты ті н мен бен пен дағы дегі тағы тегі ндағы ндегі лық лік дық дік тық тік ы і сы сі ымыз ' +
    'іміз ында інде ынан інен ына іне ының інің ындағы індегі лар лер дар дер тар тер').split(' '),
  ru: 'а у е ом ой ы и ем ю я ей ам ами ах ях ям ями ою ею'.split(' '),
  uz: 'da dan ga ka qa ning ni dagi lik liklar ning ga ning dan'.split(' '),
  tk: 'da de dan den a e yn in y i daky daki nyn nin ny ni ly li'.split(' '),
};

interface Step {
  alts: Alt[];
  /** The alternatives compiled for look-up: exact words, and stems by length. */
  exact?: Set<string>;
  stems?: Set<string>;
  stemLens?: number[];
  /** Any token (a leading `_`). */
  any?: boolean;
  optional: boolean;
  /** For a gap step: max tokens skipped. */
  gap: number;
  cap: boolean;
  upper?: boolean;
}
interface Compiled<P> {
  steps: Step[];
  payload: P;
  id: number;
}

export interface PhraseMatch<P> {
  payload: P;
  /** Token indexes, end exclusive. */
  tokStart: number;
  tokEnd: number;
}

export class PhraseSyntaxError extends Error {
  override name = 'PhraseSyntaxError';
}

function parse(phrase: string): Step[] {
  const steps: Step[] = [];
  const folded = foldForMatch(phrase.trim());
  for (const raw of folded.split(/\s+/)) {
    if (!raw) continue;
    const gap = /^\.\.(\d+)$/.exec(raw);
    if (gap) {
      steps.push({ alts: [], optional: false, gap: Number(gap[1]), cap: false });
      continue;
    }
    let t = raw;
    if (t === '_' || t === '^_') {
      steps.push({ alts: [], optional: false, gap: 0, cap: t === '^_', any: true });
      continue;
    }
    let optional = false;
    let cap = false;
    let upper = false;
    for (;;) {
      if (t.startsWith('=')) {
        upper = true;
        t = t.slice(1);
      } else if (t.startsWith('?')) {
        optional = true;
        t = t.slice(1);
      } else if (t.startsWith('^')) {
        cap = true;
        t = t.slice(1);
      } else break;
    }
    // Hyphens split words into tokens, as in the text; with alternatives they cannot.
    const pieces = t.includes('|') ? [t] : t.split('-').filter(Boolean);
    for (const piece of pieces) {
      const expanded = piece.split('|').flatMap((a) => {
        const mac = /^(.*)@(\w+)$/.exec(a);
        if (!mac) return [a];
        const suf = SUFFIXES[mac[2]!];
        if (!suf) throw new PhraseSyntaxError(`unknown suffix set "@${mac[2]}" in "${phrase}"`);
        return [mac[1]!, ...suf.map((x) => mac[1]! + x)];
      });
      const alts = [...new Set(expanded)].map((a): Alt => {
        const prefix = a.endsWith('*');
        const word = tokenKey(prefix ? a.slice(0, -1) : a);
        if (!word || /[\s-]/.test(word)) throw new PhraseSyntaxError(`bad token "${a}" in phrase "${phrase}"`);
        if (prefix && word.length < 2) throw new PhraseSyntaxError(`stem "${a}" is too short in "${phrase}"`);
        return { word, prefix };
      });
      steps.push({ alts, optional, gap: 0, cap, upper });
      optional = false;
    }
  }
  const first = steps[0]?.any ? steps[1] : steps[0];
  if (!first || first.gap > 0 || first.optional || first.any || steps.slice(1).some((x) => x.any))
    throw new PhraseSyntaxError(`phrase must start with a word (or _ and a word): "${phrase}"`);
  for (const st of steps) {
    st.exact = new Set(st.alts.filter((a) => !a.prefix).map((a) => a.word));
    st.stems = new Set(st.alts.filter((a) => a.prefix).map((a) => a.word));
    st.stemLens = [...new Set(st.alts.filter((a) => a.prefix).map((a) => a.word.length))];
  }
  // The first word is looked up by its first three characters.
  if (first.alts.some((a) => a.prefix && a.word.length < 3))
    throw new PhraseSyntaxError(`a leading stem must have 3 characters or more: "${phrase}"`);
  return steps;
}

function stepMatches(step: Step, key: string): boolean {
  if (step.exact!.has(key)) return true;
  for (const len of step.stemLens!) if (len <= key.length && step.stems!.has(len === key.length ? key : key.slice(0, len))) return true;
  return false;
}

export class PhraseIndex<P> {
  private readonly exact = new Map<string, Compiled<P>[]>();
  private readonly prefix = new Map<string, Compiled<P>[]>();
  private readonly prefixLens: number[] = [];
  /** Bitmap of the `headOf` hashes (first three units and length) of every first-step word,
   * and of every length a first-step stem can have: a quick reject for most tokens, whose
   * hashes the tokenizer computes (a typed array is faster than a Set). */
  private readonly heads = new Uint32Array(HEAD_BITS >>> 5);
  /** First-step candidates per token key, memoised (vocabularies repeat); cleared when large. */
  private readonly memo = new Map<string, Compiled<P>[] | null>();
  private count = 0;

  constructor(entries: Iterable<{ phrase: string; payload: P }> = []) {
    for (const e of entries) this.add(e.phrase, e.payload);
  }

  add(phrase: string, payload: P): void {
    const steps = parse(phrase);
    const c: Compiled<P> = { steps, payload, id: this.count++ };
    this.memo.clear();
    const lead = steps[0]!.any ? 1 : 0;
    for (const alt of steps[lead]!.alts) {
      const map = alt.prefix ? this.prefix : this.exact;
      const list = map.get(alt.word) ?? [];
      list.push(c);
      map.set(alt.word, list);
      // A word marks its own length; a stem every length from its own up.
      const from = Math.min(alt.word.length, LONG);
      for (let len = from; len <= (alt.prefix ? LONG : from); len++) {
        const h = headOf(alt.word, len);
        this.heads[h >>> 5]! |= 1 << (h & 31);
      }
      if (alt.prefix && !this.prefixLens.includes(alt.word.length)) {
        this.prefixLens.push(alt.word.length);
        this.prefixLens.sort((a, b) => b - a);
      }
    }
  }

  get size(): number {
    return this.count;
  }

  /**
   * Every phrase occurrence. `original` is the unfolded text (for `^` capitalisation checks).
   * Overlaps are all reported; callers choose (see `longestNonOverlapping`).
   */
  matchAll(tokens: Tokens, original: string): PhraseMatch<P>[] {
    const out: PhraseMatch<P>[] = [];
    const { head } = tokens;
    const { heads } = this;
    for (let i = 0; i < tokens.length; i++) {
      const h = head[i]! & HEAD_MASK;
      if ((heads[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      const key = keyAt(tokens, i);
      let cands = this.memo.get(key);
      if (cands === undefined) {
        cands = this.candidates(key);
        if (this.memo.size > 100_000) this.memo.clear();
        this.memo.set(key, cands);
      }
      if (cands !== null) for (const c of cands) this.extend(c, tokens, original, i, out);
    }
    return out;
  }

  private candidates(key: string): Compiled<P>[] | null {
    const found: Compiled<P>[] = [...(this.exact.get(key) ?? [])];
    for (const len of this.prefixLens) {
      if (len > key.length) continue;
      const pl = this.prefix.get(len === key.length ? key : key.slice(0, len));
      if (pl) found.push(...pl);
    }
    return found.length ? found : null;
  }

  private extend(c: Compiled<P>, tokens: Tokens, original: string, i: number, out: PhraseMatch<P>[]): void {
    if (c.steps[0]!.any) {
      // Indexed by its second step; the wildcard is the token before.
      if (i === 0 || !caseOk(c.steps[0]!, original, tokens, i - 1)) return;
      if (!caseOk(c.steps[1]!, original, tokens, i)) return;
      const end = matchFrom(c.steps, 2, tokens, original, i + 1);
      if (end >= 0) out.push({ payload: c.payload, tokStart: i - 1, tokEnd: end });
      return;
    }
    if (!caseOk(c.steps[0]!, original, tokens, i)) return;
    const end = matchFrom(c.steps, 1, tokens, original, i + 1);
    if (end >= 0) out.push({ payload: c.payload, tokStart: i, tokEnd: end });
  }
}

function isCap(original: string, at: number): boolean {
  const ch = original[at]!;
  return ch !== ch.toLowerCase();
}

function isUpper(original: string, tokens: Tokens, t: number): boolean {
  const s = original.slice(tokens.start[t]!, tokens.end[t]!);
  return s === s.toUpperCase();
}

function caseOk(step: Step, original: string, tokens: Tokens, t: number): boolean {
  if (step.cap && !isCap(original, tokens.start[t]!)) return false;
  if (step.upper && !isUpper(original, tokens, t)) return false;
  return true;
}

/** End token index (exclusive) of the longest match of steps[s..] from token t, or -1. */
function matchFrom(steps: Step[], s: number, tokens: Tokens, original: string, t: number): number {
  if (s === steps.length) return t;
  const step = steps[s]!;
  if (step.gap > 0) {
    for (let k = 0; k <= step.gap && t + k <= tokens.length; k++) {
      const e = matchFrom(steps, s + 1, tokens, original, t + k);
      if (e >= 0) return e;
    }
    return -1;
  }
  let best = -1;
  if (t < tokens.length) {
    const key = keyAt(tokens, t);
    if (stepMatches(step, key) && caseOk(step, original, tokens, t))
      best = matchFrom(steps, s + 1, tokens, original, t + 1);
  }
  if (best < 0 && step.optional) best = matchFrom(steps, s + 1, tokens, original, t);
  return best;
}

/** Leftmost-longest selection of non-overlapping matches (in token order); on equal spans the
 * higher `priority` wins (blockers over names). */
export function longestNonOverlapping<P>(matches: PhraseMatch<P>[], priority: (p: P) => number = () => 0): PhraseMatch<P>[] {
  const sorted = [...matches].sort(
    (a, b) => a.tokStart - b.tokStart || b.tokEnd - a.tokEnd || priority(b.payload) - priority(a.payload),
  );
  const out: PhraseMatch<P>[] = [];
  let reach = -1;
  for (const m of sorted) {
    if (m.tokStart < reach) continue;
    out.push(m);
    reach = m.tokEnd;
  }
  return out;
}
