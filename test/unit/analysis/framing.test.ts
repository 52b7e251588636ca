import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TAG_IDS, type TagId } from '../../../src/core/types.js';
import { packageRoot } from '../../../src/adapters/analysis-data.js';
import { analyze, tags } from './analyzer.js';
import { HAS_SHARED, SHARED, warnIfNoShared } from './shared.js';

const lexicon = parse(readFileSync(join(packageRoot(), 'data', 'framing-lexicon.yaml'), 'utf8')) as {
  tags: Record<string, { near_miss?: string[] }>;
};

describe('the lexicon', () => {
  it('covers all 16 tags, each with near-misses', () => {
    expect(Object.keys(lexicon.tags).sort()).toEqual([...TAG_IDS].sort());
    for (const t of TAG_IDS) expect(lexicon.tags[t]?.near_miss?.length ?? 0, t).toBeGreaterThan(0);
  });
});

describe('near-misses from the lexicon do not produce their tag', () => {
  for (const [tag, def] of Object.entries(lexicon.tags))
    for (const sentence of def.near_miss ?? [])
      it(`${tag}: ${sentence.slice(0, 50)}`, () => {
        expect(tags(analyze(sentence, { published: '2022-06-01T00:00:00Z' }))).not.toContain(tag);
      });
});

describe.skipIf(!HAS_SHARED)('positives from ../shared/reference/framing-examples.txt', () => {
  warnIfNoShared('framing examples');
  const lines = HAS_SHARED
    ? readFileSync(join(SHARED, 'reference', 'framing-examples.txt'), 'utf8').split('\n').filter((l) => l.includes('\t'))
    : [];
  for (const line of lines) {
    const [tag, sentence] = line.split('\t') as [TagId, string];
    it(`${tag}: ${sentence.slice(0, 50)}`, () => expect(tags(analyze(sentence))).toContain(tag));
  }
});

describe('own positives in the three lexicon languages', () => {
  const cases: [TagId, string][] = [
    ['color-revolution', 'Moscow warned that the West was preparing a new Maidan in Bishkek.'],
    ['color-revolution', 'Протесты в Алматы были организованы извне, по сценарию майдана.'],
    ['external-interference', '中方反对境外势力干涉哈萨克斯坦内政。'],
    ['major-power-hegemony', 'Пекин осуждает менталитет холодной войны и гегемонию США.'],
    ['three-evil-forces', 'Стороны договорились бороться с терроризмом, сепаратизмом и экстремизмом.'],
    ['attempted-coup', 'Бывший глава КНБ обвиняется в попытке насильственного захвата власти и государственной измене.'],
    ['double-standards-sanctions', 'Beijing condemned the illegal unilateral sanctions imposed by Washington.'],
    ['human-rights-pretext', 'Запад вмешивается под предлогом защиты прав человека.'],
    ['us-biolabs', 'Российские СМИ вновь написали о биолабораториях Пентагона в Казахстане.'],
    ['russophobia-compatriots', 'Телеведущий обвинил Астану в русофобии и дискриминации русскоязычных.'],
    ['anti-russia-front', 'The EU is trying to tear Central Asia away from Russia, the Kremlin said.'],
    ['benevolent-partner', 'Xi praised the permanent comprehensive strategic partnership and win-win cooperation.'],
    ['crackdown-pretext', 'Rights groups said the foreign-plot story was used to justify the crackdown.'],
    ['neo-imperial-pressure', 'Активисты говорят о деколонизации и имперских амбициях Москвы.'],
  ];
  for (const [tag, text] of cases) it(`${tag}: ${text.slice(0, 40)}`, () => expect(tags(analyze(text))).toContain(tag));
});

describe('negation and rebuttal', () => {
  it('"there was no color revolution" is not the frame', () => {
    expect(tags(analyze('There was no color revolution in Kazakhstan.'))).not.toContain('color-revolution');
  });
  it('"dismissed claims of foreign interference" is a debunk, not the frame', () => {
    const t = tags(analyze('The foreign ministry dismissed claims of foreign interference in the election.'));
    expect(t).not.toContain('external-interference');
    expect(t).toContain('disinfo-debunk');
  });
  it('Russian: "не было никакой цветной революции"', () => {
    expect(tags(analyze('Эксперты считают, что никакой цветной революции в Казахстане не было.'))).not.toContain('color-revolution');
  });
  it('"not only" does not negate', () => {
    expect(tags(analyze('It was not only a colour revolution but a coup attempt, the state channel claimed.'))).toContain('color-revolution');
  });
  it('a voiced frame doubted by the outlet carries both, with their voices', () => {
    const r = analyze(
      'Kazakh President Kassym-Jomart Tokayev spoke on Friday. The Kazakh leader claimed that foreign-trained terrorists and bandits attacked Almaty. However, he did not provide any evidence.',
    );
    const ftt = r.framings.find((f) => f.tag === 'foreign-trained-terrorists');
    const deb = r.framings.find((f) => f.tag === 'disinfo-debunk');
    expect(ftt?.evidence[0]?.attributedTo).toBe('Kassym-Jomart Tokayev');
    expect(deb?.evidence[0]?.attributedTo).toBeNull();
  });
});

describe('evidence and confidence', () => {
  it('evidence is whole sentences, at most three, at most 300 characters, most telling first', () => {
    const long = `The minister said that external forces ${'and their many helpers '.repeat(20)}stirred the unrest.`;
    const text = [
      'External forces are to blame, Tokayev said.',
      long,
      'Outside forces interfered in the January events.',
      'Foreign interference was evident, the agency wrote.',
    ].join(' ');
    const f = analyze(text).framings.find((x) => x.tag === 'external-interference')!;
    expect(f.evidence.length).toBe(3);
    for (const e of f.evidence) expect(e.quote.length).toBeLessThanOrEqual(300);
    expect(f.evidence.some((e) => e.quote.endsWith('…'))).toBe(true);
    expect(f.evidence[0]!.attributedTo).not.toBeNull();
  });
  it('a lone weak trigger has low confidence; several strong ones in the lead, high', () => {
    const weak = analyze('Police said mass riots broke out near the stadium after the match.').framings.find((f) => f.tag === 'attempted-coup');
    const strong = analyze(
      'The authorities called it an attempted coup. They said the plotters sought a forcible seizure of power and high treason.',
    ).framings.find((f) => f.tag === 'attempted-coup');
    expect(weak!.confidence).toBeLessThanOrEqual(0.4);
    expect(strong!.confidence).toBeGreaterThan(0.85);
  });
  it('evidence order: a body sentence before the headline, then a named speaker before the outlet, then position', () => {
    const r = analyze(
      'Colour revolution feared in Bishkek, minister says\n\nA colour revolution is the goal of the protest organisers. Kyrgyz Interior Minister Ulan Niyazbekov said the colour revolution was financed from abroad.',
    );
    const f = r.framings.find((x) => x.tag === 'color-revolution')!;
    expect(f.evidence.map((e) => [e.quote.slice(0, 20), e.attributedTo])).toEqual([
      ['Kyrgyz Interior Mini', 'Ulan Niyazbekov'],
      ['A colour revolution ', null],
      ['Colour revolution fe', 'Ulan Niyazbekov'],
    ]);
  });
  it('evidence order: a stronger trigger before a weaker one, whoever voices it', () => {
    const r = analyze('Tokayev said there had been mass riots in Almaty. Officials later called it an attempted coup. The coup was foiled.');
    const f = r.framings.find((x) => x.tag === 'attempted-coup')!;
    expect(f.evidence[0]!.quote).toContain('attempted coup');
  });
  it('framings are ordered by confidence', () => {
    const r = analyze('China opposes external forces instigating a color revolution in Kazakhstan; the three evil forces must be fought.');
    const c = r.framings.map((f) => f.confidence);
    expect([...c].sort((a, b) => b - a)).toEqual(c);
  });
});

describe('attribution', () => {
  it('resolves a surname to the full name seen earlier', () => {
    const r = analyze('Chinese Defense Minister Wei Fenghe visited Astana. China opposes external forces in the region, Wei noted.');
    expect(r.framings.find((f) => f.tag === 'external-interference')?.evidence[0]?.attributedTo).toBe('Wei Fenghe');
  });
  it('a quotation paragraph after "quoted the minister:" is the minister’s', () => {
    const r = analyze(
      'Chinese Defense Minister Wei Fenghe met Tokayev. The ministry quoted the minister:\n“China firmly opposes external forces inciting a color revolution in Kazakhstan.”\n“We must be vigilant when some major powers interfere.”',
    );
    for (const tag of ['color-revolution', 'major-power-hegemony'] as const)
      expect(r.framings.find((f) => f.tag === tag)?.evidence.map((e) => e.attributedTo), tag).toContain('Wei Fenghe');
  });
  it('Russian reporting verbs and "по словам"', () => {
    const r = analyze('Президент Казахстана Касым-Жомарт Токаев заявил, что страна пережила попытку государственного переворота.');
    expect(r.framings.find((f) => f.tag === 'attempted-coup')?.evidence[0]?.attributedTo).toBe('Касым-Жомарт Токаев');
  });
  it('the outlet’s own voice is null', () => {
    const r = analyze('The protests were a colour revolution orchestrated from abroad.');
    expect(r.framings.find((f) => f.tag === 'color-revolution')?.evidence[0]?.attributedTo).toBeNull();
  });
});
