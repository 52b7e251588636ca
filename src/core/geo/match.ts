// Countries, entities and relevance of a text, from the compiled gazetteer.
import { COUNTRY_CODES, type CountryCode, type Entity } from '../types.js';
import { longestNonOverlapping, type PhraseMatch } from '../text/phrase.js';
import { keyAt, type Tokens } from '../text/tokenize.js';
import type { CompiledEntry, CompiledGazetteer } from './gazetteer.js';

export interface GeoHit {
  entry: CompiledEntry;
  /** Character offsets in the analysed text. */
  start: number;
  end: number;
}

export interface GeoResult {
  hits: GeoHit[];
  countries: CountryCode[];
  entities: Entity[];
  relevance: number;
  regional: boolean;
}


/**
 * Gazetteer hits (blocks removed; context-only names kept only with support), from the
 * matches of the gazetteer's phrases (`names`) and local-place patterns (`locals`) in `tokens`;
 * `cjk`: whether the text has Chinese characters (then Chinese names are looked for).
 */
export function findGeoHits(
  g: CompiledGazetteer,
  text: string,
  cjk: boolean,
  tokens: Tokens,
  names: PhraseMatch<CompiledEntry>[],
  locals: PhraseMatch<CountryCode>[],
): GeoHit[] {
  const raw = longestNonOverlapping(names, (e) => e.priority);
  const hits: GeoHit[] = [];
  const covered = new Uint8Array(tokens.length);
  for (const m of raw) {
    for (let t = m.tokStart; t < m.tokEnd; t++) covered[t] = 1;
    if (m.payload.kind === 'block') continue;
    hits.push({ entry: m.payload, start: tokens.start[m.tokStart]!, end: tokens.end[m.tokEnd - 1]! });
  }
  if (g.zh && cjk) {
    g.zh.lastIndex = 0;
    let zm: RegExpExecArray | null;
    while ((zm = g.zh.exec(text)) !== null) {
      const e = g.zhEntry.get(zm[0]);
      if (e && e.kind !== 'block') hits.push({ entry: e, start: zm.index, end: zm.index + zm[0].length });
    }
  }
  // "X ауданы" and the like: a local place when X is not already a known name or a foreign one.
  if (locals.length > 0) {
    for (const m of locals) {
      if (covered[m.tokStart] || g.foreignLocal.has(keyAt(tokens, m.tokStart))) continue;
      hits.push({
        entry: LOCAL_ENTRY[m.payload],
        start: tokens.start[m.tokStart]!,
        end: tokens.end[m.tokEnd - 1]!,
      });
    }
  }
  const supported = new Set<CountryCode>();
  for (const h of hits) if (h.entry.cc && !h.entry.ctx) supported.add(h.entry.cc);
  return hits.filter((h) => !h.entry.ctx || (h.entry.cc !== null && supported.has(h.entry.cc))).sort((a, b) => a.start - b.start);
}

const LOCAL_ENTRY = Object.fromEntries(
  COUNTRY_CODES.map((cc) => [
    cc,
    { id: `place:local-${cc.toLowerCase()}`, name: 'local place', kind: 'place', cc, weight: 0.6, ctx: false, head: false, demonym: false, priority: 0 },
  ]),
) as Record<CountryCode, CompiledEntry>;

/**
 * Relevance 0..1: a mention in the title counts most, then the lead (first two sentences),
 * then the body, where mentions count per entity (repeats add less) and relative to the
 * length of the article, so a passing mention in a long text stays low.
 */
export function scoreGeo(hits: GeoHit[], titleEnd: number, leadEnd: number, sentenceCount: number): GeoResult {
  const countries = new Set<CountryCode>();
  const entities = new Map<string, Entity>();
  let title = 0;
  let lead = 0;
  let body = 0;
  let regionalScore = 0;
  const seenBody = new Map<string, number>();
  for (const h of hits) {
    const e = h.entry;
    if (e.cc) countries.add(e.cc);
    if (!e.id.startsWith('place:local-') && !entities.has(e.id)) {
      const ent: Entity = { id: e.id, name: e.name, kind: e.kind === 'block' ? 'place' : e.kind };
      if (e.cc) ent.country = e.cc;
      entities.set(e.id, ent);
    }
    if (!e.cc) regionalScore += h.start < leadEnd ? 2 * e.weight : e.weight;
    if (h.start < titleEnd) title = Math.max(title, e.weight);
    else if (h.start < leadEnd) lead += e.weight;
    else {
      const n = seenBody.get(e.id) ?? 0;
      seenBody.set(e.id, n + 1);
      body += e.weight / (1 + n);
    }
  }
  const raw = 1.3 * title + 0.6 * Math.min(lead, 2) + (1.2 * body) / Math.sqrt(Math.max(4, sentenceCount));
  const relevance = Math.round((1 - Math.exp(-raw)) * 100) / 100;
  // Regional: the region as a whole is a subject (a regional term in the title or lead, or
  // several regional mentions), whether or not a country is named too.
  const regional = regionalScore >= 1;
  return {
    hits,
    countries: [...countries].sort(),
    entities: [...entities.values()],
    relevance,
    regional,
  };
}
