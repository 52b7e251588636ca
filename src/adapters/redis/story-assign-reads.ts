// What the story assigner (story-assign.ts) reads of Redis besides the lock and the log: story
// records (parsed once per version) and the compared members' vectors, through its bounded caches.
// Split from story-assign.ts for size: these were its functions of the same names.
import type { Redis } from 'ioredis';
import { comparedMembers } from '../../core/story/engine.js';
import type { ArticleVectors } from '../../core/story/similarity.js';
import { unpackVectors } from '../../core/story/vector-pack.js';
import { ByteLru } from '../byte-lru.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';
import type { StoryRead } from './story-assign-types.js';
import type { Story } from '../../core/types.js';
import { VectorCache } from './story-vector-cache.js';

/** How long vectors read from Redis are kept (their key's remaining life is not known). */
const READ_VECTOR_TTL_MS = 10 * 60_000;
/**
 * Story records kept parsed (LRU, keyed by content; see `readStories`): at most this many estimated
 * bytes (the record's bytes, plus the parsed value at ~3 × them) and entries.
 */
const STORY_CACHE = { maxBytes: 16 * 1024 * 1024, maxEntries: 4_000 };
const STORY_BYTES_PER_BYTE = 4;

interface Scripted {
  swStoryReadVersioned(...args: string[]): Promise<(string | null)[]>;
}

/**
 * A batch's reads: the records as read (null: none), each story's members so far (the batch's own
 * filings added: `addMember`), and the vectors known. A story's members are its record's list as
 * read until the batch files an article into it (then a copy of the batch's own, in `own` too): the
 * copy of every list read, a batch's ~400 stories of up to hundreds of members, was ~10 KB
 * allocated an article (story-rate).
 */
export interface BatchReads {
  json: Map<string, StoryRead | null>;
  articleIds: Map<string, readonly string[]>;
  own: Map<string, string[]>;
  local: Map<string, ArticleVectors>;
}

/** A batch's fresh reads. */
export function batchReads(): BatchReads {
  return { json: new Map(), articleIds: new Map(), own: new Map(), local: new Map() };
}

/** `storyId`'s members in `b` as read (`list`; none: forgotten), the batch's filings into it dropped. */
export function readMembers(b: BatchReads, storyId: string, list: readonly string[] | undefined): void {
  b.own.delete(storyId);
  if (list) b.articleIds.set(storyId, list);
  else b.articleIds.delete(storyId);
}

/** An article the batch files into `storyId`, added to its members in `b` (the list read is copied first: it is the record's). */
export function addMember(b: BatchReads, storyId: string, articleId: string): void {
  const mine = b.own.get(storyId);
  if (mine) {
    mine.push(articleId);
    return;
  }
  const list = [...(b.articleIds.get(storyId) ?? []), articleId];
  b.own.set(storyId, list);
  b.articleIds.set(storyId, list);
}

export function createAssignReads(redis: Redis, keys: Keys) {
  redis.defineCommand('swStoryReadVersioned', { lua: luaScript('story-read-versioned') });
  const scripts = redis as unknown as Scripted;
  // Articles' vectors as stored, parsed (story-vector-cache.ts; read ones for READ_VECTOR_TTL_MS).
  const vectorCache = new VectorCache();
  const cacheVectors = (id: string, v: ArticleVectors, expiresAt: number) => vectorCache.set(id, v, expiresAt);
  // Story records by id, parsed once per content (`readStories`).
  const storyCache = new ByteLru<StoryRead>(STORY_CACHE);

  function rememberStory(id: string, r: StoryRead): void {
    storyCache.set(id, r, r.bytes * STORY_BYTES_PER_BYTE);
  }

  /**
   * Story records as they are now: parsed once per version. Candidate stories come back batch
   * after batch unchanged, and reading and parsing them only to learn their members was a large
   * part of an assign's CPU; the cache is keyed by id and checked against the version read (so a
   * record someone else rewrote — a join through another key, a merge — is read and parsed
   * again). Versions come from one counter and are never reused (story-commit-many.lua), so an
   * equal version is an equal record; a record of the old format (version '0') is always read.
   */
  async function readStories(ids: readonly string[]): Promise<Map<string, StoryRead | null>> {
    // the entries as they are when asked (another batch may replace or drop them meanwhile)
    const held = ids.map((id) => storyCache.get(id));
    const got = await scripts.swStoryReadVersioned(String(ids.length * 2), ...ids.map((id) => keys.story(id)), ...ids.map((id) => keys.storyVersion(id)), ...held.map((c) => c?.ver ?? ''));
    const out = new Map<string, StoryRead | null>();
    ids.forEach((id, i) => {
      const ver = got[2 * i];
      const text = got[2 * i + 1];
      if (ver == null || text == null) {
        out.set(id, null);
        return;
      }
      if (text === '') {
        const c = held[i]!;
        rememberStory(id, c);
        out.set(id, c);
        return;
      }
      const story = JSON.parse(text) as Story;
      const r: StoryRead = { ver, bytes: text.length, articleIds: story.articleIds, story };
      rememberStory(id, r);
      out.set(id, r);
    });
    return out;
  }

  async function fetchStories(ids: string[], b: BatchReads): Promise<void> {
    if (ids.length === 0) return;
    for (const [id, r] of await readStories(ids)) {
      b.json.set(id, r);
      if (r) readMembers(b, id, r.articleIds);
    }
  }

  /**
   * The compared members' vectors of `storyIds` into `b.local` (the batch's own map: what this
   * batch files, and what it read), from the cache or, those not cached, one MGET.
   */
  async function prefetchVectors(storyIds: Iterable<string>, b: BatchReads): Promise<void> {
    const wallMs = Date.now();
    const missing: string[] = [];
    const asked = new Set<string>();
    const known = b.local;
    for (const id of storyIds) {
      const as = b.articleIds.get(id);
      if (!as) continue;
      for (const a of comparedMembers(as)) {
        if (known.has(a) || asked.has(a)) continue;
        const c = vectorCache.get(a, wallMs);
        if (c) known.set(a, c);
        else {
          asked.add(a);
          missing.push(a);
        }
      }
    }
    if (missing.length === 0) return;
    const packed = await redis.mget(missing.map((a) => keys.storyVectors(a)));
    for (let i = 0; i < missing.length; i++) {
      const s = packed[i];
      if (!s) continue;
      const v = unpackVectors(s);
      known.set(missing[i]!, v);
      cacheVectors(missing[i]!, v, wallMs + READ_VECTOR_TTL_MS);
    }
  }

  /**
   * Per story of `ids` (those known), its compared members' vectors (those still stored), reading
   * the ones not known yet (`prefetchVectors`) and then collecting again. (Collected as they are
   * looked up, without a list of the wanted members first: an assignment asks for ~10 stories.)
   */
  async function membersOf(ids: readonly string[], b: BatchReads): Promise<Map<string, ArticleVectors[]>> {
    const out = new Map<string, ArticleVectors[]>();
    if (collectMembers(ids, b, out)) return out;
    await prefetchVectors(ids, b);
    out.clear();
    collectMembers(ids, b, out);
    return out;
  }

  /** membersOf's collection, into `out`: whether every compared member's vectors were known. */
  function collectMembers(ids: readonly string[], b: BatchReads, out: Map<string, ArticleVectors[]>): boolean {
    let complete = true;
    for (const id of ids) {
      const as = b.articleIds.get(id);
      if (!as) continue;
      const vs: ArticleVectors[] = [];
      for (const a of comparedMembers(as)) {
        const v = b.local.get(a);
        if (v) vs.push(v);
        else complete = false;
      }
      out.set(id, vs);
    }
    return complete;
  }

  return { readStories, fetchStories, prefetchVectors, membersOf, rememberStory, cacheVectors };
}
