// A loopback feed server for tests: serves whatever RSS the test sets, counts requests,
// supports ETag, and can answer with an error status (and Retry-After).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RssItem {
  title: string;
  text: string;
  link: string;
  /** Date or null for an undated item. */
  date: Date | null;
  /** <source> of an aggregator item. */
  source?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(title: string, items: RssItem[]): string {
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><guid>${esc(i.link)}</guid>${i.date ? `<pubDate>${i.date.toUTCString()}</pubDate>` : ''}${i.source ? `<source url="https://example.org/">${esc(i.source)}</source>` : ''}<description>${esc(i.text)}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link>${body}</channel></rss>`;
}

export interface TestFeedServer {
  url(path?: string): string;
  server: Server;
  /** Sets the document served at `path`, or an error status. */
  set(path: string, doc: string | { status: number; retryAfter?: string }): void;
  requests: Map<string, number>;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<TestFeedServer> {
  const docs = new Map<string, string | { status: number; retryAfter?: string }>();
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const doc = docs.get(path);
    if (doc === undefined) return void res.writeHead(404).end('not found');
    if (typeof doc !== 'string') {
      return void res.writeHead(doc.status, doc.retryAfter ? { 'retry-after': doc.retryAfter } : {}).end('error');
    }
    const etag = `"${createHash('sha1').update(doc).digest('hex').slice(0, 12)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(doc);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path = '/') => `${base}${path}`,
    server,
    set: (path, doc) => docs.set(path, doc),
    requests,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The seed story retold in the project's own words (the demo's sample texts). */
export const SEED_RETOLD = {
  globalTimes: {
    title: 'China opposes external forces stirring a "color revolution" in Kazakhstan, defense minister tells Tokayev',
    text:
      'China firmly opposes external forces deliberately instigating a "color revolution" in Kazakhstan, and calls for vigilance about certain major powers interfering in Central Asia, ' +
      'said Chinese State Councilor and Minister of National Defense Wei Fenghe during his visit to Nur-Sultan, where he met Kazakh President Kassym-Jomart Tokayev on Monday. ' +
      'Wei said the visit showed that China firmly supports Kazakhstan in taking strong measures to safeguard national security and social stability.',
  },
  rt: {
    title: 'China warns of color revolution in Kazakhstan',
    text:
      'Beijing has said it opposes foreign intervention in Kazakhstan. China\'s defense minister Wei Fenghe warned against "color revolutions" being instigated under the guise of protests, ' +
      'after meeting Kazakh President Kassym-Jomart Tokayev in Nur-Sultan. The Kazakh leader claimed that thousands of "foreign-trained terrorists and bandits" were behind the unrest. ' +
      'However, he did not provide any evidence to support this claim.',
  },
};
