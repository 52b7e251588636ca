import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeedsFile, slugify } from '../../../src/core/feed/config/feeds-file.js';

describe('slugify', () => {
  it.each([
    ['RT', 'rt'],
    ['Global Times', 'global-times'],
    ["People's Daily", 'peoples-daily'],
    ['24.kg', '24-kg'],
    ['RFE/RL Azattyq', 'rfe-rl-azattyq'],
    ['Хабар', 'khabar'],
    ['Қазақстан', 'qazaqstan'],
    ['Le Monde diplomatique', 'le-monde-diplomatique'],
    ['Agência Brasil', 'agencia-brasil'],
    ['新华社', ''],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

describe('parseFeedsFile', () => {
  it('fills in outlet ids and default feed ids', () => {
    const r = parseFeedsFile(`
- url: https://www.rt.com/rss/news/
  outlet: RT
  language: en
  country: ru
  affiliation: state:RU
  interval: 120
  verified: "seen in many configs"
- id: gt
  url: https://www.globaltimes.cn/rss/outbrain.xml
  outlet: Global Times
  language: [EN, zh]
  affiliation: state:CN
  verified: false
`);
    expect(r).toEqual({
      ok: true,
      feeds: [
        { id: 'rt-en', url: 'https://www.rt.com/rss/news/', outlet: 'RT', outletId: 'rt', language: ['en'], country: 'RU', affiliation: 'state:RU', interval: 120, verified: 'seen in many configs', source: 'file' },
        { id: 'gt', url: 'https://www.globaltimes.cn/rss/outbrain.xml', outlet: 'Global Times', outletId: 'global-times', language: ['en', 'zh'], affiliation: 'state:CN', verified: false, source: 'file' },
      ],
    });
  });

  it('reads JSON, and a {feeds: [...]} mapping', () => {
    const entry = { url: 'https://eurasianet.org/rss.xml', outlet: 'Eurasianet', language: 'en', affiliation: 'independent' };
    expect(parseFeedsFile(JSON.stringify([entry]))).toMatchObject({ ok: true, feeds: [{ id: 'eurasianet-en' }] });
    expect(parseFeedsFile(JSON.stringify({ feeds: [entry] }), 'command')).toMatchObject({ ok: true, feeds: [{ source: 'command' }] });
    expect(parseFeedsFile('')).toEqual({ ok: true, feeds: [] });
  });

  it('names the entry and the field of every error', () => {
    const r = parseFeedsFile(`
- url: https://ok.example/rss
  outlet: Fine
  language: en
  affiliation: unknown
- id: Bad_Id
  url: ftp://example.com/feed
  outlet: Broken
  language: english
  affiliation: state
  interval: -1
  colour: red
- outlet: Missing URL
  language: ru
  affiliation: public:us
- url: https://ok.example/rss2
  outlet: Fine
  language: en
  affiliation: independent
`);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        'entry 2 (Bad_Id): id: must be a slug (lower-case letters, digits and dashes)',
        'entry 2 (Bad_Id): url: must be an http(s) URL',
        'entry 2 (Bad_Id): language: must be a language code such as en, ru, zh',
        'entry 2 (Bad_Id): affiliation: must be state:<CC>, public:<CC>, independent or unknown',
        'entry 2 (Bad_Id): interval: must be positive',
        'entry 2 (Bad_Id): unknown field(s): colour',
        expect.stringMatching(/^entry 3 \(Missing URL\): url: /),
        'entry 3 (Missing URL): affiliation: must be state:<CC>, public:<CC>, independent or unknown',
        'entry 4 (Fine): id: "fine-en" is already used by entry 1 (set an id: the default is outlet slug + first language)',
      ]),
    );
    expect(errors.every((e) => /^entry \d+ /.test(e))).toBe(true);
  });

  it('refuses what is not a list, and broken YAML', () => {
    expect(parseFeedsFile('url: x')).toEqual({ ok: false, errors: ['the feeds file must be a list of feeds'] });
    expect(parseFeedsFile('- [unclosed')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^not valid YAML or JSON/)] });
  });
});

describe('data/feeds.yaml', () => {
  const r = parseFeedsFile(readFileSync(new URL('../../../data/feeds.yaml', import.meta.url), 'utf8'));

  it('is valid, with at least 30 feeds that all say id, outlet, language, affiliation and verified', () => {
    expect(r.ok ? [] : r.errors).toEqual([]);
    const feeds = r.ok ? r.feeds : [];
    expect(feeds.length).toBeGreaterThanOrEqual(30);
    for (const f of feeds) {
      expect(f.id).toMatch(/^[a-z0-9-]+$/);
      expect(f.verified).toBeDefined();
      if (typeof f.verified === 'string') expect(f.verified.length).toBeGreaterThan(10);
    }
  });

  it('labels the contract examples as the contract says', () => {
    const byId = new Map((r.ok ? r.feeds : []).map((f) => [f.id, f]));
    expect(byId.get('rt-en')).toMatchObject({ outletId: 'rt', affiliation: 'state:RU' });
    expect(byId.get('rt-ru')?.outletId).toBe('rt');
    expect(byId.get('global-times-en')).toMatchObject({ outletId: 'global-times', affiliation: 'state:CN' });
    expect(byId.get('azattyq-ru')?.affiliation).toBe('public:US');
    expect(byId.get('turkmenportal-ru')?.affiliation).toBe('state:TM');
  });
});
