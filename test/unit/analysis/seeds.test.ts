import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { seedChecks } from '../../../tools/eval/eval-cli.js';
import { HAS_SHARED, SHARED, warnIfNoShared } from './shared.js';

describe.skipIf(!HAS_SHARED)('the seed articles (../shared/seeds)', () => {
  warnIfNoShared('seed articles');
  const read = (f: string) => readFileSync(join(SHARED, 'seeds', f), 'utf8');
  const an = defaultAnalyzer();
  const now = new Date('2022-04-28T00:00:00Z');
  const gt = HAS_SHARED ? an.analyze({ id: 'gt', text: read('globaltimes-2022-04-26-china-opposes-color-revolution-kazakhstan.txt') }, now) : null;
  const rt = HAS_SHARED ? an.analyze({ id: 'rt', text: read('rt-2022-04-27-china-warns-color-revolution-kazakhstan.txt') }, now) : null;

  for (const c of HAS_SHARED ? seedChecks(gt!, rt!) : []) it(c.check, () => expect(c.pass, c.detail).toBe(true));

  it('both are English and highly relevant', () => {
    for (const r of [gt!, rt!]) {
      expect(r.language).toBe('en');
      expect(r.relevance).toBeGreaterThan(0.8);
      expect(r.entities.map((e) => e.id)).toContain('person:tokayev');
    }
  });
  it('the RT summary is its lead, without the donation appeal', () => {
    expect(rt!.summary).toBe(
      'Beijing has said it opposes foreign intervention in Kazakhstan. China’s defense minister warned against “color revolutions” being instigated under the guise of protests. He promised to support Nur-Sultan in “protecting national security”.',
    );
  });
  it('the mojibake is repaired in the evidence', () => {
    const coup = gt!.framings.find((f) => f.tag === 'attempted-coup');
    expect(coup?.evidence[0]?.quote).toContain('coup d’état');
    expect(coup?.evidence[0]?.attributedTo).toContain('Tokayev');
  });
});
