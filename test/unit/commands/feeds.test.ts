import { describe, expect, it } from 'vitest';
import { handleFeeds, parseWebAddress, feedRow, NOT_A_URL, PRIVATE_ADDRESS } from '../../../src/commands/feeds.js';
import { parseCommandText } from '../../../src/commands/grammar.js';
import { replyToText } from '../../../src/core/alert/text.js';
import type { FeedConfig } from '../../../src/core/types.js';
import { ctx, feedStatus, RecordingFeedAdmin } from './fakes.js';

function feeds(text: string) {
  const r = parseCommandText('feeds', text);
  if (!r.ok) throw new Error(r.reply.text);
  return r.cmd;
}

const RT: FeedConfig = { id: 'rt-en', url: 'https://www.rt.com/rss/news/', outlet: 'RT', outletId: 'rt', language: ['en'], affiliation: 'state:RU', source: 'command' };

describe('parseWebAddress', () => {
  it('takes http(s) addresses, Slack’s link markup and bare hosts', () => {
    expect(parseWebAddress('https://example.org/feed.xml')).toBe('https://example.org/feed.xml');
    expect(parseWebAddress('<https://example.org/feed.xml|example.org/feed.xml>')).toBe('https://example.org/feed.xml');
    expect(parseWebAddress('example.org/rss')).toBe('https://example.org/rss');
    expect(parseWebAddress('not-a-url')).toBeNull();
    expect(parseWebAddress('ftp://example.org/x')).toBeNull();
    expect(parseWebAddress('javascript:alert(1)')).toBeNull();
    expect(parseWebAddress('https://')).toBeNull();
  });
});

describe('/feeds', () => {
  it('refuses add, remove, pause and resume to non-admins, politely and privately, without calling the port', async () => {
    const admin = new RecordingFeedAdmin();
    for (const t of ['add https://example.org/feed.xml', 'remove rt-en', 'pause rt-en', 'resume rt-en']) {
      const r = await handleFeeds(feeds(t), ctx({ admin: false }), { feedAdmin: admin });
      expect(r.visibility).toBe('ephemeral');
      expect(r.kind).toBe('error');
      expect(r.text).toMatch(/^Sorry — \/feeds \w+ is for steppewatch admins/);
    }
    expect(admin.calls).toEqual([]);
  });

  it('answers /feeds add not-a-url as ux.md says', async () => {
    const admin = new RecordingFeedAdmin();
    const r = await handleFeeds(feeds('add not-a-url'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.text).toBe(NOT_A_URL);
    expect(r.text).toBe('That is not a web address. Try /feeds add https://example.org/feed.xml');
    expect(r.visibility).toBe('ephemeral');
    expect(admin.calls).toEqual([]);
  });

  it('answers a private address as ux.md says', async () => {
    const admin = new RecordingFeedAdmin();
    admin.addResult = { ok: false, code: 'blocked_address', message: 'blocked_address: 10.0.0.5 is private' };
    const r = await handleFeeds(feeds('add http://10.0.0.5/rss'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.text).toBe(PRIVATE_ADDRESS);
    expect(r.text).toBe('steppewatch does not fetch private or internal addresses.');
    expect(r.visibility).toBe('ephemeral');
  });

  it('adds a feed with its options and confirms in the channel', async () => {
    const admin = new RecordingFeedAdmin();
    admin.addResult = {
      ok: true,
      created: true,
      feed: RT,
      check: { url: 'https://www.rt.com/', ok: true, feedUrl: 'https://www.rt.com/rss/news/', title: 'RT', items: 25, sample: [{ title: 'First item', link: null, published: '2022-04-27T10:12:00.000Z' }] },
    };
    const r = await handleFeeds(feeds('add url:https://www.rt.com/ outlet:RT affiliation:STATE:ru language:EN'), ctx({ admin: true }), { feedAdmin: admin });
    expect(admin.calls).toEqual([{ op: 'add', args: [{ url: 'https://www.rt.com/', outlet: 'RT', affiliation: 'state:RU', language: 'en' }, 'slack:U1'] }]);
    expect(r.visibility).toBe('in_channel');
    expect(r.kind).toBe('ok');
    expect(r.text).toBe('Added feed rt-en: RT [state media · RU], 25 items (found at https://www.rt.com/rss/news/). Polling it now.');
    expect(replyToText(r)).toContain('• First item');
  });

  it('checks option values before calling the port', async () => {
    const admin = new RecordingFeedAdmin();
    const r = await handleFeeds(feeds('add https://example.org/rss affiliation:russian language:english'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.kind).toBe('usage');
    expect(r.text).toContain('affiliation is state:<CC>, public:<CC>, independent or unknown (got “russian”)');
    expect(r.text).toContain('language is a two-letter code');
    expect(admin.calls).toEqual([]);
  });

  it('says a removed file feed returns at the next start', async () => {
    const admin = new RecordingFeedAdmin();
    admin.removeResult = { removed: true, inFile: true };
    const r = await handleFeeds(feeds('remove id:rt-en'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.text).toBe('Removed feed rt-en. It is in the feeds file, so it returns at the next start unless it is removed from the file too.');
    expect(r.visibility).toBe('in_channel');
    admin.removeResult = { removed: true, inFile: false };
    expect((await handleFeeds(feeds('remove rt-en'), ctx({ admin: true }), { feedAdmin: admin })).text).toBe('Removed feed rt-en.');
  });

  it('answers an unknown feed id with a near one', async () => {
    const admin = new RecordingFeedAdmin();
    admin.feeds = [feedStatus({ id: 'rt-en' }), feedStatus({ id: 'kabar-en' })];
    admin.removeResult = { removed: false, inFile: false };
    const r = await handleFeeds(feeds('remove rt-eng'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.kind).toBe('error');
    expect(r.text).toBe('No feed “rt-eng”. Did you mean rt-en?');
    const p = await handleFeeds(feeds('pause nope'), ctx({ admin: true }), { feedAdmin: admin });
    expect(p.text).toBe('No feed “nope”.');
  });

  it('pauses and resumes by id', async () => {
    const admin = new RecordingFeedAdmin();
    admin.feeds = [feedStatus({ id: 'rt-en' })];
    const p = await handleFeeds(feeds('pause rt-en'), ctx({ admin: true, destination: { platform: 'discord', channel: '42' } }), { feedAdmin: admin });
    expect(p.text).toBe('Paused feed rt-en; it stays paused across restarts.');
    const r = await handleFeeds(feeds('resume id:rt-en'), ctx({ admin: true }), { feedAdmin: admin });
    expect(r.text).toBe('Resumed feed rt-en; polling it now.');
    expect(admin.calls).toEqual([
      { op: 'pause', args: ['rt-en', 'discord:U1'] },
      { op: 'resume', args: ['rt-en'] },
    ]);
  });

  it('lists feeds compactly with their health, for anyone', async () => {
    const admin = new RecordingFeedAdmin();
    admin.feeds = [
      feedStatus({ id: 'rt-en', outlet: 'RT', affiliation: 'state:RU', lastSuccess: '2022-04-27T10:00:00.000Z', notModifiedRatio: 0.4, itemsPerDay: 12.34 }),
      feedStatus({
        id: 'kazinform-en', outlet: 'Kazinform', affiliation: 'state:KZ', lastSuccess: '2022-03-01T00:00:00.000Z', consecutiveFailures: 4,
        lastError: { code: 'http_404', message: 'Not Found', since: '2022-03-12T08:00:00.000Z' },
      }),
      feedStatus({ id: 'kloop-ru', outlet: 'Kloop', affiliation: 'independent', paused: { reason: '10 failed polls', at: '2022-04-01T00:00:00.000Z', by: 'failures' } }),
      feedStatus({ id: 'new-en', outlet: 'New' }),
    ];
    const r = await handleFeeds(feeds('list'), ctx(), { feedAdmin: admin });
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toBe('4 feeds: 2 ok, 1 failing, 1 paused.');
    const list = r.sections.find((s) => s.type === 'list');
    expect(list).toEqual({
      type: 'list',
      items: [
        'kazinform-en · Kazinform · state:KZ · failing since 12 Mar 2022, 08:00 UTC (http_404) · last ok 1 Mar 2022, 00:00 UTC · 304 – · –/day',
        'kloop-ru · Kloop · independent · paused (10 failed polls) · last ok never · 304 – · –/day',
        'new-en · New · unknown · not polled yet · last ok never · 304 – · –/day',
        'rt-en · RT · state:RU · ok · last ok 27 Apr 2022, 10:00 UTC · 304 40% · 12.3/day',
      ],
    });
  });

  it('splits a long list into sections that fit a chat message', async () => {
    const admin = new RecordingFeedAdmin();
    admin.feeds = Array.from({ length: 45 }, (_, i) => feedStatus({ id: `feed-${String(i).padStart(2, '0')}`, lastSuccess: '2022-04-27T10:00:00.000Z' }));
    const r = await handleFeeds(feeds(''), ctx(), { feedAdmin: admin });
    const lists = r.sections.filter((s) => s.type === 'list');
    expect(lists.map((l) => (l.type === 'list' ? l.items.length : 0))).toEqual([20, 20, 5]);
    for (const l of lists) if (l.type === 'list') expect(l.items.join('\n').length).toBeLessThan(3000);
  });

  it('checks a feed for anyone and shows the contract error codes as sentences', async () => {
    const admin = new RecordingFeedAdmin();
    admin.checkResult = { url: '', ok: true, title: 'Example', items: 2, sample: [{ title: 'One', link: 'https://example.org/1', published: '2022-04-27T10:00:00.000Z' }] };
    const ok = await handleFeeds(feeds('check https://example.org/feed'), ctx(), { feedAdmin: admin });
    expect(ok.text).toBe('Example works: 2 items.');
    expect(ok.visibility).toBe('ephemeral');
    expect(replyToText(ok)).toContain('One — 27 Apr 2022, 10:00 UTC');
    admin.checkResult = { url: '', ok: false, error: 'blocked_address: 127.0.0.1', items: 0, sample: [] };
    expect((await handleFeeds(feeds('check http://127.0.0.1/'), ctx(), { feedAdmin: admin })).text).toBe(PRIVATE_ADDRESS);
    admin.checkResult = { url: '', ok: false, error: 'http_404: Not Found', items: 0, sample: [] };
    expect((await handleFeeds(feeds('check https://example.org/x'), ctx(), { feedAdmin: admin })).text).toBe('Could not read that address (http_404: Not Found).');
    expect(admin.calls.map((c) => c.op)).toEqual(['check', 'check', 'check']);
  });

  it('formats one row from a status', () => {
    expect(feedRow(feedStatus({ id: 'x-en', outlet: 'X', paused: { reason: 'noisy', at: '2022-01-01T00:00:00Z', by: 'admin' } }))).toContain('paused (noisy, by an admin)');
  });
});
