// Values shared by every part of steppewatch. Pure data: no classes, no I/O.
// All times are ISO 8601 strings in UTC ("2022-04-26T08:00:00.000Z").

/** The five republics, ISO 3166-1 alpha-2. */
export const COUNTRY_CODES = ['KZ', 'KG', 'TJ', 'TM', 'UZ'] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export const COUNTRY_NAMES: Record<CountryCode, string> = {
  KZ: 'Kazakhstan',
  KG: 'Kyrgyzstan',
  TJ: 'Tajikistan',
  TM: 'Turkmenistan',
  UZ: 'Uzbekistan',
};

export const COUNTRY_FLAGS: Record<CountryCode, string> = {
  KZ: '🇰🇿',
  KG: '🇰🇬',
  TJ: '🇹🇯',
  TM: '🇹🇲',
  UZ: '🇺🇿',
};

/** Framing tag ids (../shared/taxonomy.md). Part of the contract: keep stable. */
export const TAG_IDS = [
  'color-revolution',
  'external-interference',
  'major-power-hegemony',
  'three-evil-forces',
  'foreign-trained-terrorists',
  'attempted-coup',
  'double-standards-sanctions',
  'human-rights-pretext',
  'foreign-agent-ngo',
  'us-biolabs',
  'russophobia-compatriots',
  'anti-russia-front',
  'benevolent-partner',
  'disinfo-debunk',
  'crackdown-pretext',
  'neo-imperial-pressure',
] as const;
export type TagId = (typeof TAG_IDS)[number];

/**
 * Outlet affiliation: `state:<CC>` (owned or controlled by the state of CC), `public:<CC>`
 * (publicly funded, editorially independent), `independent`, `unknown`.
 */
export type Affiliation = `state:${string}` | `public:${string}` | 'independent' | 'unknown';

export interface Evidence {
  /** The whole triggering sentence, trimmed to 300 characters. */
  quote: string;
  /** Who voices the frame ("Wei Fenghe", "the Defense Ministry"), null for the outlet's own voice. */
  attributedTo: string | null;
  /**
   * True when the sentence is background — history or context about earlier events (RT's
   * paragraph on the January unrest), not the story's own news. Absent means the story's own
   * claim (or an analysis made before the flag existed). Not part of the `analyze` output.
   */
  background?: boolean;
}

export interface Framing {
  tag: TagId;
  /** 0..1: how sure the matcher is that the article carries the frame. */
  confidence: number;
  /** Most telling first, at most three. */
  evidence: Evidence[];
  /** True when a trigger of the tag is in the title: the headline's own frame (alerts list it first). */
  inTitle?: boolean;
}

/** A named entity found in the text (gazetteer hit). */
export interface Entity {
  /** Stable id, e.g. `person:tokayev`, `place:almaty`, `country:KZ`, `org:csto`. */
  id: string;
  /** Display name in English. */
  name: string;
  kind: 'country' | 'place' | 'person' | 'org' | 'region';
  /** Country the entity belongs to, if any. */
  country?: CountryCode;
}

/** Input of the analysis: what `steppewatch analyze` reads, and what the analyse job builds from an article. */
export interface AnalysisInput {
  id: string;
  title?: string;
  /** Plain text; `html` is used when text is absent. */
  text?: string;
  html?: string;
  url?: string;
  outlet?: string;
  /** ISO 8601; missing means "now" (the caller passes the clock). */
  published?: string;
  /** A hint (feed's declared language); the detector decides. */
  language?: string;
  /**
   * The feed's home country (the feeds file's `country`: a local outlet's), ISO alpha-2. A hint
   * for relevance: a local outlet's article naming its own country in the title or lead is about it.
   */
  country?: string;
}

/** Output of the analysis of one article (the `analyze` contract, plus entities and title). */
export interface AnalysisResult {
  id: string;
  /** ISO 639-1, `und` when unknown. */
  language: string;
  /** Only the five republics, sorted. */
  countries: CountryCode[];
  /** 0..1. */
  relevance: number;
  framings: Framing[];
  summary: string;
  /** Title used (the input title, or the first sentence when there is none). */
  title: string;
  entities: Entity[];
  /** True when the article is about the region as a whole (Central Asia, CSTO, SCO …). */
  regional: boolean;
}

/** A feed as configured (feeds file or /feeds add). */
export interface FeedConfig {
  /** Slug, default outlet slug + first language (`rt-en`). */
  id: string;
  url: string;
  /** Display name of the outlet. */
  outlet: string;
  /** Outlet slug (`rt`, `global-times`): the outlet id of commands, stories and records. */
  outletId: string;
  language: string[];
  country?: string;
  affiliation: Affiliation;
  /** Lower bound of the adaptive poll interval, seconds. */
  interval?: number;
  verified?: boolean | string;
  /** Where the feed came from: the feeds file or a command. */
  source: 'file' | 'command';
}

/** An item of a feed after normalisation (src/core/feed). */
export interface NormalisedItem {
  /** Article key: stable guid, else canonical link, else hash of title and date. */
  key: string;
  /** Secondary dedupe keys (canonical link, normalised title + outlet). */
  altKeys: string[];
  title: string;
  url: string | null;
  /** Plain text (HTML stripped). */
  text: string;
  /** ISO 8601 UTC. */
  published: string;
  /** True when no usable date was given and `published` is the first-seen time. */
  publishedEstimated: boolean;
  /** From the item's <source> for aggregator feeds. */
  sourceOutlet?: string;
  author?: string;
  guid?: string;
}

/** An article as stored: a normalised item with its feed's outlet. */
export interface Article {
  id: string;
  feedId: string;
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  url: string | null;
  title: string;
  text: string;
  published: string;
  publishedEstimated: boolean;
  firstSeen: string;
  /** Language hint from the feed. */
  languageHint?: string;
  /** The feed's home country (its `country` in the feeds file), a relevance hint. */
  countryHint?: string;
}

/** An article after analysis, as stored. */
export interface AnalysedArticle extends Article {
  analysis: AnalysisResult;
  /** Null for articles outside Central Asia: the live pipeline clusters only those it may alert. */
  storyId: string | null;
  /** Outlets this article says it cites ("according to the Global Times"). */
  cites: string[];
}

/** An outlet's part in a story. */
export interface StoryOutlet {
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  /** The outlet's first article in the story. */
  articleId: string;
  url: string | null;
  title: string;
  published: string;
  /** Outlets this outlet's article cites or quotes, when the text says so. */
  cites: string[];
  framings: Framing[];
}

/** A story: the same event across outlets. */
export interface Story {
  id: string;
  headline: string;
  summary: string;
  countries: CountryCode[];
  /** Max relevance over its articles. */
  relevance: number;
  /** One entry per outlet, in order of publication. */
  outlets: StoryOutlet[];
  /** All article ids, in order of arrival. */
  articleIds: string[];
  entities: string[];
  firstSeen: string;
  lastSeen: string;
  /** Stories merged into this one (their ids answer with this story: core/story/merge.ts). */
  mergedIds?: string[];
}

/** Where a message goes. */
export type Platform = 'console' | 'slack' | 'discord';
export interface Destination {
  platform: Platform;
  /** Channel id (`console` for the console). */
  channel: string;
}
export function destinationKey(d: Destination): string {
  return d.platform === 'console' ? 'console' : `${d.platform}:${d.channel}`;
}
export function parseDestinationKey(key: string): Destination | null {
  if (key === 'console') return { platform: 'console', channel: 'console' };
  const m = /^(slack|discord):(.+)$/.exec(key);
  if (!m) return null;
  return { platform: m[1] as Platform, channel: m[2]! };
}
