// The one query language's parsed value (../shared/design.md, "One query language"): an AST that
// /story uses now and /subscribe, /trends, export and the web view can share. parse.ts makes it
// from text, resolve.ts names its bare words with a vocabulary, match.ts tests it against a
// story or an article, compile.ts turns it into the store's StoryQuery where the store can
// answer it, format.ts prints it back as a query that parses to the same thing.

/** Fields a query can name (`outlet:rt` = `outlets:rt`; see FIELD_NAMES for every spelling). */
export type Field = 'countries' | 'tags' | 'outlets' | 'affiliations' | 'keywords' | 'entities' | 'story' | 'days';

/** What a vocabulary recognises in bare words (countries, tags, outlets, people and places). */
export type TermKind = 'country' | 'tag' | 'outlet' | 'entity';

export interface QueryTerm {
  kind: TermKind;
  id: string;
  name: string;
}

/** One word of a text node: its matching key (fold.ts), and whether it is a prefix (`Tokay*`). */
export interface TextWord {
  key: string;
  prefix: boolean;
}

/** A bare word as typed, before the vocabulary has read it. */
export interface RawWord {
  text: string;
  /** 1-based character position in the query. */
  pos: number;
}

export type QueryNode =
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode; pos: number }
  /** Any of the values (ids once resolved; parse output may hold a `days` field, which resolve turns into the window). `terms`: the vocabulary's terms for them. */
  | { kind: 'field'; field: Exclude<Field, 'days'>; values: string[]; pos: number; terms?: QueryTerm[] }
  /** A word or a phrase (words in a row, in one sentence); `quoted` when the user quoted it. */
  | { kind: 'text'; words: TextWord[]; pos: number; quoted: boolean; raw: string }
  /** `a NEAR/n b`: within n words of each other, in one sentence. */
  | { kind: 'near'; a: TextNode; b: TextNode; distance: number; pos: number }
  /** Bare words in a row (only in parse output; resolve.ts replaces them). */
  | { kind: 'words'; words: RawWord[] };

export type TextNode = Extract<QueryNode, { kind: 'text' }>;
export type FieldNode = Extract<QueryNode, { kind: 'field' }>;

/** Bounds on what one query may cost (regex denial of service is why other bots refused this). */
export const QUERY_LIMITS = {
  /** Characters in a query (Discord's option allows 200; Slack's text is longer). */
  maxLength: 500,
  /** Words, phrases and field values. */
  maxTerms: 32,
  /** Parentheses and NOTs inside each other. */
  maxDepth: 8,
  /** The largest n of NEAR/n. */
  maxNear: 20,
  /** Letters before a `*`. */
  minPrefix: 2,
} as const;

/** A query that cannot be run: one line, pointing at the token (`query: unexpected ")" at 14`). */
export class QueryError extends Error {
  constructor(
    message: string,
    /** 1-based position of the bad token, when there is one. */
    readonly pos?: number,
  ) {
    super(`query: ${message}`);
    this.name = 'QueryError';
  }
}
