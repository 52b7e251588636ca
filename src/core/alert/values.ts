// Platform-neutral messages: an Alert (a story reaching a destination) and a Reply (the answer
// to a command). They carry plain text only; each platform's renderer escapes and lays it out.
import type { TrendChart } from '../trends/types.js';
import type { Affiliation, CountryCode, Destination, Framing, TagId } from '../types.js';

export interface OutletRef {
  id: string;
  name: string;
  affiliation: Affiliation;
}

/** Context of a follow-up: a later article of a story that already alerted this destination. */
export interface FollowupInfo {
  /** The outlet and time of the story's first alert in this destination. */
  firstOutlet: OutletRef;
  firstPublished: string;
  /** Milliseconds between the first article's publication and this one's. */
  delayMs: number;
  /** Tags this article carries that the story had not carried before in this destination. */
  newTags: TagId[];
  /** Whom this article cites or quotes, when the text says so ("China's Defense Ministry"). */
  quoting: string | null;
  /** Number of outlets in the story now (for updating the original's count). */
  outletCount: number;
}

/** Two stories found to be one (core/story/merge.ts): the notice in the surviving story's thread. */
export interface MergeInfo {
  /** The story merged into this one; its id keeps answering with this story. */
  mergedId: string;
  mergedHeadline: string;
  /** The merged story's outlets, in order of publication (at most a few). */
  mergedOutlets: OutletRef[];
  /** The outlet of the report that showed the two are one, when known. */
  bridge: OutletRef | null;
}

export interface Alert {
  /** `merge`: not an article but the notice that another story was merged into this one (`merge`). */
  kind: 'alert' | 'followup' | 'merge';
  destination: Destination;
  storyId: string;
  articleId: string;
  headline: string;
  summary: string;
  url: string | null;
  published: string;
  outlet: OutletRef;
  countries: CountryCode[];
  relevance: number;
  framings: Framing[];
  /** Outlets carrying the story when the alert was made. */
  outletCount: number;
  followup?: FollowupInfo;
  merge?: MergeInfo;
  /** The story's page in the web view ("Open story"), when PUBLIC_URL is set. */
  storyUrl?: string;
}

/** The alert record the console destination writes (one JSON line per message, the contract's shape). */
export interface AlertRecord {
  at: string;
  destination: string;
  kind: 'alert' | 'followup' | 'merge';
  /** `merge` records: the story merged into `storyId`. */
  mergedId?: string;
  storyId: string;
  articleId: string;
  headline: string;
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  countries: CountryCode[];
  framings: Framing[];
  summary: string;
  /** The story's page in the web view when PUBLIC_URL is set (the contract), else the article's link. */
  url: string | null;
  /** The article's own link, always. */
  articleUrl: string | null;
  published: string;
  /** The story's page in the web view, when PUBLIC_URL is set (then also `url`). */
  storyUrl?: string;
}

/** A story as `/story` and `story --json` present it (the contract's shape). */
export interface StoryCard {
  id: string;
  headline: string;
  summary: string;
  countries: CountryCode[];
  framings: { tag: TagId; outlets: string[]; quote: string | null; attributedTo: string | null }[];
  outlets: { outletId: string; outlet: string; affiliation: Affiliation; url: string | null; published: string }[];
  firstSeen: string;
  lastSeen: string;
  /** The story's page in the web view, when PUBLIC_URL is set. */
  storyUrl?: string;
}

/** One part of a reply. Every string is plain text (renderers escape it). */
export type ReplySection =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'stories'; stories: StoryCard[] }
  | { type: 'list'; items: string[] }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  /** A suggestion of what to try next ("Narrow it: /story kazakhstan 30d"). */
  | { type: 'hint'; text: string }
  /**
   * A chart (trends, spikes, digests). Serialisable: the notifier draws it (PNG upload in Slack,
   * an attachment in Discord, a file under var/ for the console) and always shows `alt` as text
   * beside it, for screen readers and the console.
   */
  | { type: 'chart'; chart: TrendChart; alt: string };

/** A file that travels with a reply (a CSV of `/export`): posted as an upload (Slack) or an attachment (Discord). */
export interface ReplyFile {
  /** Shown and saved as; plain, no path (`steppewatch-export-2026-12-05.csv`). */
  filename: string;
  /** MIME type: `text/csv; charset=utf-8`, `image/png` … */
  contentType: string;
  data: Uint8Array;
  /** A title or description shown with the file (Slack's title, Discord's description). */
  title?: string;
}

export interface Reply {
  /** `ephemeral`: only the person who asked sees it (errors, usage, confirmations). */
  visibility: 'ephemeral' | 'in_channel';
  kind: 'ok' | 'empty' | 'error' | 'usage';
  /** One plain-text line that stands for the whole reply (notification and fallback text). */
  text: string;
  sections: ReplySection[];
  /**
   * Files posted with the reply, beside its text. In a channel they go where its charts go; an
   * ephemeral reply cannot carry files on Slack, so put them on an in_channel reply.
   */
  files?: ReplyFile[];
}
