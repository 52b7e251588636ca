// Alerts and replies of the seed story (Global Times first, RT a day later) for the Discord tests.
import type { Alert, Reply, StoryCard } from '../../../src/core/alert/values.js';
import type { Framing, TagId } from '../../../src/core/types.js';
import { storyReplyOf } from '../../fixtures/replies.js';

const WEI = 'China firmly opposes external forces deliberately instigating a ‘color revolution’ in Kazakhstan and will back its security measures.';
const HEGEMONY = 'Wei called for vigilance about certain major powers interfering in Central Asia.';

export const seedFramings: Framing[] = [
  { tag: 'color-revolution', confidence: 0.9, evidence: [{ quote: WEI, attributedTo: 'Wei Fenghe' }] },
  { tag: 'external-interference', confidence: 0.8, evidence: [{ quote: WEI, attributedTo: 'Wei Fenghe' }] },
  { tag: 'major-power-hegemony', confidence: 0.6, evidence: [{ quote: HEGEMONY, attributedTo: 'Wei Fenghe' }] },
];

export function seedAlert(over: Partial<Alert> = {}): Alert {
  return {
    kind: 'alert',
    destination: { platform: 'discord', channel: '1000000000000000002' },
    storyId: 's-7f3a9c',
    articleId: 'a-global-times-1',
    headline: 'China warns of "color revolution" in Kazakhstan',
    summary:
      "China's defence minister Wei Fenghe told President Tokayev that Beijing opposes external forces instigating a \"color revolution\" in Kazakhstan and will back its security measures.",
    url: 'https://www.globaltimes.cn/page/202204/1260214.shtml',
    published: '2022-04-26T08:00:00.000Z',
    outlet: { id: 'global-times', name: 'Global Times', affiliation: 'state:CN' },
    countries: ['KZ'],
    relevance: 0.92,
    framings: seedFramings,
    outletCount: 1,
    ...over,
  };
}

export function rtFollowup(over: Partial<Alert> = {}): Alert {
  const framings: Framing[] = [
    ...seedFramings,
    { tag: 'foreign-trained-terrorists', confidence: 0.7, evidence: [{ quote: 'Tokayev blamed foreign-trained terrorists for the unrest.', attributedTo: 'Tokayev' }] },
    { tag: 'disinfo-debunk', confidence: 0.5, evidence: [{ quote: 'He did not provide any evidence.', attributedTo: null }] },
  ];
  return seedAlert({
    kind: 'followup',
    articleId: 'a-rt-1',
    url: 'https://www.rt.com/news/554545-china-color-revolution-kazakhstan/',
    published: '2022-04-27T10:12:00.000Z',
    outlet: { id: 'rt', name: 'RT', affiliation: 'state:RU' },
    framings,
    outletCount: 2,
    followup: {
      firstOutlet: { id: 'global-times', name: 'Global Times', affiliation: 'state:CN' },
      firstPublished: '2022-04-26T08:00:00.000Z',
      delayMs: 26 * 3_600_000 + 12 * 60_000,
      newTags: ['foreign-trained-terrorists', 'disinfo-debunk'] as TagId[],
      quoting: "China's Defense Ministry",
      outletCount: 2,
    },
    ...over,
  });
}

export function seedCard(over: Partial<StoryCard> = {}): StoryCard {
  return {
    id: 's-7f3a9c',
    headline: 'China warns of "color revolution" in Kazakhstan',
    summary: "China's defence minister Wei Fenghe told President Tokayev that Beijing opposes external forces.",
    countries: ['KZ'],
    framings: [
      { tag: 'color-revolution', outlets: ['global-times', 'rt'], quote: WEI, attributedTo: 'Wei Fenghe' },
      { tag: 'external-interference', outlets: ['global-times'], quote: WEI, attributedTo: 'Wei Fenghe' },
    ],
    outlets: [
      { outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', url: 'https://www.globaltimes.cn/page/202204/1260214.shtml', published: '2022-04-26T08:00:00.000Z' },
      { outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: 'https://www.rt.com/news/554545/', published: '2022-04-27T10:12:00.000Z' },
    ],
    firstSeen: '2022-04-26T08:00:00.000Z',
    lastSeen: '2022-04-27T10:12:00.000Z',
    ...over,
  };
}

export function storyReply(cards: StoryCard[] = [seedCard()]): Reply {
  return storyReplyOf(cards);
}

export const HOSTILE = '@everyone @here <@123456789012345678> <@&987654321098765432> <#111> **bold** __u__ ||spoiler|| [click me](https://evil.example/x) `code` > quote\n# Heading\n-# small';
