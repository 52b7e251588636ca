// Alert and Reply values for the Slack tests: the seed story (Global Times, then RT) and hostile text.
import type { Alert, Reply, StoryCard } from '../../../src/core/alert/values.js';
import { storyReplyOf } from '../../fixtures/replies.js';

export const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123>',
  '<https://evil.example|https://trusted.example>',
  '<!subteam^S123>',
  '@here',
  '@channel',
  '@everyone',
].join(' ');

/** Substrings that would ping or spoof if they reached Slack unescaped. */
export const FORBIDDEN = ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<#C123>', '<https://evil', '<!subteam', '@here', '@channel', '@everyone'];

export function seedAlert(over: Partial<Alert> = {}): Alert {
  return {
    kind: 'alert',
    destination: { platform: 'slack', channel: 'C0ALERTS' },
    storyId: 'st-7f3a',
    articleId: 'guid:0123456789abcdef0123456789abcdef01234567',
    headline: 'China warns of "color revolution" in Kazakhstan',
    summary:
      "China's defence minister Wei Fenghe told President Tokayev that Beijing opposes external forces instigating a \"color revolution\" in Kazakhstan and will back its security measures.",
    url: 'https://www.globaltimes.cn/page/202204/1260000.shtml',
    published: '2022-04-26T08:00:00.000Z',
    outlet: { id: 'global-times', name: 'Global Times', affiliation: 'state:CN' },
    countries: ['KZ'],
    relevance: 0.92,
    framings: [
      {
        tag: 'color-revolution',
        confidence: 0.9,
        evidence: [{ quote: 'China firmly opposes external forces deliberately instigating a "color revolution" in Kazakhstan.', attributedTo: 'Wei Fenghe' }],
      },
      {
        tag: 'external-interference',
        confidence: 0.8,
        evidence: [{ quote: 'China firmly opposes external forces deliberately instigating a "color revolution" in Kazakhstan.', attributedTo: 'Wei Fenghe' }],
      },
      {
        tag: 'disinfo-debunk',
        confidence: 0.5,
        evidence: [{ quote: 'He did not provide any evidence.', attributedTo: null }],
      },
    ],
    outletCount: 1,
    ...over,
  };
}

export function followupAlert(over: Partial<Alert> = {}): Alert {
  return seedAlert({
    kind: 'followup',
    articleId: 'guid:rt-0001',
    headline: 'China warns against color revolution in Kazakhstan',
    url: 'https://www.rt.com/news/554466-china-kazakhstan-color-revolution/',
    published: '2022-04-27T10:12:00.000Z',
    outlet: { id: 'rt', name: 'RT', affiliation: 'state:RU' },
    outletCount: 2,
    framings: [
      { tag: 'color-revolution', confidence: 0.9, evidence: [{ quote: 'Beijing opposes a color revolution.', attributedTo: "China's Defense Ministry" }] },
      { tag: 'foreign-trained-terrorists', confidence: 0.7, evidence: [{ quote: 'Tokayev blamed foreign-trained terrorists for the unrest.', attributedTo: 'Tokayev' }] },
    ],
    followup: {
      firstOutlet: { id: 'global-times', name: 'Global Times', affiliation: 'state:CN' },
      firstPublished: '2022-04-26T08:00:00.000Z',
      delayMs: 26 * 3_600_000,
      newTags: ['foreign-trained-terrorists'],
      quoting: "China's Defense Ministry",
      outletCount: 2,
    },
    ...over,
  });
}

export function seedCard(over: Partial<StoryCard> = {}): StoryCard {
  return {
    id: 'st-7f3a',
    headline: 'China warns of "color revolution" in Kazakhstan',
    summary: 'Wei Fenghe told Tokayev that Beijing opposes external forces instigating a color revolution.',
    countries: ['KZ'],
    framings: [
      { tag: 'color-revolution', outlets: ['global-times', 'rt'], quote: 'China firmly opposes external forces.', attributedTo: 'Wei Fenghe' },
      { tag: 'disinfo-debunk', outlets: ['rt'], quote: 'He did not provide any evidence.', attributedTo: null },
    ],
    outlets: [
      { outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', url: 'https://www.globaltimes.cn/page/202204/1260000.shtml', published: '2022-04-26T08:00:00.000Z' },
      { outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: 'https://www.rt.com/news/554466/', published: '2022-04-27T10:12:00.000Z' },
    ],
    firstSeen: '2022-04-26T08:00:00.000Z',
    lastSeen: '2022-04-27T10:12:00.000Z',
    ...over,
  };
}

export function storyReply(cards: StoryCard[] = [seedCard()]): Reply {
  return storyReplyOf(cards);
}
