// Names that decide whether two reports in different scripts tell one event, beyond the
// gazetteer's (which holds Central Asia's own places, leaders and institutions): the foreign
// leaders, ministers, spokespeople, organisations and places that Central Asia news quotes, each
// with its English, Russian and Chinese forms, so that "Wei Fenghe", "Вэй Фэнхэ" and "魏凤和" are
// one key (`e:person:wei-fenghe`) for story matching. A few gazetteer ids get the Chinese forms
// the gazetteer lacks (same id, so they meet its English and Russian matches).
// Written for this project from general knowledge (official transliterations: pinyin, the
// Palladius system for Russian spellings of Chinese names). A Chinese form is a whole name where
// its surname alone is a common piece of other transliterated names (阿利耶夫 ends many Central
// Asian surnames); kept in code beside the stopwords so
// the story core stays pure and needs no wiring. Matching: Latin and Cyrillic forms word by word
// on stems (so Russian case endings match: "Си Цзиньпина", "Путину"), Chinese forms as substrings.
import { stem, type Token } from './text.js';

/** [entity id, Latin forms, Cyrillic forms, Chinese forms]; forms separated by '|'. */
const NAMES: readonly (readonly [string, string, string, string])[] = [
  // China
  ['person:xi-jinping', 'Xi Jinping', 'Си Цзиньпин', '习近平'],
  ['person:li-qiang', 'Li Qiang', 'Ли Цян', '李强'],
  ['person:li-keqiang', 'Li Keqiang', 'Ли Кэцян', '李克强'],
  ['person:wang-yi', 'Wang Yi', 'Ван И', '王毅'],
  ['person:wei-fenghe', 'Wei Fenghe|Fenghe', 'Вэй Фэнхэ|Фэнхэ', '魏凤和'],
  ['person:li-shangfu', 'Li Shangfu', 'Ли Шанфу', '李尚福'],
  ['person:dong-jun', 'Dong Jun', 'Дун Цзюнь', '董军'],
  ['person:qin-gang', 'Qin Gang', 'Цинь Ган', '秦刚'],
  ['person:zhao-lijian', 'Zhao Lijian', 'Чжао Лицзянь', '赵立坚'],
  ['person:wang-wenbin', 'Wang Wenbin', 'Ван Вэньбинь', '汪文斌'],
  ['person:mao-ning', 'Mao Ning', 'Мао Нин', '毛宁'],
  ['person:lin-jian', 'Lin Jian', 'Линь Цзянь', '林剑'],
  // Russia
  ['person:putin', 'Putin', 'Путин', '普京'],
  ['person:lavrov', 'Lavrov', 'Лавров', '拉夫罗夫'],
  ['person:shoigu', 'Shoigu', 'Шойгу', '绍伊古'],
  ['person:belousov', 'Belousov', 'Белоусов', '别洛乌索夫'],
  ['person:peskov', 'Peskov', 'Песков', '佩斯科夫'],
  ['person:zakharova', 'Zakharova', 'Захарова', '扎哈罗娃'],
  ['person:mishustin', 'Mishustin', 'Мишустин', '米舒斯京'],
  ['person:medvedev', 'Medvedev', 'Медведев', '梅德韦杰夫'],
  ['person:overchuk', 'Overchuk', 'Оверчук', '奥韦尔丘克'],
  // others often quoted
  ['person:biden', 'Biden', 'Байден', '拜登'],
  ['person:trump', 'Trump', 'Трамп', '特朗普'],
  ['person:blinken', 'Blinken', 'Блинкен', '布林肯'],
  ['person:erdogan', 'Erdogan|Erdoğan', 'Эрдоган', '埃尔多安'],
  ['person:lukashenko', 'Lukashenko', 'Лукашенко', '卢卡申科'],
  ['person:zelensky', 'Zelensky|Zelenskyy', 'Зеленский', '泽连斯基'],
  ['person:guterres', 'Guterres', 'Гутерриш|Гутерреш', '古特雷斯'],
  ['person:pashinyan', 'Pashinyan', 'Пашинян', '帕希尼扬'],
  ['person:ilham-aliyev', 'Ilham Aliyev', 'Ильхам Алиев', '伊利哈姆·阿利耶夫|伊尔哈姆·阿利耶夫'],
  ['person:modi', 'Narendra Modi', 'Нарендра Моди', '纳伦德拉·莫迪'],
  ['person:macron', 'Macron', 'Макрон', '马克龙'],
  ['person:von-der-leyen', 'von der Leyen', 'фон дер Ляйен', '冯德莱恩'],
  // Central Asia leaders whose Chinese forms the gazetteer lacks (same ids as the gazetteer's)
  ['person:tokayev', 'Tokayev|Tokaev', 'Токаев', '托卡耶夫'],
  ['person:smailov', 'Smailov', 'Смаилов', '斯迈洛夫'],
  ['person:bektenov', 'Bektenov', 'Бектенов', '别克捷诺夫'],
  ['person:rahmon', 'Emomali Rahmon', 'Эмомали Рахмон', '拉赫蒙'],
  ['person:japarov', 'Japarov|Zhaparov', 'Жапаров', '扎帕罗夫'],
  ['person:mirziyoyev', 'Mirziyoyev', 'Мирзиёев|Мирзиеев', '米尔济约耶夫'],
  ['person:serdar-berdimuhamedov', 'Serdar Berdimuhamedov', 'Сердар Бердымухамедов', '谢尔达尔·别尔德穆哈梅多夫'],
  // organisations
  ['org:nato', 'NATO', 'НАТО', '北约'],
  ['org:un', 'United Nations', 'ООН', '联合国'],
  ['org:eu', 'European Union', 'Евросоюз|Европейский союз', '欧盟'],
  ['org:brics', 'BRICS', 'БРИКС', '金砖'],
  ['org:bri', 'Belt and Road', 'Пояс и путь', '一带一路'],
  ['org:sco', 'SCO|Shanghai Cooperation Organisation|Shanghai Cooperation Organization', 'ШОС', '上合组织|上海合作组织'],
  ['org:csto', 'CSTO', 'ОДКБ', '集安组织|集体安全条约组织'],
  ['org:eaeu', 'EAEU|Eurasian Economic Union', 'ЕАЭС', '欧亚经济联盟'],
  ['org:gazprom', 'Gazprom', 'Газпром', '俄气|俄罗斯天然气工业'],
  ['org:cnpc', 'CNPC', 'CNPC', '中石油|中国石油天然气集团'],
  // places outside the region that Central Asia news is about
  ['place:beijing', 'Beijing', 'Пекин', '北京'],
  ['place:moscow', 'Moscow', 'Москва', '莫斯科'],
  ['place:xinjiang', 'Xinjiang', 'Синьцзян', '新疆'],
  ['place:urumqi', 'Urumqi', 'Урумчи', '乌鲁木齐'],
  ['place:xian', "Xi'an|Xian", 'Сиань', '西安'],
  ['place:khorgos', 'Khorgos|Horgos', 'Хоргос', '霍尔果斯'],
  ['place:kabul', 'Kabul', 'Кабул', '喀布尔'],
  ['place:afghanistan', 'Afghanistan', 'Афганистан', '阿富汗'],
  ['place:ukraine', 'Ukraine', 'Украина', '乌克兰'],
  ['place:caspian', 'Caspian', 'Каспий|Каспийское', '里海'],
];

interface Compiled {
  /** First word's stem → the names that start with it (words as stems). */
  byFirst: Map<string, { words: string[]; id: string }[]>;
  zh: { form: string; id: string }[];
}

let compiled: Compiled | null = null;

function compile(): Compiled {
  const byFirst = new Map<string, { words: string[]; id: string }[]>();
  const zh: { form: string; id: string }[] = [];
  for (const [id, latin, cyrillic, han] of NAMES) {
    for (const form of `${latin}|${cyrillic}`.split('|')) {
      const words = (form.toLowerCase().replace(/ё/gu, 'е').match(/[\p{L}\p{M}'’]+/gu) ?? []).map((w) => stem(w.replace(/['’]/gu, '')));
      if (words.length === 0) continue;
      const list = byFirst.get(words[0]!) ?? [];
      list.push({ words, id });
      byFirst.set(words[0]!, list);
    }
    for (const form of han.split('|')) zh.push({ form, id });
  }
  return { byFirst, zh };
}

/**
 * Entity ids (`person:wei-fenghe`) of the names of this table that the text names, in any of
 * its scripts; `toks` are the text's tokens (title and body), `hanText` its text when it has
 * Chinese characters (else ''). A Latin or Cyrillic name must be capitalised where it stands.
 */
export function crossScriptNames(toks: readonly Token[], hanText: string): string[] {
  const c = (compiled ??= compile());
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const first = t.raw.charAt(0);
    if (first === first.toLowerCase() && t.lower !== 'von' && t.lower !== 'фон') continue;
    const list = c.byFirst.get(stem(t.lower.replace(/['’]/gu, '')));
    if (!list) continue;
    for (const n of list) {
      let ok = true;
      for (let k = 1; k < n.words.length && ok; k++) {
        const u = toks[i + k];
        ok = u !== undefined && stem(u.lower.replace(/['’]/gu, '')) === n.words[k];
      }
      if (ok) out.add(n.id);
    }
  }
  if (hanText) for (const z of c.zh) if (hanText.includes(z.form)) out.add(z.id);
  return [...out];
}
