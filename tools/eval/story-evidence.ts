// Candidate evidence for the story decision, studied by tools/eval/pooled-study.ts (not used by the
// engine): rare-term overlap under the background frequencies, the lead (title and first sentence)
// compared alone, event words (not capitalised), and evidence AGAINST one event — both leads name
// places or people and none in common, both give figures and share none.
import type { ArticleFeatures, TermCounts } from '../../src/core/story/features.js';
import { cosine, idf, tfidfVector, type ArticleVectors, type DocFreq, type SimilarityParts } from '../../src/core/story/similarity.js';

export interface Evidence {
  /** IDF-weighted overlap of body terms rarer than RARE_IDF: shared weight over the smaller side's. */
  rare: number;
  /** Cosine of the title terms against the title terms (lead = title or first sentence). */
  lead: number;
  /** Cosine of body terms that are not names. */
  eventWords: number;
  /** Both name gazetteer places, none in common. */
  placesApart: number;
  /** Both titles name places or people (e: keys or name words present in the title), none in common. */
  leadPlacesApart: number;
  leadNamesApart: number;
  /** Both give two or more figures, none in common. */
  numsApart: number;
  /** Cross-language: skeleton keys of title names. */
  leadXnames: number;
  /** Cross-language: shared skeleton/entity keys, idf-weighted over the smaller side. */
  xnamesShared: number;
  /** Weighted overlap coefficient of the body vectors: Σ shared min(wa, wb) / min(Σ wa, Σ wb). */
  ovl: number;
  /** The same over title vectors, and the names vectors. */
  titleOvl: number;
  namesOvl: number;
  /** rare overlap at other cuts */
  rare3: number;
  rare5: number;
  rare6: number;
}

export const RARE_IDF = 4;

/** Σ over shared keys of min(wa, wb) / min(Σ wa, Σ wb) (0 when either is empty). */
export function overlap(a: { keys: readonly string[]; vals: readonly number[] }, b: { keys: readonly string[]; vals: readonly number[] }): number {
  const mb = new Map(b.keys.map((k, i) => [k, b.vals[i]!] as const));
  let s = 0;
  a.keys.forEach((k, i) => {
    const w = mb.get(k);
    if (w !== undefined) s += Math.min(w, a.vals[i]!);
  });
  const sa = a.vals.reduce((x, y) => x + y, 0);
  const sb = b.vals.reduce((x, y) => x + y, 0);
  return Math.min(sa, sb) > 0 ? s / Math.min(sa, sb) : 0;
}

export function eventEvidence(fa: ArticleFeatures, fb: ArticleFeatures, va: ArticleVectors, vb: ArticleVectors, d: DocFreq, p: SimilarityParts): Evidence {
  void p;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);
  const rareAt = (cut: number) => {
    const rareSet = (f: ArticleFeatures) => new Map(Object.keys(f.body).flatMap((k) => (idf(d, k) >= cut ? [[k, idf(d, k)] as const] : [])));
    const ra = rareSet(fa);
    const rb = rareSet(fb);
    let shared = 0;
    for (const [k, w] of ra) if (rb.has(k)) shared += w;
    return Math.min(sum(ra), sum(rb)) > 0 ? shared / Math.min(sum(ra), sum(rb)) : 0;
  };
  const rare = rareAt(RARE_IDF);

  const nameStems = (f: ArticleFeatures) => new Set(f.names.filter((n) => n.startsWith('n:')).map((n) => n.slice(2).slice(0, 6)));
  const eventCounts = (f: ArticleFeatures): TermCounts => {
    const ns = nameStems(f);
    const c: TermCounts = {};
    for (const k in f.body) if (!ns.has(k)) c[k] = f.body[k]!;
    return c;
  };
  const eventWords = cosine(tfidfVector(eventCounts(fa), d), tfidfVector(eventCounts(fb), d));

  const places = (f: ArticleFeatures) => f.names.filter((n) => n.startsWith('e:place:'));
  const apart = (x: string[], y: string[]) => (x.length > 0 && y.length > 0 && !x.some((k) => y.includes(k)) ? 1 : 0);
  const inTitle = (f: ArticleFeatures, keys: string[]) => keys.filter((k) => {
    const s = k.slice(k.lastIndexOf(':') + 1).slice(0, 6).toLowerCase();
    return Object.keys(f.title).some((t) => t.startsWith(s.slice(0, 5)) || s.startsWith(t.slice(0, 5)));
  });
  const leadPlaces = (f: ArticleFeatures) => inTitle(f, places(f));
  const leadNames = (f: ArticleFeatures) => inTitle(f, f.names.filter((n) => n.startsWith('n:') || n.startsWith('e:')));
  const figs = (f: ArticleFeatures) => f.nums.filter((n) => n.startsWith('#:'));
  const numsApart = figs(fa).length >= 2 && figs(fb).length >= 2 && !figs(fa).some((k) => figs(fb).includes(k)) ? 1 : 0;

  const xset = (v: ArticleVectors) => new Map(v.xnames.keys.map((k, i) => [k, v.xnames.vals[i]!] as const));
  const xa = xset(va);
  const xb = xset(vb);
  let xs = 0;
  for (const [k, w] of xa) if (xb.has(k)) xs += w;
  const xmin = Math.min(sum(xa), sum(xb));
  return {
    rare,
    lead: cosine(va.title, vb.title),
    eventWords,
    placesApart: apart(places(fa), places(fb)),
    leadPlacesApart: apart(leadPlaces(fa), leadPlaces(fb)),
    leadNamesApart: apart(leadNames(fa), leadNames(fb)),
    numsApart,
    leadXnames: 0,
    xnamesShared: xmin > 0 ? xs / xmin : 0,
    ovl: overlap(va.body, vb.body),
    titleOvl: overlap(va.title, vb.title),
    namesOvl: overlap(va.names, vb.names),
    rare3: rareAt(3),
    rare5: rareAt(5),
    rare6: rareAt(6),
  };
}
