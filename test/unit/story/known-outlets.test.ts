// data/outlets.yaml is the one list of outlets a citation can name; the wiring passes it (with
// the feeds file's outlets) to the story store. It must know every outlet and spelling the
// code used to carry as DEFAULT_KNOWN_OUTLETS in core/story/trail.ts.
import { describe, expect, it } from 'vitest';
import { findCitations } from '../../../src/core/story/trail.js';
import { knownOutlets } from '../../../src/main/container.js';
import { loadOutletDirectory } from '../../../src/main/outlets.js';

const FORMERLY_IN_CODE: [string, string[]][] = [
  ['global-times', ['Global Times', 'Глобал Таймс', '环球时报']],
  ['xinhua', ['Xinhua', 'Xinhua News Agency', 'Синьхуа', 'агентство Синьхуа', '新华社']],
  ['cgtn', ['CGTN']],
  ['china-daily', ['China Daily', '中国日报']],
  ['peoples-daily', ["People's Daily", 'Жэньминь жибао', '人民日报']],
  ['rt', ['RT', 'Russia Today', 'RT на русском']],
  ['tass', ['TASS', 'ТАСС']],
  ['ria-novosti', ['RIA Novosti', 'RIA', 'РИА Новости', 'РИА']],
  ['interfax', ['Interfax', 'Интерфакс']],
  ['sputnik', ['Sputnik', 'Спутник']],
  ['reuters', ['Reuters', 'Рейтер', 'Рейтерс', '路透社']],
  ['afp', ['AFP', 'Agence France-Presse', 'Франс Пресс']],
  ['ap', ['AP', 'Associated Press']],
  ['kazinform', ['Kazinform', 'Казинформ']],
  ['tengrinews', ['Tengrinews', 'Тенгриньюс']],
  ['akipress', ['AKIpress', 'АКИpress']],
  ['kun-uz', ['Kun.uz']],
  ['gazeta-uz', ['Gazeta.uz']],
  ['rfe-rl', ['RFE/RL', 'Radio Free Europe/Radio Liberty', 'Radio Liberty', 'Радио Свобода', 'Радио Азаттык', 'Azattyq']],
  ['bbc', ['BBC', 'Би-би-си']],
];

describe('known outlets come from data/outlets.yaml', () => {
  const known = knownOutlets(loadOutletDirectory([]));
  it('with every outlet and spelling the code used to carry', () => {
    for (const [id, names] of FORMERLY_IN_CODE) {
      const o = known.find((k) => k.id === id);
      expect(o, id).toBeDefined();
      for (const n of names) expect(o!.names, `${id}: ${n}`).toContain(n);
    }
  });
  it('so a citation of one is its id', () => {
    expect(findCitations('Об этом сообщает агентство Тенгриньюс.', known)).toEqual(['tengrinews']);
    expect(findCitations('The talks ended, according to Kun.uz.', known)).toEqual(['kun-uz']);
    expect(findCitations('The talks ended, according to Kun.uz.', [])).toEqual(['Kun.uz']);
  });
  it('a feeds-file outlet adds its name', () => {
    const withFeed = knownOutlets(loadOutletDirectory([{ outletId: 'tengrinews', outlet: 'Tengri News', affiliation: 'unknown' }]));
    expect(withFeed.find((k) => k.id === 'tengrinews')!.names).toEqual(expect.arrayContaining(['Tengri News', 'Tengrinews', 'Тенгриньюс']));
  });
});
