import { describe, expect, it } from 'vitest';
import { countFramings, FRAMING_LIMIT, handleFraming, tagCountLine } from '../../../src/commands/framing.js';
import { parseCommandText } from '../../../src/commands/grammar.js';
import type { TagId } from '../../../src/core/types.js';
import { ctx, FakeStoryStore, framing, outlet, story, testVocabulary } from './fakes.js';

const v = testVocabulary();
const NOW = new Date('2022-04-28T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function framed(id: string, ageDays: number, carriers: [string, string, TagId[]][], countries: ('KZ' | 'UZ')[] = ['KZ']) {
  return story({
    id,
    countries,
    outlets: carriers.map(([outletId, name, tags], i) => outlet({ outletId, outlet: name, published: daysAgo(ageDays - i * 0.01), framings: tags.map((t) => framing(t, `quote ${t}`)) })),
  });
}

const STORIES = [
  framed('a', 1, [['rt', 'RT', ['color-revolution']], ['global-times', 'Global Times', ['color-revolution', 'external-interference']]]),
  framed('b', 2, [['rt', 'RT', ['color-revolution']], ['sputnik-kz', 'Sputnik Kazakhstan', ['color-revolution']]]),
  framed('c', 3, [['rt', 'RT', ['color-revolution', 'foreign-trained-terrorists']], ['global-times', 'Global Times', ['color-revolution']]]),
  framed('d', 4, [['azattyq', 'RFE/RL Azattyq', ['disinfo-debunk']]]),
  framed('e', 5, [['kun', 'Kun.uz', []]], ['UZ']),
  framed('old', 20, [['rt', 'RT', ['color-revolution']]]),
];

function cmd(text: string) {
  const r = parseCommandText('framing', text);
  if (!r.ok) throw new Error(r.reply.text);
  return r.cmd;
}

describe('countFramings', () => {
  it('counts stories per tag and, per outlet, the stories it carried the tag in', () => {
    const counts = countFramings(STORIES.slice(0, 5));
    expect(counts.map(tagCountLine)).toEqual([
      'color-revolution: 3 stories — RT 3, Global Times 2, Sputnik Kazakhstan 1',
      'disinfo-debunk: 1 story — RFE/RL Azattyq 1',
      'external-interference: 1 story — Global Times 1',
      'foreign-trained-terrorists: 1 story — RT 1',
    ]);
    expect(countFramings(STORIES, 'external-interference').map((c) => c.tag)).toEqual(['external-interference']);
  });
});

describe('/framing', () => {
  it('counts the last 7 days by default, from one store read with a high limit', async () => {
    const store = new FakeStoryStore(STORIES);
    const r = await handleFraming(cmd(''), ctx({ now: NOW }), { stories: store, vocabulary: v });
    expect(store.queries).toEqual([{ since: new Date(NOW.getTime() - 7 * 86_400_000), limit: FRAMING_LIMIT }]);
    expect(r.visibility).toBe('in_channel');
    expect(r.text).toBe('Framing in Central Asia stories over the last 7 days: 5 stories, 4 with a framing');
    expect(r.sections[1]).toEqual({
      type: 'list',
      items: [
        'color-revolution: 3 stories — RT 3, Global Times 2, Sputnik Kazakhstan 1',
        'disinfo-debunk: 1 story — RFE/RL Azattyq 1',
        'external-interference: 1 story — Global Times 1',
        'foreign-trained-terrorists: 1 story — RT 1',
      ],
    });
  });

  it('narrows to a tag and a country, by option or bare word, over N days', async () => {
    const store = new FakeStoryStore(STORIES);
    const r = await handleFraming(cmd('tag:"color revolution" country:Казахстан days:30'), ctx({ now: NOW }), { stories: store, vocabulary: v });
    expect(store.queries[0]).toEqual({ countries: ['KZ'], tags: ['color-revolution'], since: new Date(NOW.getTime() - 30 * 86_400_000), limit: FRAMING_LIMIT });
    expect(r.text).toBe('Framing in Kazakhstan stories over the last 30 days: 4 stories, 4 with color-revolution');
    expect(r.sections[1]).toEqual({ type: 'list', items: ['color-revolution: 4 stories — RT 4, Global Times 2, Sputnik Kazakhstan 1'] });
    await handleFraming(cmd('uzbekistan 30d'), ctx({ now: NOW }), { stories: store, vocabulary: v });
    expect(store.queries[1]).toMatchObject({ countries: ['UZ'], since: new Date(NOW.getTime() - 30 * 86_400_000) });
  });

  it('caps days at 90 and says so; refuses nonsense with usage', async () => {
    const store = new FakeStoryStore(STORIES);
    const r = await handleFraming(cmd('days:400'), ctx({ now: NOW }), { stories: store, vocabulary: v });
    expect(store.queries[0]!.since).toEqual(new Date(NOW.getTime() - 90 * 86_400_000));
    expect(r.sections.some((s) => s.type === 'paragraph' && s.text.includes('Stories are kept 90 days'))).toBe(true);
    const bad = await handleFraming(cmd('days:soon tag:colr-revolution'), ctx({ now: NOW }), { stories: store, vocabulary: v });
    expect(bad.kind).toBe('usage');
    expect(bad.visibility).toBe('ephemeral');
    expect(bad.text).toContain('days is a whole number from 1 to 90 (got “soon”)');
    expect(bad.text).toContain('did you mean color-revolution?');
    expect(store.queries).toHaveLength(1);
  });

  it('says when there is nothing to count', async () => {
    const r = await handleFraming(cmd('country:TM'), ctx({ now: NOW }), { stories: new FakeStoryStore(STORIES), vocabulary: v });
    expect(r.kind).toBe('empty');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toBe('No Turkmenistan stories in the last 7 days.');
  });
});
