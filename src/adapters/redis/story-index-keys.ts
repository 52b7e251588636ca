// The /story index sets a story is filed in, by country, entity, tag, outlet and word: written by
// the assigner's commit (story-assign.ts) and moved by a merge (story-merge.ts).
import type { Story } from '../../core/types.js';
import { storyTags } from '../../core/story/record.js';
import { pureMemo } from '../../core/memo.js';
import { contentTerms } from '../../core/story/text.js';
import type { Keys } from './keys.js';

/**
 * The score of a story's entries in its /story index sets: its lastSeen rounded down to the day.
 * The order and the time filter come from the story's exact lastSeen in one place, the by-time
 * index (keys.storiesByTime); an index set only has to say "filed here, seen no earlier than this
 * day". So a join rewrites the ~80 index entries of its story only when its lastSeen moves into a
 * later day, and otherwise writes only the keys new to the story. Entries of the old format
 * (exact lastSeen) are never below this score, so `recent` reads both.
 */
export const INDEX_SCORE_STEP_MS = 86_400_000;
export const indexScore = (ms: number): number => ms - (ms % INDEX_SCORE_STEP_MS);

const MAX_INDEXED_TERMS = 40;
const MAX_INDEXED_ENTITIES = 30;

/** The /story index sets of a story. */
export function storyIndexKeys(keys: Keys, s: Story): string[] {
  const out = new Set<string>();
  for (const c of s.countries) out.add(keys.storiesBy('country', c));
  for (const e of s.entities.slice(0, MAX_INDEXED_ENTITIES)) out.add(keys.storiesBy('entity', e));
  for (const t of storyTags(s)) out.add(keys.storiesBy('tag', t));
  for (const x of s.outlets) out.add(keys.storiesBy('outlet', x.outletId));
  for (const t of storyTerms(s).slice(0, MAX_INDEXED_TERMS)) out.add(keys.storiesBy('term', t));
  return [...out];
}

/** Words a text query can find a story by: stems of the headline, entity names, outlet titles, summary (in that priority). */
function storyTerms(s: Story): string[] {
  const out = new Set<string>();
  for (const t of termsOf(s.headline)) out.add(t);
  for (const e of s.entities) for (const t of termsOf(e.slice(e.indexOf(':') + 1).replace(/[-_]/gu, ' '))) out.add(t);
  for (const x of s.outlets) for (const t of termsOf(x.title)) out.add(t);
  for (const t of termsOf(s.summary)) out.add(t);
  return [...out];
}

/**
 * contentTerms, memoised (core/memo.ts, at most 10,000 texts): a story is indexed again on every
 * join (its lastSeen moves), and its headline, summary, entity names and outlet titles are mostly
 * the same texts as last time.
 */
const termsOf: (text: string) => readonly string[] = pureMemo(contentTerms, 10_000);
