// Suggestions while someone types /story's query (Discord autocomplete): countries, framing tags,
// outlets and people that fit what is typed so far, and recent story headlines that contain it.
import { clip } from '../core/alert/format.js';
import type { StoryStore } from '../ports/stores.js';
import { foldKey } from './fold.js';
import { termLabel, type QueryVocabulary, type Term, type TermKind } from './vocabulary.js';

export interface Choice {
  name: string;
  value: string;
}

const MAX = 25;
const KINDS: TermKind[] = ['country', 'tag', 'outlet', 'entity'];

export async function storyAutocomplete(
  typed: string,
  deps: { vocabulary: QueryVocabulary; stories: StoryStore },
  now: Date,
): Promise<Choice[]> {
  const q = foldKey(typed);
  const out: Choice[] = [];
  const seen = new Set<string>();
  const push = (name: string, value: string) => {
    const v = value.slice(0, 100);
    if (seen.has(v) || out.length >= MAX) return;
    seen.add(v);
    out.push({ name: clip(name, 100), value: v });
  };
  const termChoice = (t: Term) => push(`${termLabel(t)} · ${t.kind === 'tag' ? 'framing' : t.kind}`, deps.vocabulary.queryWords(t));

  if (!q) {
    for (const t of deps.vocabulary.all('country')) termChoice(t);
  } else {
    // Prefix matches on names and query words, then near matches for typos.
    for (const kind of KINDS) {
      for (const t of deps.vocabulary.all(kind)) {
        if (foldKey(t.name).startsWith(q) || foldKey(deps.vocabulary.queryWords(t)).startsWith(q) || t.id.toLowerCase() === q) termChoice(t);
      }
    }
    for (const t of deps.vocabulary.suggest(typed, KINDS, 5)) termChoice(t);
  }
  // Recent headlines: the query so far as words, over the last 30 days.
  const recent = await deps.stories.recent({ since: new Date(now.getTime() - 30 * 86_400_000), limit: 50, ...(q ? { text: typed } : {}) });
  for (const s of recent) push(`“${s.headline}”`, s.headline);
  return out;
}
