import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes, decodeUtf8, declaredCharset, normaliseCharset, utf8Stats } from '../../../src/core/feed/parse/charset.js';

const RU = 'Токаев: «цветной революции» не будет. Ёлка, съезд, Қазақстан';
const RU_1251 = 'Токаев: «цветной революции» не будет. Ёлка, съезд';
const RU_KOI8 = 'Токаев: цветной революции не будет. Ёлка, съезд'; // KOI8-R has no guillemets
const ZH = '中国国防部长魏凤和会见哈萨克斯坦总统托卡耶夫';
const ZH_TW = '中國國防部長會見哈薩克總統';
const JA = '中国の国防相がカザフスタン大統領と会談';

const doc = (title: string, decl?: string) =>
  `${decl ? `<?xml version="1.0" encoding="${decl}"?>` : '<?xml version="1.0"?>'}\n<rss version="2.0"><channel><title>${title}</title></channel></rss>`;
const enc = (s: string, e: string) => new Uint8Array(iconv.encode(s, e));
const titleOf = (text: string) => /<title>(.*)<\/title>/.exec(text)?.[1];

describe('decodeFeedBytes', () => {
  it.each([
    ['windows-1251', RU_1251, 'windows-1251'],
    ['koi8-r', RU_KOI8, 'koi8-r'],
    ['gb2312', ZH, 'gb18030'],
    ['gbk', ZH, 'gb18030'],
    ['GB18030', ZH, 'gb18030'],
    ['big5', ZH_TW, 'big5'],
    ['shift_jis', JA, 'shift_jis'],
    ['euc-jp', JA, 'euc-jp'],
    ['iso-8859-5', 'Токаев', 'iso-8859-5'],
    ['iso-8859-2', 'Łódź, Příliš žluťoučký kůň', 'iso-8859-2'],
  ])('decodes %s from the XML declaration', (label, text, encoding) => {
    const r = decodeFeedBytes(enc(doc(text, label), encoding === 'gb18030' ? 'gbk' : encoding));
    expect(titleOf(r.text)).toBe(text);
    expect(r.encoding).toBe(encoding);
    expect(r.source).toBe('declaration');
  });

  it('decodes from the Content-Type charset when the document does not say', () => {
    const r = decodeFeedBytes(enc(doc(RU_1251), 'windows-1251'), 'application/rss+xml; charset=windows-1251');
    expect(titleOf(r.text)).toBe(RU_1251);
    expect(r.source).toBe('header');
    const q = decodeFeedBytes(enc(doc(ZH), 'gbk'), "text/xml; charset='gb2312'");
    expect(titleOf(q.text)).toBe(ZH);
  });

  it('lets the header win over a conflicting declaration, and says so', () => {
    const r = decodeFeedBytes(enc(doc(RU_1251, 'koi8-r'), 'windows-1251'), 'text/xml; charset=windows-1251');
    // the same bytes read as the declaration's KOI8-R would be gibberish
    expect(titleOf(r.text)).toBe(RU_1251);
    expect(r.conflict).toMatch(/declaration says koi8-r/);
  });

  it('follows the declaration when a utf-8 header is contradicted by the bytes', () => {
    const r = decodeFeedBytes(enc(doc(RU_1251, 'windows-1251'), 'windows-1251'), 'text/xml; charset=utf-8');
    expect(titleOf(r.text)).toBe(RU_1251);
    expect(r.source).toBe('declaration');
    expect(r.conflict).toMatch(/header says utf-8 but the bytes are not/);
  });

  it('reads clean UTF-8 as UTF-8 even under a legacy label (server default ISO-8859-1)', () => {
    const r = decodeFeedBytes(enc(doc(RU, 'utf-8'), 'utf-8'), 'text/xml; charset=ISO-8859-1');
    expect(titleOf(r.text)).toBe(RU);
    expect(r.encoding).toBe('utf-8');
  });

  it('reads ISO-8859-1 and US-ASCII as windows-1252 (smart quotes in 0x80–0x9F)', () => {
    const bytes = new Uint8Array([...Buffer.from('<rss><channel><title>This is a '), 0xa3, 0x93, ...Buffer.from('test.'), 0x94, ...Buffer.from('</title></channel></rss>')]);
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1').text)).toBe('This is a £“test.”');
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml; charset=us-ascii').text)).toBe('This is a £“test.”');
  });

  it.each([
    ['utf-16le', [0xff, 0xfe]],
    ['utf-16be', [0xfe, 0xff]],
    ['utf-32le', [0xff, 0xfe, 0, 0]],
    ['utf-32be', [0, 0, 0xfe, 0xff]],
    ['utf-8', [0xef, 0xbb, 0xbf]],
  ])('decodes %s with a BOM, whatever the labels say', (encoding, bom) => {
    const body = enc(doc(RU, 'iso-8859-1'), encoding);
    const bytes = new Uint8Array([...bom, ...body]);
    const r = decodeFeedBytes(bytes, 'text/xml; charset=windows-1251');
    expect(titleOf(r.text)).toBe(RU);
    expect(r.source).toBe('bom');
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it.each(['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'])('recognises %s without a BOM by its zero bytes', (encoding) => {
    const r = decodeFeedBytes(enc(doc(ZH, 'utf-16'), encoding));
    expect(titleOf(r.text)).toBe(ZH);
    expect(r.encoding).toBe(encoding);
  });

  it('sniffs an unlabelled legacy document', () => {
    const long = Array.from({ length: 12 }, () => `<item><title>${RU_1251}</title></item>`).join('');
    const r = decodeFeedBytes(enc(`<rss><channel>${long}</channel></rss>`, 'windows-1251'));
    expect(r.source).toBe('sniff');
    expect(r.text).toContain(RU_1251);
  });

  it('keeps mostly-UTF-8 documents UTF-8 despite a stray byte', () => {
    const good = Buffer.from(doc(`${RU} ${RU} ${RU}`, 'utf-8'));
    const bytes = new Uint8Array([...good.subarray(0, 60), 0xff, ...good.subarray(60)]);
    const r = decodeFeedBytes(bytes);
    expect(r.encoding).toBe('utf-8');
    expect(r.text).toContain(RU);
  });

  it('removes the encoding from the XML declaration so that nothing decodes twice', () => {
    const r = decodeFeedBytes(enc(doc(RU_1251, 'windows-1251'), 'windows-1251'));
    expect(r.text.startsWith('<?xml version="1.0"?>')).toBe(true);
  });

  it('keeps the declaration as it came when asked (keepDeclaration), the rest decoded the same', () => {
    const bytes = enc(doc(RU_1251, 'windows-1251'), 'windows-1251');
    const kept = decodeFeedBytes(bytes, 'text/xml; charset=windows-1251', { keepDeclaration: true });
    const stripped = decodeFeedBytes(bytes, 'text/xml; charset=windows-1251');
    expect(kept.text.startsWith('<?xml version="1.0" encoding="windows-1251"?>')).toBe(true);
    expect(kept.text.slice(kept.text.indexOf('?>'))).toBe(stripped.text.slice(stripped.text.indexOf('?>')));
    expect({ ...kept, text: '' }).toEqual({ ...stripped, text: '' });
    expect(titleOf(kept.text)).toBe(RU_1251);
  });

  it('ignores bogus labels', () => {
    const r = decodeFeedBytes(Buffer.from(doc('Plain', 'x-no-such-charset')), 'text/xml; charset=bogus');
    expect(titleOf(r.text)).toBe('Plain');
  });
});

describe('decodeUtf8', () => {
  it('decodes as TextDecoder does: BOMs, bad and cut sequences, surrogates, overlongs (generated byte soup)', () => {
    const td = new TextDecoder('utf-8');
    // Well-formed sequences of each length, a BOM, and the kinds of bad input WHATWG's rules replace.
    const pieces = [[0xef, 0xbb, 0xbf], [0xc3, 0xa9], [0xd0, 0x9f], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xbf], [0xc0], [0xc1, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0xff], [0x41], [0x0a], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], [0x00]];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let t = 0; t < 20_000; t++) {
      const bytes: number[] = [];
      for (let i = 0, n = 1 + rand(12); i < n; i++) {
        if (rand(10) === 0) bytes.push(rand(256));
        else bytes.push(...pieces[rand(pieces.length)]!);
      }
      const u8 = Uint8Array.from(bytes);
      expect(decodeUtf8(u8)).toBe(td.decode(u8));
      expect(decodeUtf8(Buffer.from(u8))).toBe(td.decode(u8));
    }
    // A view into a larger buffer decodes its own bytes only.
    const big = Buffer.from('xx\u00e9t\u00e9yy', 'utf8');
    expect(decodeUtf8(new Uint8Array(big.buffer, big.byteOffset + 2, big.length - 4))).toBe('\u00e9t\u00e9');
  });
});

describe('charset helpers', () => {
  it('read labels', () => {
    expect(charsetFromContentType('text/xml;charset = "UTF-8"')).toBe('UTF-8');
    expect(charsetFromContentType('application/rss+xml; q=1; charset=koi8-r')).toBe('koi8-r');
    expect(charsetFromContentType('text/xml')).toBeNull();
    expect(declaredCharset("<?xml version='1.0' encoding='KOI8-R'?><rss/>")).toBe('KOI8-R');
    expect(declaredCharset('<html><head><meta charset="windows-1251">')).toBe('windows-1251');
    expect(normaliseCharset('GB2312')).toBe('gb18030');
    expect(normaliseCharset('x-sjis')).toBe('shift_jis');
    expect(normaliseCharset('nonsense')).toBeNull();
  });

  it('counts UTF-8 evidence', () => {
    expect(utf8Stats(Buffer.from('Ёлка 中'))).toEqual({ multi: 5, invalid: 0 });
    expect(utf8Stats(new Uint8Array([0xc0, 0x80, 0xe9]))).toEqual({ multi: 0, invalid: 3 });
  });
});
