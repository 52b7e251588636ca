// Foreign names written in Chinese characters by sound ("托卡耶夫", "努尔兰") read back as Latin
// letters, so their script-neutral skeleton (`nameSkeleton`) can meet the Latin and Cyrillic
// spellings of the same name ("Tokayev", "Нурлан"): without it a Chinese report of a Central Asia
// event had no names to compare across languages beyond the gazetteer's, and a Chinese and a
// Russian report sharing only their republic and its capital looked alike (issue 15: the bench
// farm's wrong zh–ru joins).
//
// Written for this project from general knowledge: each character's reading in pinyin, adjusted
// where the standard transliteration of Russian and Turkic names uses it for another sound
// (q/x-initial characters for Ч/С, 捷 for "те", a final 夫 for -в, 尔/斯/克/特/德/姆 for a lone
// consonant). Coarse on purpose: only the skeleton's first letter and next consonants are compared,
// weighted by rarity, never the spelling itself.

import { pureCharMemo } from '../memo.js';

/** `String.prototype.charCodeAt` (through `.call`: see core/memo.ts `unitAt`, why not `text.charCodeAt`). */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;

/** Character → Latin letters (the sound it stands for in transliterated names). */
const HAN_SOUND: Record<string, string> = {
  蒙: 'mon', 奈: 'nai',
  阿: 'a', 埃: 'e', 艾: 'ai', 爱: 'ai', 安: 'an', 昂: 'an', 奥: 'o',
  巴: 'ba', 拜: 'bai', 班: 'ban', 邦: 'ban', 贝: 'be', 本: 'ben', 比: 'bi', 彼: 'bi', 别: 'be', 宾: 'bin', 波: 'bo', 伯: 'bo', 布: 'bu', 卜: 'bu',
  查: 'cha', 达: 'da', 戴: 'dai', 丹: 'dan', 德: 'd', 登: 'den', 迪: 'di', 蒂: 'ti', 丁: 'din', 东: 'don', 杜: 'du', 多: 'do',
  厄: 'e', 恩: 'en', 法: 'fa', 菲: 'fi', 费: 'fe', 芬: 'fen', 丰: 'fen', 弗: 'f', 福: 'fo',
  盖: 'ge', 甘: 'gan', 高: 'go', 戈: 'go', 格: 'g', 古: 'gu',
  哈: 'ha', 海: 'hai', 汉: 'han', 豪: 'hao', 赫: 'h', 亨: 'hen', 胡: 'hu', 霍: 'ho',
  基: 'ki', 吉: 'gi', 加: 'ga', 贾: 'ja', 杰: 'je', 金: 'kin',
  卡: 'ka', 凯: 'ke', 坎: 'kan', 康: 'kan', 考: 'ko', 柯: 'ko', 科: 'ko', 克: 'k', 肯: 'ken', 库: 'ku',
  拉: 'la', 莱: 'le', 兰: 'lan', 朗: 'lan', 劳: 'lo', 勒: 'l', 雷: 'le', 里: 'li', 利: 'li', 莉: 'li', 列: 'le', 林: 'lin', 琳: 'lin', 隆: 'lon', 卢: 'lu', 鲁: 'lu', 伦: 'len', 罗: 'lo', 洛: 'lo',
  马: 'ma', 迈: 'me', 曼: 'man', 梅: 'me', 门: 'men', 米: 'mi', 敏: 'min', 莫: 'mo', 默: 'm', 穆: 'mu',
  纳: 'na', 内: 'ne', 尼: 'ni', 娜: 'na', 纽: 'nyu', 努: 'nu', 诺: 'no', 妮: 'ni',
  欧: 'o', 帕: 'pa', 派: 'pa', 潘: 'pan', 佩: 'pe', 皮: 'pi', 珀: 'p', 普: 'pu', 蓬: 'pon',
  齐: 'tsi', 奇: 'chi', 恰: 'cha', 乔: 'cho', 切: 'che', 钦: 'chin', 丘: 'chu',
  萨: 'sa', 塞: 'se', 桑: 'san', 瑟: 's', 森: 'sen', 沙: 'sha', 莎: 'sha', 舍: 'she', 谢: 'se', 什: 'sh', 斯: 's', 松: 'son', 苏: 'su', 索: 'so',
  塔: 'ta', 泰: 'tai', 坦: 'tan', 汤: 'tan', 特: 't', 提: 'ti', 托: 'to', 图: 'tu', 捷: 'te',
  瓦: 'va', 娃: 'va', 万: 'van', 威: 'vi', 韦: 've', 维: 'vi', 温: 'ven', 沃: 'vo', 乌: 'u',
  希: 'hi', 夏: 'sha', 辛: 'sin', 休: 'hyu',
  雅: 'ya', 亚: 'ya', 娅: 'ya', 扬: 'yan', 耶: 'e', 伊: 'i', 因: 'in', 尤: 'yu',
  扎: 'za', 泽: 'ze', 詹: 'jan', 佐: 'zo', 卓: 'jo', 兹: 'z', 茨: 'ts', 尔: 'r', 夫: 'v', 姆: 'm', 丽: 'li',
};

/** Whether a character is used to write foreign names by sound (and has a reading here). */
export function isHanSound(ch: string): boolean {
  return HAN_SOUND[ch] !== undefined;
}

/**
 * A run of sound characters as Latin letters ("托卡耶夫" → "tokaev", "努尔兰" → "nurlan"); '' when a
 * character has no reading here.
 */
export function hanToLatin(run: string): string {
  let out = '';
  for (const ch of run) {
    const s = HAN_SOUND[ch];
    if (s === undefined) return '';
    out += s;
  }
  return out;
}

// Characters Chinese uses to write foreign names by sound (the common transliteration table, with
// their readings in han-latin.ts): a run of three or more of them is almost always a name
// ("托卡耶夫", "努尔苏丹", "埃普瓦尔奥泽克").
/** Runs of three or more sound-transliteration characters in Chinese text: names written by sound. */
export function hanNameRuns(text: string): string[] {
  // over code units, the run sliced out once it ends (not built a character at a time): every sound
  // character is one code unit, so a run's length in units is its length in characters, and a
  // surrogate (half of a character outside the BMP) is no sound character, as the code point is not
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && hanSoundUnit(unitAt.call(text, i)) === 1) continue;
    if (i - from >= 3) out.push(text.slice(from, i));
    from = i + 1;
  }
  return out;
}

/** 1 when the code unit is a sound character (`isHanSound`), remembered (memo.ts). */
const hanSoundUnit = pureCharMemo((c) => (c < 0xd800 || c > 0xdfff) && isHanSound(String.fromCharCode(c)) ? 1 : 0);
