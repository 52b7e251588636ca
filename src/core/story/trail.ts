// Who an article says it got its story from: "according to the Global Times", "as cited by
// Xinhua", "the Defense Ministry quoted", "по данным ТАСС", "сообщает РИА Новости", "据新华社".
// A source that is a known outlet is given as its outlet id; any other source (a ministry, a
// spokesperson's office) as the name the text uses, with a leading "the" dropped.
import { pureWeakMemo } from '../memo.js';

/** An outlet a citation can name. The list is data (data/outlets.yaml and the feeds file's
 * outlets), passed in by the wiring. */
export interface KnownOutlet {
  /** Outlet id (slug), e.g. `global-times`. */
  id: string;
  /** Names and spellings the text may use ("Global Times", "环球时报"). */
  names: string[];
}

// A name: capitalised words (Latin or Cyrillic), joined by "of", "for", "and", "de", "-", a
// possessive, or dots inside ("Kun.uz"); or a quoted title («Коммерсантъ», "Global Times").
const CAP = String.raw`(?:\p{Lu}[\p{L}\p{M}'’/-]*(?:\.\p{Ll}+)?)`;
// Russian institutions are named with lower-case genitives ("Министерство финансов Украины"):
// take up to four words, up to the next punctuation.
const RU_INST = String.raw`(?:(?:Министерств|Комитет|Управлени|Департамент|Ведомств|Служб|Прокуратур|Посольств)\p{L}*(?:\s+[\p{L}-]+){0,3}?(?=\s*[,.;:—)]))`;
const NAME = String.raw`(?:${RU_INST}|«[^»]{2,60}»|"[^"]{2,60}"|“[^”]{2,60}”|${CAP}(?:[’']s)?(?:\s+(?:of|for|and|on|de|the|al-)?\s*${CAP}(?:[’']s)?){0,5})`;
const ART = String.raw`(?:the\s+)?`;
// Russian generic nouns that precede an outlet's name ("агентство", "газета").
const RU_KIND = String.raw`(?:(?:информационное\s+|информагентство\s+|агентство\s+|агентства\s+|газета\s+|газеты\s+|издание\s+|издания\s+|телеканал\s+|телеканала\s+|портал\s+|портала\s+|сайт\s+|сайта\s+|пресс-служба\s+|пресс-службы\s+)?)`;

/**
 * The citation patterns, each with the words it cannot match without (any of them, as written:
 * the patterns are case-sensitive there), so a text lacking them skips the pattern: the same
 * matches, and most texts are spared most of the dozen scans (the story assigner runs this on
 * every article). `after`, when given: what every match has right after one of its cues (a sticky
 * regex, tried where each cue stands), so a text whose cues are never followed so skips the
 * pattern too — for the costly patterns with common cues ("reported", a name before it).
 */
const PATTERNS: readonly { cues: readonly string[]; after?: RegExp; re: RegExp }[] = [
  // English: source after the cue
  { cues: ['according'], re: new RegExp(String.raw`\baccording\s+to\s+${ART}(${NAME})`, 'gu') },
  { cues: ['cited', 'quoted', 'reported', 'carried', 'published'], after: /\s+by\s/uy, re: new RegExp(String.raw`\b(?:as\s+)?(?:cited|quoted|reported|carried|published)\s+by\s+${ART}(${NAME})`, 'gu') },
  { cues: ['citing'], re: new RegExp(String.raw`\bciting\s+${ART}(${NAME})`, 'gu') },
  { cues: ['told', 'interview'], re: new RegExp(String.raw`\b(?:told|in\s+an\s+interview\s+with)\s+${ART}(${NAME})(?=\s*[,.;:])`, 'gu') },
  // English: source before the cue ("the Chinese Ministry of Defense quoted the minister", "Xinhua reported")
  { cues: ['quoted', 'cited'], re: new RegExp(String.raw`(${NAME})\s+(?:quoted|cited)\b`, 'gu') },
  // "Xinhua reported on Monday", "…, Reuters reported." — not "Roku reported revenue"
  {
    cues: ['reported', 'reports', 'wrote', 'writes'],
    after: /(?=\s*[,.;]|\s+(?:that|on|in|earlier|late|last|this|today|yesterday|citing)\b)/uy,
    re: new RegExp(String.raw`(${NAME})\s+(?:reported|has\s+reported|reports|wrote|writes)(?=\s*[,.;]|\s+(?:that|on|in|earlier|late|last|this|today|yesterday|citing)\b)`, 'gu'),
  },
  // Russian
  {
    cues: ['данным', 'сообщению', 'информации', 'ссылкой', 'сообщ', 'пишет', 'переда', 'отмечает'],
    re: new RegExp(String.raw`(?:[Пп]о\s+данным|[Пп]о\s+сообщению|[Пп]о\s+информации|[Сс]о\s+ссылкой\s+на|[Кк]ак\s+(?:сообщает|сообщило|сообщил|сообщила|пишет|передает|передаёт|отмечает))\s+${RU_KIND}(${NAME})`, 'gu'),
  },
  { cues: ['сообщили'], re: new RegExp(String.raw`(?:[Кк]ак\s+)?сообщили\s+в\s+(?:пресс-службе\s+)?(${NAME})`, 'gu') },
  { cues: ['сообщ', 'переда', 'пишет', 'информирует'], re: new RegExp(String.raw`(?:^|[,.:—–-]\s*)(?:сообщает|сообщило|сообщил|сообщила|передает|передаёт|пишет|информирует)\s+${RU_KIND}(${NAME})`, 'gmu') },
  { cues: ['этом'], re: new RegExp(String.raw`(?:^|\s)(?:[Оо]б\s+этом\s+)(?:сообщает|сообщило|сообщил|сообщила|пишет|передает|передаёт)\s+${RU_KIND}(${NAME})`, 'gu') },
  // Chinese: 据新华社报道 / 据环球时报消息 / 新华社报道
  { cues: ['据'], re: /据([\p{Script=Han}A-Za-z]{2,12}?)(?:报道|消息|报|称|援引)/gu },
  { cues: ['社'], after: /报道|电/uy, re: /([\p{Script=Han}]{2,8}?社)(?:报道|电)/gu },
];

/** Words that a capitalised match may start with but that are not sources ("The", "This", "Он"). */
const NOT_A_SOURCE = new Set([
  'the', 'this', 'that', 'it', 'he', 'she', 'they', 'we', 'i', 'a', 'an', 'media', 'officials', 'sources', 'source',
  'he said', 'police', 'source link', 'сми', 'он', 'она', 'они', 'это', 'источник', 'источники',
]);

function clean(name: string): string {
  let s = name.replace(/^[«"“]|[»"”]$/gu, '').trim();
  s = s.replace(/^据/u, '');
  // a sentence's first word swallowed into the name ("As the Washington Post reported")
  s = s.replace(/^(?:As|And|But|So|Then|While|When|Meanwhile|However|Earlier|Later|Also)\s+/u, '');
  s = s.replace(/^(?:the|The)\s+/u, '');
  s = s.replace(/[’']s$/u, '');
  s = s.replace(/[.,;:]+$/u, '');
  return s.trim();
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/gu, 'е')
    .replace(/^the\s+/u, '')
    .replace(/[«»"“”'’.,]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** An alias made ready once per outlet list: its normal form and that form's stems. */
interface PreparedAlias {
  id: string;
  a: string;
  /** Cyrillic and ≥ 4 characters: compared on stems too (Russian inflects names). */
  stem: string | null;
}

// The outlet lists a process matches against are few (the wiring's, a test's), each read for
// every citation of every article: their aliases are normalised once per list, not per name (this
// ran for ~2% of the cold cycle's main thread and 7 KB of garbage an article). A list must not
// change after it is first matched against (the wiring builds it once).
const prepare = pureWeakMemo((known: readonly KnownOutlet[]): PreparedAlias[] => {
  const list: PreparedAlias[] = [];
  for (const o of known) {
    for (const alias of o.names) {
      const a = norm(alias);
      if (!a) continue;
      list.push({ id: o.id, a, stem: a.length >= 4 && /\p{Script=Cyrillic}/u.test(a) ? stemWords(a) : null });
    }
  }
  return list;
});

/**
 * `a` as a whole word inside `n` (both normal forms, so words are apart by one space): at the
 * start or after a space or hyphen, and at the end or before one — the test the regex
 * `(?:^|[\s-])a(?:$|[\s-])` makes (`norm` leaves no other white space), without a regex an alias.
 */
function wordInside(n: string, a: string): boolean {
  for (let at = n.indexOf(a); at >= 0; at = n.indexOf(a, at + 1)) {
    const before = at === 0 ? ' ' : n[at - 1];
    const end = at + a.length;
    const after = end === n.length ? ' ' : n[end];
    if ((before === ' ' || before === '-') && (after === ' ' || after === '-')) return true;
  }
  return false;
}

/** Maps a source name to a known outlet id when one of its names matches (whole words, any case). */
export function matchOutlet(name: string, known: readonly KnownOutlet[]): string | null {
  const n = norm(name);
  let nStem: string | undefined;
  let best: { id: string; len: number } | null = null;
  for (const { id, a, stem } of prepare(known)) {
    // only a longer alias can change the answer
    if (best && a.length <= best.len) continue;
    const exact = n === a;
    // "Global Times newspaper", "агентство ТАСС": the alias as a whole word inside the name.
    // Short all-caps aliases (RT, AP) must match exactly: they are also parts of other names.
    const inside = !exact && (a.length >= 4 || n.startsWith(`${a} `)) && wordInside(n, a);
    // Russian inflects names: "РИА Новости" → "РИА Новостей"; compare on stems for Cyrillic.
    const inflected = !exact && !inside && stem !== null && (nStem ??= stemWords(n)).includes(stem);
    if (exact || inside || inflected) best = { id, len: a.length };
  }
  return best?.id ?? null;
}

function stemWords(s: string): string {
  return s
    .split(' ')
    .map((w) => (w.length > 4 ? w.replace(/(ами|ями|ого|его|ей|ой|ом|ем|ах|ях|ы|и|а|я|у|ю|е)$/u, '') : w))
    .join(' ');
}


/**
 * Sources an article's text says it cites or quotes, in order of first mention, unique: outlet ids
 * for known outlets, names otherwise. The article's own outlet is left out.
 */
export function findCitations(text: string, known: readonly KnownOutlet[], ownOutletId?: string): string[] {
  const found: { at: number; value: string }[] = [];
  const cueIn = cuesIn(text);
  for (const { cues, after, re } of PATTERN_CUES) {
    let any = false;
    for (let k = 0; k < cues.length && !any; k++) {
      const c = cues[k]!;
      any = cueIn[c] === 1 && (after === undefined || followedBy(text, CUES[c]!, after));
    }
    if (!any) continue;
    // (exec over the pattern's own global regex from 0, not `matchAll`, which copies the regex and
    // makes an iterator each call; no pattern matches the empty string, so the matches are the same)
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const raw = m[1];
      if (!raw) continue;
      const name = clean(raw);
      if (name.length < 2 || NOT_A_SOURCE.has(name.toLowerCase())) continue;
      // a capitalised sentence start swallowed into a name ("Wei Fenghe The") is trimmed by `clean`;
      // reject lone first words that are pronouns or articles
      const id = matchOutlet(name, known);
      found.push({ at: m.index, value: id ?? name });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out: string[] = [];
  for (const f of found) if (!out.includes(f.value) && f.value !== ownOutletId) out.push(f.value);
  return out;
}

/** `String.prototype.indexOf` (through `.call`: see core/memo.ts `unitAt`, why not `text.indexOf`). */
const indexOf: (this: string, search: string, from: number) => number = String.prototype.indexOf;

/** Whether `cue` stands somewhere in `text` with the sticky regex `after` matching right after it. */
function followedBy(text: string, cue: string, after: RegExp): boolean {
  for (let at = indexOf.call(text, cue, 0); at >= 0; at = indexOf.call(text, cue, at + 1)) {
    after.lastIndex = at + cue.length;
    if (after.test(text)) return true;
  }
  return false;
}

/** The patterns' cues, each once, and each pattern with its cues as indexes into that list. */
const CUES: readonly string[] = [...new Set(PATTERNS.flatMap((p) => p.cues))];
/** Any cue, longest first (so where several start at one place, the longest is the one found). */
const CUE_RE = new RegExp(
  [...CUES]
    .sort((a, b) => b.length - a.length)
    .map((c) => c.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&'))
    .join('|'),
  'gu',
);
/** Each cue → the cues it contains (itself included): where it stands, they stand too. */
const CUE_HAS: ReadonlyMap<string, readonly number[]> = new Map(CUES.map((c) => [c, CUES.flatMap((d, k) => (c.includes(d) ? [k] : []))]));

/**
 * Which cues the text has (1 at a cue's index): one scan of the text for all cues, where looking
 * for each (`includes`, ~25 cues) read it ~25 times, a ninth of the features' CPU again. A match is
 * the longest cue starting at its place, so the next search starts one character further (not after
 * it: a cue may start inside another), and a cue inside the one found is marked with it.
 */
function cuesIn(text: string): Uint8Array {
  const out = new Uint8Array(CUES.length);
  CUE_RE.lastIndex = 0;
  for (let m = CUE_RE.exec(text); m !== null; m = CUE_RE.exec(text)) {
    for (const k of CUE_HAS.get(m[0])!) out[k] = 1;
    // (every cue starts with a character of one code unit)
    CUE_RE.lastIndex = m.index + 1;
  }
  return out;
}

/** The cues a text has (`cuesIn`), as words: for the test that compares it with looking for each. */
export function citationCues(text: string): { all: readonly string[]; found: string[] } {
  const inText = cuesIn(text);
  return { all: CUES, found: CUES.filter((_, k) => inText[k] === 1) };
}

const PATTERN_CUES: readonly { cues: readonly number[]; after: RegExp | undefined; re: RegExp }[] = PATTERNS.map((p) => ({ cues: p.cues.map((c) => CUES.indexOf(c)), after: p.after, re: p.re }));
