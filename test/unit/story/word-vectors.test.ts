// The word-vector builder of the quality-3 study (tools/eval/word-vectors.ts): stems that share
// contexts end up near, stems of unrelated contexts apart, and a rebuild is byte for byte the same.
import { describe, expect, it } from 'vitest';
import { buildWordVectors } from '../../../tools/eval/word-vectors.js';

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Two topics whose words never meet; "пожар"/"возгорание" and "матч"/"игра" are used alike. */
function corpus(): string[] {
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) {
    docs.push(`${i % 2 ? 'пожар' : 'возгорание'} на складе тушили пожарные расчёты огонь охватил здание склада`);
    docs.push(`${i % 2 ? 'матч' : 'игра'} закончился победой команды болельщики стадиона встретили футболистов`);
  }
  return docs;
}

describe('buildWordVectors', () => {
  it('puts stems of one context near and of another apart', () => {
    const v = buildWordVectors(corpus(), { dims: 4, window: 6, minCount: 3 });
    const w = (x: string) => v.get(x)!;
    expect(v.size).toBeGreaterThan(10);
    expect(cos(w('пожар'), w('возгор'))).toBeGreaterThan(0.9);
    expect(cos(w('матч'), w('игр'))).toBeGreaterThan(0.9);
    expect(Math.abs(cos(w('пожар'), w('матч')))).toBeLessThan(0.3);
    for (const x of v.values()) expect(Math.hypot(...x)).toBeCloseTo(1, 5);
  });

  it('is deterministic', () => {
    const a = buildWordVectors(corpus(), { dims: 4 });
    const b = buildWordVectors(corpus(), { dims: 4 });
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, x] of a) expect([...x]).toEqual([...b.get(k)!]);
  });
});
