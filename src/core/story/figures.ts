// Figures and calendar words in story text: numbers in their one normal form, numeric dates, month
// and weekday words. Pure string functions, kept apart from text.ts's tokens (which use `monthOf`).

/** `String.prototype.charCodeAt` (through `.call`: see core/memo.ts `unitAt`, why not `text.charCodeAt`). */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;

// thousands separated by a space, a no-break space or a thin one ("10 000", "10\u00a0000", "10\u202f000")
const NUMBER_RE = /\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*/gu;

/**
 * Numbers mentioned, normalised ("2,5" → "2.5", "10 000" and "10,000" → "10000"). Single digits are
 * left out: they are too common to say anything about an event.
 */
export function numbers(text: string): string[] {
  const out: string[] = [];
  // (exec over the one global regex, lastIndex from 0, not `matchAll`, which makes a copy of the
  // regex and an iterator each call: these run on every article clustered; no pattern here matches
  // the empty string, so the two visit the same matches)
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(text); m !== null; m = NUMBER_RE.exec(text)) {
    const raw = m[0];
    if (allDigits(raw)) {
      // digits only (most figures): what the rules below leave of them, without their regexes
      let z = 0;
      while (z < raw.length - 1 && unitAt.call(raw, z) === 48) z++;
      if (raw.length - z >= 2) out.push(z ? raw.slice(z) : raw);
      continue;
    }
    let s = raw.replace(/[ \u00a0\u202f\u2009]/gu, '');
    // "1,000,000" (English thousands) and "1.000.000" (continental); otherwise a comma is a decimal point
    if (/^\d{1,3}(,\d{3})+$/u.test(s)) s = s.replace(/,/gu, '');
    else if (/^\d{1,3}(\.\d{3}){2,}$/u.test(s)) s = s.replace(/\./gu, '');
    else s = s.replace(',', '.');
    // one form per value: "2.50" and "2.5", "5.0" and "5" are one figure
    if (/^\d+\.\d+$/u.test(s)) s = s.replace(/\.?0+$/u, '');
    s = s.replace(/^0+(?=\d)/u, '');
    if (s.length < 2) continue;
    out.push(s);
  }
  return out;
}

/** Only ASCII digits 0-9. */
function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = unitAt.call(s, i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Month words (English names and abbreviations, Russian stems) → 1–12; filled once at load. */
export const MONTHS: Record<string, number> = {};
[
  ['january', 'jan', 'январ'],
  ['february', 'feb', 'феврал'],
  ['march', 'mar', 'март'],
  ['april', 'apr', 'апрел'],
  ['may', 'may', 'ма'],
  ['june', 'jun', 'июн'],
  ['july', 'jul', 'июл'],
  ['august', 'aug', 'август'],
  ['september', 'sep', 'сентябр'],
  ['october', 'oct', 'октябр'],
  ['november', 'nov', 'ноябр'],
  ['december', 'dec', 'декабр'],
].forEach(([en, abbr, ru], i) => {
  MONTHS[en!] = i + 1;
  MONTHS[abbr!] = i + 1;
  MONTHS[ru!] = i + 1;
});
const RU_MONTH_RE = /^(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(я|е|ь|й|а|ом)?$/u;

// "26 апр.", "1 сент." (not "мар", "май": whole words or other words)
const RU_MONTH_ABBR: Record<string, number> = { янв: 1, фев: 2, февр: 2, апр: 4, авг: 8, сен: 9, сент: 9, окт: 10, нояб: 11, дек: 12 };

export function monthOf(lower: string): number | undefined {
  if (lower === 'may' || lower === 'mar') return undefined; // modal verb / ambiguous without a day
  const ru = RU_MONTH_RE.exec(lower);
  if (ru) return MONTHS[ru[1]!];
  return MONTHS[lower.replace(/\.$/u, '')] ?? RU_MONTH_ABBR[lower];
}

const NUMERIC_DATE_RE = /(?<![\d.])(?:(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)|((?:19|20)\d\d)-(\d{1,2})-(\d{1,2}))(?![\d.]\d)/gu;

/**
 * Dates written in digits, in the unambiguous forms: "26.04.2022" (day first, as Russian writes it)
 * and "2022-04-26" (ISO) → "MM-DD", like `datesOf`. (Slashed dates are left out: 04/05 is April
 * the 5th in one country and May the 4th in another.)
 */
export function numericDates(text: string): string[] {
  return numericDatesApart(text).dates;
}

/** Removes numeric dates (`numericDates`) from a text, so their pieces are not also counted as figures. */
export function withoutNumericDates(text: string): string {
  return numericDatesApart(text).rest;
}

/** `numericDates` of a text and the text `withoutNumericDates`, in one pass of the regex. */
export function numericDatesApart(text: string): { dates: string[]; rest: string } {
  const dates: string[] = [];
  let rest = '';
  let from = 0;
  NUMERIC_DATE_RE.lastIndex = 0;
  for (let m = NUMERIC_DATE_RE.exec(text); m !== null; m = NUMERIC_DATE_RE.exec(text)) {
    // every match goes from the text (as `replace` takes them), a date or not
    rest += `${text.slice(from, m.index)} `;
    from = m.index + m[0].length;
    const mo = Number(m[2] ?? m[5]);
    const d = Number(m[1] ?? m[6]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) dates.push(`${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return { dates, rest: from === 0 ? text : rest + text.slice(from) };
}

export function isMonthOrWeekday(lower: string): boolean {
  return monthOf(lower) !== undefined || WEEKDAYS.has(lower) || lower === 'may';
}
const WEEKDAYS = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'понедельник', 'вторник', 'среда', 'среду', 'четверг', 'пятница', 'пятницу', 'суббота', 'субботу', 'воскресенье',
]);

const HAN_DATE_RE = /(\d{1,2})月(\d{1,2})日/gu;

/** Calendar dates written the Chinese way ("4月12日") → "MM-DD", like `datesOf`. */
export function hanDates(text: string): string[] {
  const out: string[] = [];
  HAN_DATE_RE.lastIndex = 0;
  for (let m = HAN_DATE_RE.exec(text); m !== null; m = HAN_DATE_RE.exec(text)) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) out.push(`${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return out;
}

const SCALED_RE = /(\d+(?:[.,]\d+)?)\s?(万亿|万|亿|тыс\.?|тысяч\p{L}*|млн\.?|миллион\p{L}*|млрд\.?|миллиард\p{L}*|трлн\.?|триллион\p{L}*|thousand|million|billion|bn\b|trillion)/giu;

/**
 * Numbers written with a scale word, as plain numbers ("9.6万" and "96 тысяч" → "96000",
 * "10 billion" → "10000000000"), so a translation's figures meet the original's.
 */
export function scaledNumbers(text: string): string[] {
  const out: string[] = [];
  SCALED_RE.lastIndex = 0;
  for (let m = SCALED_RE.exec(text); m !== null; m = SCALED_RE.exec(text)) {
    const w = m[2]!.toLowerCase();
    const f =
      w === '万亿' || w.startsWith('трлн') || w.startsWith('триллион') || w === 'trillion'
        ? 1e12
        : w === '万'
          ? 1e4
          : w === '亿'
            ? 1e8
            : w.startsWith('тыс') || w === 'thousand'
              ? 1e3
              : w.startsWith('млн') || w.startsWith('миллион') || w === 'million'
                ? 1e6
                : 1e9;
    const v = Math.round(Number(m[1]!.replace(',', '.')) * f);
    if (Number.isFinite(v) && v >= 100) out.push(String(v));
  }
  return out;
}
