// The held-out story sets (test/fixtures/stories/heldout*): their pairs are what ../pairs.py makes
// from the articles' hand-given labels (every pair of one topic; copy group, else event), so a label
// edited in one file and not the other is caught, and each set keeps its size and mix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Art {
  id: string;
  lang: string;
  title: string;
  text: string;
  event: string;
  topic: string;
  copy: string | null;
}
const lines = (f: string) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);

// heldout-4 is RU-RU heavy like the acceptance source (no Chinese; cross-language pairs a third).
describe.each([
  ['heldout', 50, ['en', 'ru', 'zh'], 0.5],
  ['heldout-2', 53, ['en', 'ru', 'zh'], 0.5],
  ['heldout-3', 56, ['en', 'ru', 'zh'], 0.5],
  ['heldout-4', 54, ['en', 'ru'], 0.3],
] as const)('held-out story set %s', (name, size, langs, crossShare) => {
  const dir = join('test/fixtures/stories', name);
  const arts = lines(join(dir, 'articles.jsonl')) as Art[];
  const pairs = lines(join(dir, 'pairs.jsonl')) as { a: string; b: string; label: string }[];

  it('has its pairs derived from the articles’ labels, as pairs.py makes them', () => {
    const want: { a: string; b: string; label: string }[] = [];
    arts.forEach((a, i) => {
      for (const b of arts.slice(i + 1)) {
        if (a.topic !== b.topic) continue;
        const label = a.copy && a.copy === b.copy ? 'copy' : a.event === b.event ? 'same-event' : 'same-topic';
        want.push({ a: a.id, b: b.id, label });
      }
    });
    expect(pairs).toEqual(want);
    expect(pairs).toHaveLength(size);
  });

  it('mixes languages, cross-language pairs, both labels and untitled articles', () => {
    const lang = new Map(arts.map((a) => [a.id, a.lang]));
    expect(new Set(arts.map((a) => a.lang))).toEqual(new Set(langs));
    expect(pairs.filter((p) => lang.get(p.a) !== lang.get(p.b)).length).toBeGreaterThan(size * crossShare);
    expect(pairs.some((p) => p.label === 'same-topic') && pairs.some((p) => p.label !== 'same-topic')).toBe(true);
    expect(arts.some((a) => !a.title.trim())).toBe(true);
    expect(new Set(arts.map((a) => a.id)).size).toBe(arts.length);
  });
});
