// Rebuilds data/story-background.tsv WITH English stems' expected document frequencies from
// data/english-word-frequency.tsv (see englishDocFreq in english-docfreq.ts and data/ATTRIBUTION.md),
// to measure that background: `npx tsx tools/eval/english-background.ts && npx tsx
// tools/eval/story-errors.ts --quiet` (then refit DEFAULT_MODEL: fitShippedModel). Not the shipped
// background (README Quality says why); `npm run eval -- --write-story-background` restores it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, STORY_BACKGROUND_FILE } from '../../src/adapters/analysis-data.js';
import { readEnglishFrequencies } from './english-docfreq.js';
import { buildStoryBackground } from './eval-stories.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(packageRoot(), '..', 'shared');
const english = readEnglishFrequencies();
if (!english) {
  process.stderr.write('english-background: data/english-word-frequency.tsv not found (tools/eval/english-frequency.ts makes it)\n');
  process.exit(1);
}
const file = join(packageRoot(), 'data', STORY_BACKGROUND_FILE);
writeFileSync(file, buildStoryBackground(shared, { english }));
process.stdout.write(`wrote ${file} with English word frequencies\n`);
