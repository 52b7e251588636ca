// The speech lexicon compiled for the speech-act finders: the reporting verbs of
// data/framing-lexicon.yaml (`speech`) as one token-phrase index, the Chinese verb patterns, and
// the speaker lexicon (data/speakers.yaml, see roles.ts).
import { PhraseIndex } from '../../text/phrase.js';
import { tokenize } from '../../text/tokenize.js';
import type { CountryWords } from '../../geo/country-words.js';
import { compileSpeakers, type Roles, type SpeakerLexicon } from './roles.js';

export interface SpeechLexicon {
  en: string[];
  en_stance?: string[];
  en_participles?: string[];
  ru: string[];
  ru_stance?: string[];
  ru_participles?: string[];
  ru_prep?: string[];
  kk?: string[];
  uz?: string[];
  ky?: string[];
  postpositions?: string[];
  zh: string[];
  zh_prep?: string[];
}

export type SpeechKind = 'report' | 'stance' | 'part' | 'sov' | 'prep' | 'post';

/** The speech lexicon as one token-phrase index (a sentence is tokenized and scanned once,
 * whatever the number of verbs), and the Chinese patterns. */
export interface CompiledSpeech {
  index: PhraseIndex<SpeechKind>;
  zhVerb: RegExp;
  zhPrep: RegExp;
  /** The speaker lexicon (data/speakers.yaml). */
  roles: Roles;
}

const APOS = "['’ʻʼ‘`]";

/** A regex alternation of phrases written as in the lexicon: words separated by spaces, `a|b`
 * alternatives within a word, `*` any ending. Longest first. */
function alt(phrases: string[]): string {
  const word = (w: string) =>
    `(?:${w
      .split('|')
      .map((a) => a.replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '\\p{L}*').replace(/'/g, APOS))
      .join('|')})`;
  return [...phrases]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.trim().split(/\s+/).map(word).join('\\s+'))
    .join('|');
}

/** Kazakh, Uzbek and Kyrgyz verbs are `sov`: reporting verbs that may also end a sentence
 * whose subject starts it. */
export function compileSpeech(s: SpeechLexicon, speakers: SpeakerLexicon, countries: CountryWords): CompiledSpeech {
  const index = new PhraseIndex<SpeechKind>();
  const add = (list: string[] | undefined, kind: SpeechKind) => {
    for (const p of list ?? []) index.add(p, kind);
  };
  add(s.en, 'report');
  add(s.ru, 'report');
  add([...(s.kk ?? []), ...(s.uz ?? []), ...(s.ky ?? [])], 'sov');
  add(s.en_stance, 'stance');
  add(s.ru_stance, 'stance');
  add(s.en_participles, 'part');
  add(s.ru_participles, 'part');
  add(s.ru_prep, 'prep');
  add(s.postpositions, 'post');
  return {
    index,
    zhVerb: new RegExp(alt(s.zh), 'gu'),
    zhPrep: s.zh_prep?.length ? new RegExp(`(?:${alt(s.zh_prep)})([\\p{Script=Han}·]{2,16}?)(?:报道|消息|称|表示|介绍|说)`, 'u') : /(?!)/,
    roles: compileSpeakers(speakers, countries),
  };
}

/** Speech words of a sentence, by kind, with offsets in it. Words inside a hyphenated one
 * ("so-called") do not count. */
export interface SpeechWord {
  kind: SpeechKind;
  at: number;
  end: number;
}
export function speechWords(t: string, sp: CompiledSpeech): SpeechWord[] {
  const toks = tokenize(t);
  const out: SpeechWord[] = [];
  for (const m of sp.index.matchAll(toks, t)) {
    const at = toks.start[m.tokStart]!;
    const end = toks.end[m.tokEnd - 1]!;
    if (t[at - 1] === '-' || (t[end] === '-' && /\p{L}/u.test(t[end + 1] ?? ''))) continue;
    out.push({ kind: m.payload, at, end });
  }
  // Longest first at one position, then by position.
  out.sort((x, y) => x.at - y.at || y.end - x.end);
  return out.filter((w, k) => k === 0 || out[k - 1]!.at !== w.at);
}

