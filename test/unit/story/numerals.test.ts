import { describe, expect, it } from 'vitest';
import { randomTexts } from '../../helpers/random-text.js';
import { hanNumbers, wordNumbers } from '../../../src/core/story/numerals.js';
import { articleFeatures } from '../../../src/core/story/features.js';
import { compileNames } from '../../../src/core/story/names.js';
import { datesOf, numbers, numericDates, scaledNumbers, tokens } from '../../../src/core/story/text.js';

const nums = (text: string) => wordNumbers(tokens(text));

describe('numbers written as words', () => {
  it('reads English and Russian number words as values, not a lone "one" or a lone scale word', () => {
    expect(nums('twenty-five people and two hundred and fifty thousand dollars, one of the')).toEqual([25, 250000]);
    expect(nums('двести пятьдесят тысяч человек, трое взрослых и пятеро детей, тысячи людей')).toEqual([250000, 3, 5]);
    expect(nums('two thousand five hundred')).toEqual([2500]);
    expect(nums('девяносто шесть тысяч домов и сто двадцать')).toEqual([96000, 120]);
    expect(nums('five twenty')).toEqual([5, 20]);
  });
  it('leaves a scale word after digits to scaledNumbers', () => {
    expect(nums('3 миллиона')).toEqual([]);
    expect(scaledNumbers('1.2bn, 1,2 млрд, 12亿, 3 трлн, 3万亿')).toEqual(['1200000000', '1200000000', '1200000000', '3000000000000', '3000000000000']);
  });
  it('reads Chinese numerals that count something, not numerals inside words or ordinals', () => {
    expect(hanNumbers('地震造成五人死亡，二十五座房屋倒塌，两千名居民，一带一路，第三次，统一')).toEqual([5, 25, 2000]);
  });
  it('gives a figure in words the key of the same figure in digits, in any of the three languages', () => {
    const key = (title: string, text: string) => articleFeatures({ id: 'x', title, text, published: '2024-05-01T00:00:00Z' }, { names: compileNames([]) }).nums;
    expect(key('', 'The quake destroyed twenty-five houses in the valley.')).toContain('#:25');
    expect(key('', 'Землетрясение разрушило двадцать пять домов в долине.')).toContain('#:25');
    expect(key('', '地震造成二十五座房屋倒塌。')).toContain('#:25');
    expect(key('', 'Землетрясение разрушило 25 домов в долине.')).toContain('#:25');
  });
});

describe('figures and dates in their several forms', () => {
  it('reads thousands with no-break and thin spaces and one form per value', () => {
    expect(numbers('10\u00a0000 и 10\u202f000 и 2.50 и 2,5')).toEqual(['10000', '10000', '2.5', '2.5']);
  });
  it('reads numeric dates day-first and ISO, and day-month dates with "-го" and "of"', () => {
    expect(numericDates('26.04.2022 и 2022-04-26, 1.2.2023, 12.5')).toEqual(['04-26', '04-26', '02-01']);
    expect(datesOf(tokens('26-го апреля, the 26th of April, 3 сент.'))).toEqual(['04-26', '04-26', '09-03']);
  });
  it('counts a numeric date as a date, not as figures', () => {
    const f = articleFeatures({ id: 'x', title: '', text: 'Договор подписан 26.04.2022 в Ташкенте.', published: '2022-04-26T00:00:00Z' }, { names: compileNames([]) });
    expect(f.nums).toEqual(['d:04-26']);
  });
});

describe('numeric dates and the text without them, in one pass', () => {
  it('give what matchAll and replace over the regex gave (random text of digits, dots, dashes)', async () => {
    const { numericDatesApart, withoutNumericDates } = await import('../../../src/core/story/figures.js');
    // the regex and the two readings figures.ts had before numericDatesApart
    const RE = /(?<![\d.])(?:(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)|((?:19|20)\d\d)-(\d{1,2})-(\d{1,2}))(?![\d.]\d)/gu;
    const before = (text: string) => ({
      dates: [...text.matchAll(RE)].flatMap((m) => {
        const mo = Number(m[2] ?? m[5]);
        const d = Number(m[1] ?? m[6]);
        return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 ? [`${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`] : [];
      }),
      rest: text.replace(RE, ' '),
    });
    const pieces = ['1', '2', '0', '9', '19', '20', '.', '-', ' ', 'a', '26.04.2022', '2022-04-26', '13.13.2020', '1.2.2023'];
    let found = 0;
    for (const text of randomTexts(pieces, 4000, 14, 4242)) {
      const want = before(text);
      expect(numericDatesApart(text), JSON.stringify(text)).toEqual(want);
      expect(numericDates(text)).toEqual(want.dates);
      expect(withoutNumericDates(text)).toBe(want.rest);
      found += want.dates.length;
    }
    expect(found).toBeGreaterThan(100);
  });
});
