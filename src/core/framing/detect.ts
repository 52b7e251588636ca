// Trigger detection: which tags each sentence carries, after cues, blocks, article context,
// history, negation and rebuttal. Attribution and ranking are in evidence.ts.
import type { TagId } from '../types.js';
import type { Sentence } from '../text/sentences.js';
import type { Tokens } from '../text/tokenize.js';
import type { PhraseMatch } from '../text/phrase.js';
import type { CompiledLexicon, Payload, PhraseSet } from './lexicon.js';

export interface Hit {
  payload: Payload;
  start: number;
  end: number;
  sentence: number;
}

export interface TriggerHit {
  tag: TagId;
  sentence: number;
  weight: number;
  phrase: string;
  start: number;
  end: number;
}

const CLAUSE_BREAK = /[;:—–]|(?<!\p{L})(?:but|however|но|однако)(?!\p{L})|[；：，。]|但/iu;
const YEAR = /(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)/g;
/** Max tokens between a negator and the trigger it negates, and for a rebuttal or a negated
 * verb of speech. */
const NEG_WINDOW = 4;
/** Max tokens between a trigger and a negator that follows it (Turkic word order). */
const NEG_AFTER_WINDOW = 6;
const MAX_SENTENCE_HITS = 200;
const REBUT_WINDOW = 10;

function sentenceOf(sentences: Sentence[], pos: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sentences[mid]!.start <= pos) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans >= 0 && pos < sentences[ans]!.end ? ans : -1;
}

/** Index of the first token starting at or after `pos`. */
function tokenAt(tokens: Tokens, pos: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens.start[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Occurrences of one phrase set, by position (sentence not yet assigned: -1): its token
 * phrases' matches (found by the analyzer's scan) and its Chinese substrings. */
function scan(set: PhraseSet, text: string, cjk: boolean, tokens: Tokens, matches: PhraseMatch<Payload>[], hits: Hit[]): void {
  for (const m of matches)
    hits.push({ payload: m.payload, start: tokens.start[m.tokStart]!, end: tokens.end[m.tokEnd - 1]!, sentence: -1 });
  if (set.zh && cjk) {
    const re = set.zh;
    re.lastIndex = 0;
    let zm: RegExpExecArray | null;
    while ((zm = re.exec(text)) !== null) {
      const at = zm.index;
      for (const key of set.zhPrefixes.get(zm[0]) ?? [zm[0]])
        for (const payload of set.zhPayloads.get(key) ?? []) hits.push({ payload, start: at, end: at + key.length, sentence: -1 });
      re.lastIndex = at + 1;
    }
  }
}

/** Trigger occurrences by position (`matches`: the trigger phrases' token matches; `cjk`:
 * whether the text has Chinese characters); `excluded(pos)` drops those in boilerplate. */
export function findTriggers(
  lex: CompiledLexicon,
  text: string,
  cjk: boolean,
  tokens: Tokens,
  matches: PhraseMatch<Payload>[],
  excluded: (pos: number) => boolean,
): Hit[] {
  const hits: Hit[] = [];
  scan(lex.triggers, text, cjk, tokens, matches, hits);
  return hits.filter((h) => !excluded(h.start));
}

/** Triggers plus every other lexicon occurrence (cues, blocks, negators: `aux`, their token
 * matches), with sentences (`sentences` may be a prefix of the text's; an article cue past it
 * has sentence -1). */
export function findHits(
  lex: CompiledLexicon,
  text: string,
  cjk: boolean,
  tokens: Tokens,
  aux: PhraseMatch<Payload>[],
  sentences: Sentence[],
  triggers: Hit[],
): Hit[] {
  const hits: Hit[] = [...triggers];
  scan(lex.aux, text, cjk, tokens, aux, hits);
  const out: Hit[] = [];
  for (const h of hits) {
    const sentence = sentenceOf(sentences, h.start);
    // Article cues count anywhere, also past the sentences given.
    if (sentence >= 0 || h.payload.kind === 'acue') out.push({ ...h, sentence });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Triggers that hold, and the rebuttals found (as disinfo-debunk triggers). `pubYear` dates
 * the article for the history rule.
 */
export function detectTriggers(
  lex: CompiledLexicon,
  text: string,
  tokens: Tokens,
  sentences: Sentence[],
  hits: Hit[],
  pubYear: number,
): TriggerHit[] {
  const bySentence = new Map<number, Hit[]>();
  const articleCues = new Set<TagId>();
  for (const h of hits) {
    const list = bySentence.get(h.sentence) ?? [];
    list.push(h);
    bySentence.set(h.sentence, list);
    if (h.payload.kind === 'acue') articleCues.add(h.payload.tag);
  }
  const out: TriggerHit[] = [];
  for (const [si, all] of bySentence) {
    // A sentence of prose has a few lexicon hits; one with hundreds (a list, a spam run) is
    // read as its first MAX_SENTENCE_HITS, so the pairwise checks below stay cheap.
    const list = all.length > MAX_SENTENCE_HITS ? all.slice(0, MAX_SENTENCE_HITS) : all;
    const triggers = list.filter((h) => h.payload.kind === 'trigger');
    if (triggers.length === 0) continue;
    const sentence = sentences[si]!;
    const cues = new Set<string>();
    for (const h of list) if (h.payload.kind === 'cue') cues.add(`${h.payload.group}:${h.payload.list}`);
    const notNeg = list.filter((h) => h.payload.kind === 'notneg');
    const negs = list.filter((h) => h.payload.kind === 'neg' && !notNeg.some((n) => n.start <= h.start && h.start < n.end));
    const negSpeech = list.filter((h) => h.payload.kind === 'negSpeech');
    const negAfter = list.filter((h) => h.payload.kind === 'negAfter');
    const rebutB = list.filter((h) => h.payload.kind === 'rebutBefore');
    const rebutA = list.filter((h) => h.payload.kind === 'rebutAfter');
    const historical = list.some((h) => h.payload.kind === 'hist') ? isHistorical(sentence.text, pubYear, true) : isHistorical(sentence.text, pubYear, false);
    let rebutted = false;
    for (const h of triggers) {
      const p = h.payload as Extract<Payload, { kind: 'trigger' }>;
      // A trigger inside a longer trigger of the same tag counts once (the longer one).
      if (triggers.some((o) => o !== h && (o.payload as typeof p).tag === p.tag && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start))
        continue;
      if (list.some((b) => b.payload.kind === 'block' && b.payload.tag === p.tag && b.start < h.end && h.start < b.end)) continue;
      if (p.cued >= 0) {
        let ok = true;
        for (let li = 0; li < p.needs; li++) if (!cues.has(`${p.cued}:${li}`)) ok = false;
        if (!ok) continue;
      }
      if (p.context && !articleCues.has(p.tag)) continue;
      if (historical && lex.historyTags.has(p.tag) && !p.timeless) continue;
      if (p.tag !== 'disinfo-debunk') {
        if (rebutB.some((r) => r.end <= h.start && near(text, tokens, r.end, h.start, REBUT_WINDOW)) || rebutA.some((r) => r.start >= h.end)) {
          rebutted = true;
          continue;
        }
        if (negs.some((n) => n.end <= h.start && near(text, tokens, n.end, h.start, NEG_WINDOW))) continue;
        if (negSpeech.some((n) => n.end <= h.start && near(text, tokens, n.end, h.start, REBUT_WINDOW))) continue;
        if (negAfter.some((n) => n.start >= h.end && near(text, tokens, h.end, n.start, NEG_AFTER_WINDOW))) continue;
      }
      out.push({ tag: p.tag, sentence: si, weight: p.weight, phrase: p.phrase, start: h.start, end: h.end });
    }
    if (rebutted) {
      const r = [...rebutB, ...rebutA][0]!;
      out.push({ tag: 'disinfo-debunk', sentence: si, weight: 0.8, phrase: text.slice(r.start, r.end), start: r.start, end: r.end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** True when `from`..`to` spans at most `window` tokens, within 80 characters and one clause. */
function near(text: string, tokens: Tokens, from: number, to: number, window: number): boolean {
  if (to - from > 80) return false;
  const between = text.slice(from, to);
  if (CLAUSE_BREAK.test(between)) return false;
  return tokenAt(tokens, to) - tokenAt(tokens, from) <= window;
}

/** A sentence about the past: a history cue and a year 10+ years back, or a year 25+ back. */
function isHistorical(sentence: string, pubYear: number, cue: boolean): boolean {
  YEAR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = YEAR.exec(sentence)) !== null) {
    const y = Number(m[1]);
    if (y > pubYear) continue;
    if (pubYear - y >= 25 || (cue && pubYear - y >= 10)) return true;
  }
  return false;
}
