// Merging stories in Redis (issue 15, part 4): after a batch of assigns is committed, every
// article that also joined other open stories on its own (Decision.alsoMatched) is a chance that
// two stories are one; core/story/merge.ts decides, this writes. Single Redis only.
//
// A merge, at once (scripts/story-merge.lua): the survivor's record becomes the merged story; the
// absorbed story's record goes and its id becomes an alias of the survivor (`stories.get(old)`
// answers the survivor, so `/story story:<old>`, links and the web view's redirect keep working);
// its articles' story-of entries and its /story index entries move to the survivor; its entries in
// the candidate index (under every key its articles can be filed under: merge.ts filingKeysOf)
// move to the survivor through a change-log entry every assigner's mirror applies
// (story-mirror.ts); the merge is put in a pending hash until the deliveries have been told
// (jobs/merge-notice.ts).
//
// Concurrency: the merge holds the story write lock, the assigners' own (story-mirror.ts), so no
// assign can find and join the absorbed story while it goes. Both records are
// compare-and-set (SHA-1 of the JSON read: merges are rare, so the hash's cost does not matter
// here; the merge sets the survivor's version like every write, so assigns' version
// compare-and-set sees it): a story that changed meanwhile is read again and the
// decision made again. A merge that cannot have its locks in time is left undone (logged): the
// stories stay apart, as before merges existed. Idempotent: an absorbed story already aliased to
// the survivor answers "already merged".
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Story } from '../../core/types.js';
import { comparedMembers } from '../../core/story/engine.js';
import { decideMerge, filingKeysOf, mergeSide, mergeStoryValues } from '../../core/story/merge.js';
import type { ArticleVectors } from '../../core/story/similarity.js';
import { unpackVectors } from '../../core/story/vector-pack.js';
import type { StoryMerge } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';
import { storyIndexKeys } from './story-index-keys.js';
import { takeStoryLocks } from './story-lock.js';
import { mergeEntry } from './story-mirror.js';

export interface MergeDeps {
  redis: Redis;
  keys: Keys;
  windowHours: number;
  retentionMs: number;
  lockWaitMs: number;
  /** Told when a merge is left undone (locks busy). */
  warn?: (msg: string, detail: Record<string, unknown>) => void;
}

interface Scripted {
  swStoryMerge(...args: (string | number)[]): Promise<number>;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** What the merges of a batch need from each assign result. */
export interface Mergeable {
  story: Story;
  storyId: string;
  alsoMatched?: string[];
  merges?: StoryMerge[];
}

export function createStoryMerger(d: MergeDeps) {
  const { redis, keys } = d;
  const retentionSec = Math.ceil(d.retentionMs / 1000);
  redis.defineCommand('swStoryMerge', { lua: luaScript('story-merge') });
  redis.defineCommand('swStoryLockReadMany', { lua: luaScript('story-lock-read-many') });
  redis.defineCommand('swStoryUnlock', { lua: luaScript('story-unlock') });
  const scripts = redis as unknown as Scripted;

  /** The story each id answers with now (itself when not merged). */
  async function resolve(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const to = await redis.mget(ids.map((id) => keys.storyAlias(id)));
    return ids.map((id, i) => to[i] ?? id);
  }

  async function vectorsOf(ids: readonly string[]): Promise<Map<string, ArticleVectors>> {
    const out = new Map<string, ArticleVectors>();
    const uniq = [...new Set(ids)];
    if (!uniq.length) return out;
    const got = await redis.mget(uniq.map((a) => keys.storyVectors(a)));
    uniq.forEach((a, i) => {
      if (got[i]) out.set(a, unpackVectors(got[i]!));
    });
    return out;
  }

  /** Takes the locks, waiting while others hold any (story-lock.ts); false when the wait ran out. */
  async function lock(lockKeys: string[], token: string): Promise<boolean> {
    return takeStoryLocks(redis, lockKeys, token, d.lockWaitMs);
  }

  /**
   * Merges the stories `a` and `b` when the article `bridgeId` shows they are one (merge.ts);
   * the merge made, or null (not one story, already one, gone, or locks busy).
   */
  async function tryMerge(a: string, b: string, bridgeId: string, now: Date): Promise<StoryMerge | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [ra, rb] = await resolve([a, b]);
      if (ra === rb) return null;
      const [ja, jb] = await redis.mget(keys.story(ra!), keys.story(rb!));
      if (!ja || !jb) return null;
      const sa = JSON.parse(ja) as Story;
      const sb = JSON.parse(jb) as Story;
      const ca = comparedMembers(sa.articleIds);
      const cb = comparedMembers(sb.articleIds);
      const vs = await vectorsOf([bridgeId, ...ca, ...cb]);
      const bridge = vs.get(bridgeId);
      if (!bridge) return null;
      const pick = (ids: string[]) => ids.map((x) => vs.get(x)).filter((v): v is ArticleVectors => v !== undefined);
      const verdict = decideMerge(bridge, mergeSide(sa, pick(ca)), mergeSide(sb, pick(cb)), { windowHours: d.windowHours });
      if (!verdict.merge) return null;
      const [survivor, absorbed, js, jx] = verdict.survivor === sa.id ? [sa, sb, ja, jb] : [sb, sa, jb, ja];
      const all = await vectorsOf(absorbed.articleIds);
      const filing = filingKeysOf([...all.values()]);
      const lockKeys = [keys.storyWriteLock];
      const token = randomBytes(8).toString('hex');
      if (!(await lock(lockKeys, token))) {
        d.warn?.('story merge left undone: locks busy', { survivor: survivor.id, absorbed: absorbed.id });
        return null;
      }
      const merged = mergeStoryValues(survivor, absorbed);
      const event: StoryMerge = {
        survivorId: survivor.id,
        mergedId: absorbed.id,
        articleId: bridgeId,
        at: now.toISOString(),
        mergedHeadline: absorbed.headline,
        mergedOutlets: absorbed.outlets.slice(0, 10).map((x) => ({ outletId: x.outletId, outlet: x.outlet, affiliation: x.affiliation })),
      };
      const leave = storyIndexKeys(keys, absorbed);
      const join = storyIndexKeys(keys, merged);
      const k = [
        keys.story(survivor.id),
        keys.story(absorbed.id),
        keys.storyAlias(absorbed.id),
        ...(absorbed.mergedIds ?? []).map((id) => keys.storyAlias(id)),
        ...absorbed.articleIds.map((id) => keys.storyOf(id)),
        ...leave,
        ...join,
        keys.storiesByTime,
        keys.storyIndexKeys,
        keys.storyMergesPending,
        ...lockKeys,
        keys.storyVersion(survivor.id),
        keys.storyVersion(absorbed.id),
        keys.storyVersionSeq,
        keys.storyLog,
      ];
      const res = await scripts.swStoryMerge(
        k.length,
        ...k,
        absorbed.mergedIds?.length ?? 0,
        absorbed.articleIds.length,
        leave.length,
        join.length,
        lockKeys.length,
        sha1(js),
        sha1(jx),
        JSON.stringify(merged),
        survivor.id,
        absorbed.id,
        retentionSec,
        Date.parse(merged.lastSeen) || now.getTime(),
        JSON.stringify(event),
        token,
        mergeEntry(survivor.id, absorbed.id, filing),
      );
      if (res === 1) return event;
      if (res === 2) return null;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt + 1, 10)));
    }
    return null;
  }

  /**
   * The merges a committed batch shows, in batch order; then every result whose story was merged
   * answers with the survivor (the story as it is now). The bridging article's result lists the
   * merges it made (`merges`).
   */
  async function mergeAfter<T extends Mergeable>(results: T[], articleIds: readonly string[], now: Date): Promise<T[]> {
    let any = false;
    for (const [i, r] of results.entries()) {
      if (!r.alsoMatched?.length) continue;
      let cur = r.storyId;
      const made: StoryMerge[] = [];
      for (const other of r.alsoMatched) {
        const m = await tryMerge(cur, other, articleIds[i]!, now);
        if (m) {
          made.push(m);
          cur = m.survivorId;
        }
      }
      if (made.length) {
        any = true;
        results[i] = { ...r, merges: made };
      }
    }
    if (!any) return results;
    const ids = [...new Set(results.map((r) => r.storyId))];
    const now2 = await resolve(ids);
    const to = new Map(ids.map((id, i) => [id, now2[i]!]));
    const finals = [...new Set(now2)];
    const got = await redis.mget(finals.map((id) => keys.story(id)));
    const story = new Map(finals.map((id, i) => [id, got[i] ? (JSON.parse(got[i]!) as Story) : null]));
    return results.map((r) => {
      const id = to.get(r.storyId)!;
      const s = story.get(id);
      return s && (id !== r.storyId || r.merges) ? { ...r, storyId: id, story: s } : r;
    });
  }

  /** Merges committed whose deliveries have not been told yet (a crash between the two). */
  async function pendingMerges(): Promise<StoryMerge[]> {
    const h = await redis.hgetall(keys.storyMergesPending);
    return Object.values(h).map((s) => JSON.parse(s) as StoryMerge);
  }

  async function mergeHandled(mergedId: string): Promise<void> {
    await redis.hdel(keys.storyMergesPending, mergedId);
  }

  return { tryMerge, mergeAfter, resolve, pendingMerges, mergeHandled };
}
