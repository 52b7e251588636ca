// The web view in a real browser (headless Chromium from Debian's `chromium` package, driven by
// puppeteer-core; nothing is downloaded): `steppewatch start` with a fake Slack, WEB_AUTH=token
// and PUBLIC_URL; the alert's "Open story" button is followed, hostile feed text is looked at
// with the page's own CSP in force, search is used through its form, an expired link is refused,
// axe-core checks the pages, and screenshots are kept under test-artifacts/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { startSteppewatch, until, type Running } from '../helpers/e2e.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../helpers/feed-server.js';
import { signature } from '../../src/adapters/web/access.js';

// Browser globals inside page.evaluate callbacks (the project compiles without the DOM lib).
declare const document: { activeElement: { textContent: string | null } | null; querySelectorAll(s: string): { length: number }; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare function getComputedStyle(e: unknown): { gridTemplateColumns: string; fontWeight: string; fontSize: string; display: string };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  // Loud on purpose: the suite is not green because of these tests when this shows.
  console.warn(`\n!!! SKIPPING the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it) !!!\n`);
}

const SECRET = 'browser-test-web-secret-0123456789';
const TOKEN = 'xoxb-browser-token';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
// Entity-encoded inside the item's HTML title, so the stored headline holds the tags as TEXT
// (a literal `<script>` the page must escape), not tags the feed reader would strip.
const HOSTILE_TITLE = 'Tokayev visits Almaty &lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt; &lt;img src="http://evil.example/x.png" onerror="alert(2)"&gt; \u202Egpj.exe\u202C water talks';
const HOSTILE_LINK_TITLE = 'Japarov in Bishkek <a href="javascript:alert(3)">click</a> on the Kambarata dam';
// Breaks out of a <style> or an attribute if anything were left unescaped; one word of 300
// letters must wrap on a phone rather than widen the page.
const LONG_WORD = 'Tashkentsupercalifragilistic'.repeat(11);
const STYLE_TITLE = `Mirziyoyev in Tashkent &lt;/style&gt;&lt;style&gt;*{display:none}&lt;/style&gt; "onmouseover="alert(6)" x='y' ${LONG_WORD} ${'very long headline '.repeat(20)}`;

type Button = { type: string; text?: { text: string }; url?: string };

function openStoryUrl(blocks: unknown): string | null {
  const all = JSON.stringify(blocks ?? []);
  const m = /"text":\{"type":"plain_text","text":"Open story"[^}]*\},"action_id":"sw_open_story","url":"([^"]+)"/.exec(all);
  if (m) return m[1]!;
  for (const b of (blocks as { type: string; elements?: Button[] }[]) ?? []) for (const e of b.elements ?? []) if (e.text?.text === 'Open story' && e.url) return e.url;
  return null;
}

describe.skipIf(!HAVE_CHROMIUM)('web view in Chromium', () => {
  let slack: FakeSlack;
  let feeds: TestFeedServer;
  let sw: Running;
  let browser: Browser;
  let base: string;
  let seedUrl: string;
  let hostileUrl: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    slack = await startFakeSlack({ token: TOKEN });
    slack.setChannel('C0WEB', { name: 'alerts', isMember: true });
    feeds = await startFeedServer();
    const now = Date.now();
    feeds.set('/gt.xml', rss('Global Times', [{ ...SEED_RETOLD.globalTimes, link: 'https://www.globaltimes.cn/page/1.shtml', date: new Date(now - 5 * 60_000) }]));
    feeds.set('/rt.xml', rss('RT', [{ ...SEED_RETOLD.rt, link: 'https://www.rt.com/news/1-china-kazakhstan/', date: new Date(now - 60_000) }]));
    feeds.set(
      '/kz.xml',
      rss('Kazinform', [
        { title: HOSTILE_TITLE, text: 'Kazakh President Kassym-Jomart Tokayev met officials in Almaty to discuss water sharing on the Syr Darya. <script>alert(4)</script>', link: 'https://example.org/kz/hostile', date: new Date(now - 3 * 60_000) },
        { title: HOSTILE_LINK_TITLE, text: 'Kyrgyz President Sadyr Japarov discussed the Kambarata-1 hydropower plant in Bishkek with Kyrgyz officials.', link: 'javascript:alert(5)', date: new Date(now - 2 * 60_000) },
        { title: STYLE_TITLE, text: 'Uzbek President Shavkat Mirziyoyev opened a cotton textile plant in Tashkent with Uzbek officials on Monday.', link: 'https://example.org/uz/style', date: new Date(now - 90_000) },
      ]),
    );
    const dir = mkdtempSync(join(tmpdir(), 'sw-web-'));
    const feedsFile = join(dir, 'feeds.yaml');
    writeFileSync(
      feedsFile,
      YAML.stringify([
        { url: feeds.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
        { url: feeds.url('/rt.xml'), outlet: 'RT', language: 'en', affiliation: 'state:RU' },
        { url: feeds.url('/kz.xml'), outlet: 'Kazinform', language: 'en', affiliation: 'state:KZ' },
      ]),
    );
    sw = await startSteppewatch(
      (port) => ({
        FEEDS_FILE: feedsFile,
        ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
        POLL_MIN_INTERVAL_SECONDS: '1',
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: 'browser-signing-secret',
        SLACK_API_URL: slack.url,
        SLACK_DEFAULT_CHANNEL: 'C0WEB',
        WEB_AUTH: 'token',
        WEB_SECRET: SECRET,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      }),
      process.cwd(),
    );
    base = `http://127.0.0.1:${sw.port}`;
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    // The seed's alert (Global Times) and RT's follow-up, and the hostile alert, each with its link.
    seedUrl = await until('the seed alert with an Open story button', () => {
      const m = slack.messages.find((x) => /color revolution/i.test(x.text) && openStoryUrl(x.blocks));
      const followup = slack.messages.find((x) => x.thread_ts && x.thread_ts !== x.ts && /RT/.test(x.text));
      return m && followup ? openStoryUrl(m.blocks) : null;
    }, 60_000);
    hostileUrl = await until('the hostile alert', () => {
      const m = slack.messages.find((x) => /Tokayev visits Almaty/.test(x.text) && openStoryUrl(x.blocks));
      return m ? openStoryUrl(m.blocks) : null;
    }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    const code = await sw?.stop();
    await feeds?.close();
    await slack?.close();
    expect(code).toBe(0);
  });

  /** A page that records dialogs and any request that leaves this server. */
  async function guardedPage(): Promise<{ page: Page; dialogs: string[]; foreign: string[] }> {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      const u = r.url();
      if (u.startsWith(`${base}/`) || u.startsWith('data:')) void r.continue();
      else {
        foreign.push(u);
        void r.abort();
      }
    });
    return { page, dialogs, foreign };
  }

  it('opens the alert’s link: the story with both outlets, the trail and the quotes with speakers', async () => {
    expect(seedUrl.startsWith(`${base}/stories/`)).toBe(true);
    expect(new URL(seedUrl).searchParams.get('token')).toMatch(/^\d+\.[0-9a-f]{64}$/);
    const { page, dialogs, foreign } = await guardedPage();
    const res = await page.goto(seedUrl, { waitUntil: 'load' });
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    const body = await page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText);
    expect(body).toMatch(/color revolution/i);
    const outlets = await page.$$eval('ol.outlets > li a', (as) => as.map((a) => a.textContent));
    expect(outlets).toEqual(['Global Times', 'RT']);
    expect(body).toContain('Citation trail');
    expect(body).toMatch(/RT (quotes|carries it)/);
    expect(body).toContain('Wei Fenghe');
    expect(await page.$$eval('blockquote', (b) => b.length)).toBeGreaterThanOrEqual(3);
    // The stylesheet came from this server and applied.
    expect(await page.$eval('h1', (h) => getComputedStyle(h).fontWeight)).toBeTruthy();
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Screenshots, wide and phone (one column under 600 px).
    await page.setViewport({ width: 1280, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, 'web-story-1280.png'), fullPage: true });
    expect(await page.$eval('.cols', (c) => getComputedStyle(c).gridTemplateColumns.split(' ').length)).toBe(2);
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-story-390.png'), fullPage: true });
    expect(await page.$eval('.cols', (c) => getComputedStyle(c).gridTemplateColumns.split(' ').length)).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('shows hostile titles as text and runs nothing', async () => {
    const { page, dialogs, foreign } = await guardedPage();
    const res = await page.goto(hostileUrl, { waitUntil: 'load' });
    expect(res!.status()).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const h1 = await page.$eval('h1', (h) => h.textContent ?? '');
    expect(h1).toContain('Tokayev visits Almaty');
    expect(h1).toContain('<script>window.__pwned=1;alert(1)</script>');
    expect(h1).toContain('<img src="http://evil.example/x.png" onerror="alert(2)">');
    expect(h1).toContain('\u202Egpj.exe\u202C');
    expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe, object, embed').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => !/^(https?:\/\/|\/|#)/.test(h))).toEqual([]);
    // The Japarov item's javascript: link is not a link anywhere, in search results either.
    await page.goto(await searchLink(page, 'Japarov'), { waitUntil: 'load' });
    const all = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(all.some((h) => /javascript:/i.test(h))).toBe(false);
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('a title with </style>, attribute quotes and a 300-letter word is text, and the page stays one phone wide', async () => {
    const { page, dialogs, foreign } = await guardedPage();
    await page.goto(seedUrl, { waitUntil: 'load' });
    await page.goto(await searchLink(page, 'Mirziyoyev'), { waitUntil: 'load' });
    const href = await page.$eval('ol.cards h3 a', (a) => a.getAttribute('href')!);
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    const res = await page.goto(new URL(href, base).href, { waitUntil: 'load' });
    expect(res!.status()).toBe(200);
    const h1 = await page.$eval('h1', (h) => h.textContent ?? '');
    expect(h1).toContain('</style><style>*{display:none}</style> "onmouseover="alert(6)" x=\'y\'');
    expect(h1).toContain(LONG_WORD);
    expect(await page.$eval('main', (m) => getComputedStyle(m).display)).not.toBe('none');
    expect(await page.evaluate(() => document.querySelectorAll('style, script, [onmouseover]').length)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-long-title-390.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('trends: the inline chart draws under the CSP (nothing blocked), a hostile query is text, axe-core passes', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const { page, dialogs, foreign } = await guardedPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(seedUrl, { waitUntil: 'load' });
    const trendsHref = await page.$eval('nav a[href^="/trends"]', (a) => a.getAttribute('href')!);
    const u = new URL(trendsHref, base);
    for (const q of ['', 'kazakhstan', '"</text><script>alert(7)</script>" OR kazakhstan']) {
      u.searchParams.set('q', q);
      const res = await page.goto(u.href, { waitUntil: 'load' });
      expect(res!.status(), q).toBe(200);
      expect(await page.evaluate(() => document.querySelectorAll('figure.chart svg text').length), q).toBeGreaterThan(5);
      // The title keeps its size and weight (they were style attributes, which the CSP blocks).
      const title = await page.$$eval('figure.chart svg text', (ts) => {
        const t = ts.find((x) => / — last \d+ days$/.test(x.textContent ?? ''));
        if (!t) return 'no title';
        const cs = getComputedStyle(t);
        return `${cs.fontSize} ${cs.fontWeight}`;
      });
      expect(title, q).toBe('17px 700');
      if (q.includes('<script>')) {
        expect(await page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText)).toContain('</text><script>alert(7)</script>');
        expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
      }
      if (q === 'kazakhstan') {
        await page.setViewport({ width: 1280, height: 900 });
        await page.screenshot({ path: join(ARTIFACTS, 'web-trends-1280.png'), fullPage: true });
        await page.setViewport({ width: 390, height: 844, isMobile: true });
        await page.screenshot({ path: join(ARTIFACTS, 'web-trends-390.png'), fullPage: true });
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
        await page.setViewport({ width: 1280, height: 900 });
        await page.evaluate(axeSource);
        const result = (await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run())) as { violations: { id: string; impact: string; help: string }[] };
        expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      }
    }
    expect(blocked).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  /** The search page's URL with the query, from the nav link (which carries its own token). */
  async function searchLink(page: Page, q: string): Promise<string> {
    const href = await page.$eval('nav a[href^="/search"]', (a) => a.getAttribute('href')!);
    const u = new URL(href, base);
    u.searchParams.set('q', q);
    return u.href;
  }

  it('search finds the seed story by words, by a name in another script, and by outlet', async () => {
    const { page } = await guardedPage();
    await page.goto(seedUrl, { waitUntil: 'load' });
    // Through the form, by keyboard.
    await Promise.all([page.waitForNavigation(), page.click('nav a[href^="/search"]')]);
    for (const q of ['color revolution', 'Вэй Фэнхэ', 'outlet:rt']) {
      await page.$eval('#q', (i) => ((i as unknown as { value: string }).value = ''));
      await page.type('#q', q);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const titles = await page.$$eval('ol.cards h3 a', (as) => as.map((a) => a.textContent ?? ''));
      expect(titles.some((t) => /color revolution/i.test(t)), `${q}: ${JSON.stringify(titles)}`).toBe(true);
      // A result opens its story (its link has its own token).
      const href = await page.$eval('ol.cards h3 a', (a) => a.getAttribute('href')!);
      expect(href).toMatch(/^\/stories\/[^?]+\?token=\d+\.[0-9a-f]{64}$/);
    }
    await page.close();
  });

  it('refuses a missing, a tampered and an expired token, without a stack', async () => {
    const u = new URL(seedUrl);
    const path = u.pathname;
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = `${base}${path}?token=${past}.${signature(SECRET, path, past)}`;
    const { page } = await guardedPage();
    let res = await page.goto(expired, { waitUntil: 'load' });
    expect(res!.status()).toBe(403);
    expect(await page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText)).toMatch(/expired/);
    res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res!.status()).toBe(401);
    const tok = u.searchParams.get('token')!;
    res = await page.goto(`${base}${path}?token=${tok.slice(0, -1)}${tok.endsWith('0') ? '1' : '0'}`, { waitUntil: 'load' });
    expect(res!.status()).toBe(403);
    // Another page's token does not open this one.
    res = await page.goto(`${base}/feeds?token=${tok}`, { waitUntil: 'load' });
    expect(res!.status()).toBe(403);
    const text = await page.content();
    expect(text).not.toMatch(/at \w+ \(|node_modules|Error:/);
    await page.close();
  });

  it('feeds page shows every feed; axe-core finds no serious violation on story, search and feeds', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const { page } = await guardedPage();
    await page.goto(seedUrl, { waitUntil: 'load' });
    const feedsHref = await page.$eval('nav a[href^="/feeds"]', (a) => a.getAttribute('href')!);
    const pages = [seedUrl, await searchLink(page, 'color revolution'), new URL(feedsHref, base).href];
    for (const url of pages) {
      const res = await page.goto(url, { waitUntil: 'load' });
      expect(res!.status()).toBe(200);
      if (url.includes('/feeds')) {
        const body = await page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText);
        for (const f of ['global-times-en', 'rt-en', 'kazinform-en']) expect(body).toContain(f);
      }
      // Evaluated through the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(axeSource);
      const result = (await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run())) as { violations: { id: string; impact: string; help: string }[] };
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help}`), url).toEqual([]);
    }
    await page.close();
  });
});
