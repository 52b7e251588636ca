// The query language end to end over the real Redis story store: `/story outlet:rt` (ISSUE-13
// item 11: the manifest's own hint found nothing), Boolean queries through the Slack grammar and
// Discord's typed option, a bad query that never reaches Redis, `steppewatch story outlet:rt`,
// and every /story hint users are shown (manifest, Discord descriptions, help, README and docs,
// the error's examples, and the "Narrow it:" / "Try:" lines of the answers) run as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createCommandHandler, fromOptions, parseCommandText } from '../../../src/commands/index.js';
import { findStories } from '../../../src/commands/story.js';
import { helpReply } from '../../../src/commands/help.js';
import { COMMAND_SPECS } from '../../../src/commands/grammar.js';
import { discordCommands } from '../../../src/adapters/discord/commands.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../../../src/adapters/redis/subscription-store.js';
import { replyToText } from '../../../src/core/alert/text.js';
import type { Reply } from '../../../src/core/alert/values.js';
import type { Affiliation, AnalysisResult, Article, CountryCode, Framing } from '../../../src/core/types.js';
import type { StoryStore } from '../../../src/ports/stores.js';
import { cleanEnv, ROOT, runCli } from '../../helpers/cli.js';
import { testRedis, testRedisUrl, uniquePrefix } from '../../helpers/redis.js';
import { ctx, RecordingFeedAdmin, testVocabulary } from '../../unit/commands/fakes.js';

const redis = testRedis();
afterAll(() => redis.quit());
const vocabulary = testVocabulary();
const NOW = new Date('2024-03-10T15:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

interface Item {
  id: string;
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  title: string;
  text: string;
  countries: CountryCode[];
  framings?: Framing[];
  entities?: AnalysisResult['entities'];
  published: string;
}

const ITEMS: Item[] = [
  {
    id: 'rt-1', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', countries: ['KZ'], published: hoursAgo(20),
    title: 'Tokayev blames foreign-trained terrorists for Almaty unrest',
    text: 'Kazakh President Kassym-Jomart Tokayev said foreign-trained terrorists were behind the unrest in Almaty. Western NGOs were preparing a color revolution, the channel claimed.',
    framings: [
      { tag: 'foreign-trained-terrorists', confidence: 0.9, evidence: [{ quote: 'foreign-trained terrorists were behind the unrest in Almaty', attributedTo: 'Tokayev' }] },
      { tag: 'color-revolution', confidence: 0.8, evidence: [{ quote: 'Western NGOs were preparing a color revolution', attributedTo: null }] },
    ],
    entities: [{ id: 'person:tokayev', name: 'Kassym-Jomart Tokayev', kind: 'person', country: 'KZ' }],
  },
  {
    id: 'gt-1', outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', countries: ['KZ'], published: hoursAgo(40),
    title: 'Beijing backs Astana grain corridor with new rail terminal',
    text: 'A new rail terminal on the Kazakh border will carry grain to China, officials in Beijing said.',
  },
  {
    id: 'ap-1', outletId: 'asia-plus', outlet: 'Asia-Plus', affiliation: 'independent', countries: ['TJ'], published: hoursAgo(60),
    title: 'Rogun dam reservoir filling begins',
    text: 'Filling of the Rogun dam reservoir began on Saturday, the energy ministry said.',
  },
  {
    id: 'gz-1', outletId: 'gazeta-uz', outlet: 'Gazeta.uz', affiliation: 'independent', countries: ['UZ'], published: hoursAgo(30),
    title: 'Uzbekistan signs gas supply deal with Gazprom',
    text: 'Tashkent agreed a five-year gas supply deal, the ministry of energy said.',
  },
];

async function seed(stories: StoryStore): Promise<Map<string, string>> {
  const storyOf = new Map<string, string>();
  for (const it of ITEMS) {
    const article: Article = {
      id: it.id, feedId: `${it.outletId}-en`, outletId: it.outletId, outlet: it.outlet, affiliation: it.affiliation, url: `https://example.org/${it.id}`,
      title: it.title, text: it.text, published: it.published, publishedEstimated: false, firstSeen: it.published,
    };
    const analysis: AnalysisResult = {
      id: it.id, language: 'en', countries: it.countries, relevance: 0.8, framings: it.framings ?? [], summary: it.text.split('. ')[0]!, title: it.title, entities: it.entities ?? [], regional: false,
    };
    const r = await stories.assign(article, analysis, new Date(it.published));
    storyOf.set(it.id, r.storyId);
  }
  return storyOf;
}

let prefix: string;
let stories: StoryStore;
let storyOf: Map<string, string>;

beforeAll(async () => {
  prefix = uniquePrefix('storyq');
  stories = createRedisStoryStore({ redis, keys: makeKeys(prefix) });
  storyOf = await seed(stories);
  expect(new Set(storyOf.values()).size).toBe(ITEMS.length); // four stories
});

function handler(store: StoryStore = stories) {
  const keys = makeKeys(prefix);
  return createCommandHandler({
    stories: store,
    subscriptions: createRedisSubscriptionStore(redis, keys),
    mutes: createRedisMuteStore(redis, keys),
    feedAdmin: new RecordingFeedAdmin(),
    vocabulary,
    defaultMinRelevance: 0.3,
  });
}

/** `/story TEXT` as Slack sends it, through the real grammar and handler. */
async function slackStory(text: string, store?: StoryStore): Promise<Reply> {
  const p = parseCommandText('story', text);
  if (!p.ok) return p.reply;
  return handler(store)(p.cmd, ctx({ now: NOW }));
}

const headlines = (r: Reply) => replyToText(r);

describe('/story with the query language over Redis', () => {
  it('finds the RT story with outlet:rt, outlets:rt and rt (item 11: the manifest hint found nothing)', async () => {
    for (const q of ['outlet:rt', 'outlets:rt', 'rt', 'source:RT']) {
      const r = await slackStory(q);
      expect(r.kind, q).toBe('ok');
      expect(headlines(r), q).toContain('Tokayev blames foreign-trained terrorists');
      expect(headlines(r), q).not.toContain('Rogun');
    }
    const { cards } = await findStories('outlet:rt', { stories, vocabulary }, NOW);
    expect(cards.map((c) => c.id)).toEqual([storyOf.get('rt-1')]);
    // Discord sends the query as a typed option
    const d = fromOptions('story', undefined, { query: 'outlet:rt' });
    expect(d.ok).toBe(true);
    if (d.ok) expect(headlines(await handler()(d.cmd, ctx({ now: NOW })))).toContain('Tokayev blames');
  });

  it('answers Boolean queries: OR, NOT, phrases, NEAR, wildcards, affiliations', async () => {
    const ids = async (q: string) => (await findStories(q, { stories, vocabulary }, NOW)).cards.map((c) => c.id).sort();
    const id = (x: string) => storyOf.get(x)!;
    expect(await ids('(kazakhstan OR uzbekistan) NOT outlet:rt')).toEqual([id('gt-1'), id('gz-1')].sort());
    expect(await ids('kazakhstan NOT affiliation:state:RU')).toEqual([id('gt-1')]);
    expect(await ids('affiliations:independent')).toEqual([id('ap-1'), id('gz-1')].sort());
    expect(await ids('"Rogun dam"')).toEqual([id('ap-1')]);
    expect(await ids('"dam Rogun"')).toEqual([]);
    expect(await ids('tokayev NEAR/5 terrorists')).toEqual([id('rt-1')]);
    expect(await ids('Gazp*')).toEqual([id('gz-1')]);
    expect(await ids('kazakhstan AND uzbekistan')).toEqual([]);
    expect(await ids(`story:${id('ap-1')}`)).toEqual([id('ap-1')]);
    expect(await ids('tag:color-revolution OR "gas supply"')).toEqual([id('gz-1'), id('rt-1')].sort());
  });

  it('answers a bad query with its one-line error and never reaches Redis', async () => {
    let calls = 0;
    const counting: StoryStore = new Proxy(stories, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv);
        return typeof v === 'function' ? (...a: unknown[]) => (calls++, (v as (...x: unknown[]) => unknown).apply(target, a)) : v;
      },
    });
    const r = await slackStory('(kazakhstan OR uzbekistan))', counting);
    expect(r.kind).toBe('usage');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toBe('query: unexpected ")" at 27');
    expect(replyToText(r)).toContain('Usage: /story');
    expect(calls).toBe(0);
    // and a good one does reach it (the proxy counts)
    await slackStory('outlet:rt', counting);
    expect(calls).toBeGreaterThan(0);
  });

  it('`steppewatch story outlet:rt --json` finds the RT story; a bad query exits 64 with one line', async () => {
    const env = cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: prefix, FEEDS_FILE: join(ROOT, 'data', 'feeds.yaml'), LOG_LEVEL: 'warn' });
    // The CLI's clock is the real one: stories from 2024 are outside 90 days, so seed fresh ones.
    const fresh = uniquePrefix('storyqcli');
    const freshStore = createRedisStoryStore({ redis, keys: makeKeys(fresh) });
    const now = Date.now();
    for (const it of ITEMS) {
      const published = new Date(now - (NOW.getTime() - Date.parse(it.published))).toISOString();
      const article: Article = { id: it.id, feedId: `${it.outletId}-en`, outletId: it.outletId, outlet: it.outlet, affiliation: it.affiliation, url: `https://example.org/${it.id}`, title: it.title, text: it.text, published, publishedEstimated: false, firstSeen: published };
      await freshStore.assign(article, { id: it.id, language: 'en', countries: it.countries, relevance: 0.8, framings: it.framings ?? [], summary: it.title, title: it.title, entities: it.entities ?? [], regional: false }, new Date(published));
    }
    const r = await runCli(['story', 'outlet:rt', '--json'], { env: { ...env, STEPPEWATCH_REDIS_PREFIX: fresh } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cards = JSON.parse(r.stdout) as { headline: string; outlets: { outletId: string }[] }[];
    expect(cards.map((c) => c.outlets.map((o) => o.outletId))).toEqual([['rt']]);
    const bad = await runCli(['story', 'tokayev NEAR/99 terrorists'], { env: { ...env, STEPPEWATCH_REDIS_PREFIX: fresh } });
    expect(bad.code).toBe(64);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toBe('query: NEAR/n takes n from 1 to 20: "NEAR/99" at 9');
  }, 60_000);
});

/** Every `/story …` people are shown, as written. */
function shownHints(): { where: string; query: string }[] {
  const out: { where: string; query: string }[] = [];
  const manifest = parseYaml(readFileSync(join(ROOT, 'slack', 'manifest.yaml'), 'utf8')) as { features: { slash_commands: { command: string; usage_hint?: string; description?: string }[] } };
  const story = manifest.features.slash_commands.find((c) => c.command === '/story')!;
  for (const h of story.usage_hint!.split(' · ')) out.push({ where: 'slack manifest usage_hint', query: h.trim() });
  const dstory = (discordCommands() as { name: string; description: string; options?: { name: string; description: string }[] }[]).find((c) => c.name === 'story')!;
  const eg = /e\.g\. (.+)$/.exec(dstory.description);
  expect(eg, 'the Discord description gives examples').not.toBeNull();
  for (const h of eg![1]!.split(/ or |, /)) out.push({ where: 'discord description', query: h.trim() });
  for (const item of helpReply().sections.flatMap((s) => (s.type === 'list' ? s.items : s.type === 'hint' || s.type === 'paragraph' ? [s.text] : []))) {
    for (const m of item.matchAll(/\/story ([^—·\n]+?)(?= — | · |$)/g)) out.push({ where: 'help', query: m[1]!.trim() });
  }
  out.push({ where: 'usage example', query: COMMAND_SPECS.story!.example.replace(/^\/story /, '') });
  for (const file of ['README.md', 'docs/slack.md', 'docs/discord.md']) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/`\/story ([^`]+)`/g)) out.push({ where: file, query: m[1]! });
    for (const m of text.matchAll(/^\/story (.+)$/gm)) out.push({ where: file, query: m[1]! });
  }
  // templates such as `/story <query>` or `/story QUERY` are not queries
  return out.filter((h) => !/[<>…]/.test(h.query) && !/^[A-Z]+$/.test(h.query));
}

describe('every /story hint shown to users works as written', () => {
  it('runs each hint: it parses, and finds a story in this data', async () => {
    const hints = shownHints();
    expect(hints.map((h) => h.query)).toEqual(expect.arrayContaining(['outlet:rt', 'kazakhstan 30d', 'tokayev', 'color-revolution', 'kazakhstan', '30d']));
    // the query language's own examples, from help and the README
    expect(hints.filter((h) => h.where === 'help').map((h) => h.query)).toEqual(expect.arrayContaining(['(kazakhstan OR uzbekistan) NOT outlet:rt', 'tokayev NEAR/5 terrorists']));
    expect(hints.filter((h) => h.where === 'README.md').map((h) => h.query)).toEqual(expect.arrayContaining(['"Rogun dam"', 'Tokay* 30d', 'affiliation:state:RU kazakhstan']));
    const followUps: { where: string; query: string }[] = [];
    for (const h of hints) {
      const r = await slackStory(h.query);
      expect(r.kind, `${h.where}: /story ${h.query} → ${r.text}`).toBe('ok');
      for (const s of r.sections) {
        if (s.type !== 'hint') continue;
        for (const m of s.text.matchAll(/\/story ([^·]+?)(?= \(| · |$)/g)) followUps.push({ where: `${s.text.split(':')[0]} after /story ${h.query}`, query: m[1]!.trim() });
      }
    }
    // the error reply's examples
    const err = await slackStory('kazakhstan)');
    for (const s of err.sections) if (s.type === 'hint') for (const m of s.text.matchAll(/\/story ([^·]+?)(?= · |$)/g)) followUps.push({ where: 'error examples', query: m[1]!.trim() });
    expect(followUps.some((f) => f.where.startsWith('Narrow it'))).toBe(true);
    expect(followUps.some((f) => f.where === 'error examples')).toBe(true);
    for (const f of followUps) {
      const r = await slackStory(f.query);
      expect(r.kind, `${f.where}: /story ${f.query} → ${r.text}`).toBe('ok');
    }
  });
});
