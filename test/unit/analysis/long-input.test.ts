// Long and degenerate inputs stay linear: no pattern or loop of the analysis may go quadratic
// on text that is not prose (one 100 KB sentence, thousands of speech verbs or quotations).
import { describe, expect, it } from 'vitest';
import { cpuMsSince } from '../../helpers/cpu-time.js';
import { analyze } from './analyzer.js';

const CASES: [string, string][] = [
  ['a run of capitalised words and verbs', 'Tokayev Said '.repeat(8000) + "Tokayev's claim of a colour revolution."],
  ['one sentence of 100 KB', 'the West said that external forces and the minister claimed, '.repeat(1700) + 'colour revolution.'],
  ['thousands of quotation sentences', '“External forces are behind it. '.repeat(2000) + '” Wang said.'],
  ['headline colons', 'Lavrov: the West: a colour revolution: '.repeat(2500)],
  ['Chinese clauses', '外部势力企图在中亚策动颜色革命，外交部发言人表示。'.repeat(1500)],
  ['Kazakh speech sentences', 'Тоқаев сыртқы күштер араласуға тырысты деп мәлімдеді. '.repeat(1500)],
];

describe('long and degenerate inputs', () => {
  for (const [name, text] of CASES)
    it(`${name} (${Math.round(text.length / 1000)} K characters) is analysed in bounded time`, () => {
      const t0 = process.cpuUsage();
      const r = analyze(text);
      // CPU time, so a loaded machine does not fail it; quadratic behaviour takes minutes here.
      expect(cpuMsSince(t0)).toBeLessThan(5000);
      expect(r.summary.length).toBeLessThanOrEqual(500);
    });
});
