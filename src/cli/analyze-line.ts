// One line of `steppewatch analyze` input → its output object (shared by the CLI's main thread
// and its worker threads).
import { z } from 'zod';
import type { Analyzer } from '../core/analyse.js';
import type { AnalysisInput, AnalysisResult } from '../core/types.js';

const inputSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    title: z.string().optional().nullable(),
    text: z.string().optional().nullable(),
    html: z.string().optional().nullable(),
    url: z.string().optional().nullable(),
    outlet: z.string().optional().nullable(),
    published: z.string().optional().nullable(),
    language: z.string().optional().nullable(),
  })
  .refine((v) => typeof v.text === 'string' || typeof v.html === 'string', { message: 'text or html is required' })
  .refine((v) => !v.published || !Number.isNaN(Date.parse(v.published)), { message: 'published is not a date' });

export interface LineOutcome {
  /** The contract's output object, or `{id?, line?, error}` (`line`: the input line number, when known). */
  out: Record<string, unknown>;
  input?: AnalysisInput;
  result?: AnalysisResult;
}

/** The contract's output fields, in the contract's order. */
export function contractView(r: AnalysisResult): Record<string, unknown> {
  return {
    id: r.id,
    language: r.language,
    countries: r.countries,
    relevance: r.relevance,
    framings: r.framings.map((f) => ({
      tag: f.tag,
      confidence: f.confidence,
      evidence: f.evidence.map((e) => ({ quote: e.quote, attributedTo: e.attributedTo })),
    })),
    summary: r.summary,
  };
}

/** `{id?, line?, error}`, keys in that order. */
function errorOut(id: string | undefined, lineNo: number | undefined, error: string): Record<string, unknown> {
  return { ...(id === undefined ? {} : { id }), ...(lineNo === undefined ? {} : { line: lineNo }), error };
}

/** `lineNo`: the line's 1-based number in the input, carried by its error. */
export function analyzeLine(line: string, analyzer: Analyzer, now: Date, lineNo?: number): LineOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { out: errorOut(undefined, lineNo, `invalid JSON: ${(err as Error).message}`) };
  }
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const id = raw && typeof raw === 'object' && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number') ? String(raw.id) : undefined;
    const error = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    return { out: errorOut(id, lineNo, error) };
  }
  const v = parsed.data;
  const input: AnalysisInput = { id: v.id };
  for (const k of ['title', 'text', 'html', 'url', 'outlet', 'published', 'language'] as const) {
    const x = v[k];
    if (typeof x === 'string') input[k] = x;
  }
  try {
    const result = analyzer.analyze(input, now);
    return { out: contractView(result), input, result };
  } catch (err) {
    return { out: errorOut(v.id, lineNo, `analysis failed: ${(err as Error).message}`) };
  }
}
