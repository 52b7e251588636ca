// Export (issue #17): stored articles matching a query, one row each, streamed in time order
// (oldest first) from the article timeline a page at a time, so memory stays bounded however many
// there are. `steppewatch export` (src/cli/export-cli.ts) writes the rows to stdout; /export (this
// file's handler, admins only) puts them in a file attached to its reply, capped at
// EXPORT_CHAT_MAX_ROWS rows with a note.
import { stringify } from 'csv-stringify';
import type { Reply } from '../core/alert/values.js';
import { csvRecord, EXPORT_CHAT_MAX_ROWS, EXPORT_COLUMNS, exportRow, parseSince, type ExportRow } from '../core/export/rows.js';
import { articleDocument, matchQuery, parseQuery, resolveQuery, QueryError, formatQuery, type QueryNode } from '../core/query/index.js';
import type { ArticleTimeline, StoryStore } from '../ports/stores.js';
import { COMMAND_SPECS } from './grammar.js';
import { errorReply, okReply, plural, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';
import type { QueryVocabulary } from './vocabulary.js';

export interface ExportDeps {
  articles: ArticleTimeline;
  stories: Pick<StoryStore, 'getMany'>;
  vocabulary: QueryVocabulary;
}

export interface ExportRequest {
  /** Resolved query (null: every article). */
  query: QueryNode | null;
  since: Date;
  /** Stop after this many rows (the `truncated` flag of the result says whether more matched). */
  maxRows?: number;
  /** Articles read per page from the store. */
  pageSize?: number;
}

/** Articles read from the store per page: bounds what is held in memory at once. */
const PAGE = 500;

/**
 * The query of `export`/`/export` read once (the one query language): its expression and the
 * window it names (`30d`), if any. Throws QueryError (one line pointing at the bad token).
 */
export function readExportQuery(text: string, vocabulary: QueryVocabulary): { query: QueryNode | null; windowHours: number | null } {
  const r = resolveQuery(parseQuery(text), vocabulary);
  return { query: r.root, windowHours: r.windowHours };
}

/**
 * The rows, oldest first. The caller consumes them as it writes (a `for await`), so at most one
 * page of articles is in memory. Sets `state.truncated` when it stopped at `maxRows` with more left.
 */
export async function* exportRows(d: Pick<ExportDeps, 'articles' | 'stories'>, req: ExportRequest, state: { truncated: boolean; scanned: number } = { truncated: false, scanned: 0 }): AsyncGenerator<ExportRow> {
  let cursor: string | null = null;
  let rows = 0;
  do {
    const page: Awaited<ReturnType<ArticleTimeline['scan']>> = await d.articles.scan({ since: req.since, cursor, limit: req.pageSize ?? PAGE });
    cursor = page.next;
    state.scanned += page.articles.length;
    const matching = page.articles.filter((a) => matchQuery(req.query, articleDocument(a, a.analysis, a.storyId ?? undefined)));
    if (matching.length === 0) continue;
    // The id each story answers to now (a merged story's articles carry the id it had).
    const ids = [...new Set(matching.map((a) => a.storyId!))];
    const stories = await d.stories.getMany(ids);
    const current = new Map(ids.map((id, i) => [id, stories[i]?.id ?? id]));
    for (const a of matching) {
      if (req.maxRows !== undefined && rows >= req.maxRows) {
        state.truncated = true;
        return;
      }
      rows++;
      yield exportRow(a, current.get(a.storyId!));
    }
  } while (cursor !== null);
}

/** A CSV stringifier (csv-stringify, streaming) with the header of the export's columns. */
export function csvStringifier() {
  return stringify({ header: true, columns: [...EXPORT_COLUMNS] });
}

/** One JSON line of a row. */
export function jsonLine(r: ExportRow): string {
  return `${JSON.stringify(r)}\n`;
}

async function collectCsv(rows: AsyncIterable<ExportRow>): Promise<{ data: Uint8Array; count: number }> {
  const s = csvStringifier();
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
  const done = new Promise<void>((resolve, reject) => {
    s.on('end', resolve);
    s.on('error', reject);
  });
  let count = 0;
  for await (const r of rows) {
    count++;
    if (!s.write(csvRecord(r))) await new Promise((res) => s.once('drain', res));
  }
  s.end();
  await done;
  const data = Buffer.concat(chunks);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), count };
}

/** Default window of /export when the query names none: the retention the store keeps (90 days). */
const DEFAULT_EXPORT_DAYS = 90;

/**
 * /export [query] [since:DATE|Nd] [format:csv|jsonl] — admins only. Answers in the channel with
 * the file attached (the export is for the people of the channel); errors are ephemeral.
 */
export async function handleExport(cmd: ParsedCommand, ctx: CommandContext, deps: ExportDeps): Promise<Reply> {
  const spec = COMMAND_SPECS.export!;
  if (!ctx.user.isAdmin) return errorReply('Sorry — /export is for steppewatch admins. Ask one of them, or use /story, which anyone can.');
  const text = [...(cmd.options.query ?? []), ...cmd.bare].join(' ').trim();
  let read: ReturnType<typeof readExportQuery>;
  try {
    read = readExportQuery(text, deps.vocabulary);
  } catch (e) {
    if (e instanceof QueryError) return usageReply(e.message, spec.usage, `Example: ${spec.example}`);
    throw e;
  }
  let since = new Date(ctx.now.getTime() - (read.windowHours ?? DEFAULT_EXPORT_DAYS * 24) * 3_600_000);
  const sinceText = cmd.options.since?.[0];
  if (sinceText !== undefined) {
    const s = parseSince(sinceText, ctx.now);
    if (!s) return usageReply(`since: takes a date (2026-11-01) or a number of days (30d), not “${sinceText}”.`, spec.usage, `Example: ${spec.example}`);
    since = s;
  }
  const format = (cmd.options.format?.[0] ?? 'csv').trim().toLowerCase();
  if (format !== 'csv' && format !== 'jsonl') return usageReply(`format: is csv or jsonl, not “${cmd.options.format![0]}”.`, spec.usage, `Example: ${spec.example}`);

  const state = { truncated: false, scanned: 0 };
  const rows = exportRows(deps, { query: read.query, since, maxRows: EXPORT_CHAT_MAX_ROWS }, state);
  let data: Uint8Array;
  let count = 0;
  if (format === 'csv') ({ data, count } = await collectCsv(rows));
  else {
    const parts: Buffer[] = [];
    for await (const r of rows) {
      count++;
      parts.push(Buffer.from(jsonLine(r)));
    }
    const b = Buffer.concat(parts);
    data = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const what = read.query ? `matching ${formatQuery(read.query)}` : 'of every story';
  const sinceDay = since.toISOString().slice(0, 10);
  if (count === 0) return okReply('ephemeral', `No stored articles ${what} since ${sinceDay}; nothing to export.`);
  const filename = `steppewatch-export-${ctx.now.toISOString().slice(0, 10)}.${format}`;
  const head = `Export: ${plural(count, 'article')} ${what}, published since ${sinceDay} (UTC), oldest first.`;
  const note = state.truncated ? `Capped at ${EXPORT_CHAT_MAX_ROWS.toLocaleString('en-US')} rows: more matched. Narrow the query or the since: date, or run steppewatch export on the server for all of them.` : null;
  const reply = okReply('in_channel', head, [{ type: 'paragraph', text: head }, ...(note ? [{ type: 'hint' as const, text: note }] : [])]);
  reply.files = [{ filename, contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson', data, title: head }];
  return reply;
}
