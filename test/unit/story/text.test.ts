import { describe, expect, it } from 'vitest';
import { articleFeatures } from '../../../src/core/story/features.js';
import { contentTerms, dates, nameSkeleton, nameWords, numbers, stem, tokens } from '../../../src/core/story/text.js';
import { vectors, cosine, entriesOf } from '../../../src/core/story/similarity.js';
import { packStored, packVectors, storedForm, unpackVectors } from '../../../src/core/story/vector-pack.js';
import { storyBackground, storyNames } from '../../../src/adapters/analysis-data.js';

describe('story text features', () => {
  it('stems Russian inflections and English plurals to one term', () => {
    expect(stem('коронавирусом')).toBe(stem('коронавирус'));
    expect(stem('казахстана')).toBe(stem('казахстан'));
    expect(stem('заразились')).toBe(stem('заразился'));
    expect(stem('playlists')).toBe(stem('playlist'));
    expect(stem('rallies')).toBe(stem('rally'));
    expect(stem('warned')).toBe(stem('warn'));
  });

  it('drops stopwords and numbers from content terms, and splits Chinese into bigrams', () => {
    expect(contentTerms('The minister said that 225 people were killed')).toEqual(['minister', 'peopl', 'kill']);
    expect(contentTerms('中国反对颜色革命')).toEqual(['中国', '国反', '反对', '对颜', '颜色', '色革', '革命']);
  });

  it('normalises numbers across styles and ignores single digits', () => {
    expect(numbers('150 млн, 2,5 трлн, 10 000 рублей, 1,000,000 dollars, 3 people, 14.75%')).toEqual(['150', '2.5', '10000', '1000000', '14.75']);
  });

  it('reads day-month dates in English and Russian', () => {
    expect(dates('on 26 April 2022 and April 27, and 8 ноября')).toEqual(['04-26', '04-27', '11-08']);
    expect(dates('he may visit in 2023')).toEqual([]);
  });

  it('takes capitalised words as names, but not sentence starts that are ordinary words', () => {
    const w = nameWords('Police said Wei Fenghe met Tokayev. The visit was short. Tokayev left.');
    expect(w).toEqual(['wei', 'fenghe', 'tokayev', 'tokayev']);
  });

  it('gives Latin and Cyrillic spellings of a name one skeleton', () => {
    expect(nameSkeleton('tokayev')).toBe(nameSkeleton('токаев'));
    expect(nameSkeleton('tokayev')).toBe(nameSkeleton('токаева'));
    expect(nameSkeleton('mirziyoyev')).toBe(nameSkeleton('мирзиёев'));
    expect(nameSkeleton('nazarbayev')).not.toBe(nameSkeleton('tokayev'));
  });

  it('keeps gazetteer entities (not countries) and caps a lead sentence used as title', () => {
    const f = articleFeatures({
      id: 'x',
      title: 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen',
      text: 'Tokayev spoke.',
      published: '2024-01-01T00:00:00Z',
      analysis: { language: 'en', entities: [{ id: 'person:tokayev', name: 'Tokayev', kind: 'person' }, { id: 'country:KZ', name: 'Kazakhstan', kind: 'country' }] },
    }, { names: storyNames() });
    expect(f.names).toContain('e:person:tokayev');
    expect(f.names).not.toContain('e:country:KZ');
    expect(Object.keys(f.title).length).toBeLessThanOrEqual(12);
  });

  it('packs vectors compactly and compares them the same after unpacking', () => {
    const d = storyBackground();
    const mk = (id: string, text: string) => vectors(articleFeatures({ id, title: 'Rogun dam turbine', text, published: '2024-01-01T00:00:00Z' }, { names: storyNames() }), d);
    const a = mk('a', 'The third turbine of the Rogun dam on the Vakhsh river starts in autumn.');
    const b = mk('b', 'Rogun dam: third unit on the Vakhsh to start generating this autumn.');
    const ua = unpackVectors(packVectors(a));
    expect(ua.id).toBe('a');
    expect(cosine(ua.body, b.body)).toBeCloseTo(cosine(a.body, b.body), 3);
    expect(packVectors(a).length).toBeLessThan(1000);
  });
});

describe('vectors as stored', () => {
  it('are the same built directly as packed and read back (the engine compares by them)', () => {
    const d = storyBackground();
    const texts = [
      ['Rogun dam turbine', 'The third turbine of the Rogun dam on the Vakhsh river starts in autumn, 26 April.'],
      ['', 'Токаев встретился с Си Цзиньпином в Астане. Стороны подписали 12 соглашений на 1,5 млрд долларов.'],
      ['习近平会见托卡耶夫', '4月12日，国家主席习近平在北京会见哈萨克斯坦总统托卡耶夫。'],
    ];
    for (const [i, [title, text]] of texts.entries()) {
      const v = vectors(articleFeatures({ id: `a${i}`, title: title!, text: text!, published: '2024-01-01T00:00:00Z' }, { names: storyNames() }), d);
      const direct = storedForm(v);
      const read = unpackVectors(packVectors(v));
      for (const k of ['body', 'title', 'names', 'nums', 'xnames'] as const) {
        expect(entriesOf(direct[k]), k).toEqual(entriesOf(read[k]));
        expect(direct[k].norm).toBe(read[k].norm);
      }
      expect({ ...direct, body: 0, title: 0, names: 0, nums: 0, xnames: 0 }).toEqual({ ...read, body: 0, title: 0, names: 0, nums: 0, xnames: 0 });
      // the packed form from the stored one (what the engine writes) is packVectors' string
      expect(packStored(direct)).toBe(packVectors(v));
    }
  });
});

describe('names across scripts', () => {
  it('gives Wei Fenghe one key in English, Russian (any case) and Chinese', async () => {
    const { crossScriptNames } = await import('../../../src/core/story/names.js');
    const { tokens } = await import('../../../src/core/story/text.js');
    expect(crossScriptNames(storyNames(), tokens('Defense Minister Wei Fenghe met Tokayev.'), '')).toEqual(expect.arrayContaining(['person:wei-fenghe', 'person:tokayev']));
    expect(crossScriptNames(storyNames(), tokens('Встреча с министром Вэй Фэнхэ и Си Цзиньпином.'), '')).toEqual(expect.arrayContaining(['person:wei-fenghe', 'person:xi-jinping']));
    const zh = '托卡耶夫会见魏凤和。';
    expect(crossScriptNames(storyNames(), tokens(zh), zh)).toEqual(expect.arrayContaining(['person:wei-fenghe', 'person:tokayev']));
    // lower-case words are no names; a common surname ending is no Aliyev
    expect(crossScriptNames(storyNames(), tokens('he will putin the work'), '')).toEqual([]);
    expect(crossScriptNames(storyNames(), tokens('努尔兰·库尔班阿利耶夫说'), '努尔兰·库尔班阿利耶夫说')).toEqual([]);
  });

  it('keeps long Russian names apart (no 6-letter cut) and folds Palladius -n with pinyin -ng', async () => {
    const { nameKey, nameSkeleton } = await import('../../../src/core/story/text.js');
    expect(nameKey('мирзягджибозек')).not.toBe(nameKey('мирзяггафозек'));
    expect(nameKey('токаева')).toBe(nameKey('токаев'));
    expect(nameSkeleton('фэнхэ')).toBe(nameSkeleton('fenghe'));
  });

  it('reads runs of sound-transliteration characters in Chinese as names', async () => {
    const { hanNameRuns } = await import('../../../src/core/story/text.js');
    expect(hanNameRuns('哈萨克斯坦总统托卡耶夫在努尔苏丹会见')).toEqual(expect.arrayContaining(['托卡耶夫', '努尔苏丹']));
    expect(hanNameRuns('中方坚决反对外部势力干涉内政')).toEqual([]);
  });

  it('finds the runs the character-by-character scan it replaces found (random text: sound and other Han characters, Latin, astral characters, lone surrogates)', async () => {
    const { hanNameRuns } = await import('../../../src/core/story/text.js');
    const { isHanSound } = await import('../../../src/core/story/han-latin.js');
    // the scan as it was (over code points, the run built a character at a time)
    const before = (text: string): string[] => {
      const out: string[] = [];
      let run = '';
      for (const ch of text) {
        if (isHanSound(ch)) run += ch;
        else {
          if (Array.from(run).length >= 3) out.push(run);
          run = '';
        }
      }
      if (Array.from(run).length >= 3) out.push(run);
      return out;
    };
    const pieces = ['托', '卡', '耶', '夫', '努', '尔', '中', '方', '总', 'a', ' ', '\u{1F600}', '\u{20000}', '\ud83d', '\ude00', '。'];
    let seed = 5;
    const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let runs = 0;
    for (let i = 0; i < 2_000; i++) {
      const text = Array.from({ length: Math.floor(r() * 30) }, () => pieces[Math.floor(r() * pieces.length)]!).join('');
      expect(hanNameRuns(text)).toEqual(before(text));
      runs += before(text).length;
    }
    expect(runs).toBeGreaterThan(100);
  });

  it('gives names Chinese writes by sound the skeleton of their Latin and Cyrillic spellings', async () => {
    const { nameSkeleton } = await import('../../../src/core/story/text.js');
    const { hanToLatin } = await import('../../../src/core/story/han-latin.js');
    const same: [string, string, string][] = [
      ['托卡耶夫', 'токаев', 'tokayev'],
      ['努尔兰', 'нурлан', 'nurlan'],
      ['斯迈洛夫', 'смаилов', 'smailov'],
      ['别尔德穆哈梅多夫', 'бердымухамедов', 'berdimuhamedov'],
      ['阿克托别', 'актобе', 'aktobe'],
    ];
    for (const [zh, ru, en] of same) {
      expect([zh, nameSkeleton(hanToLatin(zh))]).toEqual([zh, nameSkeleton(ru)]);
      expect([zh, nameSkeleton(hanToLatin(zh))]).toEqual([zh, nameSkeleton(en)]);
    }
    expect(nameSkeleton(hanToLatin('努尔兰'))).not.toBe(nameSkeleton('нодира'));
    // Chinese writes Р with l-syllables (鲁斯兰 lusilan, 拉赫蒙 lahemeng) and Ж with z-syllables
    // (扎 for Жа as for За): r/l and z/zh fold in every script's skeleton, by rule, not per name
    const folded: [string, string, string][] = [
      ['鲁斯兰', 'руслан', 'ruslan'],
      ['拉赫蒙', 'рахмон', 'rahmon'],
      ['卡拉科尔', 'каракол', 'karakol'],
      ['扎克瑟雷科夫', 'жаксылыков', 'zhaksylykov'],
      ['扎哈罗娃', 'захарова', 'zakharova'],
      ['罗斯塔姆', 'рустам', 'rustam'],
      // Tajik ғ: "gh" in English spellings, г in Russian, g-syllables in Chinese
      ['加尔姆', 'гарм', 'gharm'],
    ];
    for (const [zh, ru, en] of folded) {
      expect([zh, nameSkeleton(hanToLatin(zh))]).toEqual([zh, nameSkeleton(ru)]);
      expect([zh, nameSkeleton(hanToLatin(zh))]).toEqual([zh, nameSkeleton(en)]);
    }
    expect(hanToLatin('中方')).toBe(''); // not sound characters
  });

  it('counts a Chinese report\'s own transliterated names as script-neutral keys', async () => {
    const { articleFeatures } = await import('../../../src/core/story/features.js');
    const { nameSkeleton } = await import('../../../src/core/story/text.js');
    const f = articleFeatures({ id: 'z', title: '', published: '2026-10-15T09:40:00Z', text: '该委员会副主任努尔兰·阿卜杜拉赫马诺夫表示，工程耗资1200万索姆。' }, { names: storyNames() });
    expect(f.xnames).toContain(`x:${nameSkeleton('nurlan')}`);
  });

  it('splits words as the regex it replaces does, sentence starts included (random text with marks, apostrophes, astral letters, lone surrogates)', () => {
    const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)?/gu;
    // the splitter before the scan (sentence starts: tokens()'s own rule, on the regex's gaps)
    const byRegex = (text: string) => {
      const out: { raw: string; start: boolean }[] = [];
      let last = 0;
      let start = true;
      for (const m of text.matchAll(WORD_RE)) {
        if (out.length === 0 || /[.!?…:;"“”«»]\s|[.!?…]$|\n/u.test(text.slice(last, m.index))) start = true;
        out.push({ raw: m[0], start });
        start = false;
        last = m.index + m[0].length;
      }
      return out;
    };
    // (white space of every kind a regex's \s knows, and two it does not: U+0085, U+200B)
    const pieces = ['a', 'Z', 'ё', 'Д', '中', '國', '7', '٣', '\u0301', '\u0903', "'", '’', ' ', '. ', '!', '?', '…', '\n', ':', '«', '»', '"', '“', '”', ';', '-', ','];
    pieces.push('\u00a0', '\t', '\r', '\v', '\f', '\u1680', '\u2003', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u200b');
    pieces.push('𝐀', '𠀀', '😀', '\ud800', '\udc00', 'ǅ', '_', 'x');
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 6000; k++) {
      let text = '';
      const len = Math.floor(rand() * 30);
      for (let j = 0; j < len; j++) text += pieces[Math.floor(rand() * pieces.length)];
      expect(tokens(text).map((t) => ({ raw: t.raw, start: t.sentenceStart })), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });
});

describe('code-unit loops', () => {
  it('read code units through String.prototype.charCodeAt.call, not text.charCodeAt (V8 stops inlining string methods once a module subclasses String, as ioredis does)', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of ['src/core/memo.ts', 'src/core/story/text.ts', 'src/core/story/figures.ts', 'src/core/story/han-latin.ts', 'src/core/story/term-tally.ts']) {
      const code = readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/u.test(l))
        .join('\n');
      expect(code, f).not.toMatch(/\.charCodeAt\(/u);
      expect(code, f).toMatch(/unitAt\.call\(/u);
    }
  });
});
