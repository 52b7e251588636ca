// What people call the framing tags (../shared/taxonomy.md) when they search or subscribe:
// the id, English labels and common Russian and Chinese names. Alias syntax as in
// vocabulary.ts: words, a trailing `*` on a word matches any ending (Russian inflection),
// Chinese strings match as substrings.
import { TAG_IDS, type TagId } from '../core/types.js';

export const TAG_LABELS: Record<TagId, string[]> = {
  'color-revolution': ['color revolution*', 'colour revolution*', 'maidan scenario', 'цветн* революц*', 'майдан*', '颜色革命'],
  'external-interference': ['external interference', 'foreign interference', 'external forces', 'outside forces', 'foreign meddling', 'внешн* вмешательств*', 'внешн* сил*', '外部势力', '干涉内政'],
  'major-power-hegemony': ['hegemony', 'major power hegemony', 'cold war mentality', 'zero sum', 'гегемон*', 'менталитет* холодн* войн*', '霸权', '冷战思维'],
  'three-evil-forces': ['three evil forces', 'three evils', 'три зла', 'три сил* зла', '三股势力'],
  'foreign-trained-terrorists': ['foreign trained terrorists', 'trained terrorists', 'foreign terrorists', 'foreign militants', 'иностранн* террорист*', 'подготовленн* за рубеж* террорист*', '境外恐怖分子'],
  'attempted-coup': ['coup', 'coup attempt', 'attempted coup', 'coup detat', 'putsch', 'переворот*', 'попытк* переворот*', 'госпереворот*', '政变'],
  'double-standards-sanctions': ['double standards', 'illegal sanctions', 'unilateral sanctions', 'двойн* стандарт*', 'незаконн* санкци*', 'односторонн* санкци*', '双重标准', '单边制裁'],
  'human-rights-pretext': ['human rights pretext', 'human rights as a pretext', 'предлог* прав* человек*', '人权借口', '以人权为借口'],
  'foreign-agent-ngo': ['foreign agent*', 'fifth column', 'foreign funded ngo*', 'иноагент*', 'иностранн* агент*', 'пят* колонн*', '外国代理人', '第五纵队'],
  'us-biolabs': ['biolab*', 'biolabs', 'biological laboratories', 'bio labs', 'биолаборатор*', 'биологическ* лаборатор*', '生物实验室'],
  'russophobia-compatriots': ['russophobia', 'russophobic', 'compatriots', 'русофоби*', 'соотечественник*', '恐俄'],
  'anti-russia-front': ['anti russia front', 'anti russian front', 'second front', 'антироссийск* фронт*', 'втор* фронт*', '反俄阵线'],
  'benevolent-partner': ['benevolent partner', 'reliable partner', 'win win', 'надежн* партнер*', 'надежн* союзник*', '共赢', '可靠伙伴'],
  'disinfo-debunk': ['disinformation', 'debunk*', 'fake news', 'no evidence', 'дезинформац*', 'фейк*', '虚假信息'],
  'crackdown-pretext': ['crackdown pretext', 'pretext for repression', 'pretext for a crackdown', 'предлог* для репресси*', '镇压借口'],
  'neo-imperial-pressure': ['neo imperial*', 'neoimperial*', 'imperialism', 'imperial pressure', 'неоимпер*', 'империализм*', '新帝国主义'],
};

/** Tags as the vocabulary takes them: the id plus the labels above. */
export function defaultTagVocabulary(): { id: TagId; labels: string[] }[] {
  return TAG_IDS.map((id) => ({ id, labels: TAG_LABELS[id] }));
}

