// A resolved query as the story store's index query (ports/stores.ts StoryQuery): the store
// intersects one group per kind (countries, tags, outlets, entities; any value of a group) and
// the content terms of `text`. What it cannot express — NOT, OR across kinds, phrases, NEAR,
// wildcards, affiliations, a second group of one kind — is left to matchQuery: the compiled
// query then finds a superset (`exact: false`) and the caller filters what it returns.
import type { CountryCode, TagId } from '../types.js';
import type { QueryNode } from './ast.js';
import { hasCjk } from './fold.js';

type GroupKind = 'countries' | 'tags' | 'outlets' | 'entities';

export interface StoryIndexQuery {
  countries?: CountryCode[];
  tags?: TagId[];
  outletIds?: string[];
  entityIds?: string[];
  /** Free words matched against headlines and summaries. */
  text?: string;
}

export interface CompiledStoryQuery {
  /** Every story the query matches is among what the store returns for this. */
  query: StoryIndexQuery;
  /** The store's answer is exactly the query's (no filtering needed). */
  exact: boolean;
  /** `story:<id>` values the whole query requires one of (look them up instead of searching). */
  storyIds: string[] | null;
}

interface Constraints {
  groups: { kind: GroupKind; values: string[] }[];
  text: string[];
  exact: boolean;
  storyIds: string[] | null;
}

const NONE = (): Constraints => ({ groups: [], text: [], exact: false, storyIds: null });

function constraints(n: QueryNode): Constraints {
  switch (n.kind) {
    case 'field':
      if (n.field === 'countries' || n.field === 'tags' || n.field === 'outlets' || n.field === 'entities') {
        return { groups: [{ kind: n.field, values: n.values }], text: [], exact: true, storyIds: null };
      }
      if (n.field === 'story') return { ...NONE(), storyIds: n.values };
      return NONE();
    case 'text': {
      // A plain word is what the store's text search does (stems of headline and summary words).
      const w = n.words[0]!;
      if (n.words.length === 1 && !w.prefix && !hasCjk(w.key)) return { groups: [], text: [w.key], exact: true, storyIds: null };
      // A phrase's words are all there too; the order and the sentence are checked by matchQuery.
      return { groups: [], text: n.words.filter((x) => !x.prefix && !hasCjk(x.key)).map((x) => x.key), exact: false, storyIds: null };
    }
    case 'near': {
      const a = constraints(n.a);
      const b = constraints(n.b);
      return { groups: [], text: [...a.text, ...b.text], exact: false, storyIds: null };
    }
    case 'and': {
      const parts = n.children.map(constraints);
      const groups = parts.flatMap((p) => p.groups);
      const kinds = new Set(groups.map((g) => g.kind));
      const ids = parts.map((p) => p.storyIds).filter((x): x is string[] => x !== null);
      let storyIds: string[] | null = null;
      for (const x of ids) storyIds = storyIds === null ? x : storyIds.filter((id) => x.includes(id));
      return {
        groups,
        text: parts.flatMap((p) => p.text),
        exact: parts.every((p) => p.exact) && kinds.size === groups.length,
        storyIds,
      };
    }
    case 'or': {
      const parts = n.children.map(constraints);
      // Alternatives of one kind make one group ("KZ OR UZ"); anything else constrains nothing.
      const one = parts.every((p) => p.groups.length === 1 && p.text.length === 0 && p.storyIds === null && p.groups[0]!.kind === parts[0]!.groups[0]!.kind);
      if (one) {
        const values = [...new Set(parts.flatMap((p) => p.groups[0]!.values))];
        return { groups: [{ kind: parts[0]!.groups[0]!.kind, values }], text: [], exact: parts.every((p) => p.exact), storyIds: null };
      }
      // Otherwise a kind every alternative constrains still narrows: any of their values.
      const groups: Constraints['groups'] = [];
      for (const kind of ['countries', 'tags', 'outlets', 'entities'] as const) {
        const each = parts.map((p) => p.groups.find((g) => g.kind === kind));
        if (each.every((g) => g !== undefined)) groups.push({ kind, values: [...new Set(each.flatMap((g) => g!.values))] });
      }
      const ids = parts.every((p) => p.storyIds !== null) ? [...new Set(parts.flatMap((p) => p.storyIds!))] : null;
      return { groups, text: [], exact: false, storyIds: ids };
    }
    case 'not':
    case 'words':
      return NONE();
  }
}

export function compileStoryQuery(root: QueryNode | null): CompiledStoryQuery {
  if (!root) return { query: {}, exact: true, storyIds: null };
  const c = constraints(root);
  const query: StoryIndexQuery = {};
  const first = (k: GroupKind) => c.groups.find((g) => g.kind === k)?.values;
  const countries = first('countries');
  const tags = first('tags');
  const outletIds = first('outlets');
  const entityIds = first('entities');
  if (countries) query.countries = countries as CountryCode[];
  if (tags) query.tags = tags as TagId[];
  if (outletIds) query.outletIds = outletIds;
  if (entityIds) query.entityIds = entityIds;
  if (c.text.length) query.text = c.text.join(' ');
  return { query, exact: c.exact && c.storyIds === null, storyIds: c.storyIds };
}
