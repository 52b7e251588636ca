// A loopback HTTP server serving the demo's sample feeds as RSS 2.0, dated relative to a start
// time, with ETag / If-None-Match so the pipeline's conditional requests work against it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

const sampleItem = z.object({
  title: z.string(),
  text: z.string(),
  link: z.string(),
  ageHours: z.number(),
  later: z.boolean().optional(),
});
const sampleFeed = z.object({
  id: z.string(),
  outlet: z.string(),
  language: z.string(),
  country: z.string().optional(),
  affiliation: z.string(),
  items: z.array(sampleItem),
});
export type SampleFeed = z.infer<typeof sampleFeed>;

export function loadSampleFeeds(dataDir: string): SampleFeed[] {
  const doc = YAML.parse(readFileSync(join(dataDir, 'demo', 'sample-feeds.yaml'), 'utf8')) as { feeds: unknown };
  return z.array(sampleFeed).parse(doc.feeds);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderRss(feed: SampleFeed, base: string, start: number, released: boolean): string {
  const items = feed.items
    .filter((i) => released || !i.later)
    .map((i) => {
      const url = `${base}${i.link}`;
      return `<item><title>${esc(i.title)}</title><link>${esc(url)}</link><guid isPermaLink="true">${esc(url)}</guid><pubDate>${new Date(start - i.ageHours * 3_600_000).toUTCString()}</pubDate><description>${esc(i.text)}</description></item>`;
    });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(feed.outlet)} (steppewatch demo sample)</title>` +
    `<link>${esc(base)}</link><description>Sample articles written for the steppewatch demo</description><language>${feed.language}</language>` +
    `${items.join('')}</channel></rss>\n`
  );
}

export interface SampleFeedServer {
  url: string;
  server: Server;
  /** The feed URL of a sample feed. */
  feedUrl(id: string): string;
  /** Makes the `later` items appear. */
  release(): void;
  /** Requests served, per feed id, by status. */
  hits: Map<string, { ok: number; notModified: number }>;
  close(): Promise<void>;
}

export async function startSampleFeedServer(feeds: SampleFeed[], start: number): Promise<SampleFeedServer> {
  let released = false;
  const hits = new Map<string, { ok: number; notModified: number }>();
  const server = createServer((req, res) => {
    const m = /^\/feeds\/([\w-]+)\.xml$/.exec(req.url ?? '');
    const feed = m ? feeds.find((f) => f.id === m[1]) : undefined;
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = renderRss(feed, base, start, released);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const h = hits.get(feed.id) ?? { ok: 0, notModified: 0 };
    hits.set(feed.id, h);
    if (req.headers['if-none-match'] === etag) {
      h.notModified += 1;
      res.writeHead(304, { etag }).end();
      return;
    }
    h.ok += 1;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    server,
    feedUrl: (id) => `${base}/feeds/${id}.xml`,
    release: () => {
      released = true;
    },
    hits,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The feeds file (contract format) for the sample feeds at `server`. */
export function sampleFeedsFile(feeds: SampleFeed[], server: Pick<SampleFeedServer, 'feedUrl'>): string {
  return YAML.stringify(
    feeds.map((f) => ({
      id: f.id,
      url: server.feedUrl(f.id),
      outlet: f.outlet,
      language: f.language,
      ...(f.country ? { country: f.country } : {}),
      affiliation: f.affiliation,
      verified: 'steppewatch demo sample served on loopback',
    })),
  );
}
