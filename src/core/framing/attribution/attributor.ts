// The Attributor: the speaker of each frame of one article, from the sentences' speech acts
// (acts.ts, acts-zh.ts), resolved within the article (see index.ts).
import type { CountryCode } from '../../types.js';
import type { Sentence } from '../../text/sentences.js';
import { choose, count, type Act } from './act.js';
import { ABOUT_THIS, INTRO, findActs, type Ctx } from './acts.js';
import { zhNameAt } from './acts-zh.js';
import { isRoleWord, normWord, roleKeys, zhRoleKeys, type Roles } from './roles.js';
import type { CompiledSpeech } from './speech.js';

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

const PERSON_OF = /(?<![\p{L}])(?:(?:head|chief|chairman|chairwoman|director|leader|president|minister|spokes\p{L}*|secretary)\s+of|(?:глав|руководител|председател|директор)\p{L}*\s+\p{L})/iu;
// "a statement from the Kremlin" → "the Kremlin".
const STATEMENT_OF =
  /^(?:a|an|the)\s+(?:\p{L}+\s+)?(?:statement|report|communiqu[eé]|press release|post|message|readout|briefing)\s+(?:from|by|of|issued by)\s+/iu;
// A speaker phrase that names an institution, not a person: its last noun.
const INSTITUTION = new RegExp(
  String.raw`(?<![\p{L}])(?:office|administration|service|ministry|government|embassy|agency|department|council|committee|` +
    String.raw`apparatus|press office|пресс-служб\p{L}*|администраци\p{L}*|аппарат\p{L}*|ведомств\p{L}*|министерств\p{L}*|` +
    String.raw`правительств\p{L}*|посольств\p{L}*|канцеляри\p{L}*|служб\p{L}*)$`,
  'iu',
);
const CALENDAR = new RegExp(
  String.raw`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|` +
    String.raw`august|september|october|november|december|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|` +
    String.raw`январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)`,
  'iu',
);

function isNameToken(r: Roles, tok: string, sentenceStart: boolean): boolean {
  if (!/^[\p{Lu}]/u.test(tok)) return false;
  if (isRoleWord(r, tok) || CALENDAR.test(tok)) return false;
  if (sentenceStart && r.notNames.has(normWord(tok))) return false;
  return true;
}

/** The words of tokens [from, to), pushed one by one: always the same array map (see build). */
function wordsOf(toks: readonly { w: string }[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(toks[i]!.w);
  return out;
}

export class Attributor {
  private readonly acts = new Map<number, Act[]>();
  private readonly apps: Apposition[] = [];
  /** name key → full names with where they were first seen. */
  private readonly names = new Map<string, { name: string; pos: number }[]>();
  private built = false;
  private readonly cache = new Map<string, string | null>();
  private readonly ctx: Ctx;
  private readonly r: Roles;
  private readonly hasKnown: boolean;
  constructor(
    private readonly sp: CompiledSpeech,
    private readonly sentences: Sentence[],
    private readonly known: KnownName[],
    /** The whole text the sentences were split from. */
    private readonly fullText: string,
  ) {
    this.r = sp.roles;
    this.ctx = { text: fullText, roles: sp.roles };
    this.hasKnown = known.length > 0;
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
    if (this.r.speakerNoun.test(p) && !/(?<![\p{L}])(?:media|agency|newspaper|channel|tv|сми|газет\p{L}*|телеканал\p{L}*)(?![\p{L}])/iu.test(p)) return true;
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
    // build is large and runs in the analysis thread and the main isolate alike; an empty array has another map than a
    // filled one (PACKED_SMI against PACKED elements), and optimised code that saw one deoptimised on the other
    // (4-5 compiles of build an isolate in a 1,000 x 20 cold cycle, `node --trace-opt --trace-deopt-verbose`): empty
    // arrays are not iterated here, and roleKeys gets no empty ones.
    if (this.hasKnown) for (const x of this.known) if (x.kind !== 'person') placeAt.fill(1, x.start, x.start + x.text.length);
    const place = (at: number) => placeAt[at] === 1;
    // Words of one name or role: separated by spaces on one line.
    const joined = (a: number, b: number) => /^[ \t\u00a0]+$/.test(text.slice(toks[a]!.end, toks[b]!.at));
    let k = 0;
    while (k < toks.length) {
      if (!isNameToken(this.r, toks[k]!.w, toks[k]!.start) || place(toks[k]!.at)) {
        k++;
        continue;
      }
      // A name: capitalised tokens joined by spaces.
      let e = k + 1;
      while (e < toks.length && joined(e - 1, e) && isNameToken(this.r, toks[e]!.w, false) && !place(toks[e]!.at)) e++;
      let name = toks[k]!.w;
      for (let i = k + 1; i < e; i++) name += ` ${toks[i]!.w}`;
      // Its role: the office and country words just before it ("Kazakh President", "министр
      // иностранных дел России", "Minister of National Defense").
      let r = k;
      while (r > 0 && joined(r - 1, r) && k - r < 8 && (isRoleWord(this.r, toks[r - 1]!.w) || (CONNECTOR.test(toks[r - 1]!.w) && r - 1 > 0))) r--;
      let { nat, heads } = r < k ? roleKeys(this.r, wordsOf(toks, r, k)) : { nat: null as string | null, heads: new Set<string>() };
      // "Tokayev, the Kazakh president," — a role after the name, between commas.
      if (heads.size === 0 && e < toks.length && /^\s*,\s*$/.test(text.slice(toks[e - 1]!.end, toks[e]!.at))) {
        const after: string[] = [];
        let q = e;
        for (; q < toks.length && q < e + 7 && (q === e || joined(q - 1, q)); q++) {
          if (!isRoleWord(this.r, toks[q]!.w) && !/^(the|a|an)$/i.test(toks[q]!.w)) break;
          after.push(toks[q]!.w);
        }
        if (q > e && (q === toks.length || /^\s*[,.;)]/.test(text.slice(toks[q - 1]!.end)))) ({ nat, heads } = roleKeys(this.r, after));
      }
      if (place(toks[k]!.at)) heads = new Set();
      if (heads.size > 0) this.apps.push({ nat, heads, name, pos: toks[k]!.at });
      if (e - k >= 2 || heads.size > 0) this.addName(name, toks[k]!.at);
      k = e;
    }
    if (this.hasKnown) for (const kn of this.known) if (kn.kind === 'person') this.addName(kn.text, kn.start);
  }

  private buildZh(text: string): void {
    this.r.zhRoleRe.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = this.r.zhRoleRe.exec(text)) !== null) {
      const name = zhNameAt(m[3]!);
      if (!name) continue;
      const nat = m[1] ? this.r.zhNations.find((x) => x[0] === m![1])![1] : null;
      const heads = new Set(this.r.zhRoles.find((x) => x[0] === m![2])![1]);
      this.apps.push({ nat, heads, name, pos: m.index });
      this.addName(name, m.index);
      this.r.zhRoleRe.lastIndex = m.index + (m[1]?.length ?? 0) + m[2]!.length + name.length;
    }
  }

  private addName(name: string, pos: number): void {
    const full = name.replace(/[’']s$/, '');
    for (const t of full.split(/[\s-]+/)) {
      const k = nameKey(t);
      if (k.length < 2 || this.r.roleWords.has(k)) continue;
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
    if (this.r.pronouns.has(lower)) return this.lastPerson(si);
    if (this.r.notSpeakers.test(subj)) return null;
    subj = subj.replace(STATEMENT_OF, '');
    const toks = subj.split(/\s+/);
    // An institution speaks for itself ("the president's office", "пресс-служба президента"),
    // not a person at its head ("the head of the Security Committee").
    if (INSTITUTION.test(subj) && !PERSON_OF.test(subj)) return subj.replace(/^The\s/, 'the ');
    // The name at the end of the phrase ("Chinese Defense Minister Wei Fenghe" → Wei Fenghe).
    let n = toks.length;
    while (n > 0 && isNameToken(this.r, toks[n - 1]!.replace(/[’']s$/, ''), n - 1 === 0)) n--;
    const name = toks.slice(n);
    const role = toks.slice(0, n);
    if (name.length > 0 && (role.length === 0 || role.every((w) => isRoleWord(this.r, w) || CONNECTOR.test(w)))) return this.fullName(name.join(' '), at);
    // A role: "the Kazakh leader", "China's defense minister", "the minister".
    const { nat, heads } = roleKeys(this.r, toks);
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
    if (this.r.pronouns.has(subj)) return this.lastPerson(si);
    const { nat, heads, rest } = zhRoleKeys(this.r, subj);
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
        if (this.r.pronouns.has(l)) continue;
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