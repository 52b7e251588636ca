// What the /feeds commands need: feed administration over the store, the scheduler and the fetcher.
import type { Affiliation, FeedConfig } from '../core/types.js';

/** One line of `feeds check --json` (the contract's shape). */
export interface FeedCheckResult {
  url: string;
  ok: boolean;
  feedUrl?: string;
  error?: string;
  title?: string;
  items: number;
  sample: { title: string; link: string | null; published: string }[];
}

export interface FeedStatus {
  feed: FeedConfig;
  paused: { reason: string; at: string; by: 'failures' | 'admin' } | null;
  health: {
    lastSuccess: string | null;
    /** `http_404: Not Found` style, with when it started. */
    lastError: { code: string; message: string; since: string } | null;
    consecutiveFailures: number;
    /** Share of polls answered 304, 0..1 (null before any poll). */
    notModifiedRatio: number | null;
    itemsPerDay: number | null;
  };
}

export type FeedAddResult =
  | { ok: true; feed: FeedConfig; created: boolean; check: FeedCheckResult }
  | { ok: false; code: 'bad_url' | 'blocked_address' | 'fetch_failed' | 'exists' | 'invalid'; message: string; check?: FeedCheckResult };

export interface FeedAdmin {
  list(): Promise<FeedStatus[]>;
  /** Validates the URL (SSRF guard), checks it is a feed (discovering one from a site URL), stores it and polls it at once. */
  add(input: { url: string; outlet?: string; affiliation?: Affiliation; language?: string }, by: string): Promise<FeedAddResult>;
  /** `inFile`: the feed is in the feeds file and will return at the next start. */
  remove(id: string): Promise<{ removed: boolean; inFile: boolean }>;
  pause(id: string, by: string): Promise<boolean>;
  /** Resumes a paused feed (by an admin or after failures) and polls it at once. */
  resume(id: string): Promise<boolean>;
  check(url: string): Promise<FeedCheckResult>;
}
