// The one query language (../shared/design.md): parse → resolve → match / compile / format.
export * from './ast.js';
export { parseQuery, FIELD_NAMES, type ParsedQuery } from './parse.js';
export { resolveQuery, type QueryLexicon, type ResolvedQuery } from './resolve.js';
export { articleDocument, matchQuery, storyDocument, type QueryDocument } from './match.js';
export { compileStoryQuery, type CompiledStoryQuery, type StoryIndexQuery } from './compile.js';
export { formatQuery } from './format.js';
export { windowAt, windowValue } from './window.js';
export { ID_LEXICON, readStoredQuery, storedQueryText } from './stored.js';
