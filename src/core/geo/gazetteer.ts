// The gazetteer as data (what data/gazetteer.yaml holds) and its compiled, matchable form.
import { COUNTRY_CODES, type CountryCode, type Entity } from '../types.js';
import { foldForMatch } from '../text/normalize.js';

export type GazetteerKind = Entity['kind'] | 'block';

export interface GazetteerEntry {
  id: string;
  name: string;
  kind: GazetteerKind;
  /** Country; defaults to the section the entry is listed under. */
  cc?: CountryCode;
  p?: string[];
  zh?: string[];
  w?: number;
  ctx?: boolean;
  head?: boolean;
  demonym?: boolean;
  /** A seat of government whose name speaks for its country ("the Kremlin"): a country word for
   * attribution (see country-words.ts). */
  voice?: boolean;
  /** The one-character Chinese form of a country (俄, 哈), read by attribution before an office. */
  zh_short?: string;
  /** Cross-script names for story matching only (core/story/names.ts); geo does not read them. */
  xs?: string[];
}

export interface GazetteerData {
  countries: Partial<Record<CountryCode, GazetteerEntry[]>>;
  regional: GazetteerEntry[];
  local_places?: { cc: CountryCode; p: string[] }[];
  foreign_local?: string[];
  /** Countries outside the region (CN, RU, US; `intl`: no one country): their words, for
   * attribution, and their people's `xs`, for story matching; geo does not read them. */
  others?: Record<string, GazetteerEntry[]>;
}

export interface CompiledEntry {
  id: string;
  name: string;
  kind: GazetteerKind;
  cc: CountryCode | null;
  weight: number;
  ctx: boolean;
  head: boolean;
  demonym: boolean;
  /** Tie-break on equal spans: blocks, then names, then demonyms. */
  priority: number;
}

/** The gazetteer's token phrases with what they name. They are matched by the analyzer's one
 * phrase index, together with the framing lexicon (see analyse.ts), so a text is scanned once. */
export interface CompiledGazetteer {
  entries: CompiledEntry[];
  phrases: { phrase: string; entry: CompiledEntry }[];
  /** Chinese names, longest first; `zhEntry` maps a matched string to its entry. */
  zh: RegExp | null;
  zhEntry: Map<string, CompiledEntry>;
  /** "X ауданы" and the like: a local place of the country when X is not a known name. */
  local: { phrase: string; cc: CountryCode }[];
  foreignLocal: Set<string>;
}

const DEFAULT_WEIGHT: Record<GazetteerKind, number> = { country: 1, place: 0.8, person: 0.9, org: 0.6, region: 0.5, block: 0 };

export class GazetteerError extends Error {
  override name = 'GazetteerError';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileGazetteer(data: GazetteerData): CompiledGazetteer {
  const entries: CompiledEntry[] = [];
  const phrases: CompiledGazetteer['phrases'] = [];
  const zhEntry = new Map<string, CompiledEntry>();
  const add = (e: GazetteerEntry, section: CountryCode | null) => {
    if (!e.id || !e.name || !e.kind) throw new GazetteerError(`gazetteer entry without id/name/kind: ${JSON.stringify(e)}`);
    const cc = e.kind === 'block' ? null : (e.cc ?? section);
    if (cc !== null && !COUNTRY_CODES.includes(cc)) throw new GazetteerError(`bad country ${cc} in ${e.id}`);
    const ce: CompiledEntry = {
      id: e.id,
      name: e.name,
      kind: e.kind,
      cc,
      weight: e.w ?? DEFAULT_WEIGHT[e.kind],
      ctx: e.ctx === true,
      head: e.head === true,
      demonym: e.demonym === true,
      priority: e.kind === 'block' ? 3 : e.demonym ? 1 : 2,
    };
    entries.push(ce);
    for (const p of e.p ?? []) phrases.push({ phrase: p, entry: ce });
    for (const z of e.zh ?? []) if (!zhEntry.has(z)) zhEntry.set(z, ce);
  };
  for (const cc of COUNTRY_CODES) for (const e of data.countries[cc] ?? []) add(e, cc);
  for (const e of data.regional ?? []) add(e, null);
  const zhKeys = [...zhEntry.keys()].sort((a, b) => b.length - a.length);
  const local: CompiledGazetteer['local'] = [];
  for (const l of data.local_places ?? []) for (const p of l.p) local.push({ phrase: p, cc: l.cc });
  return {
    entries,
    phrases,
    zh: zhKeys.length ? new RegExp(zhKeys.map(escapeRe).join('|'), 'g') : null,
    zhEntry,
    local,
    foreignLocal: new Set((data.foreign_local ?? []).map((w) => foldForMatch(w))),
  };
}
