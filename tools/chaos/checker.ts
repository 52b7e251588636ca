// Expected alerts against what the fake platforms hold. See README.md ("What counts as expected").
//
// expected: every (destination, item) where the item is a story item the farm published during
//   the run AND the product's own analysis (the same analyzer the workers run, in this process)
//   finds it about Central Asia with relevance ≥ ALERT_MIN_RELEVANCE. Each story has at most one
//   item per outlet, so no item is one the product may rightly skip. The back catalogue (older
//   than ALERT_MAX_AGE_HOURS) and items about elsewhere are published too and must never post.
// lost: expected pairs never posted. duplicates: posts of a pair beyond its first.
// unexpected: posted pairs not expected, and posts that name no farm article (e.g. a notice).
// threadErrors: per (destination, story) the story's first top-level message is its root; every
//   other post of the story (not a copy of the root's own article) must be a reply to that root.
// crashDuplicates: under `appendfsync everysec` a host crash may lose the record of a post the
//   platform accepted in the last second before it; the retry then posts again. Such a duplicate
//   (its first copy accepted inside a crash window) is counted here, not in duplicates, and
//   follow-ups may thread under either copy of such a root. Under `always` there are no windows.
// crashRoots: on Discord only, a story's later article posted as a second top-level message when
//   the story's root was accepted inside a crash window: the crash lost the root's record, and
//   Discord cannot be asked for it (Slack is: Notifier.findStoryRoot, so there it is a thread
//   error). Follow-ups under either top-level message count as threaded.
import { defaultAnalyzer } from '../../src/adapters/analysis-data.js';
import { isCentralAsia } from '../../src/core/routing/subscription.js';
import type { FarmItem } from './farm.js';
import type { Post } from './fakes.js';

export interface AlertCheck {
  expected: number;
  posted: number;
  lost: number;
  duplicates: number;
  unexpected: number;
  threadErrors: number;
  crashDuplicates: number;
  crashRoots: number;
}

export interface CheckDetail {
  /** Story items the product's analysis would not alert (not counted as expected). */
  notAlertable: string[];
  lost: string[];
  duplicated: string[];
  unexpected: string[];
  threadErrors: string[];
  crashDuplicated: string[];
  crashRooted: string[];
}

/** The farm's story items the pipeline should alert, by the product's own analysis. */
export function alertableItems(items: FarmItem[], minRelevance: number, now: Date): { alertable: FarmItem[]; notAlertable: FarmItem[] } {
  const analyzer = defaultAnalyzer();
  const alertable: FarmItem[] = [];
  const notAlertable: FarmItem[] = [];
  for (const it of items) {
    if (it.story === null) continue;
    const a = analyzer.analyze({ id: it.ref, title: it.title, text: it.text, url: it.url, outlet: `Chaos Outlet ${it.outlet}`, published: new Date(it.publishedMs).toISOString(), language: 'en' }, now);
    (isCentralAsia(a) && a.relevance >= minRelevance ? alertable : notAlertable).push(it);
  }
  return { alertable, notAlertable };
}

/** A time range (ms since the epoch) in which a host crash may have lost what was acknowledged. */
export interface CrashWindow {
  from: number;
  to: number;
}

export function checkAlerts(o: {
  destinations: string[];
  items: FarmItem[];
  alertable: FarmItem[];
  notAlertable: FarmItem[];
  posts: Post[];
  crashWindows: CrashWindow[];
}): { alerts: AlertCheck; detail: CheckDetail } {
  const inCrashWindow = (p: Post) => o.crashWindows.some((w) => p.at >= w.from && p.at <= w.to);
  const byUrl = new Map(o.items.map((it) => [it.url, it]));
  const expected = new Set<string>();
  for (const d of o.destinations) for (const it of o.alertable) expected.add(`${d} ${it.ref}`);

  const posted = new Map<string, Post[]>();
  const detail: CheckDetail = { notAlertable: o.notAlertable.map((i) => i.ref), lost: [], duplicated: [], unexpected: [], threadErrors: [], crashDuplicated: [], crashRooted: [] };
  for (const p of o.posts) {
    const it = p.url ? byUrl.get(p.url) : undefined;
    const key = `${p.destination} ${it ? it.ref : `?${p.url ?? p.id}`}`;
    posted.set(key, [...(posted.get(key) ?? []), p]);
  }
  let duplicates = 0;
  let crashDuplicates = 0;
  /** Posts (destination id) whose article was posted again because a host crash lost the record. */
  const crashCopied = new Set<string>();
  for (const [k, ps] of posted) {
    if (ps.length > 1) {
      ps.sort((a, b) => a.seq - b.seq);
      if (inCrashWindow(ps[0]!)) {
        crashDuplicates += ps.length - 1;
        detail.crashDuplicated.push(`${k} ×${ps.length}`);
        for (const p of ps) crashCopied.add(`${p.destination} ${p.id}`);
      } else {
        duplicates += ps.length - 1;
        detail.duplicated.push(`${k} ×${ps.length}`);
      }
    }
    if (!expected.has(k)) detail.unexpected.push(k);
  }
  for (const k of expected) if (!posted.has(k)) detail.lost.push(k);

  // Threads, per (destination, story).
  const stories = new Map<string, { post: Post; item: FarmItem }[]>();
  for (const p of o.posts) {
    const it = p.url ? byUrl.get(p.url) : undefined;
    if (!it || it.story === null) continue;
    const k = `${p.destination} s${it.story}`;
    stories.set(k, [...(stories.get(k) ?? []), { post: p, item: it }]);
  }
  const refOf = new Map(o.posts.map((p) => [`${p.destination} ${p.id}`, (p.url && byUrl.get(p.url)?.ref) ?? '?']));
  for (const [k, ps] of stories) {
    ps.sort((a, b) => a.post.seq - b.post.seq);
    const root = ps.find((x) => x.post.parent === null);
    // The root, and its copies when a host crash made them (the store may know either).
    const roots = new Set(root ? ps.filter((x) => x === root || (x.item.ref === root.item.ref && x.post.parent === null && crashCopied.has(`${x.post.destination} ${x.post.id}`))).map((x) => x.post.id) : []);
    // Discord cannot be asked for a root whose record a crash lost: a later top-level message of
    // the story is then a second root (counted apart), and follow-ups may go under it.
    const lostRoot = root && root.post.destination.startsWith('discord:') && inCrashWindow(root.post);
    for (const x of ps) {
      if (x === root) continue;
      if (root && x.item.ref === root.item.ref) continue; // a copy of the root: a duplicate, counted above
      if (lostRoot && x.post.parent === null) {
        roots.add(x.post.id);
        detail.crashRooted.push(`${k}: ${x.item.ref} posted top-level, root ${root.item.ref} ${root.post.id} accepted in a crash window`);
        continue;
      }
      if (!root || x.post.parent === null || !roots.has(x.post.parent)) {
        detail.threadErrors.push(`${k}: ${x.item.ref} ${x.post.parent === null ? 'posted top-level' : `under ${refOf.get(`${x.post.destination} ${x.post.parent}`) ?? '?'} (${x.post.parent})`}, root ${root ? `${root.item.ref} ${root.post.id}` : 'none'}`);
      }
    }
  }
  return {
    alerts: {
      expected: expected.size,
      posted: o.posts.length,
      lost: detail.lost.length,
      duplicates,
      unexpected: detail.unexpected.length,
      threadErrors: detail.threadErrors.length,
      crashDuplicates,
      crashRoots: detail.crashRooted.length,
    },
    detail,
  };
}
