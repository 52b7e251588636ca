// The story figures a change is judged by, on one line each: dev pairs 5-fold CV (one batch, pair
// by pair), the hand-labelled set 5-fold CV as labelled and with every title removed, and the
// held-out sets (test/fixtures/stories/heldout, heldout-2, heldout-3, heldout-4) scored with the model fitted as shipped
// (fitShippedModel: dev pairs + labelled set; the held-out pairs are never fitted on) and the
// model that is shipped. `npx tsx tools/eval/quality-summary.ts [--shared DIR]`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalStoryPairs } from './eval-stories.js';
import { evalLabelledSet, fitShippedModel, STORIES_FIXTURE_DIR } from './labelled-set.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const dev = evalStoryPairs(shared);
console.log(`dev CV one batch ${pct(dev.crossValidated)}, pair by pair ${pct(dev.pairwise.crossValidated)}`);
const lab = evalLabelledSet(STORIES_FIXTURE_DIR, shared);
console.log(`labelled CV ${pct(lab.crossValidated)} (${Object.entries(lab.byLanguage).sort().map(([k, e]) => `${k} ${pct(e.accuracy)}`).join(', ')})`);
const dir = mkdtempSync(join(tmpdir(), 'stories-'));
try {
  cpSync(STORIES_FIXTURE_DIR, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'articles.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'articles.jsonl'), lines.map((l) => { const a = JSON.parse(l) as { seed?: string }; return JSON.stringify(a.seed ? a : { ...a, title: '' }); }).join('\n') + '\n');
  console.log(`labelled no titles CV ${pct(evalLabelledSet(dir, shared).crossValidated)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const fitted = fitShippedModel(shared, STORIES_FIXTURE_DIR);
for (const name of ['heldout', 'heldout-2', 'heldout-3', 'heldout-4']) {
  const held = join(STORIES_FIXTURE_DIR, name);
  console.log(`held-out ${name}: refitted model ${pct(evalLabelledSet(held, shared, { model: fitted, repeats: 1 }).accuracy)}, shipped ${pct(evalLabelledSet(held, shared, { repeats: 1 }).accuracy)}`);
}
console.log(`refitted model ${JSON.stringify(fitted)}`);
