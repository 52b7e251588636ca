// Issue 15, part C: `analyze --cluster` (runAnalyze, the CLI's own code path) puts the two seed
// articles in one story with titles, without titles (plain text: the first sentence serves;
// published a day apart) and with the Global Times title alone — and keeps two reports of other
// Kazakhstan–China events out of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAnalyze } from '../../../src/cli/analyze-cli.js';
import { SEED_DISTRACTORS } from '../../fixtures/story/central-asia.js';
import { warnIfNoShared } from '../../fixtures/story/shared.js';

const shared = warnIfNoShared('analyze --cluster on the seeds');
const NOW = new Date('2022-04-28T00:00:00Z');
const GT_FILE = 'seeds/globaltimes-2022-04-26-china-opposes-color-revolution-kazakhstan.txt';
const RT_FILE = 'seeds/rt-2022-04-27-china-warns-color-revolution-kazakhstan.txt';
/** The headline Global Times ran (the seed file has none). */
const GT_TITLE = 'China opposes external forces stirring a "color revolution" in Kazakhstan, defense minister tells Tokayev';

async function storyIds(articles: Record<string, unknown>[]): Promise<Record<string, string>> {
  const stdout = new PassThrough();
  const out: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  const input = articles.map((a) => JSON.stringify(a)).join('\n') + '\n';
  const code = await runAnalyze({ cluster: true, now: NOW }, { stdin: Readable.from([input]), stdout, stderr: new PassThrough() });
  expect(code).toBe(0);
  const lines = out.join('').trim().split('\n').map((l) => JSON.parse(l) as { id: string; storyId: string });
  return Object.fromEntries(lines.map((l) => [l.id, l.storyId]));
}

describe.skipIf(!shared)('analyze --cluster on the two seeds (needs ../shared)', () => {
  const gt = shared ? readFileSync(join(shared, GT_FILE), 'utf8') : '';
  const rtRaw = shared ? readFileSync(join(shared, RT_FILE), 'utf8') : '';
  const [rtFirst, , ...rtRest] = rtRaw.split('\n');
  const rtTitle = (rtFirst ?? '').replace(/\s+—\s+RT EN\s*$/u, '');
  const rtText = rtRest.join('\n').trim();
  const distractors = SEED_DISTRACTORS.map((d) => ({ id: d.id, title: d.title, text: d.text, published: d.published }));
  const gtPublished = '2022-04-26T08:00:00Z';
  const rtPublished = '2022-04-27T10:12:00Z';

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['with titles', { id: 'gt', title: GT_TITLE, text: gt, published: gtPublished }, { id: 'rt', title: rtTitle, text: rtText, published: rtPublished }],
    ['without titles (plain text, a day apart)', { id: 'gt', text: gt, published: gtPublished }, { id: 'rt', text: rtRaw, published: rtPublished }],
    ['with the Global Times title alone', { id: 'gt', title: GT_TITLE, text: gt, published: gtPublished }, { id: 'rt', text: rtRaw, published: rtPublished }],
  ];
  for (const [name, a, b] of cases)
    it(`one story ${name}, the other Kazakhstan–China events apart`, async () => {
      const ids = await storyIds([a, ...distractors, b]);
      expect(ids.gt).toBeDefined();
      expect(ids.gt).toBe(ids.rt);
      for (const d of distractors) expect(ids[d.id]).not.toBe(ids.gt);
    });

  it('plain text without dates (both "now") is one story too', async () => {
    const ids = await storyIds([{ id: 'gt', text: gt }, { id: 'rt', text: rtRaw }]);
    expect(ids.gt).toBe(ids.rt);
  });
});
