// What the story assigner (story-assign.ts) takes and answers, and its one error.
import type { AnalysisResult, Article, Story } from '../../core/types.js';
import type { Lookup, Placement } from '../../core/story/engine.js';
import type { StoryArticle } from '../../core/story/record.js';
import type { Decision } from '../../core/story/decide.js';
import type { StoryMerge } from '../../ports/stores.js';
import type { Redis } from 'ioredis';
import type { CrossScriptNames } from '../../core/story/names.js';
import type { DocFreq } from '../../core/story/similarity.js';
import type { KnownOutlet } from '../../core/story/trail.js';
import type { Keys } from './keys.js';
import type { Filing } from './story-mirror.js';
import type { BatchKey } from './story-set-read.js';
import type { ArticleFeatures } from '../../core/story/features.js';

export interface AssignInput {
  article: Article;
  analysis: AnalysisResult;
}

export interface AssignResult {
  /** The story as this article left it. */
  story: Story;
  storyId: string;
  /** True when this article started the story. */
  created: boolean;
  /** Sources the article's text cites (outlet ids or names), as recorded on its outlet entry. */
  cites: string[];
  /** Why it joined (the best-matching article and the similarity parts), null for a new story. */
  matched: Decision['matched'];
  /** Other open stories this article joins on its own too: candidates for a merge (engine Decision). */
  alsoMatched: string[];
  /** The merges this article made (story-merge.ts, after the commit). */
  merges?: StoryMerge[];
}

/** The locks could not be had in time: retry the job later. */
export class StoryLockTimeoutError extends Error {
  override name = 'StoryLockTimeoutError';
}

export interface AssignDeps {
  redis: Redis;
  keys: Keys;
  windowHours: number;
  retentionMs: number;
  known: readonly KnownOutlet[];
  lockWaitMs: number;
  background: () => DocFreq;
  /** The cross-script names (analysis-data.ts storyNames). */
  names: () => CrossScriptNames;
}

/** A story record as read from Redis: its version, and what the engine needs of it. */
export interface StoryRead {
  /** keys.storyVersion: the compare-and-set's version ('0': a record of the old format, without one). */
  ver: string;
  /** The record's length in characters (what the story cache's byte estimate counts). */
  bytes: number;
  articleIds: readonly string[];
  /** The /story index keys of this record, when known (they cost more than the parse). */
  indexKeys?: string[];
  /**
   * The record parsed, kept so the commit does not parse it again (treated as immutable: the
   * reducer, mergeIntoStory, returns new values and never changes the one it is given).
   */
  story: Story;
}

export const parseStory = (r: StoryRead | null): Story | null => r?.story ?? null;

/** One article of the batch on its way through. */
export interface Slot {
  input: AssignInput;
  /** Filed before (or earlier in this batch): its story id. */
  again: string | null;
  sa: StoryArticle;
  /** Its DF keys, each once, in order (the batch's entries: story-set-read.ts). */
  fk: readonly BatchKey[];
  /** The engine's features and document frequencies of the article (a decision taken again starts from them). */
  feat?: ArticleFeatures;
  df?: DocFreq;
  /** The decision's steps, and the first one (taken before the read ahead: its lookup). */
  gen?: Generator<{ kind: 'lookup'; q: Lookup } | { kind: 'members'; ids: string[] }, Placement, unknown>;
  step?: IteratorResult<{ kind: 'lookup'; q: Lookup } | { kind: 'members'; ids: string[] }, Placement>;
  q?: Lookup;
  /** The stories whose members the decision compared (the lookup's ranking; none: no candidates). */
  ranked?: readonly string[];
  /** Per key of q: the request that reads its set in this article's window. */
  reads?: number[];
  placement?: Placement;
  storyId?: string;
  /** Its filing as the mirror and the log take it. */
  filing?: Filing;
}
