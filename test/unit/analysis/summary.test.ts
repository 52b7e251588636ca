import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.js';

describe('summary', () => {
  it('is the lead: 1–3 sentences, at most 500 characters, in the article language', () => {
    const r = analyze(
      'Beijing has said it opposes foreign intervention in Kazakhstan. The minister warned against colour revolutions. He promised to support Nur-Sultan. A fourth sentence follows here. A fifth one too.',
    );
    expect(r.summary).toBe('Beijing has said it opposes foreign intervention in Kazakhstan. The minister warned against colour revolutions. He promised to support Nur-Sultan.');
  });
  it('cuts a long first sentence at a word boundary with an ellipsis', () => {
    const long = `The delegation ${'discussed the water and energy questions of the region '.repeat(12)}in Tashkent.`;
    const r = analyze(long);
    expect(r.summary.length).toBeLessThanOrEqual(500);
    expect(r.summary.endsWith('…')).toBe(true);
    expect(r.summary.at(-2)).not.toBe(' ');
    expect(long.startsWith(r.summary.slice(0, -1))).toBe(true);
  });
  it('keeps boilerplate out: related links, source lines, subscription and donation appeals', () => {
    const text = [
      'Read more: Kazakhstan raises fuel prices',
      'Subscribe to our Telegram channel for more news.',
      'Tokayev met Mirziyoyev in Tashkent on Monday to discuss water sharing.',
      'More on the subject – Xi Jinping criticizes unilateral sanctions and double standards',
      'If you like our articles, feel free to share them. Donations keep our website running.',
      'Source link',
    ].join('\n');
    const r = analyze(text, { title: 'Leaders meet' });
    expect(r.summary).toBe('Tokayev met Mirziyoyev in Tashkent on Monday to discuss water sharing.');
    // Boilerplate does not feed the framing either (the related link names double standards).
    expect(r.framings.map((f) => f.tag)).not.toContain('double-standards-sanctions');
  });
  it('Russian boilerplate', () => {
    const r = analyze('Читайте также: новости Казахстана\nТокаев провел встречу с министрами в Астане и обсудил цены.\nПодписывайтесь на наш Telegram-канал.');
    expect(r.summary).toBe('Токаев провел встречу с министрами в Астане и обсудил цены.');
  });
  it('Chinese sentences join without spaces', () => {
    const r = analyze('中方坚决反对外部势力干涉哈萨克斯坦内政。双方将深化互利共赢合作。责任编辑：张三');
    expect(r.summary).toBe('中方坚决反对外部势力干涉哈萨克斯坦内政。双方将深化互利共赢合作。');
  });
  it('a missing title is the first sentence; a title line on its own is not repeated in the summary', () => {
    const r = analyze('China warns of color revolution in Kazakhstan\n\nBeijing has said it opposes foreign intervention in Kazakhstan. The minister spoke on Monday.');
    expect(r.title).toBe('China warns of color revolution in Kazakhstan');
    expect(r.summary.startsWith('Beijing')).toBe(true);
  });
});
