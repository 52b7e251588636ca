// "Open story" links: placed on alerts and story cards, rendered as a Block Kit button, a Discord
// link button and embed link, the console's alert record, only when a URL was given.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertWithStoryUrl, replyWithStoryUrls } from '../../../src/core/alert/links.js';
import { alertToSlack, followupToSlack, replyToSlack, ACTION_IDS } from '../../../src/adapters/slack/render.js';
import { alertToDiscord, followupToDiscord, replyToDiscord } from '../../../src/adapters/discord/render.js';
import { createConsoleNotifier } from '../../../src/adapters/console/notifier.js';
import { linkNotifiers, storyLinksFrom } from '../../../src/main/story-links.js';
import { loadConfig } from '../../../src/config.js';
import { checkAccess } from '../../../src/adapters/web/access.js';
import { followupAlert, seedAlert, storyReply } from '../slack/alerts.js';

const URL_OF = (id: string) => `https://news.example.org/stories/${id}?token=1.abc`;

describe('Open story links', () => {
  it('Slack: a URL button on alerts and follow-ups, a link in story cards; none without a URL', () => {
    const a = alertWithStoryUrl(seedAlert(), URL_OF);
    const btn = (m: ReturnType<typeof alertToSlack>) =>
      m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e) => (e as { action_id?: string }).action_id === ACTION_IDS.openStory) as { url?: string; text: { text: string } } | undefined;
    expect(btn(alertToSlack(a))).toMatchObject({ url: URL_OF(a.storyId), text: { text: 'Open story' } });
    expect(btn(followupToSlack(alertWithStoryUrl(followupAlert(), URL_OF)))?.url).toBe(URL_OF(followupAlert().storyId));
    expect(btn(alertToSlack(seedAlert()))).toBeUndefined();
    const reply = replyWithStoryUrls(storyReply(), URL_OF);
    expect(JSON.stringify(replyToSlack(reply).blocks)).toContain(`<${URL_OF(storyReply().sections.flatMap((s) => (s.type === 'stories' ? s.stories : []))[0]!.id).replace(/&/g, '&amp;')}|Open story`);
    expect(JSON.stringify(replyToSlack(storyReply()).blocks)).not.toContain('Open story');
  });

  it('Discord: a link button on alerts and follow-ups, a link in the story embed', () => {
    const labels = (m: { components?: { components: unknown[] }[] }) => (m.components ?? []).flatMap((r) => r.components).map((b) => (b as { label?: string; url?: string }));
    expect(labels(alertToDiscord(alertWithStoryUrl(seedAlert(), URL_OF))).find((b) => b.label === 'Open story')?.url).toBe(URL_OF(seedAlert().storyId));
    expect(labels(followupToDiscord(alertWithStoryUrl(followupAlert(), URL_OF))).some((b) => b.label === 'Open story')).toBe(true);
    expect(labels(alertToDiscord(seedAlert())).some((b) => b.label === 'Open story')).toBe(false);
    expect(JSON.stringify(replyToDiscord(replyWithStoryUrls(storyReply(), URL_OF)).embeds)).toContain('[Open story](<https://news.example.org/stories/');
  });

  it('the console record: url is the story page (the contract), articleUrl the article, through the notifier wrapper', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-links-'));
    const file = join(dir, 'alerts.jsonl');
    const out = { write: () => true } as unknown as NodeJS.WritableStream;
    const cfg = loadConfig({ env: { WEB_AUTH: 'token', WEB_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://news.example.org' }, dotenv: false });
    const now = new Date('2026-01-01T00:00:00Z');
    const links = storyLinksFrom(cfg, () => now)!;
    const { console: n } = linkNotifiers({ console: createConsoleNotifier({ recordFile: file, out }) }, links);
    await n!.postAlert(seedAlert(), null);
    const rec = JSON.parse(readFileSync(file, 'utf8').trim()) as { url: string; articleUrl: string; storyUrl: string; storyId: string };
    expect(rec.articleUrl).toBe(seedAlert().url);
    expect(rec.url).toBe(rec.storyUrl);
    const u = new URL(rec.storyUrl);
    expect(u.origin).toBe('https://news.example.org');
    expect(u.pathname).toBe(`/stories/${rec.storyId}`);
    expect(checkAccess({ mode: 'token', secret: 'x'.repeat(32), ttlHours: 168 }, { path: u.pathname, token: u.searchParams.get('token')!, authorization: undefined }, now)).toEqual({ ok: true });
    // No PUBLIC_URL, or the web view off: no links.
    expect(storyLinksFrom(loadConfig({ env: { WEB_AUTH: 'token', WEB_SECRET: 'x'.repeat(32) }, dotenv: false }), () => now)).toBeNull();
    expect(storyLinksFrom(loadConfig({ env: { PUBLIC_URL: 'https://news.example.org' }, dotenv: false }), () => now)).toBeNull();
  });
});
