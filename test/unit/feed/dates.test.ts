import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/core/feed/parse/dates.js';

const iso = (s: string) => parseFeedDate(s)?.toISOString() ?? null;

describe('parseFeedDate', () => {
  it.each([
    // RFC 822 and its variants
    ['Tue, 26 Apr 2022 08:00:00 GMT', '2022-04-26T08:00:00.000Z'],
    ['Tue, 26 Apr 2022 08:00:00 +0300', '2022-04-26T05:00:00.000Z'],
    ['Tue, 26 Apr 2022 08:00 +0300', '2022-04-26T05:00:00.000Z'],
    ['26 Apr 2022 08:00:00 EST', '2022-04-26T13:00:00.000Z'],
    ['Tue, 26 Apr 22 08:00:00 PDT', '2022-04-26T15:00:00.000Z'],
    ['Sun, 06 Jul 99 12:56:00 GMT', '1999-07-06T12:56:00.000Z'],
    ['Wed,  9 Feb 2011 12:00:00 -0800', '2011-02-09T20:00:00.000Z'],
    ['Tuesday, 26 April 2022 08:00:00 UT', '2022-04-26T08:00:00.000Z'],
    ['Tue, 26 Apr 2022 08:00:00 Z', '2022-04-26T08:00:00.000Z'],
    ['Tue, 26 Apr 2022 08:00:00 MSK', '2022-04-26T05:00:00.000Z'],
    ['Tue, 26 Apr 2022 08:00:00', '2022-04-26T08:00:00.000Z'],
    ['Sun, 1 Jan 2023 00:00:00 GMT+3', '2022-12-31T21:00:00.000Z'],
    ['Mon, 31 Dec 2007 23:59:60 UT', '2007-12-31T23:59:59.000Z'],
    ['Tue Apr 26 08:00:00 2022', '2022-04-26T08:00:00.000Z'],
    ['Thursday, April 28, 2022 3:15 PM EDT', '2022-04-28T19:15:00.000Z'],
    // ISO 8601 / W3C-DTF
    ['2022-04-26T08:00:00Z', '2022-04-26T08:00:00.000Z'],
    ['2022-04-26T08:00:00+05:00', '2022-04-26T03:00:00.000Z'],
    ['2022-04-26T08:00:00.123456789-0300', '2022-04-26T11:00:00.123Z'],
    ['2022-04-26T08:00+06:00', '2022-04-26T02:00:00.000Z'],
    ['2022-04-26 08:00:00', '2022-04-26T08:00:00.000Z'],
    ['2022-04-26 T 10:00:00-05:00', '2022-04-26T15:00:00.000Z'],
    ['20220426T080000Z', '2022-04-26T08:00:00.000Z'],
    ['2022-04-26', '2022-04-26T00:00:00.000Z'],
    ['2022-04', '2022-04-01T00:00:00.000Z'],
    // localised
    ['26 апреля 2022, 14:05', '2022-04-26T14:05:00.000Z'],
    ['Вт, 26 апр 2022 14:05:00 +0300', '2022-04-26T11:05:00.000Z'],
    ['1 сентября 2022 г. 10:00 МСК', '2022-09-01T07:00:00.000Z'],
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['Qua, 03 Out 2018 10:00:00 -0300', '2018-10-03T13:00:00.000Z'],
    ['Sáb, 01 Dez 2018 10:00:00 -0200', '2018-12-01T12:00:00.000Z'],
    ['Mi, 27 Mär 2019 10:00:00 +0100', '2019-03-27T09:00:00.000Z'],
    ['Do, 05 Dez 2019 10:00:00 +0100', '2019-12-05T09:00:00.000Z'],
    ['mardi 26 avril 2022 08:00', '2022-04-26T08:00:00.000Z'],
    ['jeu., 01 févr. 2024 12:00:00 +0100', '2024-02-01T11:00:00.000Z'],
    ['26 août 2021 08:00 UTC', '2021-08-26T08:00:00.000Z'],
    ['26 aprel 2022 08:00', '2022-04-26T08:00:00.000Z'],
    // numeric and CJK
    ['26.04.2022 08:00', '2022-04-26T08:00:00.000Z'],
    ['04/26/2022 08:00 PM', '2022-04-26T20:00:00.000Z'],
    ['2022/04/26 08:00:00', '2022-04-26T08:00:00.000Z'],
    ['2022年4月26日 08:00', '2022-04-26T08:00:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it.each(['', '   ', 'rdf geeks', '99999', 'Thu, 31 Feb 2022 00:00:00 GMT', '2022-13-01', '2 hours ago', 'Tue, 26 Apr 2022 25:00:00 GMT', 'yesterday', '1650960000'])(
    'refuses %j',
    (input) => {
      expect(parseFeedDate(input)).toBeNull();
    },
  );

  it('reads RFC 822 dates by the fast path as the general path does (a leading space takes the general one)', () => {
    const days = ['', 'Mon, ', 'Sun, ', 'Thu, '];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const zones = ['GMT', 'UT', 'UTC', 'Z', '+0000', '-0000', '+0300', '-0430', '+1400', '+1500', '-0960', '+0545'];
    let seed = 7;
    const pick = <T>(xs: T[]) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length]!;
    const dd = (n: number) => String(n).padStart(2, '0');
    let valid = 0;
    for (let i = 0; i < 5_000; i++) {
      const day = pick([1, 9, 10, 28, 29, 30, 31, 32, 0]);
      const date = `${pick(days)}${pick([String(day), dd(day)])} ${pick(months)} ${pick([1899, 1900, 2000, 2024, 2026, 2200, 2201])}`;
      const time = `${dd(pick([0, 9, 23, 24, 25]))}:${dd(pick([0, 30, 59, 60]))}${pick(['', `:${dd(pick([0, 59, 60, 61]))}`])}`;
      const s = `${date} ${time} ${pick(zones)}`;
      const fast = parseFeedDate(s);
      expect(fast?.getTime() ?? null, s).toBe(parseFeedDate(` ${s}`)?.getTime() ?? null);
      if (fast) valid += 1;
    }
    expect(valid).toBeGreaterThan(500);
    expect(iso('Mon, 30 Nov 2026 23:00:00 GMT')).toBe('2026-11-30T23:00:00.000Z');
    expect(iso('1 Feb 2024 00:00 +0545')).toBe('2024-01-31T18:15:00.000Z');
  });

  it('accepts null and undefined', () => {
    expect(parseFeedDate(null)).toBeNull();
    expect(parseFeedDate(undefined)).toBeNull();
  });
});
