import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../../src/core/text/mojibake.js';
import { splitParagraphs, splitParagraphsByRegExp, splitSentences } from '../../../src/core/text/sentences.js';
import { htmlToText } from '../../../src/core/feed/parse/html-text.js';
import { foldForMatch } from '../../../src/core/text/normalize.js';
import { allKeys, tokenize } from '../../../src/core/text/tokenize.js';
import { PhraseIndex } from '../../../src/core/text/phrase.js';

describe('mojibake repair', () => {
  it('repairs UTF-8 read as cp1250 (the Global Times seed)', () => {
    expect(repairMojibake('an “attempted coup d’Ă©tat” by “armed fighters.”')).toBe('an “attempted coup d’état” by “armed fighters.”');
  });
  it('repairs UTF-8 read as cp1252 and Latin-1, including a dropped closing quote byte', () => {
    expect(repairMojibake('â€œcolour revolutionâ€ and cafÃ©')).toBe('“colour revolution” and café');
  });
  it('repairs Cyrillic read as cp1251', () => {
    expect(repairMojibake('РџСЂРёРІРµС‚, Казахстан')).toBe('Привет, Казахстан');
  });
  it('leaves intact text alone', () => {
    const t = 'Café, naïve, São Paulo, Łódź, Ärger — Сёмга, Қазақстан, 哈萨克斯坦';
    expect(repairMojibake(t)).toBe(t);
  });
});

describe('sentences', () => {
  it('does not split after Mr., Gen., initials and U.S. inside a sentence', () => {
    const s = splitSentences('Mr. Smith met Gen. Ivanov and J. R. Brown in Almaty. He said U.S. officials agreed. The talks ended.', 'en');
    expect(s.map((x) => x.text)).toEqual([
      'Mr. Smith met Gen. Ivanov and J. R. Brown in Almaty.',
      'He said U.S. officials agreed.',
      'The talks ended.',
    ]);
  });
  it('keeps Russian initials (К.-Ж.) and т.е. inside the sentence', () => {
    const s = splitSentences('Президент К.-Ж. Токаев заявил, что т.е. всё в порядке. Второе предложение.', 'ru');
    expect(s).toHaveLength(2);
    expect(s[0]!.text).toContain('Токаев');
  });
  it('splits Chinese on 。！？', () => {
    expect(splitSentences('中方坚决反对。外部势力！好吗？', 'zh').map((x) => x.text)).toEqual(['中方坚决反对。', '外部势力！', '好吗？']);
  });
  it('treats lines as paragraphs and keeps offsets into the text', () => {
    const t = 'Title line\n\nFirst sentence here. Second one.';
    const s = splitSentences(t, 'en');
    expect(s.map((x) => x.para)).toEqual([0, 1, 1]);
    for (const x of s) expect(t.slice(x.start, x.end)).toBe(x.text);
  });
});

describe('html to text', () => {
  it('drops scripts and styles, decodes entities and breaks paragraphs', () => {
    const t = htmlToText('<html><head><title>x</title><style>p{}</style></head><body><p>Tokayev &amp; Xi met.</p><script>alert(1)</script><p>Second&nbsp;para</p></body></html>');
    expect(t).toBe('Tokayev & Xi met.\nSecond para');
  });
});

describe('folding and tokens', () => {
  it('keeps the length and folds case, diacritics, ё and apostrophes', () => {
    const t = 'Oʻzbekiston Türkmenistan Ёлка D’ÉTAT';
    const f = foldForMatch(t);
    expect(f).toHaveLength(t.length);
    expect(f).toBe("o'zbekiston turkmenistan елка d'etat");
  });
  it('splits on hyphens, keeps apostrophes inside words and drops the possessive', () => {
    const tk = tokenize(foldForMatch("Nur-Sultan, O'zbekiston and Kazakhstan's"));
    expect(allKeys(tk)).toEqual(['nur', 'sultan', 'ozbekiston', 'and', 'kazakhstan']);
    expect(tk.start[1]).toBe(4);
  });
});

describe('phrase index', () => {
  it('finds words and stems of any length, short and long, past the prefilter', () => {
    const idx = new PhraseIndex<string>();
    for (const p of ['us', 'a', 'interventionism', 'counterrevolutionaries', 'revolution*', 'abc*']) idx.add(p, p);
    const text = 'US a Interventionism counterrevolutionaries revolutionaries revolution abc abcdefghijklmnopqrst';
    const tk = tokenize(text);
    const got = idx.matchAll(tk, text).map((m) => m.payload);
    expect(got).toEqual(['us', 'a', 'interventionism', 'counterrevolutionaries', 'revolution*', 'revolution*', 'abc*', 'abc*']);
  });
});

describe('paragraphs', () => {
  // splitParagraphs finds `\n`-separated lines with indexOf (no match arrays: issue 16); it must
  // give the regular expression's answer on any text, whitespace of every kind included.
  it('are the non-blank lines, as the regular expression finds them', () => {
    const parts = ['a', 'Тест', ' ', '  ', '\t', '\n', '\n\n', '\u00a0', '\u3000', '\ufeff', '\u2028', '\r\n', '\r', '\u2029', '.', 'word word'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 20_000; k++) {
      const n = Math.floor(next() * 12);
      let text = '';
      for (let i = 0; i < n; i++) text += parts[Math.floor(next() * (k % 2 ? parts.length : 10))];
      expect(splitParagraphs(text), JSON.stringify(text)).toEqual(splitParagraphsByRegExp(text));
    }
    expect(splitParagraphs('Title\n\n  First line.\n \t\nSecond.')).toEqual([
      { start: 0, end: 5 },
      { start: 7, end: 20 },
      { start: 24, end: 31 },
    ]);
  });
});
