// Stories that turn out to be one (issue 15, part 4): when a later article joins two open stories
// on its own (the engine's Decision.alsoMatched), whether to merge them, which survives, and the
// merged story. Pure: both the in-memory index (analyze --cluster, eval) and the Redis store
// (adapters/redis/story-merge.ts) call these, so both merge the same stories the same way.
//
// The rules (each guards against a way a merge goes wrong):
//  1. The article joins BOTH stories on its own, by the engine's own test (chooseStory: within
//     the window), each by a clear margin (BRIDGE_MARGIN). One strong bridge, not "shares a few
//     words with both".
//  2. Both stories are open: each has an article within the window of the bridging one, and the
//     two stories began within the window of each other. Old stories are closed, never reopened.
//  3. The two stories resemble each other by their OWN members, not only through the bridge: the
//     best pair of their compared members is not clearly unrelated (margin ≥ −MUTUAL_SLACK). A
//     round-up article naming two different events passes rule 1 for both but fails this one:
//     that is how two events would be chained into one blob.
//  4. Bounded: a story absorbs at most MAX_MERGES_PER_STORY others over its life (counting what
//     each had absorbed), and the absorbed story has at most MAX_ABSORBED_ARTICLES articles. A
//     story that keeps swallowing others is a topic, not an event; and the merge rewrites the
//     absorbed story's index entries under its locks, which stays cheap only when it is small.
// The earlier story survives: the one whose first article was published first (ties: the
// smaller id), so its id, headline and first alert stay what people saw first.
import type { Story } from '../types.js';
import { chooseStory, DEFAULT_WINDOW_HOURS, withinWindow, type DecideOptions } from './decide.js';
import { DEFAULT_MODEL, margin, similarity, type ArticleVectors } from './similarity.js';
import { mergeFramings } from './record.js';

/**
 * How far past the threshold the bridge must match each story (rule 1). The engine is least sure
 * near its threshold (that is where its errors are), and a merge is a second decision built on two
 * of its decisions and is not undone; so both must be clear passes. On the hand-labelled set the
 * near-threshold bridges (margins 0.000–0.03) were wrong two times out of three.
 */
export const BRIDGE_MARGIN = 0.05;
/**
 * How far below the threshold the best pair of the two stories' own members may be (rule 3). The
 * engine's own chain test had the same value (FIRST_SLACK, dropped from chooseStory in the
 * story-quality pass); a merge, which is not undone, keeps it.
 */
export const MUTUAL_SLACK = 0.15;
/** Stories one story may absorb over its life (rule 4). */
export const MAX_MERGES_PER_STORY = 3;
/** Articles the absorbed story may have (rule 4). */
export const MAX_ABSORBED_ARTICLES = 20;

/** A story as the merge decision sees it. */
export interface MergeSide {
  id: string;
  /** Publication ms of its first and latest articles. */
  firstSeen: number;
  lastSeen: number;
  /** Articles in it. */
  size: number;
  /** Stories it has absorbed so far (Story.mergedIds). */
  merges: number;
  /** Vectors of its compared members (engine.ts comparedMembers), first article first. */
  members: readonly ArticleVectors[];
}

export type MergeVerdict =
  | { merge: true; survivor: string; absorbed: string; /** Best margin between the two stories' own members. */ mutual: number }
  | { merge: false; reason: 'same' | 'bridge' | 'window' | 'unrelated' | 'cap' };

/** Whether the article `bridge` shows that stories `a` and `b` are one (the rules above). */
export function decideMerge(bridge: ArticleVectors, a: MergeSide, b: MergeSide, o: DecideOptions = {}): MergeVerdict {
  if (a.id === b.id) return { merge: false, reason: 'same' };
  const windowHours = o.windowHours ?? DEFAULT_WINDOW_HOURS;
  // rule 2
  const open = (s: MergeSide) => withinWindow(bridge.t, s.lastSeen, windowHours) || withinWindow(bridge.t, s.firstSeen, windowHours);
  if (!open(a) || !open(b) || !withinWindow(a.firstSeen, b.firstSeen, windowHours)) return { merge: false, reason: 'window' };
  // rule 1: the engine's own join test, story by story (the bridge itself left out)
  const joins = (s: MergeSide) => {
    const d = chooseStory(bridge, [{ storyId: s.id, members: s.members.filter((m) => m.id !== bridge.id) }], o);
    return d.storyId !== null && d.margin >= BRIDGE_MARGIN;
  };
  if (!joins(a) || !joins(b)) return { merge: false, reason: 'bridge' };
  // rule 4
  const [survivor, absorbed] = earlierFirst(a, b);
  if (absorbed.size > MAX_ABSORBED_ARTICLES || survivor.merges + absorbed.merges + 1 > MAX_MERGES_PER_STORY) return { merge: false, reason: 'cap' };
  // rule 3
  const model = o.model ?? DEFAULT_MODEL;
  let mutual = -Infinity;
  for (const x of a.members) {
    if (x.id === bridge.id) continue;
    for (const y of b.members) {
      if (y.id === bridge.id || !withinWindow(x.t, y.t, windowHours)) continue;
      mutual = Math.max(mutual, margin(similarity(x, y), model));
    }
  }
  if (mutual < -MUTUAL_SLACK) return { merge: false, reason: 'unrelated' };
  return { merge: true, survivor: survivor.id, absorbed: absorbed.id, mutual };
}

/** The earlier story first: first article published first, ties to the smaller id. */
export function earlierFirst<T extends { id: string; firstSeen: number }>(a: T, b: T): [T, T] {
  return a.firstSeen < b.firstSeen || (a.firstSeen === b.firstSeen && a.id < b.id) ? [a, b] : [b, a];
}

/** A stored story as a merge side (its members' vectors read by the caller). */
export function mergeSide(s: Story, members: readonly ArticleVectors[]): MergeSide {
  return { id: s.id, firstSeen: Date.parse(s.firstSeen), lastSeen: Date.parse(s.lastSeen), size: s.articleIds.length, merges: s.mergedIds?.length ?? 0, members };
}

/** The members of the merged story: the survivor's, then the absorbed story's (in their order). */
export function mergedMembers(survivor: readonly string[], absorbed: readonly string[]): string[] {
  const have = new Set(survivor);
  return [...survivor, ...absorbed.filter((id) => !have.has(id))];
}

/**
 * The merged story: the survivor's id, headline and summary; one outlet entry per outlet (the
 * earlier of the two entries, with both entries' framings and citations: the citation trail keeps
 * who quoted whom), in order of publication; members, countries, entities united; the absorbed
 * story's id (and those it had absorbed) in `mergedIds`, so its aliases can be kept up to date.
 */
export function mergeStoryValues(survivor: Story, absorbed: Story): Story {
  const outlets = survivor.outlets.map((x) => ({ ...x, cites: [...x.cites], framings: x.framings }));
  for (const y of absorbed.outlets) {
    const x = outlets.find((o) => o.outletId === y.outletId);
    if (!x) {
      outlets.push({ ...y, cites: [...y.cites] });
      continue;
    }
    const earlier = y.published < x.published ? y : x;
    Object.assign(x, { articleId: earlier.articleId, url: earlier.url, title: earlier.title, published: earlier.published });
    x.framings = mergeFramings(x.framings, y.framings);
    for (const c of y.cites) if (!x.cites.includes(c)) x.cites.push(c);
  }
  outlets.sort((x, y) => (x.published < y.published ? -1 : x.published > y.published ? 1 : x.outletId < y.outletId ? -1 : 1));
  const union = <T>(a: readonly T[], b: readonly T[]) => [...a, ...b.filter((x) => !a.includes(x))];
  return {
    ...survivor,
    headline: survivor.headline || absorbed.headline,
    summary: survivor.summary || absorbed.summary,
    countries: union(survivor.countries, absorbed.countries).sort(),
    relevance: Math.max(survivor.relevance, absorbed.relevance),
    outlets,
    articleIds: mergedMembers(survivor.articleIds, absorbed.articleIds),
    entities: union(survivor.entities, absorbed.entities).slice(0, 100),
    firstSeen: absorbed.firstSeen < survivor.firstSeen ? absorbed.firstSeen : survivor.firstSeen,
    lastSeen: absorbed.lastSeen > survivor.lastSeen ? absorbed.lastSeen : survivor.lastSeen,
    mergedIds: union(survivor.mergedIds ?? [], [absorbed.id, ...(absorbed.mergedIds ?? [])]),
  };
}

/**
 * Every key an article can be filed under in the candidate sets (engine.ts `candidateKeys` picks
 * them from its title terms, names, name skeletons, numbers and strongest body terms, all of which
 * its stored vectors keep): where a merge looks for the absorbed story's entries, and the locks it
 * takes. Sorted, so two merges take locks in one order.
 */
export function filingKeysOf(vs: readonly ArticleVectors[]): string[] {
  const out = new Set<string>();
  for (const v of vs) for (const part of [v.title, v.names, v.xnames, v.nums, v.body]) for (const k of part.keys) out.add(k);
  return [...out].sort();
}
