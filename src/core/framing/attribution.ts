// Who voices a sentence: a quoted or reported speaker ("Wei Fenghe", "Tokayev", "the Defense
// Ministry"), or null for the outlet's own voice. Rules, in order:
//   1. a reporting verb after the last comma or closing quote: "…, Wei noted." / "…,” said X"
//   2. a reporting verb after the sentence's subject: "The Kazakh leader claimed that …"
//   3. "according to X", "по словам X", Chinese "X表示/指出/强调"
//   4. a quotation with no speaker of its own takes the speaker of the quotation it continues,
//      or of the sentence that introduced it ("The ministry quoted the minister:")
// Names are then resolved within the article: a surname or given name to the full name seen
// earlier ("Wei" → "Wei Fenghe"), a role ("the Kazakh leader", "China's defense minister",
// "the minister") to the person the text gave that role ("Kazakh President Kassym-Jomart
// Tokayev"), a pronoun to the last named speaker.
import type { CountryCode } from '../types.js';
import type { Sentence } from '../text/sentences.js';

export interface SpeechLexicon {
  en: string[];
  ru: string[];
  ru_prep?: string[];
  kk?: string[];
  zh: string[];
  zh_prep?: string[];
}

export interface CompiledSpeech {
  enTail: RegExp;
  enTailInverted: RegExp;
  enHead: RegExp;
  ruTail: RegExp;
  ruHead: RegExp;
  ruPrep: RegExp;
  zh: RegExp;
}

/** A head of state the gazetteer found in the text (fallback for "the Kazakh leader"). */
export interface KnownHead {
  cc: CountryCode;
  /** The name as the text writes it. */
  text: string;
  start: number;
}

function alt(words: string[]): string {
  return [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/\*/g, '\\p{L}*')).join('|');
}

const ADVERBS = '(?:(?:has|have|had|also|further|later|then|reportedly|repeatedly|again|previously|recently|once|already|even|publicly|openly|\\p{Ll}+ly)\\s+){0,3}';

export function compileSpeech(s: SpeechLexicon): CompiledSpeech {
  const en = alt(s.en);
  const ru = alt([...s.ru, ...(s.kk ?? [])]);
  const ruPrep = alt((s.ru_prep ?? []).map((p) => p.replace(/ /g, '\\s+')));
  const zh = alt(s.zh);
  return {
    // "…, Wei noted." — subject then verb, then at most a short adjunct.
    enTail: new RegExp(`^\\s*(.{1,80}?)\\s+${ADVERBS}(?:${en})(?![\\p{L}])(?:[^.!?,;]{0,80})?[.!?"”’]*\\s*$`, 'u'),
    // "…, said Chinese State Councilor … Wei Fenghe during his visit …"
    enTailInverted: new RegExp(`^\\s*(?:${en})\\s+(.{1,220})$`, 'u'),
    // "The Kazakh leader claimed that …", "However, China's Foreign Minister Wang Li said …"
    enHead: new RegExp(
      `^\\s*(?:(?:However|But|And|Meanwhile|Earlier|Later|Previously|Also|Yet|Still|Then|Now|Separately|In response|At the time|On Monday|On Tuesday|On Wednesday|On Thursday|On Friday|On Saturday|On Sunday),?\\s+)?([^,;:()“”"«»]{1,100}?)\\s+${ADVERBS}(?:${en})(?![\\p{L}])`,
      'u',
    ),
    ruTail: new RegExp(`^\\s*[—–-]?\\s*(?:${ru})(?![\\p{L}])\\s+(.{1,160})$`, 'u'),
    ruHead: new RegExp(`^\\s*([^,;:()«»"“”]{1,100}?)\\s+(?:${ru})(?![\\p{L}])`, 'u'),
    ruPrep: ruPrep ? new RegExp(`(?:^|[\\s,(])(?:${ruPrep})\\s+([^,.;:()«»"]{1,80})`, 'iu') : /(?!)/,
    zh: new RegExp(`([\\p{Script=Han}·]{1,24}?)(?:${zh})`, 'u'),
  };
}

// Words that describe a person's role or origin rather than name them.
const ROLE_WORDS = new Set(
  (
    'the a an of and for state national president vice prime minister ministry ministers councilor councillor defense defence ' +
    'foreign affairs interior internal deputy spokesperson spokesman spokeswoman spokespeople chairman chairwoman chair secretary ' +
    'general ambassador envoy senator head chief director commander leader leaders premier mayor governor king queen official ' +
    'officials officer adviser advisor press service lieutenant colonel gen major army marshal security council committee former ' +
    'acting interim then mr mrs ms dr first lady member members deputies speaker parliament parliamentary representative ' +
    'special presidential senior top military government party communist central people people’s peoples republic ' +
    'federation federal office department agency ministry’s minister’s said says warned claimed noted added stated declared ' +
    'президент вице премьер министр министерства министерство глава лидер председатель заместитель посол пресс секретарь ' +
    'официальный представитель мид генеральный секретарь спикер депутат директор руководитель бывший экс'
  ).split(' '),
);
const PRONOUNS = new Set(['he', 'she', 'they', 'он', 'она', 'они', '他', '她']);

// Nationality / country words → a key; the five republics by their codes.
const NATIONALITY: [RegExp, string][] = [
  [/^(kazakh|kazak|qazaq|казах|қазақ)/, 'KZ'],
  [/^(kyrgyz|kirgiz|kirghiz|киргиз|кыргыз|қырғыз)/, 'KG'],
  [/^(tajik|tadjik|таджик|тоҷик)/, 'TJ'],
  [/^(turkmen|туркмен|түркмен)/, 'TM'],
  [/^(uzbek|o'zbek|узбек|ўзбек)/, 'UZ'],
  [/^(chin|beijing|китай|кнр|пекин)/, 'CN'],
  [/^(russia|kremlin|moscow|росси|рф|кремл|москв)/, 'RU'],
  [/^(american|america|us$|u\.s|washington|сша|америк|вашингтон)/, 'US'],
];
const HEAD_WORDS: [RegExp, string][] = [
  [/^(president|leader|head|президент|лидер|глава|elbasy)/, 'head'],
  [/^(premier|prime|премьер)/, 'pm'],
  [/^(minister|министр)$/, 'minister'],
  [/^(minister|министр)/, 'minister'],
  [/^(ministry|министерств|мид)/, 'ministry'],
  [/^(defen[cs]e|оборон)/, 'defense'],
  [/^(foreign|иностранн)/, 'foreign'],
  [/^(spokes|пресс|представител)/, 'spokes'],
  [/^(ambassador|посол)/, 'ambassador'],
  [/^(councill?or)/, 'councilor'],
];

function roleKeys(words: string[]): { nat: string | null; heads: Set<string> } {
  let nat: string | null = null;
  const heads = new Set<string>();
  for (const raw of words) {
    const w = raw.toLowerCase().replace(/[’']s$/, '');
    if (!nat) for (const [re, k] of NATIONALITY) if (re.test(w)) nat = k;
    for (const [re, k] of HEAD_WORDS)
      if (re.test(w)) {
        heads.add(k);
        break;
      }
  }
  return { nat, heads };
}

interface Apposition {
  nat: string | null;
  heads: Set<string>;
  name: string;
  sentence: number;
}

const CAP_TOKEN = /^[\p{Lu}][\p{L}’'.-]*$/u;

/** Splits a capitalised run ("Chinese Defense Minister Wei Fenghe") into role words and name. */
function splitRun(tokens: string[]): { role: string[]; name: string[] } {
  let i = tokens.length;
  while (i > 0 && CAP_TOKEN.test(tokens[i - 1]!) && !ROLE_WORDS.has(tokens[i - 1]!.toLowerCase().replace(/[’']s$/, '')) && !isNationality(tokens[i - 1]!))
    i--;
  return { role: tokens.slice(0, i), name: tokens.slice(i) };
}

function isNationality(tok: string): boolean {
  const w = tok.toLowerCase().replace(/[’']s$/, '');
  return NATIONALITY.some(([re]) => re.test(w));
}

const RUN = /(?:[\p{Lu}][\p{L}’'.-]*|of|and|the)(?:\s+(?:[\p{Lu}][\p{L}’'.-]*|of|and|for))*/gu;

export class Attributor {
  private readonly explicit = new Map<number, string | null>();
  private readonly apps: Apposition[] = [];
  /** name token (lower case) → full names with the sentence they were first seen in. */
  private readonly names = new Map<string, { name: string; sentence: number }[]>();
  private built = false;
  private readonly resolvedCache = new Map<number, string | null>();

  constructor(
    private readonly sp: CompiledSpeech,
    private readonly sentences: Sentence[],
    private readonly heads: KnownHead[],
    /** The whole text (lower-cased is enough) for the "never written in lower case" test. */
    private readonly fullText: string,
  ) {}

  /** The speaker of sentence `i`, or null for the outlet's voice. */
  speakerOf(i: number): string | null {
    if (this.resolvedCache.has(i)) return this.resolvedCache.get(i)!;
    let s = this.rawSpeaker(i);
    if (s === null) s = this.inheritedSpeaker(i);
    const r = s === null ? null : this.resolve(s, i);
    this.resolvedCache.set(i, r);
    return r;
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    this.sentences.forEach((s, si) => {
      RUN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = RUN.exec(s.text)) !== null) {
        const toks = m[0].split(/\s+/).filter(Boolean);
        if (toks.length === 0) continue;
        const { role, name } = splitRun(toks);
        if (name.length === 0) continue;
        const { nat, heads } = roleKeys(role);
        if (heads.size > 0) this.apps.push({ nat, heads, name: name.join(' '), sentence: si });
        if (name.length >= 2 || heads.size > 0) this.addName(name.join(' '), si);
      }
    });
  }

  private addName(full: string, si: number): void {
    for (const t of full.split(/[\s-]+/)) {
      const k = t.toLowerCase();
      if (k.length < 2 || ROLE_WORDS.has(k)) continue;
      const list = this.names.get(k) ?? [];
      if (!list.some((x) => x.name === full)) list.push({ name: full, sentence: si });
      this.names.set(k, list);
    }
  }

  /** The speaker phrase the sentence itself names, unresolved. */
  private rawSpeaker(i: number): string | null {
    if (this.explicit.has(i)) return this.explicit.get(i)!;
    const r = this.findExplicit(this.sentences[i]!.text);
    this.explicit.set(i, r);
    return r;
  }

  private findExplicit(text: string): string | null {
    const sp = this.sp;
    const t = text.replace(/\s+/g, ' ').trim();
    // Chinese.
    if (/[\u4e00-\u9fff]/.test(t)) {
      const m = sp.zh.exec(t.split(/[，。！？；：“”「」]/).find((part) => sp.zh.test(part)) ?? '');
      if (m) return stripZhRole(m[1]!);
      const by = /据([\p{Script=Han}·]{2,16}?)(?:报道|消息|称|表示)/u.exec(t);
      return by ? stripZhRole(by[1]!) : null;
    }
    // Tail after the last separator (comma, closing quote, dash) that leaves a short tail.
    const seps = [...t.matchAll(/[,”"»]|\s[—–]\s/g)].map((m) => m.index! + m[0].length);
    for (let k = seps.length - 1; k >= 0 && k >= seps.length - 2; k--) {
      const tail = t.slice(seps[k]!);
      if (tail.length > 240) break;
      const inv = sp.enTailInverted.exec(tail);
      if (inv) {
        const subj = leadingRun(inv[1]!);
        if (subj) return subj;
      }
      const tl = sp.enTail.exec(tail);
      if (tl && plausibleSubject(tl[1]!, this.fullText)) return tl[1]!.trim();
      const rt = sp.ruTail.exec(tail);
      if (rt) {
        const subj = leadingRun(rt[1]!);
        if (subj) return subj;
      }
    }
    const acc = /\baccording to ([^,;.:()]{2,80})/i.exec(t);
    if (acc) return acc[1]!.trim();
    const rp = sp.ruPrep.exec(t);
    if (rp) return rp[1]!.trim();
    if (/^[“"«„]/.test(t)) return null; // a quotation: its speaker is outside it
    const hd = sp.enHead.exec(t);
    if (hd && plausibleSubject(hd[1]!, this.fullText)) return hd[1]!.trim();
    const rh = sp.ruHead.exec(t);
    if (rh && plausibleSubject(rh[1]!, this.fullText)) return rh[1]!.trim();
    return null;
  }

  /** A quotation without its own speaker continues a previous one or follows an introducer. */
  private inheritedSpeaker(i: number): string | null {
    const cur = this.sentences[i]!;
    if (!startsQuote(cur.text) && !this.insideOpenQuote(i)) return null;
    for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
      const prev = this.sentences[j]!;
      if (cur.para - prev.para > 3) break;
      const introducer = /:\s*$/.test(prev.text);
      if (introducer) {
        const q = /\b(?:quot(?:ed|es|ing)|cited|citing)\s+(.{2,80}?)\s*:\s*$/i.exec(prev.text);
        if (q) return q[1]!;
        return this.rawSpeaker(j) ?? null;
      }
      const own = this.rawSpeaker(j);
      if (own && (startsQuote(prev.text) || /[”"»]/.test(prev.text))) return own;
      if (!startsQuote(prev.text) && !this.insideOpenQuote(j)) break;
    }
    return null;
  }

  /** True when an earlier sentence of the paragraph opened a quotation not yet closed. */
  private insideOpenQuote(i: number): boolean {
    const cur = this.sentences[i]!;
    let depth = 0;
    for (let j = i - 1; j >= 0 && this.sentences[j]!.para === cur.para; j--) {
      const t = this.sentences[j]!.text;
      depth += count(t, /[“«„]/g) - count(t, /[”»]/g);
    }
    return depth > 0;
  }

  private resolve(raw: string, si: number): string | null {
    this.build();
    let subj = raw
      .replace(/^[“"'‘«]+|[”"'’»]+$/g, '')
      .replace(/^(?:However|But|And|Meanwhile|Earlier|Later|Also|Yet|Then|Now),?\s+/, '')
      .trim();
    if (!subj) return null;
    const lower = subj.toLowerCase();
    if (PRONOUNS.has(lower)) return this.lastPerson(si);
    if (/^(it|this|that|these|there|which|who|we|i|you|one|some|many|most|all|reports?|the report|the statement|the article)$/i.test(subj))
      return null;
    const toks = subj.split(/\s+/);
    const { role, name } = splitRun(toks.filter((t) => CAP_TOKEN.test(t) || ROLE_WORDS.has(t.toLowerCase()) || isNationality(t)).length === toks.length ? toks : leadingRun(subj)?.split(/\s+/) ?? toks);
    if (name.length > 0) {
      const full = this.fullName(name.join(' '), si);
      return full;
    }
    // A role: "the Kazakh leader", "China's defense minister", "the minister".
    const { nat, heads } = roleKeys(role.length ? role : toks);
    if (heads.size > 0 && !heads.has('ministry')) {
      const app = this.findApposition(nat, heads, si);
      if (app) return this.fullName(app.name, si);
      if (heads.has('head') && nat) {
        const h = this.heads.filter((x) => x.cc === nat);
        if (h.length) return this.fullName(h[0]!.text, si);
      }
    }
    subj = subj.replace(/^The\s/, 'the ');
    return subj.length > 80 ? subj.slice(0, 80) : subj;
  }

  private fullName(name: string, si: number): string {
    const toks = name.split(/[\s-]+/).map((t) => t.toLowerCase());
    let best: { name: string; sentence: number } | null = null;
    for (const t of toks) {
      for (const cand of this.names.get(t) ?? []) {
        if (cand.name.length <= name.length) continue;
        // Prefer a name seen before this sentence, then the nearest one after.
        const score = cand.sentence <= si ? si - cand.sentence : 1000 + cand.sentence - si;
        const bestScore = best ? (best.sentence <= si ? si - best.sentence : 1000 + best.sentence - si) : Infinity;
        if (score < bestScore) best = cand;
      }
    }
    return best ? best.name : name;
  }

  private findApposition(nat: string | null, heads: Set<string>, si: number): Apposition | null {
    let best: Apposition | null = null;
    let bestScore = Infinity;
    for (const a of this.apps) {
      if (nat && a.nat !== nat) continue;
      let ok = true;
      for (const h of heads) if (!a.heads.has(h)) ok = false;
      if (!ok) continue;
      const score = a.sentence <= si ? si - a.sentence : 1000 + a.sentence - si;
      if (score < bestScore) {
        best = a;
        bestScore = score;
      }
    }
    return best;
  }

  private lastPerson(si: number): string | null {
    for (let j = si - 1; j >= 0; j--) {
      const s = this.rawSpeaker(j);
      if (s && !PRONOUNS.has(s.toLowerCase())) return this.resolve(s, j);
    }
    return null;
  }
}

function count(s: string, re: RegExp): number {
  return (s.match(re) ?? []).length;
}

function startsQuote(t: string): boolean {
  return /^[“"«„‘]/.test(t.trim());
}

/** The capitalised run (with role words) at the start of `s`: the subject after "said". */
function leadingRun(s: string): string | null {
  const toks = s.trim().split(/\s+/);
  const out: string[] = [];
  for (const t of toks) {
    const clean = t.replace(/[.,;:!?"”’»]+$/, '');
    const lower = clean.toLowerCase();
    if (CAP_TOKEN.test(clean) || (out.length > 0 && (lower === 'of' || lower === 'and' || lower === 'the')) || (out.length === 0 && lower === 'the')) {
      out.push(clean);
      if (clean !== t) break;
    } else break;
  }
  while (out.length && /^(of|and|the)$/i.test(out[out.length - 1]!)) out.pop();
  return out.length ? out.join(' ') : null;
}

// Nouns that make a phrase a plausible speaker ("the Kazakh leader", "officials", "эксперт").
const SPEAKER_NOUN =
  /(?<!\p{L})(?:leader|president|minister|ministry|official|officials|spokes\p{L}*|experts?|analysts?|critics?|observers?|diplomats?|authorities|government|media|outlets?|agency|police|prosecutors?|sources?|embassy|army|military|commentators?|activists?|politicians?|lawmakers?|deputies|deputy|mp|mps|senator|ambassador|envoy|chairman|chief|head|council|committee|service|office|department|kremlin|white house|state department|newspaper|channel|tv|presenter|host|pundits?|scholars?|professor|researchers?|residents?|protesters?|opposition|party|эксперт\p{L}*|министр\p{L}*|президент\p{L}*|глав\p{L}*|мид|власт\p{L}*|представител\p{L}*|сми|политолог\p{L}*|аналитик\p{L}*|депутат\p{L}*|лидер\p{L}*|пресс-служб\p{L}*|ведомств\p{L}*|посол|кремл\p{L}*|правительств\p{L}*|оппозици\p{L}*)(?!\p{L})/iu;
// Capitalised sentence starters that are not names.
const NOT_NAMES = new Set('the this that these those it its there such some many most all both each several other another new recent in on at for with as after before during while when if'.split(' '));

/** A subject phrase: short, no clause inside, and looking like a speaker — a pronoun, a
 * speaker noun, a name (capitals beyond the first word), or one capitalised word that the
 * article never writes in lower case ("Beijing", not "Bilateral"). */
function plausibleSubject(s: string, fullText: string): boolean {
  const t = s.trim();
  const words = t.split(/\s+/);
  if (!t || words.length > 10) return false;
  if (/(?<!\p{L})(?:that|which|who|was|were|is|are|will|would|if|when|because|что|который|которые)(?!\p{L})/iu.test(t)) return false;
  if (/^(?:he|she|they|он|она|они)$/i.test(t)) return true;
  if (!/^[\p{Lu}]|^the\s/u.test(t)) return false;
  if (SPEAKER_NOUN.test(t)) return true;
  if (words.slice(1).some((w) => /^[\p{Lu}]/u.test(w))) return true;
  if (words.length === 1) {
    const w = words[0]!.replace(/[’']s$/, '');
    if (NOT_NAMES.has(w.toLowerCase())) return false;
    return !new RegExp(`(?<!\\p{L})${w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(fullText);
  }
  return false;
}

const ZH_ROLE = /^(?:.*?(?:国务委员兼国防部长|国防部长|外交部长|外长|总统|主席|国务委员|发言人|部长|总理|大使|首相|领导人|司令|书记))/u;
function stripZhRole(s: string): string {
  const stripped = s.replace(ZH_ROLE, '');
  return stripped.length >= 2 ? stripped : s;
}
