// Background evidence: history and context (RT's paragraph on the January unrest) is flagged,
// so an analyst can tell the frame a story voices now from the one it recalls.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backgroundSentences } from '../../../src/core/framing/background.js';
import { contractView } from '../../../src/cli/analyze-line.js';
import { LazySentences, type Sentence } from '../../../src/core/text/sentences.js';
import { analyze } from './analyzer.js';

function sentencesOf(text: string, lang = 'en'): Sentence[] {
  const ls = new LazySentences(text, lang);
  const out: Sentence[] = [];
  for (let i = 0; ls.get(i); i++) out.push(ls.get(i)!);
  return out;
}

/** The background sentences of a text (title = first paragraph, lead = the next two sentences). */
function bg(text: string, when = { year: 2022, month: 4 }, lang = 'en'): string[] {
  const s = sentencesOf(text, lang);
  const flags = backgroundSentences(s, 2, when);
  return s.filter((_, i) => flags[i]).map((x) => x.text.trim());
}

const LEAD = 'Minister visits Astana\n\nThe minister met the president on Monday. They discussed trade.\n\n';

describe('background sentences', () => {
  it('a sentence pointing at an earlier time, and the rest of its paragraph', () => {
    expect(bg(`${LEAD}Protests erupted in January over fuel prices. Dozens were killed.\n\nThe talks went on.`)).toEqual([
      'Protests erupted in January over fuel prices.',
      'Dozens were killed.',
    ]);
  });

  it('runs into the next paragraph only when it refers back to the events', () => {
    const text = `${LEAD}His visit came three months after mass protests. \n\nThe unrest was followed by a deployment of troops.\n\nThe Kazakh leader said foreign-trained terrorists were behind the unrest.\n\nTrade grew by 10 percent.`;
    expect(bg(text)).toEqual([
      'His visit came three months after mass protests.',
      'The unrest was followed by a deployment of troops.',
      'The Kazakh leader said foreign-trained terrorists were behind the unrest.',
    ]);
  });

  it('markers of earlier times: at the time, years ago, last year, an earlier year; Russian and Chinese', () => {
    expect(bg(`${LEAD}The foreign minister said at the time that three evil forces fuelled the riots.`)).toHaveLength(1);
    expect(bg(`${LEAD}Two years ago a similar law was passed.`)).toHaveLength(1);
    expect(bg(`${LEAD}In 2016 land reform protests swept the country.`)).toHaveLength(1);
    expect(bg('Визит министра\n\nМинистр встретился с президентом. Они обсудили торговлю.\n\nНапомним, в январе в Казахстане прошли массовые протесты.', { year: 2022, month: 4 }, 'ru')).toHaveLength(1);
    expect(bg('Визит министра\n\nМинистр встретился с президентом. Они обсудили торговлю.\n\nВ январе протесты охватили страну.', { year: 2022, month: 4 }, 'ru')).toHaveLength(1);
  });

  it('the story’s own news is not background: now, the future, this month, a verb that looks like a month', () => {
    // Said on Monday about January: the claim is made now.
    expect(bg(`${LEAD}On Monday, Tokayev said the January unrest was a coup attempt.`)).toEqual([]);
    expect(bg(`${LEAD}The trial will open in June.`)).toEqual([]);
    expect(bg(`${LEAD}Officials met on 25 April to sign the deal.`)).toEqual([]);
    // The day before publication, across a month boundary, is still the news.
    expect(bg(`${LEAD}Officials met on 30 April to sign the deal.`, { year: 2022, month: 5 })).toEqual([]);
    expect(bg(`${LEAD}Thousands march in Almaty against the law. Theresa May spoke too.`)).toEqual([]);
    expect(bg(`${LEAD}The 2022 budget was approved.`)).toEqual([]);
  });

  it('the title and lead are never background', () => {
    expect(bg('Protests of January recalled\n\nIn January protests swept Kazakhstan. Three years ago it was calm.\n\nToday the minister spoke.')).toEqual([]);
  });

  it('a paragraph after a background cue is background', () => {
    expect(bg(`${LEAD}Background: The CSTO sent troops. They left within weeks.\n\nThe minister left.`)).toEqual(['Background: The CSTO sent troops.', 'They left within weeks.']);
  });
});

describe('background evidence in the analysis', () => {
  const text = [
    'China warns of color revolution in Kazakhstan',
    '',
    'China’s defense minister Wei Fenghe warned against a “color revolution” in Kazakhstan on Monday. He met President Tokayev in Nur-Sultan.',
    '',
    'His comments came three months after mass protests in Kazakhstan were violently dispersed in January.',
    '',
    'The Kazakh leader claimed that thousands of “foreign-trained terrorists and bandits” were behind the unrest. However, he did not provide any evidence to support this claim.',
    '',
    'China’s foreign minister said at the time that the protests were fueled by the “three evil forces” of terrorism, separatism and extremism.',
  ].join('\n');

  it('flags evidence from the history paragraphs, not the story’s own claim, and keeps the contract compatible', () => {
    const r = analyze(text, { published: '2022-04-27T10:12:00Z' });
    const by = new Map(r.framings.map((f) => [f.tag, f]));
    expect(by.get('foreign-trained-terrorists')?.evidence[0]?.background).toBe(true);
    expect(by.get('three-evil-forces')?.evidence[0]?.background).toBe(true);
    expect(by.get('disinfo-debunk')?.evidence[0]?.background).toBe(true);
    const cr = by.get('color-revolution')!;
    expect(cr.inTitle).toBe(true);
    for (const e of cr.evidence) expect(e.background).toBeUndefined();
    expect(by.get('foreign-trained-terrorists')?.inTitle).toBeUndefined();
    // The `analyze` output (the contract) is unchanged: the flags stay in records and alerts.
    const view = contractView(r) as { framings: { evidence: object[] }[] };
    for (const f of view.framings) {
      expect(Object.keys(f)).toEqual(['tag', 'confidence', 'evidence']);
      for (const e of f.evidence) expect(Object.keys(e)).toEqual(['quote', 'attributedTo']);
    }
  });

  it('ranks the story’s own sentence before a background one of the same strength', () => {
    const t = [
      'Talks in Astana',
      '',
      'Ministers met on Monday. They talked about trade.',
      '',
      'In January, officials blamed foreign-trained terrorists for the unrest.',
      '',
      'On Monday, the minister again blamed foreign-trained terrorists for the unrest.',
    ].join('\n');
    const f = analyze(t, { published: '2022-04-27T10:12:00Z' }).framings.find((x) => x.tag === 'foreign-trained-terrorists')!;
    expect(f.evidence[0]!.quote).toContain('On Monday');
    expect(f.evidence[0]!.background).toBeUndefined();
    expect(f.evidence[1]!.background).toBe(true);
  });

  const seeds = '../shared/seeds';
  it.skipIf(!existsSync(seeds))('the seeds: RT’s January paragraphs and Global Times’s are background, the visit is not', () => {
    const rt = analyze(readFileSync(`${seeds}/rt-2022-04-27-china-warns-color-revolution-kazakhstan.txt`, 'utf8'), { published: '2022-04-27T10:12:00Z' });
    const gt = analyze(readFileSync(`${seeds}/globaltimes-2022-04-26-china-opposes-color-revolution-kazakhstan.txt`, 'utf8'), { published: '2022-04-26T08:00:00Z' });
    const top = (r: typeof rt, tag: string) => r.framings.find((f) => f.tag === tag)?.evidence[0];
    expect(top(rt, 'foreign-trained-terrorists')?.background).toBe(true);
    expect(top(rt, 'three-evil-forces')?.background).toBe(true);
    expect(top(rt, 'color-revolution')?.background).toBeUndefined();
    expect(top(gt, 'attempted-coup')?.background).toBe(true);
    expect(top(gt, 'color-revolution')?.background).toBeUndefined();
    expect(top(gt, 'external-interference')?.background).toBeUndefined();
  });
  if (!existsSync(seeds)) console.warn(`background.test: ${seeds} not found; the seed case is skipped`);
});
