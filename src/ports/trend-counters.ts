// What the pipeline, the spike job and the trends source need of the trend counters and of the
// spikes found (issue #17). Implemented over Redis by adapters/redis/trend-store.ts.
import type { CountableArticle } from '../core/trends/counters.js';
import type { SpikeFinding } from '../core/trends/spikes.js';
import type { DayKey } from '../core/trends/types.js';

export interface TrendCounterStore {
  /**
   * Counts an analysed article in its `published` hour and day, once per article id however often
   * it is offered (a retried job, a re-import). False when it was counted before, is outside
   * Central Asia, or is older than the retention.
   */
  count(a: CountableArticle & { outlet: string }, now: Date): Promise<boolean>;
  /**
   * `count` for a batch (an analyse job's articles) in one round trip, whatever its size: per
   * article in order, true when counted now. An id offered twice in one batch counts once.
   */
  countMany(articles: readonly (CountableArticle & { outlet: string })[], now: Date): Promise<boolean[]>;
  /** Counts per UTC hour: hour start (ms) → field → count, for the hours given. */
  hours(hourStarts: readonly number[]): Promise<Map<number, Record<string, number>>>;
  /** Counts per UTC day: day → field → count, for the days given. */
  days(days: readonly DayKey[]): Promise<Map<DayKey, Record<string, number>>>;
  /** Display name and affiliation of outlets counted (share of voice). */
  outlets(ids: readonly string[]): Promise<Map<string, { outlet: string; affiliation: string }>>;
}

/** A spike as kept: what detection found, the story ids behind it, and when it was found. */
export interface StoredSpike extends SpikeFinding {
  /** `<key>@<window end>`: stable across runs of the job within the window's hour. */
  id: string;
  /** The id of the alert it is part of: the lead spike's id (spikes of one burst make one alert). */
  alertId: string;
  storyIds: string[];
  foundAt: string;
}

export interface SpikeStore {
  /**
   * Takes the key's cooldown (SPIKE_COOLDOWN_HOURS) and records the spike, atomically: false,
   * and nothing recorded, when the key spiked within its cooldown.
   */
  claim(spike: StoredSpike, cooldownSeconds: number, retentionSeconds: number): Promise<boolean>;
  /** Spikes recorded with a window end at or after `since`, newest first. */
  since(since: Date): Promise<StoredSpike[]>;
}
