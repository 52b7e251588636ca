// What the story assigner (story-assign.ts) takes and answers, and its one error.
import type { AnalysisResult, Article, Story } from '../../core/types.js';
import type { Decision } from '../../core/story/decide.js';
import type { StoryMerge } from '../../ports/stores.js';
import type { Redis } from 'ioredis';
import type { CrossScriptNames } from '../../core/story/names.js';
import type { DocFreq } from '../../core/story/similarity.js';
import type { KnownOutlet } from '../../core/story/trail.js';
import type { Keys } from './keys.js';

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
