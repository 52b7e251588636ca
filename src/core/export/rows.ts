// Export rows (issue #17, "Import and export"): one per stored article, the shape `export` writes
// as JSON Lines and, flattened, as CSV. Pure: the CLI and /export stream articles through these.
import type { Affiliation, AnalysedArticle, CountryCode, TagId } from '../types.js';

/** One exported article. `framings` as `analyze` gives them (tag, confidence, evidence). */
export interface ExportRow {
  articleId: string;
  storyId: string;
  headline: string;
  url: string | null;
  published: string;
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  countries: CountryCode[];
  framings: { tag: TagId; confidence: number; evidence: { quote: string; attributedTo: string | null }[] }[];
}

/** The CSV header, in order (the same columns as the JSON rows). */
export const EXPORT_COLUMNS = ['articleId', 'storyId', 'headline', 'url', 'published', 'outletId', 'outlet', 'affiliation', 'countries', 'framings'] as const;

/** Rows of one `/export` file at most (a chat upload must stay a reasonable size). */
export const EXPORT_CHAT_MAX_ROWS = 50_000;

/**
 * The row of an analysed article. `storyId`: the id its story answers to now (a story merged
 * into another answers with the survivor's id), else the article's own.
 */
export function exportRow(a: AnalysedArticle, storyId?: string): ExportRow {
  return {
    articleId: a.id,
    storyId: storyId ?? a.storyId ?? '',
    headline: a.title || a.analysis.title,
    url: a.url,
    published: a.published,
    outletId: a.outletId,
    outlet: a.outlet,
    affiliation: a.affiliation,
    countries: [...a.analysis.countries],
    framings: a.analysis.framings.map((f) => ({
      tag: f.tag,
      confidence: f.confidence,
      evidence: f.evidence.map((e) => ({ quote: e.quote, attributedTo: e.attributedTo })),
    })),
  };
}

/** A framing in a CSV cell: `tag: quote — speaker` (its first evidence; no speaker: the outlet's voice). */
export function framingCell(f: ExportRow['framings'][number]): string {
  const e = f.evidence[0];
  if (!e) return f.tag;
  return e.attributedTo ? `${f.tag}: ${e.quote} — ${e.attributedTo}` : `${f.tag}: ${e.quote}`;
}

/** The row as CSV cells, in EXPORT_COLUMNS order: lists joined by `;`, a missing url empty. */
export function csvRecord(r: ExportRow): string[] {
  return [r.articleId, r.storyId, r.headline, r.url ?? '', r.published, r.outletId, r.outlet, r.affiliation, r.countries.join(';'), r.framings.map(framingCell).join(';')];
}

/**
 * `--since` / `/export`'s since: a date (`2026-11-01`, or a full ISO time) or a number of days
 * back (`30d`, `30`); null when it is neither. Days count back from `now`.
 */
export function parseSince(value: string, now: Date): Date | null {
  const v = value.trim();
  const days = /^(\d{1,5})d?$/i.exec(v);
  if (days) return new Date(now.getTime() - Number(days[1]) * 86_400_000);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return null;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isFinite(t) ? new Date(t) : null;
}
