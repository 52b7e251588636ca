// The feed farm's HTTP server: N RSS feeds on loopback, each answering conditional requests
// (ETag / If-None-Match, Last-Modified / If-Modified-Since → 304), and new items published
// during the run. Documents are rendered ahead of time so that serving costs the farm little
// CPU: the pipeline it feeds shares the machine.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { farmFeed, initialItems, renderItem, renderRss, type FarmSpec, type ItemMeta } from './content.js';

export interface FarmStats {
  ok: number;
  notModified: number;
  notFound: number;
  bytes: number;
}

export interface FarmServer {
  url: string;
  feedUrl(feed: number): string;
  /** Adds items to the feeds they name (their `feed`); each changed feed gets a new ETag and Last-Modified. */
  publish(items: ItemMeta[]): void;
  stats(reset?: boolean): FarmStats;
  /** Bytes of the rendered documents held. */
  heldBytes(): number;
  close(): Promise<void>;
}

interface FeedState {
  items: ItemMeta[];
  version: number;
  lastModifiedMs: number;
  body: Buffer;
  etag: string;
}

/** Whether a request's validators match the current document (RFC 9110: If-None-Match wins). */
export function notModified(headers: IncomingMessage['headers'], etag: string, lastModifiedMs: number): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined) {
    const t = Date.parse(ims);
    // HTTP dates have whole seconds.
    return !Number.isNaN(t) && Math.floor(lastModifiedMs / 1000) * 1000 <= t;
  }
  return false;
}

export async function startFarmServer(spec: FarmSpec, o: { host?: string; port?: number } = {}): Promise<FarmServer> {
  const host = o.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  const stats: FarmStats = { ok: 0, notModified: 0, notFound: 0, bytes: 0 };

  const render = (feed: number, st: Pick<FeedState, 'items' | 'version' | 'lastModifiedMs'>): FeedState => {
    const newestFirst = st.items.slice(-spec.items).reverse();
    const xml = renderRss(farmFeed(feed), newestFirst.map((m) => renderItem(spec, m, base)), base, st.lastModifiedMs);
    return { ...st, items: st.items.slice(-spec.items), body: Buffer.from(xml, 'utf8'), etag: `"f${feed}-v${st.version}"` };
  };

  const feeds: FeedState[] = [];
  // Documents change at the farm's start; the start is on a whole second (HTTP dates).
  const startLm = Math.floor(spec.start / 1000) * 1000;
  for (let i = 0; i < spec.feeds; i++) feeds.push(render(i, { items: initialItems(spec, i), version: 1, lastModifiedMs: startLm }));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/feeds\/farm-(\d+)\.xml$/.exec(req.url ?? '');
    const st = m ? feeds[Number(m[1])] : undefined;
    if (!st || (req.method !== 'GET' && req.method !== 'HEAD')) {
      stats.notFound += 1;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const lastModified = new Date(st.lastModifiedMs).toUTCString();
    if (notModified(req.headers, st.etag, st.lastModifiedMs)) {
      stats.notModified += 1;
      res.writeHead(304, { etag: st.etag, 'last-modified': lastModified, 'cache-control': 'max-age=0' }).end();
      return;
    }
    stats.ok += 1;
    stats.bytes += st.body.length;
    res.writeHead(200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-length': st.body.length,
      etag: st.etag,
      'last-modified': lastModified,
      'cache-control': 'max-age=0',
    });
    res.end(req.method === 'HEAD' ? undefined : st.body);
  });

  return {
    url: base,
    feedUrl: (i) => `${base}/feeds/farm-${String(i).padStart(4, '0')}.xml`,
    publish(items) {
      const byFeed = new Map<number, ItemMeta[]>();
      for (const it of items) byFeed.set(it.feed, [...(byFeed.get(it.feed) ?? []), it]);
      for (const [feed, add] of byFeed) {
        const st = feeds[feed];
        if (!st) throw new Error(`farm: no feed ${feed}`);
        // Last-Modified must move by at least a second for If-Modified-Since clients.
        const lm = Math.max(Math.floor(Date.now() / 1000) * 1000, st.lastModifiedMs + 1000);
        feeds[feed] = render(feed, { items: [...st.items, ...add], version: st.version + 1, lastModifiedMs: lm });
      }
    },
    stats(reset = false) {
      const s = { ...stats };
      if (reset) Object.assign(stats, { ok: 0, notModified: 0, notFound: 0, bytes: 0 });
      return s;
    },
    heldBytes: () => feeds.reduce((n, f) => n + f.body.length, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
