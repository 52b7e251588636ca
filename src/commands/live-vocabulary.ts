// A vocabulary that follows the deployment: outlets come and go with /feeds add|remove, so the
// one in use is rebuilt in the background at most every `refreshMs` and swapped in whole.
import type { QueryVocabulary } from './vocabulary.js';

export interface LiveVocabulary extends QueryVocabulary {
  /** Rebuild now (after a feed change); resolves when the new one is in use. */
  refresh(): Promise<void>;
  stop(): void;
}

export async function createLiveVocabulary(build: () => Promise<QueryVocabulary>, refreshMs = 60_000): Promise<LiveVocabulary> {
  let current = await build();
  let pending: Promise<void> | null = null;
  const refresh = () =>
    (pending ??= build()
      .then((v) => {
        current = v;
      })
      .catch(() => {
        /* keep the previous vocabulary; the next refresh tries again */
      })
      .finally(() => {
        pending = null;
      }));
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();
  return {
    resolve: (...a) => current.resolve(...a),
    scan: (...a) => current.scan(...a),
    suggest: (...a) => current.suggest(...a),
    get: (...a) => current.get(...a),
    all: (...a) => current.all(...a),
    queryWords: (...a) => current.queryWords(...a),
    refresh,
    stop: () => clearInterval(timer),
  };
}
