// Baselines on the same farm, with no queue, analysis or store:
//   limit — undici + rss-parser's parseString (the pipeline's primary parser until 2026-12), as many requests
//           in flight as the pipeline's per-host limit; cold (every document) and warm (conditional
//           requests, every feed answers 304); fast-xml-parser in place of rss-parser for reference.
//   naive — rss-parser's parseURL over the feeds one after another, no conditional requests.
import Parser from 'rss-parser';
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';

export interface BaselineRun {
  seconds: number;
  /** Documents parsed (cold) or 304s (warm). */
  feeds: number;
  items: number;
  errors: number;
}

export type Validators = { etag: string | null; lastModified: string | null };

async function inPool<T>(n: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

export interface LimitOptions {
  urls: string[];
  /** Requests in flight (the pipeline's per-host limit). */
  concurrency: number;
  parser: 'rss-parser' | 'fast-xml-parser';
  /** Validators from a cold run: send them and expect 304s. */
  validators?: Validators[];
}

export type LimitRun = BaselineRun & { validators: Validators[] };

export async function runLimit(o: LimitOptions): Promise<LimitRun> {
  const agent = new Agent({ connections: o.concurrency, keepAliveTimeout: 10_000 });
  const rss = new Parser();
  const fxp = new XMLParser({ ignoreAttributes: false, processEntities: true });
  const validators: Validators[] = new Array(o.urls.length);
  let items = 0;
  let feeds = 0;
  let errors = 0;
  const t0 = performance.now();
  try {
    await inPool(o.urls.length, o.concurrency, async (i) => {
      const v = o.validators?.[i];
      const headers: Record<string, string> = {};
      if (v?.etag) headers['if-none-match'] = v.etag;
      if (v?.lastModified) headers['if-modified-since'] = v.lastModified;
      try {
        const res = await request(o.urls[i]!, { dispatcher: agent, headers });
        const etag = res.headers.etag;
        const lm = res.headers['last-modified'];
        validators[i] = { etag: typeof etag === 'string' ? etag : null, lastModified: typeof lm === 'string' ? lm : null };
        if (res.statusCode === 304) {
          await res.body.dump();
          feeds += 1;
          return;
        }
        if (res.statusCode !== 200) {
          await res.body.dump();
          errors += 1;
          return;
        }
        const text = await res.body.text();
        if (o.parser === 'rss-parser') {
          items += (await rss.parseString(text)).items.length;
        } else {
          const doc = fxp.parse(text) as { rss?: { channel?: { item?: unknown } } };
          const it = doc.rss?.channel?.item;
          items += Array.isArray(it) ? it.length : it ? 1 : 0;
        }
        feeds += 1;
      } catch {
        errors += 1;
      }
    });
  } finally {
    await agent.close();
  }
  return { seconds: (performance.now() - t0) / 1000, feeds, items, errors, validators };
}

/** What a user would write in an afternoon: parseURL in a loop. */
export async function runNaive(urls: string[]): Promise<BaselineRun> {
  const parser = new Parser({ timeout: 30_000 });
  let items = 0;
  let feeds = 0;
  let errors = 0;
  const t0 = performance.now();
  for (const url of urls) {
    try {
      items += (await parser.parseURL(url)).items.length;
      feeds += 1;
    } catch {
      errors += 1;
    }
  }
  return { seconds: (performance.now() - t0) / 1000, feeds, items, errors };
}
