import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/lang/detect.js';

describe('language identification', () => {
  const cases: [string, string][] = [
    ['en', 'China firmly opposes external forces deliberately instigating a color revolution in Kazakhstan, the minister said.'],
    ['ru', 'Президент Казахстана заявил, что в стране пытались устроить государственный переворот.'],
    ['zh', '中方坚决反对外部势力在哈萨克斯坦策动颜色革命。'],
    ['kk', 'Қазақстан Республикасының Президенті Астанада шетелдік инвесторлармен кездесті.'],
    ['ky', 'Кыргызстандын өкмөтү Бишкекте жаңы мектептердин курулушун үстүбүздөгү жылы бүтүрөөрүн билдирди.'],
    ['tg', 'Президенти Ҷумҳурии Тоҷикистон дар шаҳри Душанбе бо сармоягузорони хориҷӣ вохӯрд.'],
    ['uz', 'Ўзбекистон Республикаси Президенти Тошкентда хорижий инвесторлар билан учрашди ва ҳамкорлик масалаларини муҳокама қилди.'],
    ['uz', 'Oʻzbekiston Respublikasi Prezidenti Toshkentda xorijiy investorlar bilan uchrashdi va hamkorlik masalalarini muhokama qildi.'],
    ['tk', 'Türkmenistanyň Prezidenti Serdar Berdimuhamedow şu gün Aşgabatda daşary ýurt wekilleri bilen duşuşdy.'],
  ];
  for (const [code, text] of cases) it(`${code}: ${text.slice(0, 30)}…`, () => expect(detectLanguage(text)).toBe(code));

  it('a Kazakh name quoted in a Russian text keeps it Russian', () => {
    expect(detectLanguage('В Астане Қасым-Жомарт Тоқаев провёл встречу с министрами и обсудил цены на топливо.')).toBe('ru');
  });
  it('says und when there is nothing to go on, or uses the hint', () => {
    expect(detectLanguage('12345 — !!')).toBe('und');
    expect(detectLanguage('12345', 'ru')).toBe('ru');
  });
});
