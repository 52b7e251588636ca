// What the farm serves, as pure functions of (spec, feed, item): the feeds, each item's ground
// truth (ItemMeta: cheap, no text — the bench process keeps these), and the rendered items and RSS
// documents (the farm process renders them).
import type { Affiliation, CountryCode } from '../../src/core/types.js';
import { COUNTRY_CODES } from '../../src/core/types.js';
import { chooser, hash32, rng } from './rng.js';
import { CA_GRAMMAR, COUNTRY_FORMS, ENDINGS, FARM_TAGS, GIVEN, ORG_KINDS, OTHER_TEMPLATES, STEMS, VILLAGE_SUFFIXES, WEEKDAYS, fill, type FarmLang, type FarmTag } from './text.js';

export interface FarmSpec {
  feeds: number;
  /** Items per feed document (the newest `items` are served). */
  items: number;
  /** The farm's "now" when it started, ms since epoch: initial items are dated before it. */
  start: number;
  seed: number;
}

/** Feeds per outlet: an outlet has several feeds (sections, languages), as real ones do. */
export const FEEDS_PER_OUTLET = 10;
/** Share of items about Central Asia. */
export const CA_SHARE = 0.1;
/** Share of Central Asia items that carry one framing. */
export const FRAMED_SHARE = 0.35;
/** Share of items with content:encoded (and a short description). */
export const CONTENT_ENCODED_SHARE = 0.3;
/** Hours between two initial items of a feed: with 20 items the oldest four are past 48 h. */
export const ITEM_SPACING_HOURS = 3;

export interface FarmFeed {
  index: number;
  id: string;
  outletId: string;
  outlet: string;
  language: FarmLang;
  affiliation: Affiliation;
  /**
   * The home country of a local outlet's feed (its `country` in the feeds file): the Kazakh- and
   * Uzbek-language feeds, which write about their own country only.
   */
  country?: CountryCode;
}

const pad = (n: number, w = 4) => String(n).padStart(w, '0');

export function outletIndex(feed: number): number {
  return Math.floor(feed / FEEDS_PER_OUTLET);
}

export function farmFeed(i: number): FarmFeed {
  const k = i % 20;
  const language: FarmLang = k < 11 ? 'en' : k < 17 ? 'ru' : k === 17 ? 'zh' : k === 18 ? 'kk' : 'uz';
  const o = outletIndex(i);
  const a = o % 10;
  const affiliation: Affiliation = a < 3 ? 'state:RU' : a < 5 ? 'state:CN' : a === 5 ? 'public:US' : a < 9 ? 'independent' : 'unknown';
  const country: CountryCode | undefined = language === 'kk' ? 'KZ' : language === 'uz' ? 'UZ' : undefined;
  return { index: i, id: `farm-${pad(i)}`, outletId: `farm-outlet-${pad(o, 3)}`, outlet: `Farm Outlet ${pad(o, 3)}`, language, affiliation, ...(country ? { country } : {}) };
}

/** Ground truth of one item: enough to route it and to render it again. */
export interface ItemMeta {
  feed: number;
  /** Position in the feed's history: 0 is its oldest item; published items continue the count. */
  seq: number;
  lang: FarmLang;
  publishedMs: number;
  /** The republic a Central Asia item is about; null for an unrelated item. */
  country: CountryCode | null;
  tag: FarmTag | null;
  contentEncoded: boolean;
  /** Size the body is grown to, UTF-8 bytes (1–5 KB). */
  targetBytes: number;
}

const itemSeed = (seed: number, feed: number, seq: number) => hash32(`${seed}:${feed}:${seq}`);

function tagsFor(lang: FarmLang): readonly FarmTag[] {
  return lang === 'en' || lang === 'ru' ? FARM_TAGS : FARM_TAGS.filter((t) => t !== 'foreign-agent-ngo');
}

/** The age of initial item `seq` when the farm starts, hours. */
export function initialAgeHours(spec: Pick<FarmSpec, 'items'>, feed: number, seq: number): number {
  return 0.25 + (spec.items - 1 - seq) * ITEM_SPACING_HOURS + (feed % 4) * 0.25;
}

export function initialItemMeta(spec: FarmSpec, feed: number, seq: number): ItemMeta {
  const r = rng(itemSeed(spec.seed, feed, seq));
  const { pick } = chooser(r);
  const lang = farmFeed(feed).language;
  const ca = r() < CA_SHARE;
  // Kazakh- and Uzbek-language outlets write about their own country (the analysis also reads
  // their local-place phrasing as that country).
  const country = ca ? (lang === 'kk' ? 'KZ' : lang === 'uz' ? 'UZ' : pick(COUNTRY_CODES)) : null;
  const tag = ca && r() < FRAMED_SHARE ? pick(tagsFor(lang)) : null;
  return {
    feed,
    seq,
    lang,
    publishedMs: Math.round(spec.start - initialAgeHours(spec, feed, seq) * 3_600_000),
    country,
    tag,
    contentEncoded: r() < CONTENT_ENCODED_SHARE,
    targetBytes: 1000 + Math.floor(r() * 4000),
  };
}

export function initialItems(spec: FarmSpec, feed: number): ItemMeta[] {
  return Array.from({ length: spec.items }, (_, seq) => initialItemMeta(spec, feed, seq));
}

/** An item published during the run: about `country`, with `tag` when the feed's language has it. */
export function publishedItemMeta(spec: FarmSpec, feed: number, seq: number, publishedMs: number, country: CountryCode, tag: FarmTag | null): ItemMeta {
  const r = rng(itemSeed(spec.seed, feed, seq));
  const lang = farmFeed(feed).language;
  return {
    feed,
    seq,
    lang,
    publishedMs,
    country,
    tag: tag && tagsFor(lang).includes(tag) ? tag : null,
    contentEncoded: r() < CONTENT_ENCODED_SHARE,
    targetBytes: 1000 + Math.floor(r() * 4000),
  };
}

/** Whether the pipeline should alert the item: published within `maxAgeHours` of `atMs`. */
export function isFresh(m: ItemMeta, atMs: number, maxAgeHours: number): boolean {
  return atMs - m.publishedMs <= maxAgeHours * 3_600_000;
}

export interface FarmItem {
  meta: ItemMeta;
  guid: string;
  link: string;
  title: string;
  paragraphs: string[];
  author: string | null;
  category: string;
}

const LANG_INDEX: Record<FarmLang, number> = { en: 0, ru: 1, zh: 2, kk: 3, uz: 4 };

type Picker = <T>(xs: readonly T[]) => T;

/** Index of a name's form: zh transliterated; ru and kk Cyrillic; en and uz Latin. */
const scriptIndex = (lang: FarmLang) => (lang === 'zh' ? 2 : lang === 'ru' || lang === 'kk' ? 1 : 0);

/** Two different stems, the second lower-cased: Kurban, Курбан, 库尔班. */
function twoStems(pick: Picker, j: number): string {
  const s1 = pick(STEMS);
  let s2 = pick(STEMS);
  if (s2 === s1) s2 = STEMS[(STEMS.indexOf(s1) + 1) % STEMS.length]!;
  return j === 2 ? `${s1[2]}${s2[2]}` : `${s1[j]}${s2[j]!.toLowerCase()}`;
}

/** A generated person: given name and a surname of two stems and an ending. */
function personName(pick: Picker, lang: FarmLang): string {
  const j = scriptIndex(lang);
  const sex = pick(['m', 'f'] as const);
  const g = pick(GIVEN[sex]);
  const stems = twoStems(pick, j);
  const e = pick(ENDINGS[sex]);
  return j === 2 ? `${g[2]}·${stems}${e[2]}` : `${g[j]} ${stems}${e[j]}`;
}

function orgName(pick: Picker, lang: FarmLang): string {
  const j = scriptIndex(lang);
  const stems = twoStems(pick, j);
  const k = pick(ORG_KINDS);
  return j === 2 ? `${stems}${k[2]}` : `${stems} ${k[j]}`;
}

/**
 * A village: three stems and a suffix (~290,000 names). With two stems (~7,400) two of the 2,000
 * Central Asia items of a 1,000-feed farm shared a village name hundreds of times, and two items
 * with one village, one object and one country read as one story to anyone.
 */
function villageName(pick: Picker, lang: FarmLang): string {
  const j = scriptIndex(lang);
  const stems = twoStems(pick, j);
  const s3 = pick(STEMS)[j]!;
  return `${stems}${j === 2 ? s3 : s3.toLowerCase()}${pick(VILLAGE_SUFFIXES)[j]}`;
}

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** `n` different entries of `xs` (fewer when it is shorter). */
function sample<T>(r: () => number, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Renders an item's text from its ground truth (deterministic). */
export function renderItem(spec: Pick<FarmSpec, 'seed'>, m: ItemMeta, base: string): FarmItem {
  const r = rng(itemSeed(spec.seed, m.feed, m.seq) ^ 0x5bd1e995);
  const { pick, int } = chooser(r);
  const lang = m.lang;
  const year = new Date(m.publishedMs).getUTCFullYear();
  const nums = () => ({ N1: int(3, 48), N2: int(12, 980), N3: int(120, 5400), N4: int(15, 420), N5: int(3, 30), Y: year + int(1, 4), Y2: year - int(2, 9) });
  const paragraphs: string[] = [];
  let title: string;
  let category: string;
  const grow = (make: () => string) => {
    let guard = 0;
    while (byteLength(paragraphs.join('\n\n')) < m.targetBytes && guard++ < 200) paragraphs.push(make());
  };

  if (m.country) {
    const g = CA_GRAMMAR[lang];
    const cf = COUNTRY_FORMS[m.country];
    const city = pick(cf.cities);
    const place = { CITY: city[LANG_INDEX[lang]]!, CITYG: city[5], VIL: villageName(pick, lang), VIL2: villageName(pick, lang), WD: WEEKDAYS[lang][new Date(m.publishedMs).getUTCDay()]! };
    // The item's own vocabulary: a few of each pool, used by every sentence of the item.
    const own = {
      agents: sample(r, g.agents, 2).map((a) => fill(a, { ...place, ORG: orgName(pick, lang), DOMAIN: pick(g.domains) })),
      verbs: sample(r, g.verbs, 3),
      objects: sample(r, g.objects, 3),
      places: sample(r, g.places, 2).map((p) => fill(p, place)),
      quotes: sample(r, g.quotes, 3),
      roles: sample(r, g.roles, 2),
      people: [personName(pick, lang), personName(pick, lang)],
    };
    const fixed = { C: cf.nom[lang], CG: cf.ruGen, CITY: place.CITY, SP: personName(pick, lang) };
    const sentenceVars = () => {
      const agent = pick(own.agents);
      return {
        ...fixed,
        ...nums(),
        AGENT: agent,
        AGENTC: capitalise(agent),
        VERB: pick(own.verbs),
        OBJ: pick(own.objects),
        PLACE: pick(own.places),
        TIME: fill(pick(g.times), { ...place, ...nums() }),
        SOURCE: pick(g.sources),
        QUOTE: pick(own.quotes),
        ROLE: pick(own.roles),
        P2: pick(own.people),
      };
    };
    title = fill(pick(g.titles), sentenceVars());
    paragraphs.push(fill(g.lead, sentenceVars()));
    if (m.tag) {
      const f = g.framing[m.tag];
      if (!f) throw new Error(`farm: no ${m.tag} sentence in ${lang}`);
      const v = sentenceVars();
      paragraphs.push(`${fill(g.protest, v)} ${fill(f, v)}`);
    }
    // Paragraphs of two or three sentences until the body reaches its size.
    const sep = lang === 'zh' ? '' : ' ';
    grow(() => Array.from({ length: int(2, 3) }, () => fill(pick(g.sentences), sentenceVars())).join(sep));
    category = 'Central Asia';
  } else {
    const t = OTHER_TEMPLATES[lang];
    const vars = { A: pick(t.names), B: pick(t.names), X: pick(t.cities), ...nums() };
    title = fill(pick(t.titles), vars);
    let k = int(0, t.paragraphs.length - 1);
    grow(() => fill(t.paragraphs[k++ % t.paragraphs.length]!, { ...vars, ...nums() }));
    category = pick(['Sport', 'Business', 'Science', 'Technology', 'Weather']);
  }
  const feed = farmFeed(m.feed);
  return {
    meta: m,
    guid: `farm-${m.feed}-${m.seq}`,
    link: `${base}/articles/${feed.id}/${m.seq}.html`,
    title,
    paragraphs,
    author: r() < 0.5 ? personName(pick, lang === 'zh' ? 'en' : lang) : null,
    category,
  };
}

/** Title and plain text of an item, as the analysis gets them. */
export function itemPlainText(it: FarmItem): { title: string; text: string } {
  return { title: it.title, text: it.paragraphs.join('\n\n') };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function itemXml(it: FarmItem): string {
  const html = it.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n');
  const parts = [
    `<item>`,
    `<title>${esc(it.title)}</title>`,
    `<link>${esc(it.link)}</link>`,
    `<guid isPermaLink="false">${it.guid}</guid>`,
    `<pubDate>${new Date(it.meta.publishedMs).toUTCString()}</pubDate>`,
    ...(it.author ? [`<dc:creator>${esc(it.author)}</dc:creator>`] : []),
    `<category>${esc(it.category)}</category>`,
  ];
  if (it.meta.contentEncoded) {
    parts.push(`<description>${esc(`<p>${esc(it.paragraphs[0] ?? '')}</p>`)}</description>`);
    parts.push(`<content:encoded><![CDATA[<figure><img src="${esc(it.link)}.jpg" alt=""/></figure>\n${html}]]></content:encoded>`);
  } else {
    parts.push(`<description>${esc(html)}</description>`);
  }
  parts.push(`</item>`);
  return parts.join('\n');
}

/** An RSS 2.0 document of `items` (newest first). */
export function renderRss(feed: FarmFeed, items: FarmItem[], base: string, lastBuildMs: number): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">`,
    `<channel>`,
    `<title>${esc(feed.outlet)} (${feed.language})</title>`,
    `<link>${base}/${feed.id}/</link>`,
    `<atom:link href="${base}/feeds/${feed.id}.xml" rel="self" type="application/rss+xml"/>`,
    `<description>steppewatch benchmark farm feed ${feed.id}</description>`,
    `<language>${feed.language}</language>`,
    `<lastBuildDate>${new Date(lastBuildMs).toUTCString()}</lastBuildDate>`,
    `<ttl>15</ttl>`,
    ...items.map(itemXml),
    `</channel>`,
    `</rss>`,
    '',
  ].join('\n');
}

/** `feed:seq`, the ground-truth name of an item. */
export function itemRef(m: Pick<ItemMeta, 'feed' | 'seq'>): string {
  return `${m.feed}:${m.seq}`;
}

/** The item a farm link names (`…/articles/farm-0012/7.html` → `12:7`), or null for another URL. */
export function itemRefFromUrl(url: string | null): string | null {
  const m = url ? /\/articles\/farm-(\d+)\/(\d+)\.html$/.exec(url) : null;
  return m ? `${Number(m[1])}:${Number(m[2])}` : null;
}

/**
 * The farm's initial items that name a Central Asian country, feed by feed, each feed's oldest
 * first, as plain text: the stream the story tools and tests (tools/eval/farm-stories.ts, the
 * engine contract test) put through the story engine.
 */
export function* farmCountryItems(spec: FarmSpec): Generator<{ feed: number; meta: ItemMeta; item: FarmItem; title: string; text: string; published: string }> {
  for (let feed = 0; feed < spec.feeds; feed++) {
    for (let seq = spec.items - 1; seq >= 0; seq--) {
      const meta = initialItemMeta(spec, feed, seq);
      if (!meta.country) continue;
      const item = renderItem(spec, meta, 'http://127.0.0.1');
      yield { feed, meta, item, ...itemPlainText(item), published: new Date(meta.publishedMs).toISOString() };
    }
  }
}
