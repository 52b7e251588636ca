// The fetcher's answers without a body to keep (304, error statuses), read through its own
// dispatch handler (src/adapters/http-feed/fetcher.ts SendHandler): an error's body is read and
// dropped up to a limit, and the fetch settles once the answer is complete or cut off. Real HTTP
// servers on loopback (servers.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFeedFetcher, type HttpFeedFetcherOptions } from '../../../src/adapters/http-feed/fetcher.js';
import type { FetchOutcome } from '../../../src/ports/feed-fetcher.js';
import { item, rss, sleep, startServer, waitFor, type TestServer } from './servers.js';

const now = new Date('2024-05-01T00:00:00Z');
const fetchers: { close(): Promise<void> }[] = [];
const servers: TestServer[] = [];
function fetcher(opts: HttpFeedFetcherOptions = {}) {
  const f = createHttpFeedFetcher({ allowPrivateAddresses: true, ...opts });
  fetchers.push(f);
  return f;
}
async function server(...args: Parameters<typeof startServer>) {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
const get = (f: ReturnType<typeof fetcher>, url: string, extra: { etag?: string } = {}) => f.fetch({ url, outletId: 'test', now, ...extra });
const titles = (o: FetchOutcome) => (o.kind === 'ok' ? o.items.map((i) => i.title) : o);

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('answers without a body to keep', () => {
  it('reports an error status whose body is over the drop limit as that status, closes its socket and fetches on', async () => {
    let n = 0;
    const s = await server((_req, res) => {
      if (n++ > 0) {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(rss(item(1)));
        return;
      }
      res.writeHead(500, { 'retry-after': '60' });
      // 1 MB, past the 128 KB the fetcher reads of an error's body before it closes the connection.
      res.end(Buffer.alloc(1024 * 1024, 0x20));
    });
    const f = fetcher();
    expect(await get(f, `${s.origin}/a`)).toMatchObject({ kind: 'error', code: 'http_status', status: 500, notBefore: null });
    expect(await waitFor(() => s.closedSockets >= 1)).toBe(true);
    expect(titles(await get(f, `${s.origin}/b`))).toHaveLength(1);
  });

  it('reports an error status whose body never ends as that status when the total timeout stops it', async () => {
    const s = await server(async (_req, res) => {
      res.writeHead(502);
      while (!res.destroyed) {
        res.write('x');
        await sleep(20);
      }
    });
    const o = await get(fetcher({ totalTimeoutMs: 300 }), `${s.origin}/`);
    expect(o).toMatchObject({ kind: 'error', code: 'http_status', status: 502 });
    expect(await waitFor(() => s.closedSockets >= 1)).toBe(true);
  });

  it('reads a 304 as not-modified with its max-age, and its connection serves the next request', async () => {
    const s = await server((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=60' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' });
      res.end(rss(item(1)));
    });
    const f = fetcher();
    const before = Date.now();
    const o = await get(f, `${s.origin}/`, { etag: '"v1"' });
    expect(o).toMatchObject({ kind: 'not-modified', validators: { etag: '"v1"' } });
    if (o.kind === 'not-modified') expect(o.notBefore).toBeGreaterThanOrEqual(before + 60_000);
    expect(titles(await get(f, `${s.origin}/`))).toHaveLength(1);
    expect(s.closedSockets).toBe(0);
    expect(s.requests).toHaveLength(2);
  });
});
