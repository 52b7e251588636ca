import { describe, expect, it } from 'vitest';
import { ZWJ, neutraliseMentions, oneLine, plainText, safeText, safeUrl } from '../../../src/adapters/discord/escape.js';

describe('safeText', () => {
  it('escapes inline markdown so it shows as typed', () => {
    expect(safeText('**bold** _it_ __u__ ~~s~~ ||sp|| `code` [x](https://e.org)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`code\\` \\[x](https://e.org)',
    );
    expect(safeText('a \\ b')).toBe('a \\\\ b');
  });

  it('escapes block markdown at the start of a line only', () => {
    expect(safeText('# h\n## h2\n> q\n- l\n+ l\n12. n\n-# sub\n  - nested')).toBe('\\# h\n\\## h2\n\\> q\n\\- l\n\\+ l\n12\\. n\n\\-# sub\n  \\- nested');
    expect(safeText('a # b > c - d 1. e')).toBe('a # b > c - d 1. e');
  });

  it('leaves bare links alone so they still link', () => {
    expect(safeText('see https://example.org/a_b_c*d, and _this_')).toBe('see https://example.org/a_b_c*d, and \\_this\\_');
    expect(safeText('(https://example.org/x_y)')).toBe('(https://example.org/x_y)');
  });

  it('breaks mentions visually', () => {
    expect(safeText('@everyone and @here, <@1>, <@&2>, <#3>, </cmd:4>')).toBe(`@${ZWJ}everyone and @${ZWJ}here, <${ZWJ}@1>, <${ZWJ}@&2>, <${ZWJ}#3>, <${ZWJ}/cmd:4>`);
    expect(neutraliseMentions('@EVERYONE')).toBe(`@${ZWJ}EVERYONE`);
  });

  it('drops control and bidi-override characters', () => {
    expect(safeText('a\u0000b\u202Ec\r\nd')).toBe('abc\nd');
    expect(plainText('x\u0007y')).toBe('xy');
  });

  it('takes linear time on long hostile input', () => {
    const s = '*_~`|[ @everyone <@1> '.repeat(20_000);
    const t = performance.now();
    const out = safeText(s);
    expect(performance.now() - t).toBeLessThan(500);
    expect(out).not.toContain('@everyone');
  });

  it('plain text keeps markdown characters (no backslashes where Discord shows them)', () => {
    expect(plainText('**x** @here')).toBe(`**x** @${ZWJ}here`);
    expect(oneLine('  a\n\tb  ')).toBe('a b');
  });
});

describe('safeUrl', () => {
  it('keeps http(s) URLs and refuses the rest', () => {
    expect(safeUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeUrl('http://example.org')).toBe('http://example.org/');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(safeUrl('//example.org')).toBeNull();
    expect(safeUrl('https://a:b@example.org/')).toBeNull();
    expect(safeUrl(null)).toBeNull();
    expect(safeUrl(`https://example.org/${'x'.repeat(600)}`, 512)).toBeNull();
  });

  it('percent-encodes parentheses', () => {
    expect(safeUrl('https://en.wikipedia.org/wiki/Rogun_(dam)')).toBe('https://en.wikipedia.org/wiki/Rogun_%28dam%29');
  });
});
