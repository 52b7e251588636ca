// `feeds check` against loopback servers: the JSON-lines contract, human output, exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFeedFetcher } from '../../../src/adapters/http-feed/fetcher.js';
import { runFeedsCheck, type FeedsCheckLine } from '../../../src/cli/feeds-check-cli.js';
import { item, rss, startServer, type TestServer } from './servers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer((req, res) => {
    switch (req.url) {
      case '/feed':
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(rss(item(1) + item(2) + item(3) + item(4) + '<item><title>Undated &amp; unlinked</title></item>', 'Steppe &amp; News'));
        return;
      case '/site':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head><body></body></html>');
        return;
      case '/plain':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>No feed here</body></html>');
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
});
afterAll(async () => {
  await s.close();
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (x: string) => out.push(x) }, stderr: { write: (x: string) => err.push(x) } }, out, err };
}

describe('feeds check', () => {
  const now = new Date('2024-05-01T00:00:00Z');

  it('prints one JSON line per URL, in order, and exits 1 when any failed', async () => {
    const { io: streams, out } = io();
    const urls = [`${s.origin}/feed`, `${s.origin}/missing`, `${s.origin}/site`, `${s.origin}/plain`, 'ftp://example.com/feed'];
    const code = await runFeedsCheck(urls, { json: true, allowPrivate: true, now }, streams);
    expect(code).toBe(1);
    const lines = out.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as FeedsCheckLine);
    expect(lines.map((l) => l.url)).toEqual(urls);
    expect(lines[0]).toEqual({
      url: `${s.origin}/feed`,
      ok: true,
      title: 'Steppe & News',
      items: 5,
      sample: [
        { title: 'Item 1 about Kazakhstan and its neighbours', link: 'https://news.example/1', published: '2022-04-26T01:00:00.000Z' },
        { title: 'Item 2 about Kazakhstan and its neighbours', link: 'https://news.example/2', published: '2022-04-26T02:00:00.000Z' },
        { title: 'Item 3 about Kazakhstan and its neighbours', link: 'https://news.example/3', published: '2022-04-26T03:00:00.000Z' },
      ],
    });
    expect(lines[1]).toMatchObject({ ok: false, items: 0, sample: [], error: expect.stringMatching(/^http_404: HTTP 404/) });
    expect(lines[2]).toMatchObject({ ok: true, feedUrl: `${s.origin}/feed`, items: 5 });
    expect(lines[3]).toMatchObject({ ok: false, error: expect.stringMatching(/^not_a_feed: /) });
    expect(lines[4]).toMatchObject({ ok: false, error: expect.stringMatching(/^bad_url: /) });
    for (const l of lines) expect(Object.keys(l).every((k) => ['url', 'ok', 'feedUrl', 'error', 'title', 'items', 'sample'].includes(k))).toBe(true);
  });

  it('exits 0 when every URL worked, and refuses private addresses unless allowed', async () => {
    const ok = io();
    expect(await runFeedsCheck([`${s.origin}/feed`], { json: true, allowPrivate: true, now }, ok.io)).toBe(0);
    const blocked = io();
    const before = s.connections;
    expect(await runFeedsCheck([`${s.origin}/feed`], { json: true, allowPrivate: false, now }, blocked.io)).toBe(1);
    expect(JSON.parse(blocked.out.join(''))).toMatchObject({ ok: false, error: expect.stringMatching(/^blocked_address: /) });
    expect(JSON.parse(blocked.out.join('')).error).toContain('set ALLOW_PRIVATE_FEED_ADDRESSES=true to allow them');
    expect(blocked.out.join('').trimEnd().split('\n')).toHaveLength(1); // --json: one line per URL, nothing else
    expect(s.connections).toBe(before);
    const text = io();
    expect(await runFeedsCheck([`${s.origin}/feed`], { json: false, allowPrivate: false, now, countriesOf: () => [] }, text.io)).toBe(1);
    expect(text.out.join('')).toContain('ALLOW_PRIVATE_FEED_ADDRESSES=true');
  });

  it('prints a readable preview, with countries when an analyser is given', async () => {
    const { io: streams, out } = io();
    const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true });
    try {
      const code = await runFeedsCheck([`${s.origin}/feed`, `${s.origin}/missing`], { json: false, allowPrivate: true, now, fetcher, countriesOf: ({ title }) => (/Kazakhstan/.test(title) ? ['KZ'] : []) }, streams);
      expect(code).toBe(1);
    } finally {
      await fetcher.close();
    }
    const text = out.join('');
    expect(text).toContain(`✓ ${s.origin}/feed — Steppe & News (5 items)`);
    expect(text).toContain('2022-04-26 01:00  Item 1 about Kazakhstan and its neighbours [KZ]');
    expect(text).toContain('no date           Undated & unlinked [—]');
    expect(text).toContain(`✗ ${s.origin}/missing`);
    expect(text).toMatch(/http_404: HTTP 404/);
    const tail = text.trimEnd().split('\n').slice(-2);
    expect(tail[0]).toMatch(/^✓ read · ✗ failed · .*"no date".*\[KZ,UZ\] the countries an item concerns/);
    expect(tail[1]).toBe('1 of 2 feeds readable');
  });

  it('shows the countries the analysis core finds by default', async () => {
    const { io: streams, out } = io();
    expect(await runFeedsCheck([`${s.origin}/feed`], { json: false, allowPrivate: true, now }, streams)).toBe(0);
    expect(out.join('')).toContain('Item 1 about Kazakhstan and its neighbours [KZ]');
  });

  it('needs at least one URL', async () => {
    const { io: streams, err } = io();
    expect(await runFeedsCheck([], { json: true, allowPrivate: false }, streams)).toBe(64);
    expect(err.join('')).toMatch(/usage/);
  });
});
