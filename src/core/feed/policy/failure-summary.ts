// Feed failures summarised for the log: when the network is down, 48 feeds failing at once are
// one warning ("48 of 48 feeds failing: dns (48)"), not 48 lines, and not again at every retry;
// when they come back, one line says so. Pure logic: outcomes and times in, report values out
// (the caller logs them, and passes the time in ms, so tests need no clock).

export interface FailureSummaryOptions {
  /**
   * A change is reported once no further change came for this long (ms), so a burst of failures
   * (every feed polled at start) or of recoveries is one line. Default 10 s.
   */
  windowMs?: number;
  /** …but a change waits at most this long (ms) while changes keep coming. Default 6 × windowMs. */
  maxWaitMs?: number;
  /** While feeds keep failing with nothing new, the warning is repeated this often (ms). Default 1 h. */
  repeatMs?: number;
  /** Feed ids named in a line at most. Default 5. */
  examples?: number;
}

export interface FailureReport {
  level: 'warn' | 'info';
  message: string;
  fields: {
    failing: number;
    /** Feeds whose latest outcome is known to this tracker. */
    feeds: number;
    /** Failing feeds per error code. */
    codes: Record<string, number>;
    /** Some of the feeds concerned (failing for a warning, recovered for an info line). */
    examples: string[];
    recovered?: number;
  };
}

/** A poll's outcome as the summary sees it: failing with an error code, or working (null). */
export type FeedOutcome = { failing: string | null } | 'gone';

export interface FailureTracker {
  record(feedId: string, outcome: FeedOutcome, nowMs: number): void;
  /** What to log at `nowMs`: nothing, a warning, a recovery line, or both. */
  due(nowMs: number): FailureReport[];
}

export function createFailureTracker(o: FailureSummaryOptions = {}): FailureTracker {
  const windowMs = o.windowMs ?? 10_000;
  const repeatMs = o.repeatMs ?? 3_600_000;
  const maxWaitMs = o.maxWaitMs ?? windowMs * 6;
  const examples = o.examples ?? 5;
  /** Latest outcome per feed: its error code, or null when it works. */
  const status = new Map<string, string | null>();
  /** Failing feeds (and codes) as the last report told them. */
  let reported = new Map<string, string>();
  /** First and latest unreported change. */
  let changedAt: number | null = null;
  let lastChangeAt = 0;
  let warnedAt: number | null = null;

  const differsFromReport = (feedId: string, code: string | null) => (code === null ? reported.has(feedId) : reported.get(feedId) !== code);

  const codesOf = (failing: [string, string][]) => {
    const counts: Record<string, number> = {};
    for (const [, code] of failing) counts[code] = (counts[code] ?? 0) + 1;
    return counts;
  };
  const codeList = (codes: Record<string, number>) =>
    Object.entries(codes)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => `${code} (${n})`)
      .join(', ');
  const named = (ids: string[]) => `${ids.slice(0, examples).join(', ')}${ids.length > examples ? ', …' : ''}`;

  function warning(failing: [string, string][], repeated: boolean): FailureReport {
    const codes = codesOf(failing);
    const ids = failing.map(([id]) => id).sort();
    const head = `${failing.length} of ${status.size} feeds failing: ${codeList(codes)}`;
    return {
      level: 'warn',
      message: `${repeated ? 'still: ' : ''}${head} — e.g. ${named(ids)} (each feed's error at LOG_LEVEL=debug; feeds list shows them)`,
      fields: { failing: failing.length, feeds: status.size, codes, examples: ids.slice(0, examples) },
    };
  }

  return {
    record(feedId, outcome, nowMs) {
      if (outcome === 'gone') {
        status.delete(feedId);
        // A removed feed is neither failing nor recovered: forget it quietly.
        reported.delete(feedId);
        return;
      }
      status.set(feedId, outcome.failing);
      if (differsFromReport(feedId, outcome.failing)) {
        changedAt ??= nowMs;
        lastChangeAt = nowMs;
      }
    },

    due(nowMs) {
      const failing = [...status].filter((e): e is [string, string] => e[1] !== null);
      if (changedAt === null || (nowMs - lastChangeAt < windowMs && nowMs - changedAt < maxWaitMs)) {
        if (failing.length && warnedAt !== null && nowMs - warnedAt >= repeatMs) {
          warnedAt = nowMs;
          return [warning(failing, true)];
        }
        return [];
      }
      const out: FailureReport[] = [];
      const fresh = failing.filter(([id, code]) => reported.get(id) !== code);
      const recovered = [...reported.keys()].filter((id) => status.get(id) === null).sort();
      if (fresh.length) {
        out.push(warning(failing, false));
        warnedAt = nowMs;
      }
      if (recovered.length) {
        const codes = codesOf(failing);
        const rest = failing.length ? `; ${failing.length} of ${status.size} still failing: ${codeList(codes)}` : '; no feed is failing now';
        out.push({
          level: 'info',
          message: `${recovered.length} ${recovered.length === 1 ? 'feed' : 'feeds'} polling again: ${named(recovered)}${rest}`,
          fields: { failing: failing.length, feeds: status.size, codes, examples: recovered.slice(0, examples), recovered: recovered.length },
        });
      }
      if (!failing.length) warnedAt = null;
      reported = new Map(failing);
      changedAt = null;
      return out;
    },
  };
}
