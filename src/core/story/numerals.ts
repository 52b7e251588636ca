// Numbers written as words, in English, Russian and Chinese ("twenty-five", "двадцать пять",
// "двести тысяч", "二十五人"), as plain values, so a figure a report spells out meets the same
// figure in digits in another report or language. Written by hand: no installed package reads
// Russian or Chinese numerals, and the need is narrow (cardinal numbers of news text).

/**
 * What `wordNumbers` reads of a token (text.ts `Token`, whose memoised `Word` carries `numberUnit`
 * and `scaleOf` of the word: written so, text.ts imports this module and not the other way round).
 */
export interface NumberToken {
  lower: string;
  word: { unit: number | undefined; scale: number | undefined };
}

/** English number words → value (units and tens add; hundred multiplies; scales close a group). */
const EN: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90,
};

/** Russian cardinal (and collective: "трое", "пятеро") number words in their case forms → value. */
const RU: Record<string, number> = {};
const ruForms: [number, string[]][] = [
  [1, ['один', 'одна', 'одно', 'одного', 'одной', 'одному', 'одним', 'одном']],
  [2, ['два', 'две', 'двух', 'двум', 'двумя', 'двое', 'двоих']],
  [3, ['три', 'трех', 'трем', 'тремя', 'трое', 'троих']],
  [4, ['четыре', 'четырех', 'четырем', 'четырьмя', 'четверо', 'четверых']],
  [5, ['пять', 'пяти', 'пятью', 'пятеро', 'пятерых']],
  [6, ['шесть', 'шести', 'шестью', 'шестеро', 'шестерых']],
  // not "семью": the accusative of "семья" (family) far more often than "by seven"
  [7, ['семь', 'семи', 'семеро', 'семерых']],
  [8, ['восемь', 'восьми', 'восемью', 'восьмеро']],
  [9, ['девять', 'девяти', 'девятью']],
  [10, ['десять', 'десяти', 'десятью', 'десятеро']],
  [40, ['сорок', 'сорока']],
  [90, ['девяносто', 'девяноста']],
  [100, ['сто', 'ста']],
  [200, ['двести', 'двухсот', 'двумстам']],
  [300, ['триста', 'трехсот']],
  [400, ['четыреста', 'четырехсот']],
];
for (const [v, forms] of ruForms) for (const f of forms) RU[f] = v;
// 11–19 and 20, 30, 50–80, 500–900: a stem and the endings -ь/-и/-ью (-сот for hundreds)
const ruTeens = ['одиннадцат', 'двенадцат', 'тринадцат', 'четырнадцат', 'пятнадцат', 'шестнадцат', 'семнадцат', 'восемнадцат', 'девятнадцат'];
ruTeens.forEach((s, i) => ['ь', 'и', 'ью'].forEach((e) => (RU[s + e] = 11 + i)));
for (const [s, v] of [['двадцат', 20], ['тридцат', 30]] as const) for (const e of ['ь', 'и', 'ью']) RU[s + e] = v;
for (const [nom, obl, v] of [['пятьдесят', 'пятидесяти', 50], ['шестьдесят', 'шестидесяти', 60], ['семьдесят', 'семидесяти', 70], ['восемьдесят', 'восьмидесяти', 80]] as const) {
  RU[nom] = v;
  RU[obl] = v;
}
for (const [nom, obl, v] of [['пятьсот', 'пятисот', 500], ['шестьсот', 'шестисот', 600], ['семьсот', 'семисот', 700], ['восемьсот', 'восьмисот', 800], ['девятьсот', 'девятисот', 900]] as const) {
  RU[nom] = v;
  RU[obl] = v;
}

/** Scale words of both languages (any case form) → factor. */
export function scaleOf(lower: string): number | undefined {
  if (lower === 'hundred' || lower === 'hundreds') return 100;
  if (lower === 'thousand' || lower === 'thousands' || /^тысяч/u.test(lower) || lower === 'тыс') return 1e3;
  if (lower === 'million' || lower === 'millions' || /^миллион/u.test(lower) || lower === 'млн') return 1e6;
  if (lower === 'billion' || lower === 'billions' || lower === 'bn' || /^миллиард/u.test(lower) || lower === 'млрд') return 1e9;
  if (lower === 'trillion' || /^триллион/u.test(lower) || lower === 'трлн') return 1e12;
  return undefined;
}

const DIGITS_RE = /^\d/u;

/** The value of a number word of either language ("twenty", "двадцати"), or undefined. */
export function numberUnit(lower: string): number | undefined {
  return EN[lower] ?? RU[lower];
}

/**
 * Numbers written as words in English or Russian, as values: runs of number words ("twenty five",
 * "two hundred and fifty thousand", "двести пятьдесят тысяч"). A lone "one"/"один" is no figure
 * ("one of the…"), nor is a lone scale word ("thousands of people"); a scale word after digits is
 * `scaledNumbers`' ("3 million"), not counted again here.
 */
export function wordNumbers(toks: readonly NumberToken[]): number[] {
  const out: number[] = [];
  let total = 0;
  let current = 0;
  let words = 0;
  let small = 0; // number words other than scales in the run
  const flush = () => {
    const v = total + current;
    if (small > 0 && !(words === 1 && v === 1)) out.push(v);
    total = 0;
    current = 0;
    words = 0;
    small = 0;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    // the word's number facts, worked out once per distinct word (text.ts `Word`: numberUnit, scaleOf)
    const unit = t.word.unit;
    if (unit !== undefined) {
      // "twenty five", "двадцать пять" add up; "five twenty" is two numbers
      if (current > 0 && (current % 10 !== 0 || unit >= current || (current < 100 && unit >= 10))) flush();
      current += unit;
      words++;
      small++;
      continue;
    }
    const scale = t.word.scale;
    if (scale !== undefined && words > 0) {
      if (scale === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * scale;
        current = 0;
      }
      words++;
      continue;
    }
    // "two hundred and fifty": "and" inside a number continues it
    if (t.lower === 'and' && words > 0 && current % 100 === 0 && unit === undefined && EN[toks[i + 1]?.lower ?? ''] !== undefined) continue;
    if (words > 0) flush();
    // a scale word after digits ("3 million") is scaledNumbers'
    if (scale !== undefined && i > 0 && DIGITS_RE.test(toks[i - 1]!.lower)) continue;
  }
  if (words > 0) flush();
  return out;
}

const HAN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const HAN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const HAN_BIG: Record<string, number> = { 万: 1e4, 亿: 1e8 };
/**
 * A Chinese numeral followed by a measure word (人 people, 名, 个, 座, 次, 架, 辆, 所, 家, 项, 条,
 * 户, 栋, 间, 吨, 公里, 岁, 年, 天, 周, 个月): a count, not a numeral inside a word ("统一", "一带一路",
 * "三峡"), and not an ordinal (第三).
 */
const HAN_COUNT_RE = /(?<!第)([零〇一二两三四五六七八九十百千万亿]+)(?=人|名|个|座|次|架|辆|所|家|项|条|户|栋|间|吨|公里|岁|年|天|周)/gu;

/** Counts written with Chinese numerals ("五人死亡", "二十五座", "两千名"), as values. */
export function hanNumbers(text: string): number[] {
  const out: number[] = [];
  // (exec, not matchAll: see figures.ts `numbers`)
  HAN_COUNT_RE.lastIndex = 0;
  for (let m = HAN_COUNT_RE.exec(text); m !== null; m = HAN_COUNT_RE.exec(text)) {
    const v = parseHan(m[1]!);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function parseHan(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in HAN_DIGIT) digit = HAN_DIGIT[ch]!;
    else if (ch in HAN_UNIT) {
      section += (digit || 1) * HAN_UNIT[ch]!;
      digit = 0;
    } else if (ch in HAN_BIG) {
      total += (section + digit) * HAN_BIG[ch]!;
      section = 0;
      digit = 0;
    } else return undefined;
  }
  const v = total + section + digit;
  return v > 0 ? v : undefined;
}
