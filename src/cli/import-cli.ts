// `steppewatch import FILE.jsonl`: backfill history, so a new install has a baseline on day one.
// Each line is the `analyze` input plus `outlet` (required) and `affiliation` (`state:RU`,
// `public:US`, `independent`, `unknown` [default]) and a required `published`; it goes through
// the analyse job's own processor (analysis, story, store, trend counters) with `alert: false`,
// so nothing is alerted. A bad line is refused with one line on stderr naming its number; the
// others go on. Re-importing a file changes nothing: articles keep their ids (`imp-<outlet>-<id>`),
// story assignment and counting are idempotent by article id.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { defaultAnalyzer } from '../adapters/analysis-data.js';
import { htmlToText } from '../core/feed/parse/html-text.js';
import { slugify } from '../core/feed/config/feeds-file.js';
import type { Affiliation, Article } from '../core/types.js';
import { createContainer } from '../main/container.js';
import { analyseBatch, type AnalyseDeps } from '../../jobs/analyse.js';

const lineSchema = z
  .object({
    id: z.union([z.string().min(1).max(150), z.number()]).transform(String),
    title: z.string().optional().nullable(),
    text: z.string().optional().nullable(),
    html: z.string().optional().nullable(),
    url: z.string().optional().nullable(),
    outlet: z.string({ error: 'outlet is required (the outlet’s name)' }).trim().min(1, 'outlet is required (the outlet’s name)'),
    affiliation: z
      .string()
      .regex(/^(state|public):[A-Z]{2}$|^independent$|^unknown$/, 'affiliation must be state:CC, public:CC, independent or unknown')
      .optional()
      .nullable(),
    published: z
      .string({ error: 'published is required (import places each article in time)' })
      .refine((v) => !Number.isNaN(Date.parse(v)), 'published is not a date'),
    language: z.string().optional().nullable(),
  })
  .refine((v) => typeof v.text === 'string' || typeof v.html === 'string', { message: 'text or html is required' });

export type ImportLine = z.infer<typeof lineSchema>;

/** One input line → the Article the analyse job takes, or the line's error. */
export function importArticle(line: string, now: Date): { article: Article } | { error: string; id?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
  const r = lineSchema.safeParse(raw);
  if (!r.success) {
    const id = raw && typeof raw === 'object' && 'id' in raw ? String((raw as { id: unknown }).id) : undefined;
    return { error: r.error.issues.map((i) => i.message).join('; '), ...(id ? { id } : {}) };
  }
  const v = r.data;
  const outletId = slugify(v.outlet) || 'unknown';
  const text = typeof v.text === 'string' ? v.text : htmlToText(v.html ?? '');
  return {
    article: {
      id: `imp-${outletId}-${v.id}`,
      feedId: 'import',
      outletId,
      outlet: v.outlet,
      affiliation: (v.affiliation ?? 'unknown') as Affiliation,
      url: v.url ?? null,
      title: v.title ?? '',
      text,
      published: new Date(v.published).toISOString(),
      publishedEstimated: false,
      firstSeen: now.toISOString(),
      ...(v.language ? { languageHint: v.language } : {}),
    },
  };
}

/** Lines per analyse batch (the pipeline's analyse jobs take up to 50). */
const BATCH = 50;

export async function runImportCli(
  file: string,
  o: { config: Readonly<Config> },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  try {
    await access(file);
  } catch (e) {
    io.stderr.write(`import: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  const log = createLogger({ level: o.config.LOG_LEVEL === 'info' ? 'warn' : o.config.LOG_LEVEL });
  const c = await createContainer({ config: o.config, log });
  const deps: AnalyseDeps = {
    analyzer: defaultAnalyzer(),
    articles: c.stores.articles,
    batches: c.stores.batches,
    stories: c.stores.stories,
    subscriptions: c.stores.subscriptions,
    mutes: c.stores.mutes,
    deliveries: c.stores.deliveries,
    enqueueDeliver: async () => {
      throw new Error('import: nothing is alerted'); // alert: false never routes
    },
    trends: c.stores.trends,
    config: { alertMinRelevance: o.config.ALERT_MIN_RELEVANCE, retentionDays: o.config.RETENTION_DAYS },
    log,
    clock: c.clock,
  };
  let imported = 0;
  let refused = 0;
  let inStories = 0;
  // Lines go through the analyse job's batch step, as a worker runs it, in file order (a story's
  // first publisher starts it) and in batches of BATCH lines (one store round trip each).
  let batch: { line: number; article: Article }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const items = batch.map((b) => ({ articleId: b.article.id, alert: false, article: b.article }));
    const lines = batch;
    batch = [];
    try {
      const res = await analyseBatch(deps, items);
      for (const r of res.articles) {
        imported += 1;
        if (r.status !== 'missing' && r.storyId) inStories += 1;
      }
    } catch (e) {
      refused += lines.length;
      io.stderr.write(`import: lines ${lines[0]!.line}–${lines[lines.length - 1]!.line}: ${(e as Error).message}\n`);
    }
  };
  try {
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of rl) {
      lineNo += 1;
      if (!line.trim()) continue;
      const r = importArticle(line, c.clock());
      if ('error' in r) {
        refused += 1;
        io.stderr.write(`import: line ${lineNo}${r.id ? ` (id ${r.id})` : ''}: ${r.error}\n`);
        continue;
      }
      batch.push({ line: lineNo, article: r.article });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    io.stdout.write(`imported ${imported} article${imported === 1 ? '' : 's'} (${inStories} in Central Asia stories), refused ${refused}; nothing alerted\n`);
    return imported === 0 && refused > 0 ? 1 : 0;
  } finally {
    await c.close();
  }
}
