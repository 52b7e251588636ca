import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyze } from './analyzer.js';

interface HardCase {
  name: string;
  text: string;
  title?: string;
  published?: string;
  language?: string;
  countries?: string[];
  regional?: boolean;
  tags?: Record<string, string | null>;
  first?: Record<string, string | null>;
  first_quote?: Record<string, string>;
  not_tags?: string[];
}

const file = fileURLToPath(new URL('../../fixtures/analysis/hard-cases.yaml', import.meta.url));
const { cases } = parse(readFileSync(file, 'utf8')) as { cases: HardCase[] };

describe('hand-written hard cases (en, ru, zh, kk, uz, ky)', () => {
  it('have unique names', () => expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length));
  it('has cases in every language', () => {
    const langs = new Set(cases.map((c) => c.language ?? 'en'));
    for (const l of ['en', 'ru', 'zh', 'kk', 'uz', 'ky']) expect(langs.has(l), l).toBe(true);
  });
  for (const c of cases)
    it(c.name, () => {
      const r = analyze(c.text, { ...(c.title ? { title: c.title } : {}), ...(c.published ? { published: c.published } : {}) });
      if (c.language) expect(r.language).toBe(c.language);
      if (c.countries) expect(r.countries).toEqual(c.countries);
      if (c.regional !== undefined) expect(r.regional).toBe(c.regional);
      const got = r.framings.map((f) => f.tag);
      for (const t of c.not_tags ?? []) expect(got, `must not carry ${t}`).not.toContain(t);
      for (const [t, speaker] of Object.entries(c.tags ?? {})) {
        const f = r.framings.find((x) => x.tag === t);
        expect(f, `must carry ${t}`).toBeDefined();
        if (speaker !== 'any') expect(f!.evidence.map((e) => e.attributedTo), t).toContain(speaker);
      }
      for (const [t, speaker] of Object.entries(c.first ?? {})) {
        const f = r.framings.find((x) => x.tag === t);
        expect(f?.evidence[0]?.attributedTo, `first evidence of ${t}`).toBe(speaker);
      }
      for (const [t, text] of Object.entries(c.first_quote ?? {})) {
        const f = r.framings.find((x) => x.tag === t);
        expect(f?.evidence[0]?.quote, `first evidence of ${t}`).toContain(text);
      }
    });
});
