// "All evidence": every quote of every framing, named as analysts read tags, background marked.
import { describe, expect, it } from 'vitest';
import { evidenceReply } from '../../../src/commands/evidence.js';
import type { Story } from '../../../src/core/types.js';

describe('evidenceReply', () => {
  it('lists each quote with the readable tag name, its speaker and whether it is background', () => {
    const story: Story = {
      id: 's1',
      headline: 'China warns of color revolution in Kazakhstan',
      summary: '',
      countries: ['KZ'],
      relevance: 0.9,
      outlets: [
        {
          outletId: 'rt',
          outlet: 'RT',
          affiliation: 'state:RU',
          articleId: 'rt-1',
          url: null,
          title: 't',
          published: '2022-04-27T10:12:00.000Z',
          cites: [],
          framings: [
            { tag: 'color-revolution', confidence: 0.9, evidence: [{ quote: '“China opposes a color revolution.”', attributedTo: 'Wei Fenghe' }] },
            { tag: 'foreign-trained-terrorists', confidence: 0.7, evidence: [{ quote: 'Tokayev blamed foreign-trained terrorists.', attributedTo: 'Tokayev', background: true }] },
          ],
        },
      ],
      articleIds: ['rt-1'],
      entities: [],
      firstSeen: '2022-04-27T10:12:00.000Z',
      lastSeen: '2022-04-27T10:12:00.000Z',
    };
    const list = evidenceReply(story).sections.find((s) => s.type === 'list');
    expect(list && list.type === 'list' && list.items).toEqual([
      'color revolution (0.90) — “China opposes a color revolution.” — Wei Fenghe',
      'foreign-trained terrorists (0.70) — “Tokayev blamed foreign-trained terrorists.” — Tokayev · background',
    ]);
  });
});
