// The undici fetcher against real HTTP servers on loopback. No traffic leaves the machine:
// every hostname that is not an IP literal is resolved by a `lookup` override.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFeedFetcher, discoverAndFetch, DEFAULT_USER_AGENT, type HttpFeedFetcherOptions } from '../../../src/adapters/http-feed/fetcher.js';
import { classifyAddress } from '../../../src/core/feed/policy/ssrf.js';
import type { FetchOutcome } from '../../../src/ports/feed-fetcher.js';
import { item, rss, sleep, startServer, waitFor, type TestServer } from './servers.js';

const now = new Date('2024-05-01T00:00:00Z');
const fetchers: { close(): Promise<void> }[] = [];
const servers: TestServer[] = [];

function fetcher(opts: HttpFeedFetcherOptions = {}) {
  const f = createHttpFeedFetcher({
    allowPrivateAddresses: true,
    // no real DNS in tests: unknown names fail like NXDOMAIN
    lookup: async (host) => {
      const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
      e.code = 'ENOTFOUND';
      throw e;
    },
    ...opts,
  });
  fetchers.push(f);
  return f;
}
async function server(...args: Parameters<typeof startServer>) {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
const get = (f: ReturnType<typeof fetcher>, url: string, extra: Partial<Parameters<ReturnType<typeof fetcher>['fetch']>[0]> = {}) =>
  f.fetch({ url, outletId: 'test', now, ...extra });
const titles = (o: FetchOutcome) => (o.kind === 'ok' ? o.items.map((i) => i.title) : o);

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('a normal fetch', () => {
  it('returns normalised items, validators and max-age, and identifies itself', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 26 Apr 2022 08:00:00 GMT', 'cache-control': 'public, max-age=600' });
      res.end(rss(item(1) + item(2)));
    });
    const before = Date.now();
    const o = await get(fetcher(), `${s.origin}/feed`);
    expect(o).toMatchObject({ kind: 'ok', finalUrl: `${s.origin}/feed`, title: 'Test feed', validators: { etag: '"v1"', lastModified: 'Tue, 26 Apr 2022 08:00:00 GMT' } });
    expect(titles(o)).toEqual(['Item 1 about Kazakhstan and its neighbours', 'Item 2 about Kazakhstan and its neighbours']);
    if (o.kind === 'ok') {
      expect(o.notBefore).toBeGreaterThanOrEqual(before + 600_000);
      expect(o.notBefore).toBeLessThanOrEqual(Date.now() + 600_000);
      expect(o.items[0]!.key).toMatch(/^g:[0-9a-f]{40}$/);
    }
    const req = s.requests[0]!;
    expect(req.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(req.headers['user-agent']).toMatch(/^steppewatch\/\S+ \(\+https?:\/\/\S+; feed reader\)$/);
    expect(req.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(req.headers.accept).toContain('application/rss+xml');
  });

  it('sends the validators back and reads 304 as not-modified', async () => {
    const s = await server((req, res) => {
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Tue, 26 Apr 2022 08:00:00 GMT') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=60' });
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 26 Apr 2022 08:00:00 GMT' });
      res.end(rss(item(1)));
    });
    const f = fetcher();
    const first = await get(f, `${s.origin}/feed`);
    expect(first.kind).toBe('ok');
    const validators = first.kind === 'ok' ? first.validators : {};
    const second = await get(f, `${s.origin}/feed`, validators);
    expect(second).toMatchObject({ kind: 'not-modified', validators: { etag: '"v1"', lastModified: 'Tue, 26 Apr 2022 08:00:00 GMT' } });
    expect(second.kind === 'not-modified' && second.notBefore).toBeGreaterThan(Date.now());
    expect(s.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(s.requests[1]!.headers['if-modified-since']).toBe('Tue, 26 Apr 2022 08:00:00 GMT');
  });

  it('reads a JSON Feed', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/feed+json' });
      res.end(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JF', items: [{ id: 'a1b2', url: '/posts/1', title: 'A JSON item', date_published: '2022-04-26T08:00:00Z' }], feed_url: 'https://jf.example/feed.json' }));
    });
    const o = await get(fetcher(), `${s.origin}/feed.json`);
    expect(o).toMatchObject({ kind: 'ok', title: 'JF', items: [{ title: 'A JSON item', url: 'https://jf.example/posts/1', published: '2022-04-26T08:00:00.000Z' }] });
  });
});

describe('limits', () => {
  it('times out a server that never answers and closes the socket', async () => {
    const s = await server(() => undefined);
    const started = Date.now();
    const o = await get(fetcher({ totalTimeoutMs: 300 }), `${s.origin}/slow`);
    expect(o).toMatchObject({ kind: 'error', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    // (undici may open, and at once close, one more idle connection after an abort: it sends nothing)
    expect(await waitFor(() => s.closedSockets >= 1)).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('times out a body that trickles in', async () => {
    const s = await server(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel>');
      for (let i = 0; i < 50 && !res.destroyed; i++) {
        await sleep(50);
        res.write(' ');
      }
      res.end('</channel></rss>');
    });
    const o = await get(fetcher({ totalTimeoutMs: 400 }), `${s.origin}/trickle`);
    expect(o).toMatchObject({ kind: 'error', code: 'timeout' });
    expect(await waitFor(() => s.closedSockets >= 1)).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('times out a connection that cannot be made (a DNS lookup that hangs)', async () => {
    const started = Date.now();
    const o = await get(fetcher({ connectTimeoutMs: 200, lookup: () => new Promise(() => undefined) }), 'http://hangs.test/feed');
    expect(o).toMatchObject({ kind: 'error', code: 'timeout', message: expect.stringContaining('connect') });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caps an endless body and closes the socket', async () => {
    const s = await server(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel>');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      while (!res.destroyed) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
    });
    const o = await get(fetcher({ maxBytes: 1024 * 1024 }), `${s.origin}/endless`);
    expect(o).toMatchObject({ kind: 'error', code: 'too_large' });
    expect(await waitFor(() => s.closedSockets >= 1)).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('<rss>');
    });
    const o = await get(fetcher({ maxBytes: 1024 * 1024 }), `${s.origin}/big`);
    expect(o).toMatchObject({ kind: 'error', code: 'too_large', message: expect.stringContaining('Content-Length') });
  });

  it.each([
    ['gzip', (b: Buffer) => gzipSync(b)],
    ['deflate', (b: Buffer) => deflateSync(b)],
    ['deflate', (b: Buffer) => deflateRawSync(b)],
    ['br', (b: Buffer) => brotliCompressSync(b)],
    ['gzip, br', (b: Buffer) => brotliCompressSync(gzipSync(b))],
  ])('decompresses Content-Encoding: %s', async (encoding, compress) => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': encoding });
      res.end(compress(Buffer.from(rss(item(1) + item(2) + item(3)))));
    });
    expect(titles(await get(fetcher(), `${s.origin}/z`))).toHaveLength(3);
  });

  it('stops a gzip bomb at the decompressed cap', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>'), Buffer.alloc(64 * 1024 * 1024, 0x41)]));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const started = Date.now();
    const o = await get(fetcher({ maxBytes: 2 * 1024 * 1024 }), `${s.origin}/bomb`);
    expect(o).toMatchObject({ kind: 'error', code: 'too_large', message: expect.stringContaining('decompressed') });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a corrupt compressed body as a parse error', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    expect(await get(fetcher(), `${s.origin}/bad`)).toMatchObject({ kind: 'error', code: 'parse_error' });
  });
});

describe('redirects', () => {
  const chain = (last: number) =>
    server((req, res) => {
      const n = Number(/\/r(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
      if (n >= 0 && n < last) {
        res.writeHead(n % 2 ? 301 : 302, { location: `/r${n + 1}` });
        res.end();
      } else if (req.url === '/loop') {
        res.writeHead(307, { location: '/loop' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(rss(item(1)));
      }
    });

  it('follows five redirects', async () => {
    const s = await chain(5);
    const o = await get(fetcher(), `${s.origin}/r0`);
    expect(o).toMatchObject({ kind: 'ok', finalUrl: `${s.origin}/r5` });
    expect(s.requests).toHaveLength(6);
  });

  it('refuses a sixth', async () => {
    const s = await chain(6);
    expect(await get(fetcher(), `${s.origin}/r0`)).toMatchObject({ kind: 'error', code: 'too_many_redirects' });
    expect(s.requests).toHaveLength(6);
  });

  it('stops a loop', async () => {
    const s = await chain(0);
    expect(await get(fetcher(), `${s.origin}/loop`)).toMatchObject({ kind: 'error', code: 'too_many_redirects' });
  });

  it('calls a redirect without Location an HTTP error, and a redirect to ftp a bad URL', async () => {
    const s = await server((req, res) => {
      if (req.url === '/ftp') res.writeHead(302, { location: 'ftp://files.example/feed.xml' });
      else res.writeHead(302);
      res.end();
    });
    expect(await get(fetcher(), `${s.origin}/none`)).toMatchObject({ kind: 'error', code: 'http_status', status: 302 });
    expect(await get(fetcher(), `${s.origin}/ftp`)).toMatchObject({ kind: 'error', code: 'bad_url' });
  });
});

describe('HTTP errors', () => {
  it('reads Retry-After of a 429 in seconds', async () => {
    const s = await server((_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end('slow down');
    });
    const before = Date.now();
    const o = await get(fetcher(), `${s.origin}/`);
    expect(o).toMatchObject({ kind: 'error', code: 'http_status', status: 429 });
    if (o.kind === 'error') {
      expect(o.notBefore).toBeGreaterThanOrEqual(before + 120_000);
      expect(o.notBefore).toBeLessThanOrEqual(Date.now() + 120_000);
    }
  });

  it('reads Retry-After of a 503 as an HTTP date', async () => {
    const when = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
    const s = await server((_req, res) => {
      res.writeHead(503, { 'retry-after': when.toUTCString() });
      res.end();
    });
    expect(await get(fetcher(), `${s.origin}/`)).toMatchObject({ kind: 'error', code: 'http_status', status: 503, notBefore: when.getTime() });
  });

  it('has no notBefore for other statuses', async () => {
    const s = await server((_req, res) => {
      res.writeHead(404, { 'retry-after': '120' });
      res.end();
    });
    expect(await get(fetcher(), `${s.origin}/`)).toMatchObject({ kind: 'error', code: 'http_status', status: 404, notBefore: null });
  });

  it('names refused connections, failed lookups, bad URLs and bad certificates', async () => {
    const s = await server(() => undefined);
    const port = s.port;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    expect(await get(fetcher(), `http://127.0.0.1:${port}/`)).toMatchObject({ kind: 'error', code: 'connection_refused' });
    expect(await get(fetcher(), 'http://no-such-host.test/feed')).toMatchObject({ kind: 'error', code: 'dns' });
    expect(await get(fetcher(), 'not a url')).toMatchObject({ kind: 'error', code: 'bad_url' });
    expect(await get(fetcher(), 'ftp://127.0.0.1/feed')).toMatchObject({ kind: 'error', code: 'bad_url' });
    const tls = {
      key: readFileSync(new URL('../../fixtures/feeds/tls/key.pem', import.meta.url), 'utf8'),
      cert: readFileSync(new URL('../../fixtures/feeds/tls/cert.pem', import.meta.url), 'utf8'),
    };
    const t = await server((_req, res) => res.end(rss(item(1))), { tls });
    expect(await get(fetcher(), `${t.origin}/feed`)).toMatchObject({ kind: 'error', code: 'tls' });
  });
});

describe('SSRF guard (private addresses not allowed)', () => {
  let target: TestServer;
  beforeAll(async () => {
    target = await startServer((_req, res) => res.end(rss(item(1))));
  });
  afterAll(async () => {
    await target.close();
  });

  const notations = (port: number) => [
    `http://127.0.0.1:${port}/feed`,
    `http://127.1:${port}/feed`,
    `http://0x7f000001:${port}/feed`,
    `http://2130706433:${port}/feed`,
    `http://0177.0.0.1:${port}/feed`,
    `http://127.000.000.001:${port}/feed`,
    `http://0x7f.0.0.1:${port}/feed`,
    `http://[::ffff:127.0.0.1]:${port}/feed`,
    `http://[::ffff:7f00:1]:${port}/feed`,
    `http://[::1]:${port}/feed`,
    `http://localhost:${port}/feed`,
    `http://0.0.0.0:${port}/feed`,
  ];

  it('refuses every notation of a loopback address without a single connection', async () => {
    const f = fetcher({ allowPrivateAddresses: false });
    for (const url of notations(target.port)) {
      expect(await get(f, url), url).toMatchObject({ kind: 'error', code: 'blocked_address' });
    }
    expect(target.connections).toBe(0);
  });

  it('refuses a public-looking name that resolves to a private address, after DNS', async () => {
    const resolved: string[] = [];
    const f = fetcher({
      allowPrivateAddresses: false,
      lookup: async (host) => {
        resolved.push(host);
        return host === 'mixed.test'
          ? [{ address: '10.1.2.3', family: 4 }, { address: '127.0.0.1', family: 4 }]
          : [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(await get(f, `http://feeds.public.test:${target.port}/feed`)).toMatchObject({ kind: 'error', code: 'blocked_address', message: expect.stringContaining('127.0.0.1') });
    expect(await get(f, `http://mixed.test:${target.port}/feed`)).toMatchObject({ kind: 'error', code: 'blocked_address' });
    expect(resolved).toEqual(['feeds.public.test', 'mixed.test']);
    expect(target.connections).toBe(0);
  });

  // A second loopback address stands in for a public server: the policy calls 127.0.0.2 public.
  const policy = (ip: string) => (ip === '127.0.0.2' ? { allowed: true } : classifyAddress(ip));

  it('connects only to the allowed address of a name that has both', async () => {
    const pub = await server((_req, res) => res.end(rss(item(1))), { host: '127.0.0.2' });
    // both servers on one port number is not guaranteed: use the public server's port for both names
    const f = fetcher({
      allowPrivateAddresses: false,
      addressPolicy: policy,
      lookup: async () => [{ address: '127.0.0.1', family: 4 }, { address: '127.0.0.2', family: 4 }],
    });
    expect(await get(f, `http://both.test:${pub.port}/feed`)).toMatchObject({ kind: 'ok' });
    expect(pub.connections).toBe(1);
    expect(target.connections).toBe(0);
  });

  it('refuses a redirect to a private address, in every form, and the target sees nothing', async () => {
    const lookup = async (host: string) => [{ address: host === 'internal.test' ? '127.0.0.1' : '127.0.0.2', family: 4 as const }];
    const hops = [
      `http://127.0.0.1:${target.port}/feed`,
      `http://[::ffff:127.0.0.1]:${target.port}/feed`,
      `http://2130706433:${target.port}/feed`,
      `http://internal.test:${target.port}/feed`,
      `http://localhost:${target.port}/feed`,
      `http://169.254.169.254/latest/meta-data/`,
    ];
    const pub = await server((req, res) => {
      const n = Number(/\/go\/(\d+)/.exec(req.url ?? '')?.[1]);
      res.writeHead(302, { location: hops[n]! });
      res.end();
    }, { host: '127.0.0.2' });
    const f = fetcher({ allowPrivateAddresses: false, addressPolicy: policy, lookup });
    for (let n = 0; n < hops.length; n++) {
      const o = await get(f, `http://public.test:${pub.port}/go/${n}`);
      expect(o, hops[n]).toMatchObject({ kind: 'error', code: 'blocked_address', message: expect.stringContaining('redirect') });
    }
    expect(pub.requests).toHaveLength(hops.length);
    expect(target.connections).toBe(0);
  });

  it('refuses a feed discovered on a page when it points to a private address', async () => {
    const pub = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><head><link rel="alternate" type="application/rss+xml" href="http://127.0.0.1:${target.port}/feed"></head></html>`);
    }, { host: '127.0.0.2' });
    const f = fetcher({ allowPrivateAddresses: false, addressPolicy: policy, lookup: async () => [{ address: '127.0.0.2', family: 4 }] });
    const r = await discoverAndFetch(f, { url: `http://site.test:${pub.port}/`, outletId: 'x', now });
    expect(r.outcome).toMatchObject({ kind: 'error', code: 'blocked_address' });
    expect(target.connections).toBe(0);
  });
});

describe('charsets over HTTP', () => {
  const RU = 'Токаев провёл встречу с министром обороны Китая';
  const cases: [string, string, string | null, string, string][] = [
    // name, declared encoding (or ''), Content-Type charset (or null), bytes' encoding, text
    ['windows-1251 from the header', '', 'windows-1251', 'windows-1251', RU],
    ['KOI8-R from the declaration', 'KOI8-R', null, 'koi8-r', RU],
    ['GB2312 header read as GBK', '', 'gb2312', 'gbk', '中国国防部长会见哈萨克斯坦总统托卡耶夫'],
    ['Big5', 'big5', null, 'big5', '中國國防部長會見哈薩克總統'],
    ['Shift_JIS', 'Shift_JIS', 'shift_jis', 'shift_jis', '中国の国防相がカザフスタン大統領と会談'],
    ['header over a conflicting declaration', 'koi8-r', 'windows-1251', 'windows-1251', RU],
    ['declaration over a utf-8 header the bytes contradict', 'windows-1251', 'utf-8', 'windows-1251', RU],
    ['UTF-8 under a server-default ISO-8859-1 header', 'utf-8', 'iso-8859-1', 'utf-8', RU],
    ['UTF-16LE without BOM', 'utf-16', null, 'utf-16le', RU],
    ['UTF-16BE without BOM', 'utf-16', 'utf-16', 'utf-16be', RU],
    ['UTF-32LE without BOM', 'utf-32', null, 'utf-32le', RU],
  ];

  it.each(cases)('%s', async (_name, declared, header, encoding, text) => {
    const doc = `<?xml version="1.0"${declared ? ` encoding="${declared}"` : ''}?>\n<rss version="2.0"><channel><title>${text}</title><item><title>${text}</title></item></channel></rss>`;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': `application/rss+xml${header ? `; charset=${header}` : ''}` });
      res.end(iconv.encode(doc, encoding));
    });
    const o = await get(fetcher(), `${s.origin}/feed`);
    expect(o).toMatchObject({ kind: 'ok', title: text });
    expect(titles(o)).toEqual([text]);
  });

  it.each([
    ['UTF-16LE with BOM', 'utf-16le', [0xff, 0xfe]],
    ['UTF-16BE with BOM', 'utf-16be', [0xfe, 0xff]],
    ['UTF-32BE with BOM', 'utf-32be', [0, 0, 0xfe, 0xff]],
  ])('%s, whatever the header says', async (_name, encoding, bom) => {
    const doc = `<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>${RU}</title></channel></rss>`;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=windows-1251' });
      res.end(Buffer.concat([Buffer.from(bom), iconv.encode(doc, encoding)]));
    });
    expect(await get(fetcher(), `${s.origin}/feed`)).toMatchObject({ kind: 'ok', title: RU });
  });
});

describe('HTML pages', () => {
  it('are not_a_feed, with the feeds they link; discoverAndFetch follows the first', async () => {
    const s = await server((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><head><title>Site</title><link rel="alternate" type="application/rss+xml" title="News" href="/rss/news.xml"><link rel="alternate" type="application/atom+xml" href="https://elsewhere.test/atom"></head><body>Hello</body></html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(rss(item(1)));
      }
    });
    const f = fetcher();
    const o = await get(f, `${s.origin}/`);
    expect(o).toMatchObject({ kind: 'error', code: 'not_a_feed', discovered: [`${s.origin}/rss/news.xml`, 'https://elsewhere.test/atom'] });
    const d = await discoverAndFetch(f, { url: `${s.origin}/`, outletId: 'x', now });
    expect(d).toMatchObject({ feedUrl: `${s.origin}/rss/news.xml`, outcome: { kind: 'ok' } });
  });
});

describe('politeness', () => {
  const slowServer = () =>
    server(async (_req, res) => {
      await sleep(120);
      res.end(rss(item(1)));
    });

  it('keeps at most perHostConcurrency requests in flight per host', async () => {
    const s = await slowServer();
    const f = fetcher({ perHostConcurrency: 2 });
    const all = await Promise.all(Array.from({ length: 7 }, (_, i) => get(f, `${s.origin}/feed?${i}`)));
    expect(all.every((o) => o.kind === 'ok')).toBe(true);
    expect(s.maxInFlight).toBe(2);
    expect(s.maxOpenSockets).toBeLessThanOrEqual(2);
  });

  it('allows more when configured', async () => {
    const s = await slowServer();
    const f = fetcher({ perHostConcurrency: 5 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => get(f, `${s.origin}/feed?${i}`)));
    expect(s.maxInFlight).toBeGreaterThan(2);
    expect(s.maxInFlight).toBeLessThanOrEqual(5);
  });
});
