import { describe, expect, it } from 'vitest';
import { computeEvalMetrics, formatEvalTable } from '../../../tools/eval/eval-cli.js';
import { HAS_SHARED, SHARED, warnIfNoShared } from './shared.js';

// Floors on the development corpus: a change that loses ground fails here. They sit below
// the measured values (see the note in the analysis report) and at the acceptance bars.
describe.skipIf(!HAS_SHARED)('eval on the development corpus', () => {
  warnIfNoShared('eval floors');
  const m = HAS_SHARED ? computeEvalMetrics(SHARED) : null;

  it('prints a table', () => {
    const t = formatEvalTable(m!);
    expect(t).toContain('NEREL');
    expect(t).toContain('KazNERD');
    expect(t).toContain('EUvsDisinfo');
  });
  it('Russian country F1 (NEREL) ≥ 0.9', () => {
    expect(m!.nerel!.f1).toBeGreaterThanOrEqual(0.9);
    expect(m!.nerel!.precision).toBeGreaterThanOrEqual(0.9);
  });
  it('Kazakh recall (KazNERD) ≥ 0.85, few false positives', () => {
    expect(m!.kaznerd!.recall).toBeGreaterThanOrEqual(0.85);
    expect(m!.kaznerd!.fpRate).toBeLessThanOrEqual(0.1);
    expect(m!.kaznerd!.foreignOnlyFp / m!.kaznerd!.foreignOnly).toBeLessThanOrEqual(0.15);
  });
  it('framing recall on EUvsDisinfo keywords', () => {
    const r = Object.fromEntries(m!.euvsdisinfo!.recall.map((x) => [x.keyword, x.recall]));
    expect(r['Colour revolutions']).toBeGreaterThanOrEqual(0.7);
    expect(r['Russophobia']).toBeGreaterThanOrEqual(0.8);
    expect(r['George Soros']).toBeGreaterThanOrEqual(0.8);
    expect(r['Coup']).toBeGreaterThanOrEqual(0.8);
  });
  it('the graded tags fire on under 1% of unrelated cases', () => {
    const rate = Object.fromEntries(m!.euvsdisinfo!.fireRate.map((x) => [x.tag, x.rate]));
    for (const t of ['color-revolution', 'russophobia-compatriots', 'foreign-agent-ngo', 'attempted-coup']) expect(rate[t], t).toBeLessThan(0.01);
    for (const x of m!.euvsdisinfo!.fireRate) expect(x.rate, x.tag).toBeLessThan(0.02);
  });
  it('every seed check passes', () => {
    for (const c of m!.seeds!) expect(c.pass, `${c.check} ${c.detail ?? ''}`).toBe(true);
  });
});
