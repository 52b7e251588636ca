// Small store interfaces named for what their callers need. Redis implementations live in
// src/adapters/redis/; a memory implementation exists where tests of callers want one.
import type { AnalysedArticle, AnalysisResult, Article, FeedConfig, Platform, Story, TagId } from '../core/types.js';
import type { StoryIndexQuery } from '../core/query/compile.js';
import type { Subscription } from '../core/routing/subscription.js';
import type { MessageRef } from './notifier.js';

/** Dedupe of feed items across polls (a publisher changing GUIDs, dates or tracking parameters). */
export interface SeenStore {
  /**
   * Claims items, each of an outlet (its scope) by all its keys at once: new when none was seen
   * before. Either way every key is (re)recorded, pointing at the article id that owns it, with
   * the TTL. All in one round trip, decided in order (a repeat within the batch is a repeat).
   * An item with `pending` (its analysis job's payload) that is new is also put in its scope's
   * outbox in the same atomic step, and stays there until `release`: claiming and "still to be
   * queued" are one write, so a crash before the job is queued loses nothing (see `pending`).
   */
  claimMany(items: { scope: string; keys: string[]; articleId: string; pending?: string }[], ttlSeconds: number): Promise<{ isNew: boolean; articleId: string }[]>;
  /** Claimed items of these scopes not released yet: payloads still to be queued. */
  pending(scopes: string[]): Promise<{ scope: string; articleId: string; payload: string }[]>;
  /**
   * Drops queued items from their scopes' outboxes; with `whileExist`, only while all those keys
   * exist (the queued jobs, PollDeps.enqueueAnalyse): false when one is missing and the items
   * stay (Redis lost the jobs; the feed's next full fetch queues the items again).
   */
  release(items: { scope: string; articleId: string }[], whileExist?: readonly string[]): Promise<boolean>;
}

export interface ArticleStore {
  put(article: Article | AnalysedArticle, ttlSeconds: number): Promise<void>;
  /** Several articles in one round trip (pipelined writes). */
  putMany(articles: (Article | AnalysedArticle)[], ttlSeconds: number): Promise<void>;
  /**
   * Articles handed from a poll to analysis, in one round trip: each stored only when its id is
   * not stored yet, so an analysed copy is never replaced by the raw one (a poll that re-queues
   * items an interrupted run had queued already).
   */
  putNew(articles: Article[], ttlSeconds: number): Promise<void>;
  /**
   * Analysed articles whose raw record is stored (putNew): only what analysis added is written
   * (one round trip); reads give the whole record. One whose raw record is gone (a crash lost it) is written whole.
   */
  putAnalysis(articles: AnalysedArticle[], ttlSeconds: number): Promise<void>;
  get(id: string): Promise<Article | AnalysedArticle | null>;
  getMany(ids: string[]): Promise<(Article | AnalysedArticle | null)[]>;
}

/**
 * Stored articles in publication order (export): analysed articles that have a story, oldest
 * first, a page at a time. `cursor` is opaque (null to start); a page ends the scan when `next` is
 * null. Articles published while a scan runs may or may not be in it; none is returned twice.
 */
export interface ArticleTimeline {
  scan(o: { since: Date; until?: Date; cursor: string | null; limit: number }): Promise<{ articles: AnalysedArticle[]; next: string | null }>;
  /** Drops time entries published before `before` (the daily maintenance). */
  trimBefore(before: Date): Promise<number>;
}

/** The story index's query: what `compileStoryQuery` gives, within a window. */
export interface StoryQuery extends StoryIndexQuery {
  since: Date;
  limit: number;
}

/** Where an article went. `cites`: outlets (ids when known, else names) this article says it cites or quotes. */
export interface StoryAssignment {
  story: Story;
  created: boolean;
  storyId: string;
  cites: string[];
  /** Other open stories the article joins on its own too (the story engine's merge evidence). */
  alsoMatched?: string[];
  /** Stories this article showed to be one and that were merged (core/story/merge.ts); `storyId` is the survivor. */
  merges?: StoryMerge[];
}

/** Two stories found to be one: `mergedId` now answers with `survivorId` (the earlier story). */
export interface StoryMerge {
  survivorId: string;
  mergedId: string;
  /** The article that showed they are one. */
  articleId: string;
  /** When the merge was made (ISO). */
  at: string;
  /** The merged story as it was: its headline and first outlets (its record is gone). */
  mergedHeadline: string;
  mergedOutlets: { outletId: string; outlet: string; affiliation: string }[];
}

/** Stories: same-story assignment with candidate retrieval, and indexes for /story. */
export interface StoryStore {
  assign(article: Article, analysis: AnalysisResult, now: Date): Promise<StoryAssignment>;
  /**
   * Assigns a batch with the decisions one-by-one `assign`s in this order would make (each article
   * sees the ones before it), in a few round trips whatever its size (Redis: five); results in
   * input order. Idempotent per article.
   */
  assignMany(items: readonly { article: Article; analysis: AnalysisResult }[], now: Date): Promise<StoryAssignment[]>;
  get(id: string): Promise<Story | null>;
  getMany(ids: string[]): Promise<(Story | null)[]>;
  recent(q: StoryQuery): Promise<Story[]>;
  /** Drops index entries and records older than the retention (run daily). */
  trim?(now: Date): Promise<{ entriesRemoved: number; keysRemoved: number }>;
  /** Merges made whose deliveries have not been told yet (jobs/merge-notice.ts), and marking one told. */
  pendingMerges?(): Promise<StoryMerge[]>;
  mergeHandled?(mergedId: string): Promise<void>;
}

export interface SubscriptionStore {
  add(sub: Subscription): Promise<void>;
  remove(destination: string, id: string): Promise<boolean>;
  removeAll(destination: string): Promise<number>;
  list(destination?: string): Promise<Subscription[]>;
  get(id: string): Promise<Subscription | null>;
  /** Pause or unpause every subscription of a destination (platform refused it). */
  setPaused(destination: string, paused: { reason: string; at: string } | null): Promise<number>;
}

export interface MuteStore {
  mute(destination: string, kind: 'story' | 'outlet', id: string): Promise<boolean>;
  unmute(destination: string, kind: 'story' | 'outlet', id: string): Promise<boolean>;
  get(destination: string): Promise<{ stories: Set<string>; outlets: Set<string> }>;
}

export type DeliveryKind = 'alert' | 'followup';

/** A delivery's reads at once (DeliveryStore.view). */
export interface DeliveryView {
  posted: MessageRef | null;
  intent: boolean;
  /** The article a run of this post's job put first instead (recordIntent's `swappedFor`), if any. */
  swappedIn: string | null;
  root: MessageRef | null;
  rootArticle: string | null;
  planned: ReadonlyMap<string, DeliveryKind | 'skip'>;
  shownTags: ReadonlySet<TagId>;
}

/** Exactly-once alerts: every post is keyed by (destination, article) and recorded. */
export interface DeliveryStore {
  /**
   * Decides what an article of a story is for a destination, atomically: the first article of
   * the story there is the `alert`; a later one from an outlet not yet posted there is a
   * `followup`; another from an outlet already posted is `skip` (stored, not posted). Several
   * plans in one round trip, decided in order as if planned one by one (an analyse job's plans,
   * its batch order: a story's first article there is the alert). All of them at once: no other
   * plan comes between two of the batch. Asked again, a plan answers its first decision.
   */
  planMany(plans: readonly { destination: string; storyId: string; outletId: string; articleId: string }[]): Promise<(DeliveryKind | 'skip')[]>;
  /** The recorded post of (destination, article), if any. */
  posted(destination: string, articleId: string): Promise<MessageRef | null>;
  /**
   * Records a post (and, for an `alert`, the story's first message here); `shownTags` are
   * recorded as shown for the story in the same step.
   */
  recordPost(destination: string, articleId: string, storyId: string, ref: MessageRef, kind: DeliveryKind | 'merge', shownTags?: readonly TagId[]): Promise<void>;
  /**
   * What a delivery of (destination, story, post key) reads before it posts, in one round trip:
   * the post's record and intent (as `posted` and `intent` answer), the story's first message here
   * (`root`, as `root` answers) and its article, the tags shown for the story here, and the plans
   * of the story's articles here (`planned`, by article id).
   */
  view(destination: string, storyId: string, key: string): Promise<DeliveryView>;
  /**
   * Story `from` was merged into `into` (core/story/merge.ts): what this destination knows of `from`
   * (outlets posted, tags shown, articles planned, and its first message when `into` has none here)
   * becomes `into`'s, so later articles of either go to one thread and no outlet is posted twice.
   * `notice` when the destination had received both stories' first messages (it gets the "merged
   * with …" notice), `moved` when it knew `from` only, `none` when it knew nothing of `from`.
   * Idempotent: asked again, it answers the same.
   */
  mergeStory?(destination: string, from: string, into: string): Promise<'notice' | 'moved' | 'none'>;
  /**
   * Records, before a post, that (destination, post key) is about to be posted; `intent` reads it,
   * `clearIntent` drops it when the platform refused the post (429, channel gone). A retry that
   * finds an intent but no post looks the post up on the platform before posting again.
   * `swappedFor`: the post key of the job that posts `key` first in its place (a story's earlier
   * article put first); recorded on that key as what the job swapped in (DeliveryView.swappedIn).
   */
  recordIntent(destination: string, key: string, swappedFor?: string): Promise<void>;
  intent(destination: string, key: string): Promise<boolean>;
  clearIntent(destination: string, key: string): Promise<void>;
  /**
   * Since when the store has been up, ms since the epoch, or null when unknown. Records written
   * shortly before a restart may be lost (Redis AOF with appendfsync everysec loses up to the last
   * second in a host crash); a job made before this time may have posted without any trace left.
   */
  upSince?(): Promise<number | null>;
  /** The story's first message in this destination (where follow-ups thread). */
  root(destination: string, storyId: string): Promise<MessageRef | null>;
  /** Per-destination pacing: ms to wait before the next post (0 = go now, slot taken). */
  takeSlot(destination: string, intervalMs: number): Promise<number>;
}

import type { FeedRuntime } from '../core/feed/policy/schedule.js';
export type { FeedRuntime };

/** Feeds: configuration (file and command feeds) and per-feed runtime state. */
export interface FeedStore {
  upsert(feed: FeedConfig): Promise<{ created: boolean }>;
  get(id: string): Promise<FeedConfig | null>;
  list(): Promise<FeedConfig[]>;
  remove(id: string): Promise<boolean>;
  wasRemoved(id: string): Promise<boolean>;
  getRuntime(id: string): Promise<FeedRuntime | null>;
  setRuntime(id: string, r: FeedRuntime): Promise<void>;
  getHealth<T>(id: string): Promise<T | null>;
  setHealth<T>(id: string, h: T): Promise<void>;
  /** A poll's reads in one round trip: the feed, its runtime state and health. */
  loadForPoll<T>(id: string): Promise<{ feed: FeedConfig | null; runtime: FeedRuntime | null; health: T | null }>;
  /**
   * A poll's writes in one command. With `guard` (a poll that queued new items), the runtime's
   * validators (ETag, Last-Modified) are kept only while the poll's work survives; false when
   * they were dropped (see PollGuard).
   */
  saveAfterPoll<T>(id: string, runtime: FeedRuntime, health: T, guard?: PollGuard): Promise<boolean>;
  /** loadForPoll for a group of feeds (a poll-due job's), in one round trip; keyed by feed id. */
  loadManyForPoll<T>(ids: readonly string[]): Promise<Map<string, { feed: FeedConfig | null; runtime: FeedRuntime | null; health: T | null }>>;
  /** saveAfterPoll for a group of feeds, in one round trip; the ids of the feeds whose validators were dropped. */
  saveManyAfterPoll<T>(saves: readonly { id: string; runtime: FeedRuntime; health: T; guard?: PollGuard }[]): Promise<string[]>;
}

/**
 * What must still hold when a poll that queued new items saves its feed's validators: each claim
 * (an item key of a scope, the seen store's) is still recorded, and each queued item is out of
 * its scope's outbox (released, so its analyse job was there). Redis may lose its last second of
 * writes (a host crash under appendfsync everysec) while the worker goes on and saves after the
 * restart: validators kept over a lost claim or job would answer 304 to the items nobody queued.
 * Without them, the next poll fetches the feed whole: the seen store drops what was kept, and
 * the outbox's items are queued again.
 */
export interface PollGuard {
  claims: { scope: string; key: string }[];
  queued: { scope: string; articleId: string }[];
}

/** Platforms whose credentials were refused: delivery to them stops until the token is fixed. */
export interface PlatformGate {
  /** Why delivery to the platform stopped, or null when it has not. */
  refused(platform: Platform): Promise<string | null>;
  refuse(platform: Platform, reason: string): Promise<void>;
}

/** Each destination's digest of a day is sent once. */
export interface DigestLedger {
  /** True for the first caller for (destination, period) — a day, or `week-<Monday>` — false after. `token`: the claim's holder. */
  claim(destination: string, period: string, token?: string): Promise<boolean>;
  /** The token of the claim of (destination, period), null when there is none (a host crash may lose a claim just made). */
  holder?(destination: string, period: string): Promise<string | null>;
}

/**
 * How long after a write Redis has it on disk (appendfsync everysec: within a second, two when an
 * fsync is slow and Redis delays the next one): a host crash later than this keeps it. A record
 * that must outlive its post (a spike's, a digest's claim) is made this long before the post.
 */
export const ON_DISK_AFTER_MS = 2_000;

/**
 * Slack for DeliveryStore.upSince's whole seconds of uptime (and clocks): a record or job made
 * this close after the store's start counts as made before it.
 */
export const UPTIME_MARGIN_MS = 2_000;

/**
 * Which articles of a poll's batch are not analysed yet. Articles of one poll are analysed in
 * parallel; an alert from a batch waits until its siblings are in their stories, so that the
 * story's alert shows its first publisher.
 */
export interface BatchTracker {
  start(batchKey: string, articleIds: string[]): Promise<void>;
  /** These articles of the batch are analysed and planned (one write for all). */
  done(batchKey: string, articleIds: string[]): Promise<void>;
  pending(batchKey: string): Promise<number>;
}
