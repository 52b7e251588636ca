// The query vocabulary of the running deployment (used by the bot's /story and /subscribe and by
// the console commands).
import { loadAnalyzerData } from '../adapters/analysis-data.js';
import { vocabularyFromData } from '../commands/vocabulary-from-data.js';
import type { QueryVocabulary } from '../commands/vocabulary.js';
import type { Container } from './container.js';

/** The deployment's vocabulary: gazetteer, tags, and the outlets of the feeds it follows now. */
export async function currentVocabulary(c: Pick<Container, 'stores'>): Promise<QueryVocabulary> {
  return vocabularyFromData({ gazetteer: loadAnalyzerData().gazetteer, feeds: await c.stores.feeds.list() });
}
