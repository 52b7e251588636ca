// What the command handlers need, passed in as one object (no globals).
import type { FeedAdmin } from '../ports/feed-admin.js';
import type { TrendsSource } from '../ports/trends.js';
import type { ArticleTimeline, MuteStore, StoryStore, SubscriptionStore } from '../ports/stores.js';
import type { ParsedCommand, CommandContext } from './types.js';
import type { QueryVocabulary } from './vocabulary.js';

export interface CommandDeps {
  stories: StoryStore;
  /** Stored articles in time order (/export); /export says it is unavailable without. */
  articles?: ArticleTimeline;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  feedAdmin: FeedAdmin;
  vocabulary: QueryVocabulary;
  /** ALERT_MIN_RELEVANCE: what a subscription without min_relevance uses (shown in descriptions). */
  defaultMinRelevance: number;
  /** Daily counts and spikes for /trends; absent: /trends says trends are not set up. */
  trends?: TrendsSource | undefined;
  /** New subscription ids; default `s` + 6 random hex characters. */
  newId?: () => string;
  /**
   * Told about an unexpected error (a store down, a bug) after the person got a "something went
   * wrong (ref …)" reply; `ref` is the reference that reply shows, for the log line.
   */
  onError?: (error: unknown, info: { ref: string; cmd: ParsedCommand; ctx: CommandContext }) => void;
}
