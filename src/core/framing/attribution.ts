// Who voices a frame: a quoted or reported speaker ("Wei Fenghe", "Tokayev", "the Defense
// Ministry"), or null for the outlet's own voice. Attribution is decided per trigger, not per
// sentence: in "Protests turned violent, and the president called the unrest a coup" only the
// coup is the president's.
//
// A sentence is read as speech acts, each a speaker and the span of the sentence it voices:
//   inner   a reporting verb after its subject voices what follows it: "Tokayev claimed that
//           …", "the Kazakh leader called the unrest a coup", "Lavrov accused the West of …",
//           "…, adding that …" (the speaker before), Kazakh/Uzbek/Kyrgyz "Тоқаев … деп
//           мәлімдеді" (the verb ends the sentence, its subject starts it), "X's claim that …"
//   outer   a reporting clause at the end voices what precedes it: "…, Wei noted", "…,” said
//           X", "…, defense minister tells Tokayev", "«…», — заявил Лавров", "…：外交部发言人
//           表示"; so do "according to X", "по словам X", "据X", "X айтуынша", and the headline
//           forms "Lavrov: …", "…: Lavrov", "… — Лавров"
//   stance  a verb of stance ("opposes", "condemned", "urged") voices what follows it
// A trigger takes the nearest inner act before it (the innermost reported voice: in "Lavrov
// claimed X, the ministry said", X is Lavrov's), else the outer act around it, else the stance
// act (in "China opposes X, defense minister tells Y" the minister speaks, China is what he
// says), else nothing: the outlet's voice. A sentence with no act of its own that continues a
// quotation takes the speaker of the quotation: the one named where it closes ("“A. B,” Wang
// said"), or where it was introduced ("Wang said:", "The ministry quoted the minister:").
//
// Speakers are then resolved within the article: a surname or an inflected name to the full
// name written earlier ("Wei" → "Wei Fenghe", "Токаева" → "Касым-Жомарт Токаев"), a role
// ("the Kazakh leader", "the minister", "defense minister", "глава МИД", "该部长") to the person
// the text gave that role ("Kazakh President Kassym-Jomart Tokayev", "Minister of National
// Defense Wei Fenghe", "Tokayev, the Kazakh president,"), or to the head of state the
// gazetteer knows; a pronoun to the last person who spoke. A role nobody was given stays as
// written ("the Defense Ministry", "外交部发言人").
import type { CountryCode } from '../types.js';
import type { Sentence } from '../text/sentences.js';
import { PhraseIndex } from '../text/phrase.js';
import { tokenize } from '../text/tokenize.js';

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

type SpeechKind = 'report' | 'stance' | 'part' | 'sov' | 'prep' | 'post';

/** The speech lexicon as one token-phrase index (a sentence is tokenized and scanned once,
 * whatever the number of verbs), and the Chinese patterns. */
export interface CompiledSpeech {
  index: PhraseIndex<SpeechKind>;
  zhVerb: RegExp;
  zhPrep: RegExp;
}

/** A person or place the gazetteer found in the text. */
export interface KnownName {
  kind: 'country' | 'place' | 'person' | 'org' | 'region';
  cc: CountryCode | null;
  /** A head of state or government (for "the Kazakh leader"). */
  head: boolean;
  /** The name as the text writes it, and where. */
  text: string;
  start: number;
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
export function compileSpeech(s: SpeechLexicon): CompiledSpeech {
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
  };
}

/** Speech words of a sentence, by kind, with offsets in it. Words inside a hyphenated one
 * ("so-called") do not count. */
interface SpeechWord {
  kind: SpeechKind;
  at: number;
  end: number;
}
function speechWords(t: string, sp: CompiledSpeech): SpeechWord[] {
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

// ---------------------------------------------------------------------------------------------
// Roles: what a phrase says about a person's office and country.

/** Nationality or country words (English, Russian, Kazakh, Uzbek, Kyrgyz) → country key. */
const NATIONALITY: [RegExp, string][] = [
  [/^(kazakh|kazak|qazaq|qozog|qozoq|казах|қазақ|қр$)/, 'KZ'],
  [/^(kyrgyz|kirgiz|kirghiz|qirg|киргиз|кыргыз|қырғыз)/, 'KG'],
  [/^(tajik|tadjik|tojik|таджик|тоҷик|тәжік)/, 'TJ'],
  [/^(turkmen|туркмен|түркмен)/, 'TM'],
  [/^(uzbek|o'zbek|ozbek|узбек|ўзбек|өзбек)/, 'UZ'],
  [/^(chin|beijing|китай|кнр$|пекин|қытай|xitoy)/, 'CN'],
  [/^(russia|kremlin|moscow|росси|рф$|кремл|москв|ресей|rossiya)/, 'RU'],
  [/^(american|america|us$|u\.s|washington|сша$|америк|вашингтон|ақш)/, 'US'],
];
/** Office words → role keys. */
const HEAD_WORDS: [RegExp, string][] = [
  [/^(president|prezident|leader|head|chief|президент|лидер|глав|elbasy|басшы|башчы|rahbar|раҳбар|руководител|төраға)/, 'head'],
  [/^(premier|prime|премьер)/, 'pm'],
  [/^(minister|министр|vazir|вазир)/, 'minister'],
  [/^(ministry|министерств|мид$|вазирлиг|министрлиг)/, 'ministry'],
  [/^(defen[cs]e|оборон|қорғаныс|mudofaa|коргоо)/, 'defense'],
  [/^(foreign|иностранн|сыртқы|tashqi|ташқи|тышкы)/, 'foreign'],
  [/^(spokes|пресс|представител|өкіл|vakil|өкүл)/, 'spokes'],
  [/^(ambassador|посол|елші|elchi)/, 'ambassador'],
  [/^(councill?or)/, 'councilor'],
];
/** Words that describe a person's office or origin rather than name them. */
const ROLE_WORDS = new Set(
  (
    'the a an of and for state national president vice prime minister ministry ministers councilor councillor defense defence ' +
    'foreign affairs interior internal deputy spokesperson spokesman spokeswoman spokespeople chairman chairwoman chair secretary ' +
    'general ambassador envoy senator head chief director commander leader leaders premier mayor governor king queen official ' +
    'officials officer adviser advisor press service lieutenant colonel gen major army marshal security council committee former ' +
    'acting interim then mr mrs ms dr first lady member members deputies speaker parliament parliamentary representative ' +
    'special presidential senior top military government party communist central people republic federation federal office ' +
    'department agency ' +
    'президент вице премьер министр министра министерства министерство глава главы лидер председатель заместитель посол пресс ' +
    'секретарь пресс-секретарь официальный представитель мид генеральный генсек спикер депутат директор руководитель бывший экс ' +
    'иностранных дел обороны внутренних государственный госсекретарь ' +
    'президенті министрі басшысы төрағасы сыртқы істер қорғаныс prezident prezidenti vazir vaziri tashqi ishlar mudofaa rahbari ' +
    'министри тышкы иштер башчысы'
  ).split(' '),
);
const PRONOUNS = new Set(['he', 'she', 'они', 'он', 'она', 'ол', 'u', 'they', '他', '她', '他们', '她们']);
const NOT_SPEAKERS = /^(it|this|that|these|there|which|who|we|i|you|one|some|many|most|all|reports?|the report|the statement|the article|это|этот|кто|что|мы|я|вы)$/i;

function normWord(raw: string): string {
  return raw.toLowerCase().replace(/[’']s$/, '').replace(/ʻ|’|ʼ|‘|`/g, "'");
}

function natOf(w: string): string | null {
  for (const [re, k] of NATIONALITY) if (re.test(w)) return k;
  return null;
}

function headOf(w: string): string | null {
  for (const [re, k] of HEAD_WORDS) if (re.test(w)) return k;
  return null;
}

const nounMemo = new Map<string, boolean>();
/** One word is a speaker noun ("officials", "эксперт"); memoised, as the pattern is long. */
function isSpeakerNoun(w: string): boolean {
  let r = nounMemo.get(w);
  if (r === undefined) {
    r = SPEAKER_NOUN.test(w);
    if (nounMemo.size > 20_000) nounMemo.clear();
    nounMemo.set(w, r);
  }
  return r;
}

const roleMemo = new Map<string, boolean>();
function isRoleWord(raw: string): boolean {
  let r = roleMemo.get(raw);
  if (r === undefined) {
    const w = normWord(raw);
    r = ROLE_WORDS.has(w) || headOf(w) !== null || natOf(w) !== null;
    if (roleMemo.size > 20_000) roleMemo.clear();
    roleMemo.set(raw, r);
  }
  return r;
}

/** Country and office of a role phrase ("the Kazakh leader": KZ, head; "глава МИД": minister,
 * foreign — the head of a ministry is its minister). */
function roleKeys(words: string[]): { nat: string | null; heads: Set<string> } {
  let nat: string | null = null;
  const heads = new Set<string>();
  for (const raw of words) {
    const w = normWord(raw);
    if (w === 'мид') {
      heads.add('ministry');
      heads.add('foreign');
      continue;
    }
    nat ??= natOf(w);
    const h = headOf(w);
    if (h) heads.add(h);
  }
  if (heads.has('head') && heads.has('ministry')) {
    heads.delete('head');
    heads.delete('ministry');
    heads.add('minister');
  }
  return { nat, heads };
}

// Chinese roles, longest first, with their keys.
const ZH_ROLES: [string, string[]][] = [
  ['国务委员兼国防部长', ['councilor', 'minister', 'defense']],
  ['国务委员兼外交部长', ['councilor', 'minister', 'foreign']],
  ['外交部发言人', ['spokes', 'foreign']],
  ['国防部发言人', ['spokes', 'defense']],
  ['国防部长', ['minister', 'defense']],
  ['外交部长', ['minister', 'foreign']],
  ['国务委员', ['councilor']],
  ['领导人', ['head']],
  ['发言人', ['spokes']],
  ['外长', ['minister', 'foreign']],
  ['部长', ['minister']],
  ['总统', ['head']],
  ['主席', ['head']],
  ['总理', ['pm']],
  ['大使', ['ambassador']],
  ['首相', ['pm']],
];
const ZH_NATIONS: [string, string][] = [
  ['哈萨克斯坦', 'KZ'], ['吉尔吉斯斯坦', 'KG'], ['塔吉克斯坦', 'TJ'], ['土库曼斯坦', 'TM'], ['乌兹别克斯坦', 'UZ'],
  ['中国', 'CN'], ['中方', 'CN'], ['俄罗斯', 'RU'], ['俄方', 'RU'], ['美国', 'US'], ['美方', 'US'], ['哈方', 'KZ'],
  // Abbreviations, only where a role follows ("俄外长", "哈总统").
  ['俄', 'RU'], ['美', 'US'], ['哈', 'KZ'], ['吉', 'KG'], ['乌', 'UZ'], ['塔', 'TJ'], ['土', 'TM'], ['中', 'CN'],
];
const ZH_ROLE_RE = new RegExp(
  `(${ZH_NATIONS.map((n) => n[0]).join('|')})?(${ZH_ROLES.map((r) => r[0]).join('|')})([\\p{Script=Han}·]{2,14})`,
  'gu',
);
// What may follow a Chinese name: a verb of speech or meeting, or a particle or time word.
const ZH_AFTER_NAME_STRONG = /^(?:表示|指出|强调|说|称|认为|宣布|警告|声称|提到|重申|会见|会晤|访问|出席|发表|接受|主持|参加|举行|透露|告诉|呼吁|谴责|致电|通电话)/u;
const ZH_AFTER_NAME_WEAK = /^(?:在|于|对|向|与|和|同|就|时|的|是|也|还|曾|已|将|周|今|昨|日前|近日|上午|下午|率|致|，|。|、)/u;
const ZH_NAME_END = /周[一二三四五六日末]|今天|昨天|明天|日前|近日|上午|下午|晚间|当天|本周|此前|[在于，。、：“”]/u;

function zhRoleKeys(s: string): { nat: string | null; heads: Set<string>; rest: string } {
  let rest = s.replace(/^(?:该|这位|此|上述|那位)/u, '');
  let nat: string | null = null;
  for (const [n, k] of ZH_NATIONS)
    if (rest.startsWith(n)) {
      nat = k;
      rest = rest.slice(n.length);
      break;
    }
  const heads = new Set<string>();
  for (const [r, keys] of ZH_ROLES) {
    const at = rest.indexOf(r);
    if (at >= 0) {
      for (const k of keys) heads.add(k);
      rest = rest.slice(0, at) + rest.slice(at + r.length);
      break;
    }
  }
  return { nat, heads, rest };
}

/** The name at the start of `s` (after a Chinese role), or a transliteration with "·": the
 * shortest one followed by a verb of speech or meeting ("魏凤和表示"), else the shortest one
 * followed by a particle or a time word ("王毅在", "特列乌别尔季周二"). */
function zhNameAt(text: string): string | null {
  const dot = /^[\p{Script=Han}]{1,8}·[\p{Script=Han}]{1,8}/u.exec(text);
  if (dot) return dot[0];
  // A verb or particle is not a name ("外交部发言人表示"); a time word ends one.
  if (ZH_AFTER_NAME_STRONG.test(text) || ZH_AFTER_NAME_WEAK.test(text)) return null;
  const hard = ZH_NAME_END.exec(text);
  const s = hard && hard.index >= 2 ? text.slice(0, hard.index) : text;
  for (const re of [ZH_AFTER_NAME_STRONG, ZH_AFTER_NAME_WEAK])
    for (let len = 2; len <= Math.min(10, s.length); len++) {
      const after = s.slice(len);
      if (re.test(after)) return s.slice(0, len);
    }
  return s !== text && s.length <= 10 ? s : null;
}

// ---------------------------------------------------------------------------------------------
// Speech acts of one sentence.

interface Act {
  /** The speaker phrase as written (resolved later). */
  speaker: string;
  /** The span of the sentence it voices (offsets in the sentence text). */
  from: number;
  to: number;
  /** `about`: "Об этом заявил X", "Бұл туралы X мәлімдеді", "This was stated by X" — X voices
   * the sentences before it in the paragraph (the span is empty). */
  kind: 'inner' | 'outer' | 'stance' | 'about';
  /** Only a speaker the article names as a person elsewhere ("… — Лавров", not "… — RT"). */
  strict?: boolean;
}

const ABOUT_THIS =
  /^\s*(?:об этом|о том же|об этом же|this was (?:stated|said|announced|reported|claimed) by|that is according to|that's according to|бұл туралы|bu haqda|бу ҳақда|бул тууралуу|бул тууралу)(?![\p{L}])/iu;

const INTRO =
  /^(?:(?:however|but|and|meanwhile|earlier|later|previously|also|yet|still|then|now|separately|in response|at the time|in turn|for (?:his|her|their) part|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|однако|между тем|ранее|позже|также|кроме того|при этом|в свою очередь|в то же время|тем временем),?\s+)+/iu;
const ADVERB_TAIL =
  /(?:\s+(?:has|have|had|also|further|later|then|reportedly|repeatedly|again|previously|recently|once|already|even|publicly|openly|firmly|strongly|flatly|explicitly|notably|\p{Ll}+ly|также|уже|ранее|вновь|снова|неоднократно|публично|открыто|прямо|даже|якобы))+$/u;
const RELATIVE = /^(?:which|that|whom|что|которые|которую|который|которая)\s+/iu;
// "В МИД Киргизии назвали …", "В Кремле заявили …": the institution is the speaker (not in
// "в Москве считают", where a city stands for nobody in particular).
const RU_PLACE_PREP = /^(?:в|во|из|у)\s+(?=\p{Lu})/u;
// A phrase set off by commas between a subject and its verb.
const APPOSITIVE =
  /^(?:who|which|whose|the|a|an|speaking|writing|addressing|in|at|on|during|after|before|according|however|meanwhile|though|too|also|moreover|nevertheless|for (?:his|her|their|its) part|который|которая|которые|выступая|говоря|в|на|по|однако|впрочем|тем не менее|в свою очередь|также)(?![\p{L}])/iu;
// A prepositional or adverbial phrase between a speaker and the verb.
const ADVERBIAL =
  /^\s*,?\s*(?:in|at|on|during|after|before|speaking|while|when|earlier|later|в|во|на|по|после|перед|при|во время|накануне|ранее|также|в понедельник|во вторник)(?![\p{L}])/iu;
// A passive verb of framing and its agent: "was described as … by", "were branded … by".
const PASSIVE =
  /(?<![\p{L}])(?:was|were|is|are|been|being)\s+(?:\p{L}+ly\s+)?(?:called|described|labell?ed|branded|termed|dubbed|characteri[sz]ed|portrayed|denounced)(?![\p{L}])[^.;:!?]{0,120}?\sby(?=\s)/iu;
// A speaker phrase must contain one of these, be a pronoun, or look like a name.
const SPEAKER_NOUN =
  /(?<!\p{L})(?:leader|president|minister|ministry|official|officials|spokes\p{L}*|experts?|analysts?|critics?|observers?|diplomats?|authorities|government|media|outlets?|agency|police|prosecutors?|sources?|embassy|army|military|commentators?|activists?|politicians?|lawmakers?|deputies|deputy|mps?|senator|ambassador|envoy|chairman|chief|head|council|committee|service|office|department|kremlin|white house|state department|newspaper|channel|tv|television|broadcaster|radio|presenter|host|pundits?|scholars?|professor|researchers?|residents?|protesters?|opposition|party|premier|councill?or|secretary|эксперт\p{L}*|министр\p{L}*|президент\p{L}*|глав\p{L}*|мид|власт\p{L}*|представител\p{L}*|сми|политолог\p{L}*|аналитик\p{L}*|депутат\p{L}*|лидер\p{L}*|пресс-секретар\p{L}*|пресс-служб\p{L}*|ведомств\p{L}*|посол|кремл\p{L}*|правительств\p{L}*|оппозици\p{L}*|телевидени\p{L}*|телеканал\p{L}*|газет\p{L}*|ведущ\p{L}*|сарапшы\p{L}*|басшы\p{L}*|ekspert\p{L}*|vazir\p{L}*|prezident\p{L}*|rahbar\p{L}*|башчы\p{L}*|қызмет\p{L}*|министрлі\p{L}*|үкімет\p{L}*|депутат\p{L}*|өкіл\p{L}*|хатшы\p{L}*|xizmat\p{L}*|vazirlig\p{L}*|hukumat\p{L}*|vakil\p{L}*|кызмат\p{L}*|министрлиг\p{L}*|өкмөт\p{L}*|өкүл\p{L}*)(?!\p{L})/iu;
// Capitalised sentence starters that are not names.
const NOT_NAMES = new Set(
  (
    'the this that these those it its there such some many most all both each several other another new recent in on at for with as after before during while when if however but and also note update source photo video watch read key breaking opinion analysis comment exclusive editorial live q a ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'so thus because since although though whether where why how what ' +
    'это в на по после фото видео источник подробнее мнение важно напомним итак как так когда если хотя однако также кроме именно ранее позже затем между тем при для о об'
  ).split(' '),
);
// What may follow a reporting verb that ends a sentence: "…, Wei said on Monday", "…, minister
// tells Tokayev"; not a clause of its own ("Tokayev said order was restored").
const CLAUSE_WORDS =
  /(?<!\p{L})(?:that|what|whether|is|are|was|were|will|would|can|could|must|should|has|have|had|does|do|did|что|чтобы|будет|был|была|были|является)(?!\p{L})/iu;

/** The article, and (made on first use) the words it writes in lower case. */
interface Ctx {
  text: string;
  lower?: Set<string>;
}

function writtenLower(ctx: Ctx, w: string): boolean {
  if (!ctx.lower) {
    ctx.lower = new Set();
    for (const m of ctx.text.matchAll(/(?<![\p{L}\p{M}])\p{Ll}[\p{L}\p{M}]*/gu)) ctx.lower.add(m[0]);
  }
  return ctx.lower.has(w);
}

/** A subject phrase: short, no clause inside, and looking like a speaker — a pronoun, a
 * speaker noun ("the Kazakh leader", "defense minister"), a name (capitals beyond the first
 * word), or one capitalised word that the article never writes in lower case ("Beijing", not
 * "Bilateral"). */
function plausibleSubject(s: string, ctx: Ctx): boolean {
  if (s.length > 200) return false;
  const t = s.trim();
  if (!t) return false;
  const words = t.split(/\s+/);
  if (words.length > 10) return false;
  if (/(?<!\p{L})(?:that|which|who|whom|whose|was|were|is|are|will|would|if|when|because|что|котор\p{L}*|чей|чья|чьи)(?!\p{L})/iu.test(t)) return false;
  if (PRONOUNS.has(t.toLowerCase())) return true;
  if (NOT_SPEAKERS.test(t)) return false;
  if (SPEAKER_NOUN.test(t)) return true;
  if (!/^[\p{Lu}]/u.test(t)) return false;
  if (words.slice(1).some((w) => /^[\p{Lu}]/u.test(w))) return true;
  if (words.length === 1) {
    const w = normWord(words[0]!);
    if (NOT_NAMES.has(w)) return false;
    return !writtenLower(ctx, w);
  }
  return false;
}

/** The speaker phrase right after an inverted verb ("…, said Chinese State Councilor and
 * Minister of National Defense Wei Fenghe during …", "— заявил глава МИД России Сергей
 * Лавров журналистам"): capitalised words, role words and connectors. */
function phraseAfter(s: string): string | null {
  const toks = s.slice(0, 300).trim().split(/\s+/);
  const first = toks[0]?.replace(/[.,;:!?"”’»)]+$/, '') ?? '';
  if (PRONOUNS.has(first.toLowerCase())) return first;
  const out: string[] = [];
  for (const t of toks) {
    const clean = t.replace(/[.,;:!?"”’»)]+$/, '');
    const lower = clean.toLowerCase();
    const ok =
      /^[\p{Lu}]/u.test(clean) ||
      isRoleWord(clean) ||
      isSpeakerNoun(clean) ||
      (out.length > 0 && /^(of|and|for|the|по)$/.test(lower)) ||
      (out.length === 0 && lower === 'the');
    if (!ok || !clean) break;
    out.push(clean);
    if (clean !== t) break;
  }
  while (out.length && /^(of|and|for|the|по)$/i.test(out[out.length - 1]!)) out.pop();
  if (!out.length) return null;
  const phrase = out.join(' ');
  return out.some((w) => /^[\p{Lu}]/u.test(w)) || SPEAKER_NOUN.test(phrase) ? phrase : null;
}

/** `phraseAfter`, or the name set off after it: "said the head of the National Security
 * Committee, Ermek Sagimbayev." → Ermek Sagimbayev. */
function withNameAfter(s: string): string | null {
  const p = phraseAfter(s);
  if (!p) return null;
  const rest = s.slice(s.indexOf(p) + p.length);
  const name = /^\s*,\s*((?:\p{Lu}[\p{L}'’-]*\s+){0,3}\p{Lu}[\p{L}'’-]*)\s*(?:[.,;!?”"»]|$)/u.exec(rest);
  return name && !NOT_NAMES.has(normWord(name[1]!)) ? name[1]! : p;
}

/** Where the clause that ends at `end` starts: after the last separator or coordinating
 * conjunction. `conj`: the clause starts with a conjunction (its subject may be left out);
 * `bare`: one with no comma before it, which may join two nouns instead ("NATO and the State
 * Department say"); `bareConj` false skips those. */
function clauseStart(t: string, end: number, bareConj = true): { at: number; sep: boolean; conj: boolean; bare: boolean } {
  // A subject is a few words: the scan stops SUBJECT_SPAN characters back (long texts without
  // punctuation would make it quadratic otherwise).
  const stop = Math.max(0, end - SUBJECT_SPAN);
  let i = end;
  while (i > stop) {
    const ch = t[i - 1]!;
    if (SEPARATORS.has(ch) || ((ch === '—' || ch === '–') && (t[i] === undefined || t[i] === ' '))) return { at: i, sep: true, conj: false, bare: false };
    if (ch === ' ') {
      // The word before this space: a coordinating conjunction?
      let w = i - 1;
      while (w > 0 && t[w - 1] !== ' ' && w > i - 10) w--;
      if (CONJUNCTIONS.has(t.slice(w, i - 1).toLowerCase())) {
        let b = w;
        while (b > 0 && (t[b - 1] === ' ' || t[b - 1] === '\t')) b--;
        const bare = b === 0 || (t[b - 1] !== ',' && t[b - 1] !== ';');
        if (b > 0 && (bareConj || !bare)) return { at: i, sep: true, conj: true, bare };
      }
    }
    i--;
  }
  return { at: stop, sep: false, conj: false, bare: false };
}

const SUBJECT_SPAN = 160;
const MAX_VERBS = 24;
const SEPARATORS = new Set([',', ';', ':', '(', ')', '“', '”', '"', '«', '»', '„']);
const CONJUNCTIONS = new Set(['and', 'but', 'while', 'as', 'whereas', 'although', 'though', 'because', 'и', 'а', 'но', 'однако', 'хотя', 'пока']);

function findActs(t: string, sp: CompiledSpeech, ctx: Ctx): Act[] {
  const n = t.length;
  const acts: Act[] = [];
  if (/[\u4e00-\u9fff]/.test(t) && (t.match(/[\u4e00-\u9fff]/g) ?? []).length * 3 > n) return findActsZh(t, sp);

  // "according to X", "по словам X", "X айтуынша": the whole sentence.
  // Cheap substring tests gate the regexes below (most sentences have none of these forms).
  const lower = t.toLowerCase();
  const acc = lower.includes('according to') ? /(?:^|[\s,(])according to\s+([^,;.:()]{2,80})/i.exec(t) : null;
  if (acc) acts.push({ speaker: acc[1]!, from: 0, to: n, kind: 'outer' });
  const words = speechWords(t, sp);
  // "по словам X", "как заявил X": X is what follows, to the next punctuation.
  const rp = words.find((w) => w.kind === 'prep');
  if (rp) {
    const x = /^\s+([^,.;:()«»"“”]{1,80})/.exec(t.slice(rp.end));
    if (x) acts.push({ speaker: x[1]!, from: 0, to: n, kind: 'outer' });
  }
  // "Тоқаевтың айтуынша": the words before.
  const pp = words.find((w) => w.kind === 'post');
  if (pp) {
    const words = t.slice(Math.max(0, pp.at - 80), pp.at).trim().split(/\s+/);
    const keep: string[] = [];
    for (let k = words.length - 1; k >= 0 && keep.length < 4; k--) {
      if (!/^[\p{Lu}]/u.test(words[k]!) && !isRoleWord(words[k]!)) break;
      keep.unshift(words[k]!);
    }
    if (keep.length) acts.push({ speaker: stripTurkicCase(keep.join(' ')), from: 0, to: n, kind: 'outer' });
  }

  // "Об этом заявил глава МИД Сергей Лавров.", "Бұл туралы Тоқаев мәлімдеді."
  const about = ABOUT_THIS.exec(t);
  if (about) {
    const rest = t.slice(about[0].length);
    const byAgent = /by$/i.test(about[0]);
    const w = byAgent ? undefined : words.find((x) => x.at >= about[0].length && (x.kind === 'report' || x.kind === 'sov'));
    const v = w ? { index: w.at - about[0].length, length: w.end - w.at } : null;
    const after = byAgent ? phraseAfter(rest) ?? rest.replace(/[.!?]\s*$/, '').trim() : v ? phraseAfter(rest.slice(v.index + v.length)) : null;
    const before = v ? rest.slice(0, v.index).trim() : '';
    const who = after ?? (before && plausibleSubject(before, ctx) ? before : null);
    if (who) return [{ speaker: who, from: 0, to: 0, kind: 'about' }];
  }

  // Headlines: "Lavrov: …" (a name or role, no verb, before a colon at the start).
  // A label ("Laundromat:", "The Trend Last Time:") is not a speaker: a colon head must be
  // an office, a name of two words, a surname, or a person the article names (strict).
  const colonHead = /^\s*([^:："“«]{2,60}?)\s*[:：]\s+\S/.exec(t);
  if (colonHead && personLike(colonHead[1]!, ctx) && !/^(?:the|a|an|this|these|our|my)\s/i.test(colonHead[1]!)) {
    const h = colonHead[1]!.trim();
    const nameLike = SPEAKER_NOUN.test(h) || h.split(/\s+/).length >= 2 || SURNAME.test(h);
    acts.push({ speaker: h, from: colonHead[0].length - 1, to: n, kind: 'outer', ...(nameLike ? {} : { strict: true }) });
  }
  // "…: Lavrov", "… — Лавров" at the end (after a dash, which also precedes an outlet's name,
  // only a person the article names).
  const end = t.slice(-60);
  const tail = /([:：]|\s[—–|]|\s-)\s*([^:：—–|,.!?"“”«»]{2,40}?)\s*[.!?]?\s*$/.exec(end);
  const tailAt = tail ? n - end.length + tail.index : -1;
  if (tail && tailAt > 10 && personLike(tail[2]!, ctx))
    acts.push({ speaker: tail[2]!, from: 0, to: tailAt, kind: 'outer', ...(/[:：]/.test(tail[1]!) ? {} : { strict: true }) });

  // Verbs.
  // (Prose has a few verbs of speech in a sentence; a text with hundreds is not prose.)
  const verbs = words.filter((w) => w.kind === 'report' || w.kind === 'sov' || w.kind === 'stance' || w.kind === 'part').slice(0, MAX_VERBS);
  let last: string | null = null;
  for (const v of verbs) {
    // What precedes the verb, as a short window: $-anchored patterns would retry from every
    // position of a long one, and slices of it would make long sentences quadratic.
    const nearFrom = Math.max(0, v.at - 80);
    const near = t.slice(nearFrom, v.at);
    if (v.kind === 'part') {
      // "…, Wei said, adding that …": the speaker of the clause before.
      if (last && /,\s*$/.test(near)) acts.push({ speaker: last, from: v.end, to: n, kind: 'inner' });
      continue;
    }
    // Subject, then verb.
    const trimmed = near.trimEnd();
    const advs = ADVERB_TAIL.exec(trimmed);
    const subjEnd = nearFrom + trimmed.length - (advs ? advs[0].length : 0);
    let cs = clauseStart(t, subjEnd);
    let subject = t.slice(cs.at, subjEnd).trim().replace(INTRO, '').replace(RELATIVE, '').trim();
    if (RU_PLACE_PREP.test(subject) && SPEAKER_NOUN.test(subject)) subject = subject.replace(RU_PLACE_PREP, '');
    // A verb of speech in the subject ("Critics dismissed the government's claims"), or a
    // possessive or determiner before the word ("the government's claims", "his warning"):
    // the word is a noun here, not this clause's verb.
    if (words.some((w) => w !== v && w.at >= cs.at && w.end <= subjEnd) || /(?:['’]s|(?<![\p{L}])(?:the|a|an|his|her|their|its|our|these|those|such|any|all))$/iu.test(subject)) continue;
    if (subject && cs.bare) {
      // "NATO, Pentagon and the State Department say": one subject of several nouns.
      cs = clauseStart(t, subjEnd, false);
      subject = t.slice(cs.at, subjEnd).trim().replace(INTRO, '').replace(RELATIVE, '').trim();
    }
    if (!subject && cs.conj) subject = last ?? phraseAfter(t.replace(INTRO, '')) ?? ''; // "…, and claimed that …"
    // "Tokayev, the Kazakh president, said", "Lavrov, speaking in Astana, said", "Tokayev, who
    // chaired the meeting, said": the subject opens the sentence, before an appositive,
    // relative or participial phrase.
    if (!subject && !cs.conj && cs.at > 0 && t[cs.at - 1] === ',') {
      for (let back = 0, at = cs.at - 1; back < 2 && at > 0 && t[at] === ','; back++) {
        const prev = clauseStart(t, at);
        const seg = t.slice(prev.at, at).trim();
        // "Russia's ambassador to Kazakhstan, Alexei Borodavkin, said": a name set off after
        // the role that opens the sentence.
        if (back === 0 && prev.sep && t[prev.at - 1] === ',' && /^[\p{Lu}]/u.test(seg) && plausibleSubject(seg, ctx)) {
          const role = t.slice(0, prev.at - 1).replace(INTRO, '').trim();
          if (role && !role.includes(',') && SPEAKER_NOUN.test(role) && plausibleSubject(role, ctx)) {
            subject = seg;
            break;
          }
        }
        if (prev.at === 0 || !prev.sep) {
          const head = seg.replace(INTRO, '').trim();
          if (back > 0 && plausibleSubject(head, ctx)) subject = head;
          break;
        }
        if (!APPOSITIVE.test(seg) && !SPEAKER_NOUN.test(seg)) break;
        at = prev.at - 1;
      }
    }
    // "Токаев в своём выступлении назвал …", "Lavrov at a news conference in Moscow said …":
    // the speaker, then an adverbial phrase.
    if (subject && subject.includes(' ')) {
      const lead = phraseAfter(subject);
      if (lead && lead.length < subject.length && ADVERBIAL.test(subject.slice(lead.length))) subject = lead;
    }
    if (!subject || !plausibleSubject(subject, ctx)) {
      // Inverted, after a comma, closing quote or dash: "…, said X", "«…», — заявил X".
      const inv = /(?:[,;]|[”"»’]|\s[—–-])\s*(?:[—–-]\s*)?$/.exec(near);
      const invAt = inv ? nearFrom + inv.index : -1;
      if (inv && invAt > 0) {
        const subj = withNameAfter(t.slice(v.end));
        if (subj) {
          acts.push({ speaker: subj, from: 0, to: quotedTo(t, invAt), kind: 'outer' });
          last = subj;
        }
      }
      continue;
    }
    last = subject;
    // A reporting clause that ends the sentence voices what precedes it.
    const after = t.slice(v.end).replace(/[\s.!?…"”»’)]+$/, '');
    const adjunct = after.trim();
    const isTail =
      cs.sep &&
      !cs.conj &&
      t.slice(0, cs.at - 1).trim().length > 0 &&
      adjunct.length <= 60 &&
      adjunct.split(/\s+/).length <= 8 &&
      !CLAUSE_WORDS.test(adjunct) &&
      !/[,;:]/.test(adjunct);
    if (isTail && (v.kind === 'report' || v.kind === 'sov')) acts.push({ speaker: subject, from: 0, to: quotedTo(t, cs.at - 1), kind: 'outer' });
    // “A,” Tokayev told parliament, “B.”: the clause after a quotation voices it too.
    else if (cs.sep && v.kind !== 'stance' && /[”»"]\s*,?\s*$|,\s*[”»"]\s*$/.test(t.slice(Math.max(0, cs.at - 4), cs.at))) {
      acts.push({ speaker: subject, from: 0, to: cs.at - 1, kind: 'outer' });
      acts.push({ speaker: subject, from: v.at, to: n, kind: 'inner' });
    }
    // The verb itself is voiced too ("Tokayev dismissed claims of …": the rebuttal is his).
    else acts.push({ speaker: subject, from: v.at, to: n, kind: v.kind === 'stance' ? 'stance' : 'inner' });
  }

  // Passive: "the unrest was labelled a coup attempt by the Kazakh authorities".
  const pas = lower.includes(' by ') ? PASSIVE.exec(t) : null;
  if (pas) {
    const agent = /^\s*((?:[\p{L}'’.-]+\s+){0,5}?[\p{L}'’.-]+?)(?=\s*(?:[,.;:!?]|$|\s(?:and|but|as|in|on|during|after|because)\s))/u.exec(t.slice(pas.index + pas[0].length));
    if (agent && plausibleSubject(agent[1]!, ctx)) acts.push({ speaker: agent[1]!, from: 0, to: n, kind: 'outer' });
  }
  // "X's claim that …", "Tokayev's allegations of …".
  // (Looked for in a window before each "'s", so a long run of capitals costs no backtracking.)
  for (const m of t.matchAll(/['’]s\s+(?:claims?|allegations?|accusations?|warnings?|narrative|assertions?|statements?|remarks|words|description|characteri[sz]ation|portrayal|version|rhetoric)(?![\p{L}])/gu)) {
    const from = Math.max(0, m.index - 60);
    const who = /(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,4})$/u.exec(t.slice(from, m.index));
    if (who) {
      acts.push({ speaker: who[1]!, from: m.index + m[0].length, to: n, kind: 'inner' });
      break;
    }
  }

  // Kazakh, Uzbek, Kyrgyz: "Тоқаев … деп мәлімдеді."
  const sov = words.length ? words[words.length - 1]! : null;
  if (sov && sov.kind === 'sov' && /^[\s.!?…"”»’)]*$/.test(t.slice(sov.end))) {
    const subj = leadingSubject(t);
    if (subj && plausibleSubject(subj.text, ctx)) acts.push({ speaker: subj.text, from: subj.end, to: sov.at, kind: 'inner' });
  }
  return acts;
}

/** Where a reporting clause at `to` stops voicing: at `to`, or, when it interrupts a
 * quotation that goes on after it («A, — сказал Песков. — B», “A,” Wang said, “B”), at the
 * end of the sentence. */
function quotedTo(t: string, to: number): number {
  const before = t.slice(Math.max(0, to - 2000), to);
  const opened = count(before, /[“«„]/g) > count(before, /[”»]/g) || /^\s*["“«„]/.test(t) || /^\s*[—–-]\s/.test(t);
  return opened && /[”»"]/.test(t.slice(to + 1)) ? t.length : to;
}

/** The subject that starts a Kazakh/Uzbek/Kyrgyz sentence: capitalised words and offices, up
 * to a word in the genitive, dative or ablative (which starts the object instead). */
function leadingSubject(t: string): { text: string; end: number } | null {
  const re = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’.-]*/gu;
  const words: { w: string; end: number }[] = [];
  let m: RegExpExecArray | null;
  let office = false;
  const start = /^[\s«"“„]*/.exec(t)![0].length;
  re.lastIndex = start;
  while ((m = re.exec(t)) !== null && words.length < 7) {
    if (words.length && /[,;:«»"“”]/.test(t.slice(words[words.length - 1]!.end, m.index))) break;
    const w = m[0];
    const cap = /^[\p{Lu}]/u.test(w);
    if (!cap && !isRoleWord(w)) break;
    if (words.length > 0 && CASE_SUFFIX.test(w) && !isRoleWord(w)) break;
    // After the office word ("басшысы", "vaziri") only a name may follow.
    if (office && !(cap && !isRoleWord(w))) break;
    if (headOf(normWord(w)) && !/^(?:foreign|иностранн|сыртқы|tashqi|тышкы|defen|оборон|қорғаныс|mudofaa|коргоо)/iu.test(w)) office = true;
    words.push({ w, end: m.index + w.length });
  }
  if (!words.length) return null;
  return { text: words.map((x) => x.w).join(' '), end: words[words.length - 1]!.end };
}
const CASE_SUFFIX = /(?:ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|нан|нен|дан|ден|тан|тен|нын|нин|дын|дин|тын|тин|нун|нүн|дун|дүн|ning|ga|dan|нинг|га|дан)$/iu;

/** "Тоқаевтың" → "Тоқаев", "Mirziyoyevning" → "Mirziyoyev". */
function stripTurkicCase(s: string): string {
  return s.replace(/(?:ның|нің|дың|дің|тың|тің|нын|нин|дын|дин|тын|тин|нун|нүн|дун|дүн|ning|нинг)$/iu, '');
}

/** A headline speaker: a role, or a person's name (not a place the gazetteer knows, not a
 * label such as "Update" or "Фото"). */
function personLike(s: string, ctx: Ctx): boolean {
  const t = s.trim();
  const words = t.split(/\s+/);
  if (words.length > 5 || !t) return false;
  if (NOT_NAMES.has(normWord(words[0]!)) && words.length === 1) return false;
  if (SPEAKER_NOUN.test(t)) return true;
  if (!words.every((w) => /^[\p{Lu}]/u.test(w) || isRoleWord(w))) return false;
  if (words.some((w) => natOf(normWord(w)) !== null) && !words.some((w) => headOf(normWord(w)))) return false;
  return plausibleSubject(t, ctx);
}

function findActsZh(t: string, sp: CompiledSpeech): Act[] {
  const n = t.length;
  const acts: Act[] = [];
  const pm = sp.zhPrep.exec(t);
  if (pm) acts.push({ speaker: pm[1]!, from: 0, to: n, kind: 'outer' });
  // "新华社援引托卡耶夫的话说": the one quoted speaks.
  const cite = /援引([\p{Script=Han}·]{2,20}?)的话/u.exec(t);
  if (cite) acts.push({ speaker: cite[1]!, from: cite.index + cite[0].length, to: n, kind: 'inner' });
  const colon = /^\s*([\p{Script=Han}·]{2,12})[：:]/u.exec(t);
  if (colon && !/[表示说称]$/.test(colon[1]!)) acts.push({ speaker: colon[1]!, from: colon[0].length, to: n, kind: 'outer' });
  // Clauses between Chinese commas and colons.
  const re = /[^，,：:；;。！？!?“”「」]+/gu;
  const clauses: { at: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) clauses.push({ at: m.index, end: m.index + m[0].length });
  clauses.forEach((c, ci) => {
    const text = t.slice(c.at, c.end);
    sp.zhVerb.lastIndex = 0;
    let v: RegExpExecArray | null;
    while ((v = sp.zhVerb.exec(text)) !== null) {
      let subj = text.slice(0, v.index).trim();
      subj = subj.replace(/^(?:但|而|同时|此外|另外|并|还)/u, '');
      const cut = /(?:在|于|对|向|就|今天|昨天|日前|近日|周[一二三四五六日]|上午|下午|晚间|也|还|曾|再次|进一步|明确|同日|\d|[一二三四五六七八九十]+日)/u.exec(subj);
      if (cut && cut.index >= 1) subj = subj.slice(0, cut.index);
      if (subj.length < 1 || subj.length > 20 || /被$/.test(subj) || /援引|引述/.test(subj) || !/^[\p{Script=Han}·]+$/u.test(subj)) continue;
      const rest = text.slice(v.index + v[0].length).trim();
      const lastClause = ci === clauses.length - 1 || t.slice(c.end).replace(/[。！？!?”」\s]/g, '') === '';
      if (rest === '' && lastClause && c.at > 0) acts.push({ speaker: subj, from: 0, to: c.at, kind: 'outer' });
      else acts.push({ speaker: subj, from: c.at + v.index + v[0].length, to: n, kind: 'inner' });
      break;
    }
  });
  return acts;
}

/** The act that voices offset `pos`: the nearest inner act before it, else the outer act
 * around it, else (`quoted`: the speaker of a quotation the sentence belongs to, if any) the
 * stance act. `ok` vets strict acts. */
function choose(acts: Act[], pos: number, ok: (a: Act) => boolean): { inner: Act | null; outer: Act | null; stance: Act | null } {
  let inner: Act | null = null;
  let stance: Act | null = null;
  let outer: Act | null = null;
  for (const a of acts) {
    if (pos < a.from || pos >= a.to || a.kind === 'about' || (a.strict && !ok(a))) continue;
    if (a.kind === 'inner') {
      if (!inner || a.from > inner.from) inner = a;
    } else if (a.kind === 'stance') {
      if (!stance || a.from > stance.from) stance = a;
    } else if (!outer || a.to - a.from < outer.to - outer.from) outer = a;
  }
  return { inner, outer, stance };
}

// ---------------------------------------------------------------------------------------------
// Names and roles written in the article.

interface Apposition {
  nat: string | null;
  heads: Set<string>;
  name: string;
  pos: number;
}

const WORD = /[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}’'.-]*/gu;
const CONNECTOR = /^(of|and|for|the|дел|по)$/i;

/** Lower-case key of a name token; Russian endings removed ("Токаева" → "токаев"). */
function nameKey(tok: string): string {
  const k = tok.toLowerCase().replace(/[’']s$/, '');
  if (/^[\u0400-\u04ff]+$/.test(k) && k.length >= 5) return k.replace(/(?:ым|им|ом|ем|ой|ою|ей|ую|а|у|е|ы|и|ю|я|й)$/, '');
  return k;
}

// Surnames of the region (Russian, Central Asian, Ukrainian, Belarusian forms).
const SURNAME = /^[\p{Lu}][\p{L}'’-]*(?:ov|ev|yev|in|sky|ski|enko|uk|yan|ova|eva|ina|ская|ский|ов|ев|ёв|ин|ова|ева|ина|енко|ук|ян)$/u;
const PERSON_OF = /(?<![\p{L}])(?:(?:head|chief|chairman|chairwoman|director|leader|president|minister|spokes\p{L}*|secretary)\s+of|(?:глав|руководител|председател|директор)\p{L}*\s+\p{L})/iu;
// "a statement from the Kremlin" → "the Kremlin".
const STATEMENT_OF =
  /^(?:a|an|the)\s+(?:\p{L}+\s+)?(?:statement|report|communiqu[eé]|press release|post|message|readout|briefing)\s+(?:from|by|of|issued by)\s+/iu;
// A speaker phrase that names an institution, not a person: its last noun.
const INSTITUTION =
  /(?<![\p{L}])(?:office|administration|service|ministry|government|embassy|agency|department|council|committee|apparatus|press office|пресс-служб\p{L}*|администраци\p{L}*|аппарат\p{L}*|ведомств\p{L}*|министерств\p{L}*|правительств\p{L}*|посольств\p{L}*|канцеляри\p{L}*|служб\p{L}*)$/iu;
const CALENDAR = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)/iu;

function isNameToken(tok: string, sentenceStart: boolean): boolean {
  if (!/^[\p{Lu}]/u.test(tok)) return false;
  if (isRoleWord(tok) || CALENDAR.test(tok)) return false;
  if (sentenceStart && NOT_NAMES.has(normWord(tok))) return false;
  return true;
}

export class Attributor {
  private readonly acts = new Map<number, Act[]>();
  private readonly apps: Apposition[] = [];
  /** name key → full names with where they were first seen. */
  private readonly names = new Map<string, { name: string; pos: number }[]>();
  private built = false;
  private readonly cache = new Map<string, string | null>();
  private readonly ctx: Ctx;
  constructor(
    private readonly sp: CompiledSpeech,
    private readonly sentences: Sentence[],
    private readonly known: KnownName[],
    /** The whole text the sentences were split from. */
    private readonly fullText: string,
  ) {
    this.ctx = { text: fullText };
  }

  /** The speaker of the frame triggered at `pos` (an offset in the text) in sentence `i`, or
   * null for the outlet's voice. */
  speakerOf(i: number, pos = this.sentences[i]!.start): string | null {
    const key = `${i}:${pos}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const s = this.sentences[i]!;
    const c = choose(this.actsOf(i), pos - s.start, (a) => this.namedPerson(a.speaker));
    const act = c.inner ?? c.outer;
    let raw: string | null = act ? act.speaker : null;
    let at = i;
    if (raw === null) {
      // A quotation's speaker before a stance inside it ("“China firmly opposes …”").
      const inh = this.quotationSpeaker(i) ?? (c.stance ? null : this.aboutSpeaker(i));
      if (inh) [raw, at] = inh;
      else if (c.stance) raw = c.stance.speaker;
    }
    const r = raw === null ? null : this.resolve(raw, at);
    this.cache.set(key, r);
    return r;
  }

  private actsOf(i: number): Act[] {
    let a = this.acts.get(i);
    if (!a) {
      a = findActs(this.sentences[i]!.text, this.sp, this.ctx);
      this.acts.set(i, a);
    }
    return a;
  }

  /** The one speaker a sentence gives its whole content, if any (for quotations). */
  private ownSpeaker(j: number): string | null {
    const acts = this.actsOf(j);
    const a = acts.find((x) => x.kind === 'outer') ?? acts.find((x) => x.kind === 'inner');
    return a ? a.speaker : null;
  }

  /** True when the article names `phrase` as a person: a name it writes in full or with an
   * office, a person the gazetteer knows, or an office ("глава МИД"). */
  private namedPerson(phrase: string): boolean {
    this.build();
    const p = phrase.trim();
    if (SPEAKER_NOUN.test(p) && !/(?<![\p{L}])(?:media|agency|newspaper|channel|tv|сми|газет\p{L}*|телеканал\p{L}*)(?![\p{L}])/iu.test(p)) return true;
    const toks = p.split(/[\s-]+/).map(nameKey);
    return toks.some((t) => (this.names.get(t) ?? []).length > 0) || this.known.some((k) => k.kind === 'person' && nameKey(k.text) === toks[toks.length - 1]);
  }

  /** "Запад готовит цветную революцию. Об этом заявил Лавров.": the speaker named after. */
  private aboutSpeaker(i: number): [string, number] | null {
    const cur = this.sentences[i]!;
    for (let j = i + 1; j < this.sentences.length && j <= i + 2; j++) {
      if (this.sentences[j]!.para !== cur.para) break;
      if (!ABOUT_THIS.test(this.sentences[j]!.text)) continue;
      const a = this.actsOf(j).find((x) => x.kind === 'about');
      return a ? [a.speaker, j] : null;
    }
    return null;
  }

  /** A sentence inside a quotation takes its speaker: named where the quotation closes
   * ("“A. B,” Wang said"), or where it was introduced ("Wang said:", "quoted the minister:"),
   * or by the quotation it continues. */
  private quotationSpeaker(i: number): [string, number] | null {
    const cur = this.sentences[i]!;
    const opens = startsQuote(cur.text);
    const inside = this.insideOpenQuote(i);
    if (!opens && !inside) return null;
    // Forward: the sentence where this quotation closes, with a speaker after the close.
    if (!closesQuote(cur.text) || opens) {
      for (let j = i + (closesQuote(cur.text) && !opens ? 0 : 1); j < this.sentences.length && j <= i + 5; j++) {
        const nx = this.sentences[j]!;
        if (nx.para !== cur.para) break;
        const close = lastClose(nx.text);
        if (close >= 0) {
          const a = this.actsOf(j).find((x) => x.kind === 'outer' && x.to <= close + 2 && x.to >= close - 2);
          if (a) return [a.speaker, j];
          // The quotation ends its sentence and the speaker has one of their own: "…。”王毅说。",
          // "…it.” Wang said."
          const tail = this.sentences[j + 1];
          if (close >= nx.text.trimEnd().length - 2 && tail && tail.para === cur.para && tail.text.length <= 60 && !startsQuote(tail.text)) {
            const t = this.actsOf(j + 1).find((x) => x.kind !== 'stance');
            if (t) return [t.speaker, j + 1];
          }
          break;
        }
      }
    }
    // Backward: an introducer, or an earlier quotation with its speaker.
    for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
      const prev = this.sentences[j]!;
      if (cur.para - prev.para > 3) break;
      if (/:\s*$/.test(prev.text)) {
        const q = /(?<![\p{L}])(?:quot(?:ed|es|ing)|cited|citing|процитировал\p{L}*|цитирует)\s+(.{2,80}?)\s*:\s*$/iu.exec(prev.text);
        if (q) return [q[1]!, j];
        const own = this.ownSpeaker(j);
        return own ? [own, j] : null;
      }
      const own = this.ownSpeaker(j);
      if (own && (startsQuote(prev.text) || /[”"»]/.test(prev.text))) return [own, j];
      if (!startsQuote(prev.text) && !this.insideOpenQuote(j)) break;
    }
    return null;
  }

  /** True when an earlier sentence of the paragraph opened a quotation not yet closed. */
  private insideOpenQuote(i: number): boolean {
    const cur = this.sentences[i]!;
    let depth = 0;
    for (let j = i - 1; j >= 0 && j >= i - 20 && this.sentences[j]!.para === cur.para; j--) {
      const t = this.sentences[j]!.text;
      depth += count(t, /[“«„]/g) - count(t, /[”»]/g);
    }
    return depth > 0;
  }

  // --- resolution ------------------------------------------------------------------------

  private build(): void {
    if (this.built) return;
    this.built = true;
    const text = this.fullText;
    if (/[\u4e00-\u9fff]/.test(text)) this.buildZh(text);
    const toks: { w: string; at: number; end: number; start: boolean }[] = [];
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    let prevEnd = 0;
    while ((m = WORD.exec(text)) !== null) {
      const gap = text.slice(prevEnd, m.index);
      const w = m[0].replace(/[.’'-]+$/, '');
      toks.push({ w, at: m.index, end: m.index + w.length, start: prevEnd === 0 || /[.!?\n:;“"«]/.test(gap) });
      prevEnd = m.index + w.length;
    }
    const placeAt = new Uint8Array(text.length + 1);
    for (const x of this.known) if (x.kind !== 'person') placeAt.fill(1, x.start, x.start + x.text.length);
    const place = (at: number) => placeAt[at] === 1;
    // Words of one name or role: separated by spaces on one line.
    const joined = (a: number, b: number) => /^[ \t\u00a0]+$/.test(text.slice(toks[a]!.end, toks[b]!.at));
    let k = 0;
    while (k < toks.length) {
      if (!isNameToken(toks[k]!.w, toks[k]!.start) || place(toks[k]!.at)) {
        k++;
        continue;
      }
      // A name: capitalised tokens joined by spaces.
      let e = k + 1;
      while (e < toks.length && joined(e - 1, e) && isNameToken(toks[e]!.w, false) && !place(toks[e]!.at)) e++;
      const name = toks.slice(k, e).map((x) => x.w).join(' ');
      // Its role: the office and country words just before it ("Kazakh President", "министр
      // иностранных дел России", "Minister of National Defense").
      let r = k;
      while (r > 0 && joined(r - 1, r) && k - r < 8 && (isRoleWord(toks[r - 1]!.w) || (CONNECTOR.test(toks[r - 1]!.w) && r - 1 > 0))) r--;
      const role = toks.slice(r, k).map((x) => x.w);
      let { nat, heads } = roleKeys(role);
      // "Tokayev, the Kazakh president," — a role after the name, between commas.
      if (heads.size === 0 && e < toks.length && /^\s*,\s*$/.test(text.slice(toks[e - 1]!.end, toks[e]!.at))) {
        const after: string[] = [];
        let q = e;
        for (; q < toks.length && q < e + 7 && (q === e || joined(q - 1, q)); q++) {
          if (!isRoleWord(toks[q]!.w) && !/^(the|a|an)$/i.test(toks[q]!.w)) break;
          after.push(toks[q]!.w);
        }
        if (q > e && (q === toks.length || /^\s*[,.;)]/.test(text.slice(toks[q - 1]!.end)))) ({ nat, heads } = roleKeys(after));
      }
      if (place(toks[k]!.at)) heads = new Set();
      if (heads.size > 0) this.apps.push({ nat, heads, name, pos: toks[k]!.at });
      if (e - k >= 2 || heads.size > 0) this.addName(name, toks[k]!.at);
      k = e;
    }
    for (const kn of this.known) if (kn.kind === 'person') this.addName(kn.text, kn.start);
  }

  private buildZh(text: string): void {
    ZH_ROLE_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = ZH_ROLE_RE.exec(text)) !== null) {
      const name = zhNameAt(m[3]!);
      if (!name) continue;
      const nat = m[1] ? ZH_NATIONS.find((x) => x[0] === m![1])![1] : null;
      const heads = new Set(ZH_ROLES.find((x) => x[0] === m![2])![1]);
      this.apps.push({ nat, heads, name, pos: m.index });
      this.addName(name, m.index);
      ZH_ROLE_RE.lastIndex = m.index + (m[1]?.length ?? 0) + m[2]!.length + name.length;
    }
  }

  private addName(name: string, pos: number): void {
    const full = name.replace(/[’']s$/, '');
    for (const t of full.split(/[\s-]+/)) {
      const k = nameKey(t);
      if (k.length < 2 || ROLE_WORDS.has(k)) continue;
      const list = this.names.get(k) ?? [];
      if (!list.some((x) => x.name === full)) list.push({ name: full, pos });
      this.names.set(k, list);
    }
  }

  private resolve(raw: string, si: number): string | null {
    this.build();
    const at = this.sentences[si]!.start;
    let subj = raw
      .replace(/^[“"'‘«„\s]+|[”"'’»\s.,:;]+$/g, '')
      .replace(INTRO, '')
      .trim();
    if (!subj) return null;
    if (/^[\p{Script=Han}·]+$/u.test(subj)) return this.resolveZh(subj, si);
    const lower = subj.toLowerCase();
    if (PRONOUNS.has(lower)) return this.lastPerson(si);
    if (NOT_SPEAKERS.test(subj)) return null;
    subj = subj.replace(STATEMENT_OF, '');
    const toks = subj.split(/\s+/);
    // An institution speaks for itself ("the president's office", "пресс-служба президента"),
    // not a person at its head ("the head of the Security Committee").
    if (INSTITUTION.test(subj) && !PERSON_OF.test(subj)) return subj.replace(/^The\s/, 'the ');
    // The name at the end of the phrase ("Chinese Defense Minister Wei Fenghe" → Wei Fenghe).
    let n = toks.length;
    while (n > 0 && isNameToken(toks[n - 1]!.replace(/[’']s$/, ''), n - 1 === 0)) n--;
    const name = toks.slice(n);
    const role = toks.slice(0, n);
    if (name.length > 0 && (role.length === 0 || role.every((w) => isRoleWord(w) || CONNECTOR.test(w)))) return this.fullName(name.join(' '), at);
    // A role: "the Kazakh leader", "China's defense minister", "the minister".
    const { nat, heads } = roleKeys(toks);
    if (heads.size > 0 && !heads.has('ministry')) {
      const app = this.findApposition(nat, heads, at);
      if (app) return this.fullName(app.name, app.pos + 1);
      if (heads.has('head') && nat) {
        const h = this.known.find((x) => x.head && x.cc === nat);
        if (h) return this.fullName(h.text, at);
      }
    }
    if (name.length > 0) return this.fullName(name.join(' '), at);
    subj = subj.replace(/^The\s/, 'the ');
    return subj.length > 80 ? subj.slice(0, 80) : subj;
  }

  private resolveZh(subj: string, si: number): string | null {
    const at = this.sentences[si]!.start;
    if (PRONOUNS.has(subj)) return this.lastPerson(si);
    const { nat, heads, rest } = zhRoleKeys(subj);
    if (rest.length >= 2) return this.fullName(rest, at);
    if (heads.size > 0) {
      const app = this.findApposition(nat, heads, at);
      if (app) return app.name;
      if (heads.has('head') && nat) {
        const h = this.known.find((x) => x.head && x.cc === nat && /[\u4e00-\u9fff]/.test(x.text));
        if (h) return h.text;
      }
    }
    return subj.replace(/^(?:该|这位|此|上述|那位)/u, '') || subj;
  }

  /** The longest name written in the article that contains `name`'s words (the nearest one
   * before `at`, else the nearest after). */
  private fullName(name: string, at: number): string {
    const toks = name.split(/[\s-]+/).map(nameKey);
    let best: { name: string; pos: number } | null = null;
    const score = (p: number) => (p <= at ? at - p : 1e9 + p - at);
    for (const t of toks)
      for (const cand of this.names.get(t) ?? []) {
        if (cand.name.split(/[\s-]+/).length <= toks.length) continue;
        if (!best || score(cand.pos) < score(best.pos)) best = cand;
      }
    return best ? best.name : name;
  }

  private findApposition(nat: string | null, heads: Set<string>, at: number): Apposition | null {
    let best: Apposition | null = null;
    const score = (p: number) => (p <= at ? at - p : 1e9 + p - at);
    for (const a of this.apps) {
      if (nat && a.nat !== nat) continue;
      let ok = true;
      for (const h of heads) if (!a.heads.has(h)) ok = false;
      if (!ok) continue;
      if (!best || score(a.pos) < score(best.pos)) best = a;
    }
    return best;
  }

  /** The last named person who spoke before sentence `si`, else the last person named. */
  private lastPerson(si: number): string | null {
    for (let j = si - 1; j >= 0 && j >= si - 12; j--) {
      for (const a of [...this.actsOf(j)].reverse()) {
        const l = a.speaker.trim().toLowerCase();
        if (PRONOUNS.has(l)) continue;
        const r = this.resolve(a.speaker, j);
        if (r && (/^[\p{Lu}\p{Script=Han}]/u.test(r) || r.split(/\s+/).length >= 2)) return r;
      }
    }
    const at = this.sentences[si]!.start;
    let best: { name: string; pos: number } | null = null;
    for (const a of this.apps) if (a.pos < at && (!best || a.pos > best.pos)) best = { name: a.name, pos: a.pos };
    return best ? this.fullName(best.name, best.pos + 1) : null;
  }
}

function count(s: string, re: RegExp): number {
  return (s.match(re) ?? []).length;
}

function startsQuote(t: string): boolean {
  return /^[“"«„‘]/.test(t.trim());
}

function closesQuote(t: string): boolean {
  return /[”»]/.test(t) || (/"/.test(t) && !startsQuote(t));
}

/** Offset of the last closing quotation mark in `t`, or -1. */
function lastClose(t: string): number {
  for (let i = t.length - 1; i >= 0; i--) if (t[i] === '”' || t[i] === '»' || (t[i] === '"' && i > 0)) return i;
  return -1;
}
