// The "merged with …" notice (core/alert/merge.ts) and its renderings: short, escaped, no pings.
import { describe, expect, it } from 'vitest';
import { buildMergeAlert, mergeNoticeKey, mergeText } from '../../../src/core/alert/merge.js';
import { alertToText } from '../../../src/core/alert/text.js';
import { alertToSlack } from '../../../src/adapters/slack/render.js';
import { alertToDiscord, threadMessageToDiscord } from '../../../src/adapters/discord/render.js';
import { toAlertRecord } from '../../../src/adapters/console/notifier.js';
import type { Story } from '../../../src/core/types.js';

const survivor: Story = {
  id: 's-aaaaaaaaaaaa',
  headline: 'Kazakhstan opens Khorgos–Zhetygen rail corridor',
  summary: '',
  countries: ['KZ'],
  relevance: 0.8,
  outlets: [
    { outletId: 'kazinform', outlet: 'Kazinform', affiliation: 'state:KZ', articleId: 'a1', url: null, title: 't', published: '2026-03-03T08:00:00Z', cites: [], framings: [] },
    { outletId: 'tengri', outlet: 'Tengrinews', affiliation: 'unknown', articleId: 'b1', url: null, title: 't', published: '2026-03-03T09:00:00Z', cites: [], framings: [] },
  ],
  articleIds: ['a1', 'b1'],
  entities: [],
  firstSeen: '2026-03-03T08:00:00Z',
  lastSeen: '2026-03-03T09:00:00Z',
  mergedIds: ['s-bbbbbbbbbbbb'],
};
const hostile = '<!channel> *Rail* @everyone <@U123> [x](https://evil.example) & `code`';
const alert = buildMergeAlert({
  destination: { platform: 'slack', channel: 'C1' },
  survivor,
  merged: { id: 's-bbbbbbbbbbbb', headline: hostile, outlets: [{ outletId: 'tengri', outlet: '@here Tengrinews', affiliation: 'unknown' }] },
  bridge: { id: 'x1', outletId: 'astana-times', outlet: 'Astana Times', affiliation: 'unknown', published: '2026-03-03T12:00:00Z' },
  at: '2026-03-03T12:01:00Z',
});

describe('merge notice', () => {
  it('says what was merged into what, by which report, in one or two sentences', () => {
    expect(alert).toMatchObject({ kind: 'merge', storyId: 's-aaaaaaaaaaaa', articleId: mergeNoticeKey('s-bbbbbbbbbbbb'), outletCount: 2 });
    const t = mergeText(alert);
    expect(t).toMatch(/^Merged with “.*” \(story s-bbbbbbbbbbbb, @here Tengrinews\): a later report by Astana Times showed they are one story\. Updates to both continue in this thread; now 2 outlets\.$/);
    expect(alertToText(alert)).toContain('[story s-aaaaaaaaaaaa] Merged with');
  });

  it('Slack: escaped mrkdwn, no mention or link from the feed', () => {
    const m = alertToSlack(alert);
    const s = JSON.stringify(m);
    expect(s).not.toMatch(/<!channel>|<@U123>|<!here>/);
    expect(s).toContain('&lt;!channel&gt;');
    expect(s).not.toMatch(/(?<!​)@everyone/u);
    expect(m.text).toMatch(/Merged with/);
  });

  it('Discord: no mentions allowed, markdown neutralised; the same in a thread and standalone', () => {
    for (const m of [alertToDiscord(alert), threadMessageToDiscord(alert), threadMessageToDiscord(alert, { standalone: true })]) {
      expect(m.allowed_mentions).toEqual({ parse: [] });
      expect(m.content).toMatch(/Merged with/);
      expect(m.content).toContain('\\[x](https://evil.example)'); // the masked link escaped: shown, not followed
      expect(m.content).not.toMatch(/(?<![\\​])@everyone/u);
    }
  });

  it('the console record has kind "merge" and the merged story', () => {
    const r = toAlertRecord({ ...alert, destination: { platform: 'console', channel: 'console' } }, new Date('2026-03-03T12:02:00Z'));
    expect(r).toMatchObject({ kind: 'merge', mergedId: 's-bbbbbbbbbbbb', storyId: 's-aaaaaaaaaaaa', destination: 'console' });
  });
});
