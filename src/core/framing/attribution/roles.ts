// Roles: what a phrase says about a person's office and country, and which words name nobody.
// The words come from data/speakers.yaml (SpeakerLexicon, loaded by the adapters and passed
// in) and, for countries, from the gazetteer (CountryWords, src/core/geo/country-words.ts: one
// source for country words); compileSpeakers turns them into the matchers the speech-act
// finders and the Attributor share. Memo tables live on the compiled value, one per analyzer:
// core keeps no module state.
import { countryOf, type CountryWords } from '../../geo/country-words.js';

/** data/speakers.yaml, parsed (see the file for what each list means). */
export interface SpeakerLexicon {
  /** Role key → word-start patterns; the first key that matches wins. */
  offices: Record<string, string[]>;
  /** Whole lower-cased words, separated by white space. */
  role_words: string;
  pronouns: string[];
  /** Patterns for a whole subject. */
  not_speakers: string[];
  /** Patterns (alternations) for a speaker word or phrase. */
  speaker_nouns: string[];
  /** Whole lower-cased words, separated by white space. */
  not_names: string;
  /** Chinese office → role keys, longest first. */
  zh_roles: [string, ...string[]][];
}

/** The speaker lexicon, compiled. */
export interface Roles {
  roleWords: Set<string>;
  pronouns: Set<string>;
  notSpeakers: RegExp;
  /** A speaker noun anywhere in a phrase. */
  speakerNoun: RegExp;
  notNames: Set<string>;
  zhRoles: [string, string[]][];
  zhNations: [string, string][];
  /** A Chinese office with an optional country before it and the name after it. */
  zhRoleRe: RegExp;
  /** Country words (from the gazetteer). */
  countries: CountryWords;
  offices: [RegExp, string][];
  nounMemo: Map<string, boolean>;
  roleMemo: Map<string, boolean>;
}

export function compileSpeakers(s: SpeakerLexicon, countries: CountryWords): Roles {
  const starts = (m: Record<string, string[]>): [RegExp, string][] => Object.entries(m).map(([k, p]) => [new RegExp(`^(${p.join('|')})`), k]);
  const words = (t: string) => new Set(t.trim().split(/\s+/));
  const zhRoles = s.zh_roles.map(([p, ...keys]): [string, string[]] => [p, keys]);
  const zhNations = countries.zh;
  return {
    roleWords: words(s.role_words),
    pronouns: new Set(s.pronouns),
    notSpeakers: new RegExp(`^(${s.not_speakers.join('|')})$`, 'i'),
    speakerNoun: new RegExp(`(?<!\\p{L})(?:${s.speaker_nouns.join('|')})(?!\\p{L})`, 'iu'),
    notNames: words(s.not_names),
    zhRoles,
    zhNations,
    zhRoleRe: new RegExp(`(${zhNations.map((n) => n[0]).join('|')})?(${zhRoles.map((r) => r[0]).join('|')})([\\p{Script=Han}·]{2,14})`, 'gu'),
    countries,
    offices: starts(s.offices),
    nounMemo: new Map(),
    roleMemo: new Map(),
  };
}

export function normWord(raw: string): string {
  return raw.toLowerCase().replace(/[’']s$/, '').replace(/ʻ|’|ʼ|‘|`/g, "'");
}

/** The country key of a word as written ("Kazakh", "Kremlin's", "РФ"), or null. */
export function natOf(r: Roles, raw: string): string | null {
  return countryOf(r.countries, raw);
}

/** The role key of a (normalised) word, or null. */
export function headOf(r: Roles, w: string): string | null {
  for (const [re, k] of r.offices) if (re.test(w)) return k;
  return null;
}

/** One word is a speaker noun ("officials", "эксперт"); memoised, as the pattern is long. */
export function isSpeakerNoun(r: Roles, w: string): boolean {
  let v = r.nounMemo.get(w);
  if (v === undefined) {
    v = r.speakerNoun.test(w);
    if (r.nounMemo.size > 20_000) r.nounMemo.clear();
    r.nounMemo.set(w, v);
  }
  return v;
}

/** One word describes an office or origin. */
export function isRoleWord(r: Roles, raw: string): boolean {
  let v = r.roleMemo.get(raw);
  if (v === undefined) {
    const w = normWord(raw);
    v = r.roleWords.has(w) || headOf(r, w) !== null || natOf(r, raw) !== null;
    if (r.roleMemo.size > 20_000) r.roleMemo.clear();
    r.roleMemo.set(raw, v);
  }
  return v;
}

/** Country and office of a role phrase ("the Kazakh leader": KZ, head; "глава МИД": minister,
 * foreign — the head of a ministry is its minister). */
export function roleKeys(r: Roles, words: string[]): { nat: string | null; heads: Set<string> } {
  let nat: string | null = null;
  const heads = new Set<string>();
  for (const raw of words) {
    const w = normWord(raw);
    if (w === 'мид') {
      heads.add('ministry');
      heads.add('foreign');
      continue;
    }
    nat ??= natOf(r, raw);
    const h = headOf(r, w);
    if (h) heads.add(h);
  }
  if (heads.has('head') && heads.has('ministry')) {
    heads.delete('head');
    heads.delete('ministry');
    heads.add('minister');
  }
  return { nat, heads };
}

/** Country and office of a Chinese role phrase, and what is left of it (a name). */
export function zhRoleKeys(r: Roles, s: string): { nat: string | null; heads: Set<string>; rest: string } {
  let rest = s.replace(/^(?:该|这位|此|上述|那位)/u, '');
  let nat: string | null = null;
  for (const [n, k] of r.zhNations)
    if (rest.startsWith(n)) {
      nat = k;
      rest = rest.slice(n.length);
      break;
    }
  const heads = new Set<string>();
  for (const [role, keys] of r.zhRoles) {
    const at = rest.indexOf(role);
    if (at >= 0) {
      for (const k of keys) heads.add(k);
      rest = rest.slice(0, at) + rest.slice(at + role.length);
      break;
    }
  }
  return { nat, heads, rest };
}
