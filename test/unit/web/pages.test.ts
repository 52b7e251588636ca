import { describe, expect, it } from 'vitest';
import { storyView } from '../../../src/core/story/view.js';
import { storyCard } from '../../../src/core/story/record.js';
import { feedsPage, searchPage, storyPage, trendsPage, type PageContext } from '../../../src/adapters/web/pages.js';
import { safeHref } from '../../../src/adapters/web/html.js';
import { HOSTILE, hostileStory, seedStory } from '../../fixtures/web/seed-story.js';

const ctx: PageContext = { link: (p, q = {}) => `${p}?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]))), token: 'T' })}` };

/** The markup outside any text node: tags and attributes only. */
function tagsOnly(doc: string): string[] {
  return [...doc.matchAll(/<[^>]*>/g)].map((m) => m[0]);
}

describe('story page', () => {
  const view = storyView(seedStory());
  const doc = storyPage(view, ctx);

  it('shows headline, summary, countries, both outlets in publication order with badges and links', () => {
    expect(doc).toContain('China warns of &quot;color revolution&quot; in Kazakhstan');
    expect(doc).toContain('Wei Fenghe told President Tokayev');
    expect(doc).toContain('Kazakhstan');
    const gt = doc.indexOf('Global Times</bdi></a>');
    const rt = doc.indexOf('>RT</bdi></a>');
    expect(gt).toBeGreaterThan(0);
    expect(rt).toBeGreaterThan(gt);
    expect(doc).toContain('state media · CN');
    expect(doc).toContain('state media · RU');
    expect(doc).toContain('href="https://www.rt.com/news/554000-china-kazakhstan-color-revolution/"');
    expect(doc).toContain('(+1 day)');
  });

  it('gives the citation trail', () => {
    expect(view.trailLines).toEqual(['RT quotes Global Times, China\'s Defense Ministry']);
    expect(doc).toContain('RT quotes Global Times, China&#39;s Defense Ministry');
  });

  it('lists every framing with all its evidence, speaker, outlet, and marks background', () => {
    expect(view.framings.map((f) => f.tag)).toEqual(['color-revolution', 'major-power-hegemony', 'foreign-trained-terrorists', 'disinfo-debunk']);
    expect(doc).toContain('<bdi>Wei Fenghe</bdi>');
    expect(doc).toContain('<bdi>Tokayev</bdi>');
    expect(doc).toContain('<bdi>RT</bdi>’s own voice');
    const bg = doc.slice(doc.indexOf('foreign-trained terrorists'));
    expect(bg).toMatch(/^[\s\S]*?<blockquote class="background">[\s\S]*?<span class="badge bg">background<\/span>/);
    // Only that one is background.
    expect(doc.match(/class="badge bg"/g)).toHaveLength(1);
  });

  it('has no script, no inline style and no event handler; links carry their token', () => {
    expect(doc).not.toMatch(/<script|style=|\son[a-z]+=/i);
    expect(doc).toContain('<link rel="stylesheet" href="/web/style.css">');
    expect(doc).toContain('href="/search?token=T"');
  });
});

describe('hostile text', () => {
  const doc = storyPage(storyView(hostileStory()), ctx);
  it('is escaped everywhere and never becomes markup or a link', () => {
    const tags = tagsOnly(doc);
    expect(tags.some((t) => /^<script|^<img|onerror/i.test(t))).toBe(false);
    expect(doc).not.toContain('href="javascript:');
    expect(doc).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(doc).toContain('&lt;img src=x onerror=alert(1)&gt;Times');
    // The RTL override is kept as text, isolated in <bdi>.
    expect(doc).toContain(`<bdi>${HOSTILE.rtl}</bdi>`);
  });

  it('safeHref takes only http(s)', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('https://ok.example/a?b=<c>')).toBe('https://ok.example/a?b=%3Cc%3E');
  });

  it('search cards escape too', () => {
    const page = searchPage({ query: HOSTILE.script, heading: HOSTILE.img, notes: [], cards: [storyCard(hostileStory())], page: 1, pages: 3, total: 25 }, { ...ctx, tokenField: { name: 'token', value: 'F' } });
    expect(tagsOnly(page).some((t) => /^<script|^<img|onerror/i.test(t))).toBe(false);
    expect(page).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    expect(page).toContain('name="token" value="F"');
    expect(page).toContain('Page 1 of 3');
    expect(page).toContain('href="/search?q=%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E&amp;page=2&amp;token=T"');
  });

  it('a frozen card (the search path shares them) renders as a fresh one, with each request\'s own link', () => {
    const input = (cards: ReturnType<typeof storyCard>[]) => ({ query: 'q', heading: 'h', notes: [], cards, page: 1, pages: 1, total: 2 });
    const deepFreeze = <T,>(x: T): T => {
      if (x && typeof x === 'object') for (const v of Object.values(Object.freeze(x))) deepFreeze(v);
      return x;
    };
    const frozen = [deepFreeze(storyCard(hostileStory())), deepFreeze(storyCard(seedStory()))];
    const fresh = (c: typeof ctx) => searchPage(input([storyCard(hostileStory()), storyCard(seedStory())]), { ...c, tokenField: null });
    const other: PageContext = { link: (p) => `${p}?token=OTHER` };
    expect(searchPage(input(frozen), { ...ctx, tokenField: null })).toBe(fresh(ctx));
    const again = searchPage(input(frozen), { ...other, tokenField: null }); // built from the kept markup
    expect(again).toBe(fresh(other));
    expect(again).toContain('?token=OTHER');
    expect(again).not.toContain('token=T');
  });
});

describe('feeds and trends pages', () => {
  it('shows each feed’s health', () => {
    const page = feedsPage(
      [
        {
          status: {
            feed: { id: 'kazinform-en', url: 'https://kazinform.kz/rss', outlet: 'Kazinform', outletId: 'kazinform', language: ['en'], affiliation: 'state:KZ', source: 'file' },
            paused: { reason: 'HTTP 404 since 12 Mar', at: '2026-03-12T00:00:00Z', by: 'failures' },
            health: { lastSuccess: '2026-03-01T10:00:00Z', lastError: { code: 'http_404', message: 'Not Found', since: '2026-03-12T00:00:00Z' }, consecutiveFailures: 10, notModifiedRatio: 0.2, itemsPerDay: 14.5 },
          },
          nextPoll: null,
        },
        {
          status: {
            feed: { id: 'rt-en', url: 'https://rt.com/rss', outlet: 'RT', outletId: 'rt', language: ['en'], affiliation: 'state:RU', source: 'file' },
            paused: null,
            health: { lastSuccess: '2026-03-12T10:00:00Z', lastError: null, consecutiveFailures: 0, notModifiedRatio: null, itemsPerDay: null },
          },
          nextPoll: '2026-03-12T10:05:00.000Z',
        },
      ],
      ctx,
    );
    expect(page).toContain('http_404');
    expect(page).toContain('Not Found');
    expect(page).toContain('paused</span> (after failures');
    expect(page).toContain('14.5');
    expect(page).toContain('not known yet');
    expect(page).toContain('12 Mar 2026, 10:05 UTC');
    expect(page).toContain('2 feeds · 1 failing · 1 paused');
  });

  it('says trends are not set up when they are not', () => {
    const page = trendsPage({ query: '', svg: null, alt: '', spikes: [], notSetUp: true }, { ...ctx, tokenField: null });
    expect(page).toContain('Trends are not set up');
  });
});

describe('trail without citations', () => {
  it('says when a later outlet carries it, citing no one', () => {
    const s = seedStory();
    s.outlets[1]!.cites = [];
    expect(storyView(s).trailLines).toEqual(['RT carries it 1 day after Global Times, citing no one']);
  });
});
