// Speech acts of one English, Russian, Kazakh, Uzbek or Kyrgyz sentence (Chinese: acts-zh.ts):
// who speaks and which span of the sentence they voice (see index.ts for the forms read).
import { count, type Act } from './act.js';
import { findActsZh } from './acts-zh.js';
import { headOf, isRoleWord, isSpeakerNoun, natOf, normWord, type Roles } from './roles.js';
import { speechWords, type CompiledSpeech } from './speech.js';

export const ABOUT_THIS =
  /^\s*(?:об этом|о том же|об этом же|this was (?:stated|said|announced|reported|claimed) by|that is according to|that's according to|бұл туралы|bu haqda|бу ҳақда|бул тууралуу|бул тууралу)(?![\p{L}])/iu;

export const INTRO = new RegExp(
  String.raw`^(?:(?:however|but|and|meanwhile|earlier|later|previously|also|yet|still|then|now|separately|in response|` +
    String.raw`at the time|in turn|for (?:his|her|their) part|` +
    String.raw`on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|однако|между тем|ранее|позже|также|кроме того|` +
    String.raw`при этом|в свою очередь|в то же время|тем временем),?\s+)+`,
  'iu',
);
const ADVERB_TAIL = new RegExp(
  String.raw`(?:\s+(?:has|have|had|also|further|later|then|reportedly|repeatedly|again|previously|recently|once|already|` +
    String.raw`even|publicly|openly|firmly|strongly|flatly|explicitly|notably|\p{Ll}+ly|также|уже|ранее|вновь|снова|` +
    String.raw`неоднократно|публично|открыто|прямо|даже|якобы))+$`,
  'u',
);
const RELATIVE = /^(?:which|that|whom|что|которые|которую|который|которая)\s+/iu;
// "В МИД Киргизии назвали …", "В Кремле заявили …": the institution is the speaker (not in
// "в Москве считают", where a city stands for nobody in particular).
const RU_PLACE_PREP = /^(?:в|во|из|у)\s+(?=\p{Lu})/u;
// A phrase set off by commas between a subject and its verb.
const APPOSITIVE = new RegExp(
  String.raw`^(?:who|which|whose|the|a|an|speaking|writing|addressing|in|at|on|during|after|before|according|however|` +
    String.raw`meanwhile|though|too|also|moreover|nevertheless|for (?:his|her|their|its) part|который|которая|которые|` +
    String.raw`выступая|говоря|в|на|по|однако|впрочем|тем не менее|в свою очередь|также)(?![\p{L}])`,
  'iu',
);
// A prepositional or adverbial phrase between a speaker and the verb.
const ADVERBIAL =
  /^\s*,?\s*(?:in|at|on|during|after|before|speaking|while|when|earlier|later|в|во|на|по|после|перед|при|во время|накануне|ранее|также|в понедельник|во вторник)(?![\p{L}])/iu;
// A passive verb of framing and its agent: "was described as … by", "were branded … by".
const PASSIVE =
  /(?<![\p{L}])(?:was|were|is|are|been|being)\s+(?:\p{L}+ly\s+)?(?:called|described|labell?ed|branded|termed|dubbed|characteri[sz]ed|portrayed|denounced)(?![\p{L}])[^.;:!?]{0,120}?\sby(?=\s)/iu;
// A speaker phrase must contain one of these, be a pronoun, or look like a name.
// tells Tokayev"; not a clause of its own ("Tokayev said order was restored").
const CLAUSE_WORDS =
  /(?<!\p{L})(?:that|what|whether|is|are|was|were|will|would|can|could|must|should|has|have|had|does|do|did|что|чтобы|будет|был|была|были|является)(?!\p{L})/iu;

/** The article, the speaker lexicon, and (made on first use) the words the article writes in
 * lower case. */
export interface Ctx {
  text: string;
  roles: Roles;
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
  const r = ctx.roles;
  if (s.length > 200) return false;
  const t = s.trim();
  if (!t) return false;
  const words = t.split(/\s+/);
  if (words.length > 10) return false;
  if (/(?<!\p{L})(?:that|which|who|whom|whose|was|were|is|are|will|would|if|when|because|что|котор\p{L}*|чей|чья|чьи)(?!\p{L})/iu.test(t)) return false;
  if (r.pronouns.has(t.toLowerCase())) return true;
  if (r.notSpeakers.test(t)) return false;
  if (r.speakerNoun.test(t)) return true;
  if (!/^[\p{Lu}]/u.test(t)) return false;
  if (words.slice(1).some((w) => /^[\p{Lu}]/u.test(w))) return true;
  if (words.length === 1) {
    const w = normWord(words[0]!);
    if (r.notNames.has(w)) return false;
    return !writtenLower(ctx, w);
  }
  return false;
}

/** The speaker phrase right after an inverted verb ("…, said Chinese State Councilor and
 * Minister of National Defense Wei Fenghe during …", "— заявил глава МИД России Сергей
 * Лавров журналистам"): capitalised words, role words and connectors. */
function phraseAfter(r: Roles, s: string): string | null {
  const toks = s.slice(0, 300).trim().split(/\s+/);
  const first = toks[0]?.replace(/[.,;:!?"”’»)]+$/, '') ?? '';
  if (r.pronouns.has(first.toLowerCase())) return first;
  const out: string[] = [];
  for (const t of toks) {
    const clean = t.replace(/[.,;:!?"”’»)]+$/, '');
    const lower = clean.toLowerCase();
    const ok =
      /^[\p{Lu}]/u.test(clean) ||
      isRoleWord(r, clean) ||
      isSpeakerNoun(r, clean) ||
      (out.length > 0 && /^(of|and|for|the|по)$/.test(lower)) ||
      (out.length === 0 && lower === 'the');
    if (!ok || !clean) break;
    out.push(clean);
    if (clean !== t) break;
  }
  while (out.length && /^(of|and|for|the|по)$/i.test(out[out.length - 1]!)) out.pop();
  if (!out.length) return null;
  const phrase = out.join(' ');
  return out.some((w) => /^[\p{Lu}]/u.test(w)) || r.speakerNoun.test(phrase) ? phrase : null;
}

/** `phraseAfter`, or the name set off after it: "said the head of the National Security
 * Committee, Ermek Sagimbayev." → Ermek Sagimbayev. */
function withNameAfter(r: Roles, s: string): string | null {
  const p = phraseAfter(r, s);
  if (!p) return null;
  const rest = s.slice(s.indexOf(p) + p.length);
  const name = /^\s*,\s*((?:\p{Lu}[\p{L}'’-]*\s+){0,3}\p{Lu}[\p{L}'’-]*)\s*(?:[.,;!?”"»]|$)/u.exec(rest);
  return name && !r.notNames.has(normWord(name[1]!)) ? name[1]! : p;
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
export function findActs(t: string, sp: CompiledSpeech, ctx: Ctx): Act[] {
  const r = ctx.roles;
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
      if (!/^[\p{Lu}]/u.test(words[k]!) && !isRoleWord(r, words[k]!)) break;
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
    const after = byAgent ? phraseAfter(r, rest) ?? rest.replace(/[.!?]\s*$/, '').trim() : v ? phraseAfter(r, rest.slice(v.index + v.length)) : null;
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
    const nameLike = r.speakerNoun.test(h) || h.split(/\s+/).length >= 2 || SURNAME.test(h);
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
    if (RU_PLACE_PREP.test(subject) && r.speakerNoun.test(subject)) subject = subject.replace(RU_PLACE_PREP, '');
    // A verb of speech in the subject ("Critics dismissed the government's claims"), or a
    // possessive or determiner before the word ("the government's claims", "his warning"):
    // the word is a noun here, not this clause's verb.
    if (words.some((w) => w !== v && w.at >= cs.at && w.end <= subjEnd) || /(?:['’]s|(?<![\p{L}])(?:the|a|an|his|her|their|its|our|these|those|such|any|all))$/iu.test(subject)) continue;
    if (subject && cs.bare) {
      // "NATO, Pentagon and the State Department say": one subject of several nouns.
      cs = clauseStart(t, subjEnd, false);
      subject = t.slice(cs.at, subjEnd).trim().replace(INTRO, '').replace(RELATIVE, '').trim();
    }
    if (!subject && cs.conj) subject = last ?? phraseAfter(r, t.replace(INTRO, '')) ?? ''; // "…, and claimed that …"
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
          if (role && !role.includes(',') && r.speakerNoun.test(role) && plausibleSubject(role, ctx)) {
            subject = seg;
            break;
          }
        }
        if (prev.at === 0 || !prev.sep) {
          const head = seg.replace(INTRO, '').trim();
          if (back > 0 && plausibleSubject(head, ctx)) subject = head;
          break;
        }
        if (!APPOSITIVE.test(seg) && !r.speakerNoun.test(seg)) break;
        at = prev.at - 1;
      }
    }
    // "Токаев в своём выступлении назвал …", "Lavrov at a news conference in Moscow said …":
    // the speaker, then an adverbial phrase.
    if (subject && subject.includes(' ')) {
      const lead = phraseAfter(r, subject);
      if (lead && lead.length < subject.length && ADVERBIAL.test(subject.slice(lead.length))) subject = lead;
    }
    if (!subject || !plausibleSubject(subject, ctx)) {
      // Inverted, after a comma, closing quote or dash: "…, said X", "«…», — заявил X".
      const inv = /(?:[,;]|[”"»’]|\s[—–-])\s*(?:[—–-]\s*)?$/.exec(near);
      const invAt = inv ? nearFrom + inv.index : -1;
      if (inv && invAt > 0) {
        const subj = withNameAfter(r, t.slice(v.end));
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
    const subj = leadingSubject(r, t);
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
function leadingSubject(r: Roles, t: string): { text: string; end: number } | null {
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
    if (!cap && !isRoleWord(r, w)) break;
    if (words.length > 0 && CASE_SUFFIX.test(w) && !isRoleWord(r, w)) break;
    // After the office word ("басшысы", "vaziri") only a name may follow.
    if (office && !(cap && !isRoleWord(r, w))) break;
    if (headOf(r, normWord(w)) && !/^(?:foreign|иностранн|сыртқы|tashqi|тышкы|defen|оборон|қорғаныс|mudofaa|коргоо)/iu.test(w)) office = true;
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
  const r = ctx.roles;
  const t = s.trim();
  const words = t.split(/\s+/);
  if (words.length > 5 || !t) return false;
  if (r.notNames.has(normWord(words[0]!)) && words.length === 1) return false;
  if (r.speakerNoun.test(t)) return true;
  if (!words.every((w) => /^[\p{Lu}]/u.test(w) || isRoleWord(r, w))) return false;
  if (words.some((w) => natOf(r, w) !== null) && !words.some((w) => headOf(r, normWord(w)))) return false;
  return plausibleSubject(t, ctx);
}

// Surnames of the region (Russian, Central Asian, Ukrainian, Belarusian forms).
const SURNAME = /^[\p{Lu}][\p{L}'’-]*(?:ov|ev|yev|in|sky|ski|enko|uk|yan|ova|eva|ina|ская|ский|ов|ев|ёв|ин|ова|ева|ина|енко|ук|ян)$/u;
