// Hand-written fakes and builders for command tests: a StoryStore over an array that records
// its queries and filters like the port says, a FeedAdmin that records calls and answers what
// the test sets, a small vocabulary, and a Story builder.
import type { Affiliation, CountryCode, Framing, Story, StoryOutlet, TagId } from '../../../src/core/types.js';
import type { FeedAddResult, FeedAdmin, FeedCheckResult, FeedStatus } from '../../../src/ports/feed-admin.js';
import type { StoryQuery, StoryStore } from '../../../src/ports/stores.js';
import type { CommandContext } from '../../../src/commands/types.js';
import { buildVocabulary } from '../../../src/commands/vocabulary.js';
import { defaultTagVocabulary } from '../../../src/commands/tags.js';

export function testVocabulary() {
  return buildVocabulary({
    countries: {
      KZ: ['kazakhstan*', 'kazakstan*', 'qazaqstan*', 'казахстан*', 'қазақстан*', 'kazakh*', 'казах*', '哈萨克斯坦', '哈萨克'],
      KG: ['kyrgyzstan*', 'kyrgyz*', 'кыргызстан*', 'киргизи*', '吉尔吉斯斯坦'],
      TJ: ['tajikistan*', 'tajik*', 'таджикистан*', '塔吉克斯坦'],
      TM: ['turkmenistan*', 'turkmen*', 'туркменистан*', '土库曼斯坦'],
      UZ: ['uzbekistan*', 'uzbek*', 'узбекистан*', '乌兹别克斯坦'],
    },
    entities: [
      { id: 'person:tokayev', name: 'Kassym-Jomart Tokayev', aliases: ['tokayev*', 'tokaev*', 'токаев*', '托卡耶夫'] },
      { id: 'person:mirziyoyev', name: 'Shavkat Mirziyoyev', aliases: ['mirziyoyev*', 'мирзиёев*'] },
      { id: 'place:rogun', name: 'Rogun', aliases: ['rogun*', 'рогун*'] },
      { id: 'org:csto', name: 'CSTO', aliases: ['csto', 'одкб'] },
    ],
    tags: defaultTagVocabulary(),
    outlets: [
      { id: 'rt', name: 'RT' },
      { id: 'global-times', name: 'Global Times' },
      { id: 'sputnik-kz', name: 'Sputnik Kazakhstan' },
      { id: 'azattyq', name: 'RFE/RL Azattyq' },
      { id: 'kazinform', name: 'Kazinform' },
    ],
  });
}

export function ctx(o: Partial<CommandContext> & { admin?: boolean } = {}): CommandContext {
  return {
    destination: o.destination ?? { platform: 'slack', channel: 'C0123' },
    user: o.user ?? { id: 'U1', name: 'ana', isAdmin: o.admin ?? false },
    now: o.now ?? new Date('2022-04-28T12:00:00.000Z'),
  };
}

export function framing(tag: TagId, quote: string | null, attributedTo: string | null = null, confidence = 0.8): Framing {
  return { tag, confidence, evidence: quote ? [{ quote, attributedTo }] : [] };
}

export function outlet(o: { outletId: string; outlet?: string; affiliation?: Affiliation; published: string; framings?: Framing[]; url?: string | null }): StoryOutlet {
  return {
    outletId: o.outletId,
    outlet: o.outlet ?? o.outletId.toUpperCase(),
    affiliation: o.affiliation ?? 'unknown',
    articleId: `${o.outletId}-${o.published}`,
    url: o.url === undefined ? `https://example.org/${o.outletId}/${o.published.slice(0, 10)}` : o.url,
    title: `title by ${o.outletId}`,
    published: o.published,
    cites: [],
    framings: o.framings ?? [],
  };
}

export function story(o: { id: string; headline?: string; countries?: CountryCode[]; relevance?: number; outlets: StoryOutlet[]; entities?: string[]; summary?: string }): Story {
  const times = o.outlets.map((x) => x.published).sort();
  return {
    id: o.id,
    headline: o.headline ?? `Headline ${o.id}`,
    summary: o.summary ?? `Summary of ${o.id}.`,
    countries: o.countries ?? ['KZ'],
    relevance: o.relevance ?? 0.8,
    outlets: o.outlets,
    articleIds: o.outlets.map((x) => x.articleId),
    entities: o.entities ?? [],
    firstSeen: times[0]!,
    lastSeen: times[times.length - 1]!,
  };
}

/** The seed story as the story engineer's store builds it (Global Times first, RT a day later). */
export function seedStory(): Story {
  return story({
    id: 'st-seed',
    headline: 'China opposes external forces instigating “color revolution” in Kazakhstan',
    countries: ['KZ'],
    relevance: 0.9,
    entities: ['country:KZ', 'person:tokayev'],
    outlets: [
      outlet({
        outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', published: '2022-04-26T08:00:00.000Z',
        framings: [
          framing('color-revolution', 'China firmly opposes external forces deliberately instigating a “color revolution” in Kazakhstan', 'Wei Fenghe', 0.9),
          framing('external-interference', 'China firmly opposes external forces deliberately instigating a “color revolution” in Kazakhstan', 'Wei Fenghe', 0.7),
        ],
      }),
      outlet({
        outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', published: '2022-04-27T10:12:00.000Z',
        framings: [
          framing('color-revolution', 'China firmly opposes external forces deliberately inciting a color revolution in Kazakhstan', 'Wei Fenghe', 0.9),
          framing('foreign-trained-terrorists', 'The Kazakh leader claimed that tens of thousands of “foreign-trained terrorists and bandits” were behind the unrest', 'Tokayev', 0.8),
          framing('disinfo-debunk', 'However, he did not provide any evidence to support this claim.', null, 0.6),
        ],
      }),
    ],
  });
}

/**
 * StoryStore over an array. `recent` filters as the port says (countries, tags, outlets, entities
 * each OR-ed within and AND-ed together; text words all in the headline; lastSeen ≥ since), most
 * recently seen first, and records every query.
 */
export class FakeStoryStore implements StoryStore {
  readonly queries: StoryQuery[] = [];
  constructor(public stories: Story[] = []) {}
  async assign(): Promise<never> {
    throw new Error('not used by commands');
  }
  async assignMany(): Promise<never> {
    throw new Error('not used by commands');
  }
  async get(id: string) {
    return this.stories.find((s) => s.id === id) ?? null;
  }
  async getMany(ids: string[]) {
    return ids.map((id) => this.stories.find((s) => s.id === id) ?? null);
  }
  async recent(q: StoryQuery) {
    this.queries.push(q);
    const since = q.since.getTime();
    return this.stories
      .filter((s) => Date.parse(s.lastSeen) >= since)
      .filter((s) => !q.countries?.length || q.countries.some((c) => s.countries.includes(c)))
      .filter((s) => !q.tags?.length || q.tags.some((t) => s.outlets.some((o) => o.framings.some((f) => f.tag === t))))
      .filter((s) => !q.outletIds?.length || q.outletIds.some((id) => s.outlets.some((o) => o.outletId === id)))
      .filter((s) => !q.entityIds?.length || q.entityIds.some((e) => s.entities.includes(e)))
      .filter((s) => !q.text || q.text.toLowerCase().split(/\s+/).every((w) => s.headline.toLowerCase().includes(w)))
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .slice(0, q.limit);
  }
}

export function feedStatus(o: { id: string; outlet?: string; affiliation?: Affiliation; source?: 'file' | 'command' } & Partial<FeedStatus['health']> & { paused?: FeedStatus['paused'] }): FeedStatus {
  return {
    feed: {
      id: o.id,
      url: `https://example.org/${o.id}.xml`,
      outlet: o.outlet ?? o.id,
      outletId: o.id.replace(/-[a-z]{2}$/, ''),
      language: ['en'],
      affiliation: o.affiliation ?? 'unknown',
      source: o.source ?? 'file',
    },
    paused: o.paused ?? null,
    health: {
      lastSuccess: o.lastSuccess ?? null,
      lastError: o.lastError ?? null,
      consecutiveFailures: o.consecutiveFailures ?? 0,
      notModifiedRatio: o.notModifiedRatio ?? null,
      itemsPerDay: o.itemsPerDay ?? null,
    },
  };
}

/** FeedAdmin that records each call and answers with what the test put in its fields. */
export class RecordingFeedAdmin implements FeedAdmin {
  readonly calls: { op: string; args: unknown[] }[] = [];
  feeds: FeedStatus[] = [];
  addResult: FeedAddResult | null = null;
  removeResult = { removed: true, inFile: false };
  checkResult: FeedCheckResult = { url: '', ok: true, items: 0, sample: [] };
  async list() {
    this.calls.push({ op: 'list', args: [] });
    return this.feeds;
  }
  async add(input: Parameters<FeedAdmin['add']>[0], by: string): Promise<FeedAddResult> {
    this.calls.push({ op: 'add', args: [input, by] });
    if (!this.addResult) throw new Error('test did not set addResult');
    return this.addResult;
  }
  async remove(id: string) {
    this.calls.push({ op: 'remove', args: [id] });
    return this.removeResult;
  }
  async pause(id: string, by: string) {
    this.calls.push({ op: 'pause', args: [id, by] });
    return this.feeds.some((f) => f.feed.id === id);
  }
  async resume(id: string) {
    this.calls.push({ op: 'resume', args: [id] });
    return this.feeds.some((f) => f.feed.id === id);
  }
  async check(url: string) {
    this.calls.push({ op: 'check', args: [url] });
    return { ...this.checkResult, url };
  }
}
