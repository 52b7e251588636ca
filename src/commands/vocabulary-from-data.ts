// The command vocabulary from the packaged data: country and entity aliases from the gazetteer
// (data/gazetteer.yaml, as parsed into GazetteerData), tag labels from tags.ts, outlets from
// the configured feeds. Pure: the caller loads the files.
import type { GazetteerData, GazetteerEntry } from '../core/geo/gazetteer.js';
import type { CountryCode, FeedConfig } from '../core/types.js';
import { defaultTagVocabulary } from './tags.js';
import { buildVocabulary, type QueryVocabulary, type VocabularyInput } from './vocabulary.js';

/** More variants than this from one gazetteer phrase are not worth indexing for queries. */
const MAX_VARIANTS = 32;

/**
 * A gazetteer phrase (core/text/phrase.ts syntax) as command aliases. Queries are short and
 * typed by people, so the phrase is loosened: case marks (`^`, `=`) are dropped (people type
 * "osh", "sco"), `a|b` alternatives and `?optional` words are expanded, a closed suffix set
 * (`word@kk`) becomes a stem when the word has 4 characters or more, and phrases with gaps
 * (`..N`) or wildcards (`_`) are left out.
 */
export function aliasesFromPhrase(phrase: string): string[] {
  let variants: string[][] = [[]];
  for (const raw of phrase.trim().split(/\s+/)) {
    if (!raw) continue;
    if (raw.startsWith('..') || raw === '_' || raw === '^_') return [];
    let t = raw;
    let optional = false;
    while (/^[=?^]/.test(t)) {
      if (t[0] === '?') optional = true;
      t = t.slice(1);
    }
    const alts = t.split('|').filter(Boolean).map((a) => {
      const m = /^(.*)@\w+$/.exec(a);
      if (!m) return a;
      return m[1]!.length >= 4 ? `${m[1]}*` : m[1]!;
    });
    const next: string[][] = [];
    for (const v of variants) {
      if (optional) next.push(v);
      for (const a of alts) next.push([...v, a]);
    }
    variants = next.slice(0, MAX_VARIANTS);
  }
  return [...new Set(variants.filter((v) => v.length > 0).map((v) => v.join(' ')))];
}

function entryAliases(e: GazetteerEntry): string[] {
  // A context-only name is also a common word or a foreign place: as a query word it would mislead.
  if (e.ctx) return [];
  return [...(e.p ?? []).flatMap(aliasesFromPhrase), ...(e.zh ?? [])];
}

/** Country aliases (names and demonyms) and entities (people, places, organisations, regions). */
export function vocabularyInputFromGazetteer(g: GazetteerData): Pick<VocabularyInput, 'countries' | 'entities'> {
  const countries: Partial<Record<CountryCode, string[]>> = {};
  const entities = new Map<string, { id: string; name: string; aliases: string[] }>();
  const add = (e: GazetteerEntry) => {
    if (e.kind === 'block') return;
    const m = /^country:([A-Z]{2})$/.exec(e.id);
    if (m) {
      const cc = m[1] as CountryCode;
      countries[cc] = [...(countries[cc] ?? []), ...entryAliases(e)];
      return;
    }
    const prev = entities.get(e.id);
    if (prev) prev.aliases.push(...entryAliases(e));
    else entities.set(e.id, { id: e.id, name: e.name, aliases: entryAliases(e) });
  };
  for (const list of Object.values(g.countries ?? {})) for (const e of list ?? []) add(e);
  for (const e of g.regional ?? []) add(e);
  return { countries, entities: [...entities.values()] };
}

/** One outlet per outlet id (several feeds can share one), named as its first feed names it. */
export function outletsFromFeeds(feeds: readonly Pick<FeedConfig, 'outletId' | 'outlet'>[]): { id: string; name: string }[] {
  const out = new Map<string, { id: string; name: string }>();
  for (const f of feeds) if (!out.has(f.outletId)) out.set(f.outletId, { id: f.outletId, name: f.outlet });
  return [...out.values()];
}

/** The vocabulary of a deployment: its gazetteer, the taxonomy's tags and its feeds' outlets. */
export function vocabularyFromData(d: { gazetteer: GazetteerData; feeds: readonly Pick<FeedConfig, 'outletId' | 'outlet'>[] }): QueryVocabulary {
  return buildVocabulary({ ...vocabularyInputFromGazetteer(d.gazetteer), tags: defaultTagVocabulary(), outlets: outletsFromFeeds(d.feeds) });
}
