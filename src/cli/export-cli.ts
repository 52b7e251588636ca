// `steppewatch export [query] [--since DATE|Nd] [--format jsonl|csv]`: the stored articles a query
// matches, one row each, oldest first, to stdout (JSON Lines by default). Streamed: the rows are
// written as the article timeline is read, a page at a time, with the output's backpressure
// respected, so memory stays bounded however many articles there are.
import type { Writable } from 'node:stream';
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { csvRecord, parseSince } from '../core/export/rows.js';
import { QueryError } from '../core/query/index.js';
import { migrateArticleTimeIndex } from '../adapters/redis/article-store.js';
import { csvStringifier, exportRows, jsonLine, readExportQuery } from '../commands/export.js';
import { createContainer } from '../main/container.js';
import { currentVocabulary } from '../main/vocabulary.js';
import { querySyntaxError } from './story-cli.js';

export interface ExportCliOptions {
  query: string;
  since?: string;
  format: 'jsonl' | 'csv';
  config: Readonly<Config>;
}

/** Thrown for a bad --since (the CLI prints it with the usage, exit 64). */
export class ExportUsageError extends Error {}

/** Waits for 'drain' when the stream asked for it. */
function written(out: NodeJS.WritableStream, ok: boolean): Promise<void> | null {
  return ok ? null : new Promise((resolve) => out.once('drain', () => resolve()));
}

export async function runExportCli(o: ExportCliOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const syntax = querySyntaxError(o.query);
  if (syntax) {
    io.stderr.write(`steppewatch export: ${syntax}\n`);
    return 64;
  }
  const log = createLogger({ level: o.config.LOG_LEVEL === 'info' ? 'warn' : o.config.LOG_LEVEL });
  const c = await createContainer({ config: o.config, log });
  try {
    const now = c.clock();
    let read: ReturnType<typeof readExportQuery>;
    try {
      read = readExportQuery(o.query, await currentVocabulary(c));
    } catch (e) {
      // A query that does not parse: its one line, exit 64; nothing was read.
      if (e instanceof QueryError) {
        io.stderr.write(`steppewatch export: ${e.message}\n`);
        return 64;
      }
      throw e;
    }
    // Without --since: the query's window (`30d`), else everything the store keeps.
    let since = read.windowHours !== null ? new Date(now.getTime() - read.windowHours * 3_600_000) : new Date(0);
    if (o.since !== undefined) {
      const s = parseSince(o.since, now);
      if (!s) throw new ExportUsageError(`export: --since takes a date (2026-11-01) or a number of days (30d), not ${JSON.stringify(o.since)}`);
      since = s;
    }
    // Articles stored before the time index existed (an upgrade): indexed once, here or at start.
    const migrated = await migrateArticleTimeIndex(c.redis, c.keys);
    if (migrated !== null) log.info({ indexed: migrated }, 'upgrade: stored articles indexed by time (for export)');
    const rows = exportRows({ articles: c.stores.articles, stories: c.stores.stories }, { query: read.query, since });
    const out = io.stdout;
    if (o.format === 'jsonl') {
      for await (const r of rows) await written(out, out.write(jsonLine(r)));
    } else {
      const s = csvStringifier();
      s.pipe(out as Writable, { end: false });
      const ended = new Promise<void>((resolve, reject) => {
        s.on('end', resolve);
        s.on('error', reject);
      });
      for await (const r of rows) await written(s, s.write(csvRecord(r)));
      s.end();
      await ended;
    }
    return 0;
  } finally {
    await c.close();
  }
}
