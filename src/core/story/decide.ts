// The story decision shared by the batch clusterer and the Redis store: which index keys an article
// is filed and found under, and which candidate story (if any) it joins.
import { createHash } from 'node:crypto';
import { termListsOf, type ArticleFeatures } from './features.js';
import { articleQuery, DEFAULT_MODEL, languageFamily, margin, PairParts, Q_BODY, Q_NAMES, Q_TITLE, termWeights, textMargin, type ArticleVectors, type DocFreq, type ListWeights, type ScoreModel, type SimilarityParts, type TermWeights } from './similarity.js';
import { cosineBound, countriesApart, queryCosine, queryCosines, type Query } from './weighted-vector.js';

export const DEFAULT_WINDOW_HOURS = 72;

export interface DecideOptions {
  /** Articles more than this apart (publication time) are never one story. Default 72. */
  windowHours?: number;
  model?: ScoreModel;
}

/** A story as the decision sees it: the vectors of some of its articles (first one first). */
export interface CandidateStory {
  storyId: string;
  /** The story's first article and its most recent ones (see MEMBERS_COMPARED). */
  members: readonly ArticleVectors[];
}

export interface Decision {
  /** The story to join, or null for a new story. */
  storyId: string | null;
  /** Margin over the threshold of the best match (≥ 0 when joined). */
  margin: number;
  /** The article of the story it matched best, and why. */
  matched: { articleId: string; parts: SimilarityParts } | null;
  /**
   * The other candidate stories this article also joins on its own (past the threshold, not
   * through a chain), best first: evidence that they and the chosen story are one event — what a
   * merge of stories (issue 15, part 4) acts on. Empty when it joins one story or none.
   */
  alsoMatched: string[];
}

/** How many of a story's articles an article is compared with: its first and the latest ones. */
export const MEMBERS_COMPARED = 4;
/** Stories scored per article after retrieval. */
export const MAX_CANDIDATES = 10;

/**
 * Deterministic story id: `s-` and 12 hex digits of the SHA-1 of the first article's id, so a
 * batch run and a replay name the same story the same way.
 */
export function storyIdFor(firstArticleId: string): string {
  return `s-${createHash('sha1').update(firstArticleId).digest('hex').slice(0, 12)}`;
}

/**
 * The keys an article is filed and looked up under, a quota of each kind so no kind crowds out
 * another: its rarest title terms, names, script-neutral name skeletons (how a report in another
 * language finds the story) and numbers, and its strongest text terms. Keys present in more than a
 * fifth of the documents (once there are enough to tell) are left out: they would return half the
 * stream and say nothing.
 */
export function candidateKeys(f: ArticleFeatures, d: DocFreq, w: TermWeights = termWeights(f, d)): string[] {
  // a key's frequency and idf as read once for the article (`termWeights`: the same values as d.df, idf)
  const tooCommon = (df: number) => d.n >= 50 && df > d.n / 5;
  const rarest = (keys: readonly string[], kw: ListWeights, n: number) => {
    const top = new TopKeys(n);
    for (let i = 0; i < keys.length; i++) if (!tooCommon(kw.df[i]!)) top.offer(keys[i]!, kw.idf[i]!);
    return top.keys;
  };
  const lists = termListsOf(f);
  const strongest = new TopKeys(KEY_QUOTA.body);
  for (let i = 0; i < lists.bodyKeys.length; i++) {
    const k = lists.bodyKeys[i]!;
    if (!tooCommon(w.body.df[i]!)) strongest.offer(k, (1 + Math.log(lists.bodyCounts[i]!)) * w.body.idf[i]!);
  }
  // each key once, in the order of the kinds (first place kept): what `[...new Set([...a, ...b])]` gives, without the copies
  const out: string[] = [];
  const seen = new Set<string>();
  for (const kind of [rarest(lists.titleKeys, w.title, KEY_QUOTA.title), rarest(f.names, w.names, KEY_QUOTA.names), rarest(f.xnames, w.xnames, KEY_QUOTA.xnames), rarest(f.nums, w.nums, KEY_QUOTA.nums), strongest.keys]) {
    for (const k of kind) {
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

/**
 * The n keys of greatest value (ties: the smaller key first), greatest first: what a sort of all
 * of them by that order and its first n give, by a bounded insertion (an article offers a few
 * hundred keys for a quota of four to eight). Keys offered are distinct, so the order is total.
 */
class TopKeys {
  readonly keys: string[] = [];
  readonly #vals: number[] = [];
  readonly #n: number;
  constructor(n: number) {
    this.#n = n;
  }
  offer(k: string, v: number): void {
    const ks = this.keys;
    const vs = this.#vals;
    let i = ks.length;
    if (i === this.#n) {
      // full: the last one gives way (its place is taken by those shifting down)
      if (!before(k, v, ks[i - 1]!, vs[i - 1]!)) return;
      i--;
    }
    // shifted by hand, not by `splice` (a new array each call: an article makes some two hundred offers)
    while (i > 0 && before(k, v, ks[i - 1]!, vs[i - 1]!)) {
      ks[i] = ks[i - 1]!;
      vs[i] = vs[i - 1]!;
      i--;
    }
    ks[i] = k;
    vs[i] = v;
  }
}

/** Whether (k, v) comes before (k2, v2): the greater value first, ties the smaller key. */
function before(k: string, v: number, k2: string, v2: number): boolean {
  return v > v2 || (v === v2 && k < k2);
}

/** Index keys per article, by kind (at most 30 in all). */
export const KEY_QUOTA = { title: 8, names: 6, xnames: 4, nums: 4, body: 8 } as const;

/**
 * How close in time two articles are: 1 when published together, falling linearly to 0 at the
 * window's edge (STORY_WINDOW_HOURS; a fixed shape, nothing fitted).
 */
export function proximity(t1: number, t2: number, windowHours = DEFAULT_WINDOW_HOURS): number {
  return Math.max(0, 1 - Math.abs(t1 - t2) / (windowHours * 3_600_000));
}

/**
 * The decision's margin for a pair (≥ 0: one story): the weighted mean of its similarities
 * (`margin`) less a time penalty, the weight `time` (same language) or `xtime` (across languages)
 * times how far apart the two are (1 − proximity). Reports days apart about similar things are less
 * often one event than reports of one morning; the penalty can only keep such reports apart, never
 * join two (pairs published together, and undated ones, which count as "now", decide as without it).
 */
export function decisionMargin(parts: SimilarityParts, prox: number, model: ScoreModel = DEFAULT_MODEL): number {
  return withTime(margin(parts, model), parts.sameLanguage, prox, model);
}

/** A pair's margin less its time penalty (`decisionMargin`; `marginBound` the same way). */
function withTime(margin: number, sameLanguage: boolean, prox: number, model: ScoreModel): number {
  return margin - (sameLanguage ? model.time : model.xtime) * (1 - prox);
}

/** Whether two publication times (ms) are within the window. */
export function withinWindow(t1: number, t2: number, windowHours = DEFAULT_WINDOW_HOURS): boolean {
  return Math.abs(t1 - t2) <= windowHours * 3_600_000;
}

/**
 * Picks the story an article joins. A story matches when the article passes the threshold against
 * one of its compared articles within the window; the best margin wins; ties go to the story listed
 * first. No test against the story's first article on top (there was one, FIRST_SLACK 0.15, until
 * the story-quality pass): a later report that retells the event in other words, or in another
 * language, often matches the latest members and not the first, and guarding against chains that
 * way split more events than it kept apart (5-fold CV on the hand-labelled set 93.3% -> 95.1%,
 * without titles 89.7% -> 91.2%; dev pairs and the bench farm's ground truth unchanged).
 */
export function chooseStory(a: ArticleVectors, candidates: readonly CandidateStory[], o: DecideOptions = {}): Decision {
  const model = o.model ?? DEFAULT_MODEL;
  const windowHours = o.windowHours ?? DEFAULT_WINDOW_HOURS;
  // Same-language pairs are screened cheapest part first (`PairScreen`): those that cannot pass are
  // set aside from a bound of their margin and scored in full only if no story passes (then the best
  // rejected margin is wanted: `rejectedMargin`). The decision is the same, bit for bit: see `marginBound`.
  const bounded = model.title >= 0 && model.body >= 0 && model.titleBody >= 0;
  let best: { storyId: string; margin: number; member: ArticleVectors } | null = null;
  let bestRejected = -1;
  const passed: { storyId: string; margin: number }[] = [];
  const aside = new SetAside();
  // the article's vectors stamped once for all its pairs (similarity.ts articleQuery: the same values)
  const screen = candidates.length ? new PairScreen(a, model) : null;
  for (const c of candidates) {
    // the story's best pair so far: its member and margin (none yet: null)
    let sbMember: ArticleVectors | null = null;
    let sbMargin = 0;
    for (const m of c.members) {
      if (m.id === a.id || !withinWindow(a.t, m.t, windowHours)) continue;
      const prox = proximity(a.t, m.t, windowHours);
      let mg: number;
      if (bounded && screen!.sameFamily(m)) {
        const bound = screen!.screen(m, prox);
        // below 0: it cannot pass (its story passes on another member or not at all); not above
        // the story's passing best: it cannot be the story's best (ties keep the first)
        if (bound < 0) {
          aside.add(m, prox, bound);
          continue;
        }
        if (sbMember && sbMargin >= 0 && bound <= sbMargin) continue;
        mg = screen!.score(prox);
      } else mg = decisionMargin(new PairParts(a, m, screen!.q), prox, model);
      if (!sbMember || mg > sbMargin) {
        sbMember = m;
        sbMargin = mg;
      }
    }
    if (!sbMember) continue;
    if (sbMargin < 0) {
      bestRejected = Math.max(bestRejected, sbMargin);
      continue;
    }
    passed.push({ storyId: c.storyId, margin: sbMargin });
    if (!best || sbMargin > best.margin) best = { storyId: c.storyId, margin: sbMargin, member: sbMember };
  }
  if (!best) return rejected(a, bestRejected, aside, model);
  const chosen = best.storyId;
  const alsoMatched = passed
    .filter((p) => p.storyId !== chosen)
    .sort((x, y) => y.margin - x.margin)
    .map((p) => p.storyId);
  // the matched pair's parts in full (the same doubles the screen and the score computed)
  return { storyId: chosen, margin: best.margin, matched: { articleId: best.member.id, parts: new PairParts(a, best.member, screen!.q).plain() }, alsoMatched };
}

/**
 * A number never below a same-language pair's `decisionMargin`: the margin with the pair's cheap
 * parts as they are (title, names, country conflict, b's title against a's text) and the two that
 * read b's whole text (`body`, a's title against b's text) at their bounds (PairParts
 * `bodyBound`, `titleBodyBound`). It is the same expression (similarity.ts `textMargin`, then
 * `withTime`), non-decreasing in each part with the model's title, body and title-body weights not
 * negative, and so is its floating-point evaluation (rounding to nearest is monotonic): a bound
 * below 0 proves the pair does not pass, without its full cosines. The decision evaluates it the
 * same way, cheapest parts first (`PairScreen`).
 */
export function marginBound(p: PairParts, prox: number, model: ScoreModel): number {
  const x = textMargin(p.lead, p.title, p.bodyBound, p.titleBodyBound, p.names, model, p.countryConflict === true);
  return withTime(x, true, prox, model);
}

/**
 * The decision's same-language pairs, one article against its candidates' members, each part
 * computed only when no bound from the parts known so far settles the pair (what `PairParts` would
 * compute, as numbers in fields: no object a pair, and no part the screen does not need):
 *  1. a country conflict (1 off the margin): every part at its bound from the vectors' lengths
 *     (weighted-vector.ts `cosineBound`), no cosine; with the normalised vectors the index stores,
 *     below 0 (a third of the bench farm's pairs end here);
 *  2. the title and names cosines (a dozen terms each), the parts that read a text at their bounds:
 *     most other pairs end here (the title-body part's bound from the lengths is ~1, as b's title
 *     against a's text, its cheap way, nearly always is: no use computing it first);
 *  3. b's title against a's text: `marginBound` exactly;
 * and only then (`score`) one pass over b's text for the body and a's title against it.
 * Each bound is `textMargin` of parts at or above their values (non-decreasing: see `marginBound`).
 */
export class PairScreen {
  readonly q: Query;
  readonly #a: ArticleVectors;
  readonly #family: string;
  readonly #model: ScoreModel;
  /** The pair last screened: its member and the parts computed (all of them when `screen` gave ≥ 0). */
  #m: ArticleVectors | null = null;
  #lead = false;
  #conflict = false;
  #title = 0;
  #names = 0;
  #titleBA = 0;
  readonly #out = [0, 0];

  constructor(a: ArticleVectors, model: ScoreModel) {
    this.q = articleQuery(a);
    this.#a = a;
    this.#family = languageFamily(a.lang);
    this.#model = model;
  }
  /** Whether a pair with `m` is a same-language one (PairParts `sameLanguage`). */
  sameFamily(m: ArticleVectors): boolean {
    return languageFamily(m.lang) === this.#family;
  }
  /** A bound of the pair's `decisionMargin` (a number never below it), below 0 as early as the parts allow. */
  screen(m: ArticleVectors, prox: number): number {
    const a = this.#a;
    const model = this.#model;
    const lead = !!(a.lead || m.lead);
    const conflict = countriesApart(a.xnames, m.xnames);
    this.#m = m;
    this.#lead = lead;
    this.#conflict = conflict;
    const body = cosineBound(a.body, m.body);
    const titleAB = cosineBound(a.title, m.body);
    const titleBody = Math.max(titleAB, cosineBound(m.title, a.body));
    if (conflict && model.names >= 0) {
      const loose = withTime(textMargin(lead, cosineBound(a.title, m.title), body, titleBody, cosineBound(a.names, m.names), model, true), true, prox, model);
      if (loose < 0) return loose;
    }
    const title = (this.#title = queryCosine(this.q, Q_TITLE, m.title, true));
    const names = (this.#names = queryCosine(this.q, Q_NAMES, m.names, true));
    const cheap = withTime(textMargin(lead, title, body, titleBody, names, model, conflict), true, prox, model);
    if (cheap < 0) return cheap;
    const titleBA = (this.#titleBA = queryCosine(this.q, Q_BODY, m.title, false));
    return withTime(textMargin(lead, title, body, Math.max(titleAB, titleBA), names, model, conflict), true, prox, model);
  }
  /** The `decisionMargin` of the pair last screened (its screen ≥ 0): its text parts from one pass over b's text. */
  score(prox: number): number {
    const out = this.#out;
    queryCosines(this.q, Q_BODY, Q_TITLE, this.#m!.body, out);
    const x = textMargin(this.#lead, this.#title, out[0]!, Math.max(out[1]!, this.#titleBA), this.#names, this.#model, this.#conflict);
    return withTime(x, true, prox, this.#model);
  }
}

/** Pairs set aside (bound below 0), with their time proximity and bound: wanted only when no story passes. */
class SetAside {
  readonly members: ArticleVectors[] = [];
  readonly prox: number[] = [];
  readonly bounds: number[] = [];
  add(m: ArticleVectors, prox: number, bound: number): void {
    this.members.push(m);
    this.prox.push(prox);
    this.bounds.push(bound);
  }
}

/**
 * The decision when no story passes: its margin, the best rejected one (`rejectedMargin`), worked
 * out when first read. The assigners read no margin of a new story (merge.ts reads a joined
 * story's); the pairs set aside, bounded loosely, would be scored for it. Read, it is the same
 * double (the maximum over the same pairs), and the decision has the same properties in the same
 * order (JSON, spread and equality see the value).
 */
function rejected(a: ArticleVectors, bestRejected: number, aside: SetAside, model: ScoreModel): Decision {
  let m: number | undefined;
  return {
    storyId: null,
    get margin() {
      return (m ??= rejectedMargin(a, bestRejected, aside, model));
    },
    matched: null,
    alsoMatched: [],
  };
}

/**
 * The best rejected margin (the decision's margin when no story passes) with the pairs set aside
 * scored too: in the order of their bounds, until a bound cannot raise it.
 */
function rejectedMargin(a: ArticleVectors, bestRejected: number, aside: SetAside, model: ScoreModel): number {
  const order = aside.bounds.map((_, i) => i).sort((x, y) => aside.bounds[y]! - aside.bounds[x]!);
  let r = bestRejected;
  for (const i of order) {
    if (aside.bounds[i]! <= r) break;
    r = Math.max(r, decisionMargin(new PairParts(a, aside.members[i]!, null), aside.prox[i]!, model));
  }
  return r;
}
