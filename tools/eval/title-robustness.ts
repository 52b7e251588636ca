// How the story decision holds when titles are missing or are whole paragraphs: the hand-labelled
// set (test/fixtures/stories) evaluated as it is, with every title removed (the first sentence
// serves, as `analyze` does) and with every title replaced by its title plus the text's first
// paragraph (as some feeds send it), 5-fold cross-validated as `npm run eval`.
// `npx tsx tools/eval/title-robustness.ts [--shared DIR]`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const variants: [string, (a: { title: string; text: string }) => string][] = [
  ['as labelled', (a) => a.title],
  ['no titles', () => ''],
  ['title + first paragraph', (a) => (a.title ? `${a.title} ${a.text.split(/\n\s*\n/u)[0]!.replace(/\s+/gu, ' ')}` : '')],
];
for (const [name, title] of variants) {
  const dir = mkdtempSync(join(tmpdir(), 'stories-'));
  try {
    cpSync(STORIES_FIXTURE_DIR, dir, { recursive: true });
    const lines = readFileSync(join(dir, 'articles.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(
      join(dir, 'articles.jsonl'),
      lines
        .map((l) => {
          const a = JSON.parse(l) as { title: string; text: string; seed?: string };
          return JSON.stringify(a.seed ? a : { ...a, title: title(a) });
        })
        .join('\n') + '\n',
    );
    const r = evalLabelledSet(dir, shared);
    const by = Object.entries(r.byLabel).map(([k, e]) => `${k} ${pct(e.accuracy)}`).join(', ');
    console.log(`${name.padEnd(24)} CV ${pct(r.crossValidated)} (${by})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
