// Batch clustering for `steppewatch analyze --cluster`: the same decision logic as the live
// story store, applied across one input batch. (Implementation in progress.)
import type { AnalysisResult } from '../types.js';

export interface ClusterItem {
  id: string;
  title: string;
  text: string;
  /** ISO 8601 UTC. */
  published: string;
  outletId?: string;
  analysis: AnalysisResult;
}

/** Returns the story id of each item, in input order. */
export function clusterBatch(items: ClusterItem[]): string[] {
  throw new Error(`clusterBatch: not implemented yet (${items.length} items)`);
}
