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
 * Relevance 0..1: how much the article is about Central Asia, from where and how often the
 * region's names occur. Four signals, each 0..1, combined as independent evidence
 * (1 − Π(1 − wᵢ·xᵢ)) so that each adds to the others without a hard ceiling:
 *   title  0.62 × the weight of the strongest name in the title (a country 1, a person 0.9, a
 *          city 0.8, a demonym or an organisation 0.6): a title about the region alone is 0.62;
 *   lead   0.25 × the weight of the names in the lead (first two sentences), 2 = full;
 *   share  0.60 × √(the share of the body's sentences that name the region): an article that
 *          keeps returning to it scores high, a passing mention in a long text low (1 of 30
 *          sentences: 0.11);
 *   breadth 0.30 × distinct names (countries, places, people, organisations) / 6: an article
 *          about a country names its places and people, one that mentions it in passing does not.
 * `sentenceStarts`: the offsets where the text's sentences start (sorted); when not given, the
 * body is read as sentences of 150 characters.
 *   home  0.35 when the feed is a local outlet's (`home`: the feeds file's `country`) and its own
 *          country or a place of it is named in the title or lead: a local outlet writes for its
 *          country, and its stories name the country once and then only its villages and
 *          districts, which no gazetteer knows ("the Gafwalsai district council"). A foreign
 *          country's name, or a mention deep in the body, gets nothing from it.
 * With ALERT_MIN_RELEVANCE 0.3: a title or a body that keeps to the region passes; a passing
 * mention (one name in the lead, or a few in a long body) does not, unless a local outlet names
 * its own country in the lead.
 */
/** A body shorter than this is read as this long: one sentence of two is no share to go by. */
const MIN_BODY_SENTENCES = 5;
/** The home signal's weight (see scoreGeo): with one lead mention alone an article scores ~0.4. */
export const HOME_SIGNAL = 0.35;

export function scoreGeo(hits: GeoHit[], titleEnd: number, leadEnd: number, sentenceCount: number, sentenceStarts?: readonly number[], home?: CountryCode): GeoResult {
  const countries = new Set<CountryCode>();
  const entities = new Map<string, Entity>();
  let title = 0;
  let lead = 0;
  let regionalScore = 0;
  let atHome = false;
  /** Body sentences (after the title) that name the region, by index. */
  const named = new Set<number>();
  const sentenceAt = (pos: number): number => {
    if (!sentenceStarts || sentenceStarts.length === 0) return Math.floor(pos / 150);
    let lo = 0;
    let hi = sentenceStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sentenceStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const h of hits) {
    const e = h.entry;
    if (e.cc) countries.add(e.cc);
    if (!e.id.startsWith('place:local-') && !entities.has(e.id)) {
      const ent: Entity = { id: e.id, name: e.name, kind: e.kind === 'block' ? 'place' : e.kind };
      if (e.cc) ent.country = e.cc;
      entities.set(e.id, ent);
    }
    if (!e.cc) regionalScore += h.start < leadEnd ? 2 * e.weight : e.weight;
    if (home && e.cc === home && h.start < leadEnd && e.weight >= 0.5) atHome = true;
    if (h.start < titleEnd) title = Math.max(title, e.weight);
    else {
      if (h.start < leadEnd) lead += e.weight;
      // A name of low weight (Baikonur, the Astana format on Syria) marks its sentence only weakly.
      if (e.weight >= 0.5) named.add(sentenceAt(h.start));
    }
  }
  let bodySentences: number;
  if (sentenceStarts && sentenceStarts.length > 0) {
    let firstBody = 0;
    while (firstBody < sentenceStarts.length && sentenceStarts[firstBody]! < titleEnd) firstBody++;
    bodySentences = sentenceStarts.length - firstBody;
  } else bodySentences = Math.max(0, sentenceCount - (titleEnd > 0 ? 1 : 0));
  const share = Math.min(1, named.size / Math.max(MIN_BODY_SENTENCES, bodySentences));
  const breadth = Math.min(1, entities.size / 6);
  const signals = [0.62 * Math.min(1, title), 0.25 * Math.min(1, lead / 3), 0.8 * share, 0.3 * breadth, atHome ? HOME_SIGNAL : 0];
  const relevance = hits.length === 0 ? 0 : Math.round((1 - signals.reduce((p, x) => p * (1 - x), 1)) * 100) / 100;
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
