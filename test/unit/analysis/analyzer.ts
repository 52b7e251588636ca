// One analyzer for the analysis tests (built from the package's data/).
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import type { AnalysisInput, AnalysisResult } from '../../../src/core/types.js';

export const NOW = new Date('2024-05-01T00:00:00Z');

export function analyze(text: string, extra: Partial<AnalysisInput> = {}): AnalysisResult {
  return defaultAnalyzer().analyze({ id: 't', text, ...extra }, NOW);
}

export function tags(r: AnalysisResult): string[] {
  return r.framings.map((f) => f.tag);
}
