// /story and `story --json` against the real Redis story store (src/adapters/redis/story-store.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { findStories, storyToCard } from '../../../src/commands/story.js';
import { createCommandHandler, parseCommandText } from '../../../src/commands/index.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../../../src/adapters/redis/subscription-store.js';
import { replyToText } from '../../../src/core/alert/text.js';
import type { AnalysisResult } from '../../../src/core/types.js';
import { CENTRAL_ASIA_ITEMS, SEED_DISTRACTORS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { seedArticles, warnIfNoShared } from '../../fixtures/story/shared.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { ctx, RecordingFeedAdmin, testVocabulary } from '../../unit/commands/fakes.js';

const shared = warnIfNoShared('seed /story test');
const redis = testRedis();
afterAll(() => redis.quit());
const vocabulary = testVocabulary();

function newStore() {
  const keys = makeKeys(uniquePrefix('cmdstory'));
  return { keys, stories: createRedisStoryStore({ redis, keys }) };
}

async function assignFixtures(stories: ReturnType<typeof newStore>['stories'], ids: string[], extra: (id: string) => Partial<AnalysisResult> = () => ({})) {
  for (const f of [...CENTRAL_ASIA_ITEMS, ...SEED_DISTRACTORS].filter((x) => ids.includes(x.id))) {
    await stories.assign(fixtureArticle(f), { ...fixtureAnalysis(f), ...extra(f.id) }, new Date(f.published));
  }
}

describe.skipIf(!shared)('/story kazakhstan over the seeds (needs ../shared)', () => {
  it('answers with the seed story first: Global Times, then RT a day later, framings with their speakers', async () => {
    const { stories } = newStore();
    const { gt, rt } = seedArticles(shared!);
    await stories.assign(gt.article, gt.analysis, new Date('2022-04-26T08:05:00Z'));
    const seed = await stories.assign(rt.article, rt.analysis, new Date('2022-04-27T10:20:00Z'));
    // two other Kazakhstan stories of those days, each from one outlet
    await assignFixtures(stories, SEED_DISTRACTORS.map((f) => f.id));
    expect(SEED_DISTRACTORS).toHaveLength(2);
    const now = new Date('2022-04-28T12:00:00Z');

    for (const q of ['kazakhstan', 'Казахстан', 'KZ', '哈萨克斯坦']) {
      const { cards, reply } = await findStories(q, { stories, vocabulary }, now);
      expect(cards[0]?.id, q).toBe(seed.storyId);
      expect(reply.text, q).toBe('Kazakhstan — 3 stories in the last 7 days (recent and widely carried first)');
    }
    const { cards, reply } = await findStories('kazakhstan', { stories, vocabulary }, now);
    const card = cards[0]!;
    expect(card).toEqual(storyToCard((await stories.get(seed.storyId))!));
    expect(card.outlets.map((o) => [o.outletId, o.affiliation, o.published])).toEqual([
      ['global-times', 'state:CN', '2022-04-26T08:00:00.000Z'],
      ['rt', 'state:RU', '2022-04-27T10:12:00.000Z'],
    ]);
    expect(card.framings.map((f) => [f.tag, f.outlets, f.attributedTo])).toEqual([
      ['color-revolution', ['global-times', 'rt'], 'Wei Fenghe'],
      ['foreign-trained-terrorists', ['rt'], 'Tokayev'],
      ['disinfo-debunk', ['rt'], null],
    ]);
    // what `steppewatch story kazakhstan --json` prints: plain JSON of the contract's shape
    expect(JSON.parse(JSON.stringify(cards))).toEqual(cards);
    const text = replyToText(reply);
    expect(text).toMatch(/^Kazakhstan — 3 stories in the last 7 days \(recent and widely carried first\)\n1\. /);
    expect(text).toContain('Global Times first, then RT.');
    expect(text).toContain('Narrow it: /story kazakhstan 30d');

    // tags, people and outlets find it too
    for (const q of ['color revolution', 'tokayev', 'rt', 'global times kazakhstan']) {
      const r = await findStories(q, { stories, vocabulary }, now);
      expect(r.cards.map((c) => c.id), q).toContain(seed.storyId);
    }
  });
});

describe('/story over the Redis story store', () => {
  it('ranks a story carried by two outlets over a newer one from one outlet, and matches headline words', async () => {
    const { stories } = newStore();
    await assignFixtures(stories, CENTRAL_ASIA_ITEMS.map((f) => f.id));
    const now = new Date('2024-03-10T15:00:00Z');
    const { cards } = await findStories('kazakhstan', { stories, vocabulary }, now);
    expect(cards.map((c) => c.headline)).toEqual(['National Bank of Kazakhstan cuts base rate to 14.75%', 'Tokayev signs decree on new water resources ministry']);
    expect(cards[0]!.outlets.map((o) => o.outletId)).toEqual(['kursiv', 'kazinform']);
    const words = await findStories('base rate', { stories, vocabulary }, now);
    expect(words.cards.map((c) => c.headline)).toEqual(['National Bank of Kazakhstan cuts base rate to 14.75%']);
    // a place the analysis did not file the story under is found in the headline
    const rogun = await findStories('rogun turbine', { stories, vocabulary }, now);
    expect(rogun.cards.map((c) => c.headline)).toEqual(['Third turbine of Rogun hydropower plant to start in autumn']);
  });

  it('widens the window, and when nothing matches says what was searched', async () => {
    const { stories } = newStore();
    await assignFixtures(stories, CENTRAL_ASIA_ITEMS.map((f) => f.id));
    const later = new Date('2024-03-25T12:00:00Z');
    const widened = await findStories('kazakhstan', { stories, vocabulary }, later);
    expect(widened.cards).toHaveLength(2);
    expect(replyToText(widened.reply)).toContain('Nothing in the last 7 days; widened to 30 days.');
    const none = await findStories('turkmenistan', { stories, vocabulary }, later);
    expect(none.cards).toEqual([]);
    expect(none.reply.text).toBe('Nothing found for Turkmenistan, any framing, last 90 days.');
    expect(replyToText(none.reply)).toMatch(/Try: \/story (kyrgyzstan|tajikistan|uzbekistan|kazakhstan) 90d \(\d stor(y|ies) in the last 90 days\)/);
  });

  it('answers /framing and /mute from the same store through the handler', async () => {
    const { stories, keys } = newStore();
    await assignFixtures(stories, CENTRAL_ASIA_ITEMS.map((f) => f.id), (id) =>
      id === 'ca-law' ? { framings: [{ tag: 'foreign-agent-ngo', confidence: 0.8, evidence: [{ quote: 'register as "foreign representatives"', attributedTo: null }] }] } : {},
    );
    const handle = createCommandHandler({
      stories,
      subscriptions: createRedisSubscriptionStore(redis, keys),
      mutes: createRedisMuteStore(redis, keys),
      feedAdmin: new RecordingFeedAdmin(),
      vocabulary,
      defaultMinRelevance: 0.3,
    });
    const now = new Date('2024-03-11T00:00:00Z');
    const parsed = (name: 'framing' | 'mute', text: string) => {
      const p = parseCommandText(name, text);
      if (!p.ok) throw new Error(p.reply.text);
      return p.cmd;
    };
    const f = await handle(parsed('framing', 'days:7'), ctx({ now }));
    expect(f.text).toBe('Framing in Central Asia stories over the last 7 days: 7 stories, 1 with a framing');
    expect(replyToText(f)).toContain('foreign-agent-ngo: 1 story — RFE/RL 1');
    const [law] = await stories.recent({ tags: ['foreign-agent-ngo'], since: new Date(0), limit: 1 });
    const m = await handle(parsed('mute', `story:${law!.id}`), ctx({ now }));
    expect(m.kind).toBe('ok');
    expect(m.text).toContain(`Muted story ${law!.id}`);
  });
});
