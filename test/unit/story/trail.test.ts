import { describe, expect, it } from 'vitest';
import { randomTexts } from '../../helpers/random-text.js';
import { findCitations, matchOutlet } from '../../../src/core/story/trail.js';
import { seedArticles, warnIfNoShared } from '../../fixtures/story/shared.js';

const shared = warnIfNoShared('seed citation test');
const known = [
  { id: 'global-times', names: ['Global Times', '环球时报'] },
  { id: 'xinhua', names: ['Xinhua', 'Xinhua News Agency', 'Синьхуа', '新华社'] },
  { id: 'tass', names: ['TASS', 'ТАСС'] },
  { id: 'ria-novosti', names: ['RIA Novosti', 'РИА Новости'] },
  { id: 'interfax', names: ['Interfax', 'Интерфакс'] },
  { id: 'rt', names: ['RT'] },
];

describe('findCitations', () => {
  it.each([
    ['The minister said so, according to the Global Times.', ['global-times']],
    ['The talks went well, as cited by Xinhua News Agency.', ['xinhua']],
    ['Xinhua reported on Monday that the talks had ended.', ['xinhua']],
    ['По данным ТАСС, переговоры прошли успешно.', ['tass']],
    ['Переговоры прошли успешно, сообщает РИА Новости.', ['ria-novosti']],
    ['Об этом сообщает агентство «Интерфакс».', ['interfax']],
    ['据新华社报道，哈萨克斯坦总统托卡耶夫会见了代表团。', ['xinhua']],
    ['The Defense Ministry quoted Wei as saying that China supports Kazakhstan.', ['Defense Ministry']],
    ['This was reported by the Ministry of Foreign Affairs of Kazakhstan.', ['Ministry of Foreign Affairs of Kazakhstan']],
  ])('%s', (text, expected) => {
    expect(findCitations(text, known)).toEqual(expected);
  });

  it('finds nothing in plain reporting, a company reporting results, or a "Source link" line', () => {
    expect(findCitations('Tokayev met Wei Fenghe in Nur-Sultan on Monday.', known)).toEqual([]);
    expect(findCitations('Roku reported revenue of 400 million dollars.', known)).toEqual([]);
    expect(findCitations('More on the subject – Xi Jinping criticizes sanctions\n\nSource link', known)).toEqual([]);
  });

  it('leaves out the article’s own outlet', () => {
    expect(findCitations('According to RT, the talks ended.', known, 'rt')).toEqual([]);
  });

  it('maps inflected Russian names to outlets', () => {
    expect(matchOutlet('РИА Новостей', known)).toBe('ria-novosti');
    expect(matchOutlet('агентства ТАСС', known)).toBe('tass');
    expect(matchOutlet('Ministry of Defense', known)).toBeNull();
  });
});

describe.skipIf(!shared)('citations in the seeds (needs ../shared)', () => {
  it('RT quotes the Chinese Ministry of Defense (not an outlet: recorded by name); Global Times cites no one', () => {
    const { gt, rt } = seedArticles(shared!);
    expect(findCitations(rt.article.text, known, 'rt')).toEqual(['Chinese Ministry of Defense']);
    expect(findCitations(gt.article.text, known, 'global-times')).toEqual([]);
  });
});

describe('citation cues', () => {
  it('finds in one scan the cues looking for each finds (random text of cue pieces, overlapping and nested)', async () => {
    const { citationCues } = await import('../../../src/core/story/trail.js');
    const { all } = citationCues('');
    const pieces = [...all, ...all.map((c) => c.slice(0, 3)), ...all.map((c) => c.slice(2)), ' ', 'о', 'ed', 'by', '社报', 'X'];
    let found = 0;
    for (const text of randomTexts(pieces, 3000, 12, 77)) {
      const want = all.filter((c) => text.includes(c));
      expect(citationCues(text).found, JSON.stringify(text)).toEqual(want);
      found += want.length;
    }
    expect(found).toBeGreaterThan(3000);
    // a cue inside another, and one starting inside another
    expect(citationCues('сообщили').found).toEqual(expect.arrayContaining(['сообщ', 'сообщили']));
    expect(citationCues('interviewrote').found).toEqual(['wrote', 'interview'].filter((c) => all.includes(c)).sort((a, b) => all.indexOf(a) - all.indexOf(b)));
  });
});
