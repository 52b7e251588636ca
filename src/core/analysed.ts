// What the article store holds: an article, then (once the analyse job ran) the article with its
// analysis.
import type { AnalysedArticle, Article } from './types.js';

/** True when the article carries its analysis. */
export function isAnalysed(a: Article | AnalysedArticle | null): a is AnalysedArticle {
  return Boolean(a && 'analysis' in a && a.analysis);
}
