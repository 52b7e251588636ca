// The story figures of `npm run eval` alone (dev pairs and the hand-labelled set, 5-fold
// cross-validated, by language pair) and the pairs the cross-validated decision still gets wrong,
// with their similarity parts: what error analysis reads. `npx tsx tools/eval/story-errors.ts
// [--shared DIR] [--quiet]`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalStoryPairs, loadPairs } from './eval-stories.js';
import { evalLabelledSet, loadLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const quiet = args.includes('--quiet');
if (!existsSync(shared)) {
  process.stderr.write(`story-errors: no shared folder at ${shared}\n`);
  process.exit(1);
}
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const r2 = (x: number) => x.toFixed(2);
const partsLine = (p: { title: number; body: number; titleBody: number; names: number; xnames: number; nums: number; sharedNums: number; sameLanguage: boolean }) =>
  `title ${r2(p.title)} body ${r2(p.body)} t-b ${r2(p.titleBody)} names ${r2(p.names)} xnames ${r2(p.xnames)} nums ${r2(p.nums)} (${p.sharedNums} shared)${p.sameLanguage ? '' : ' cross-language'}`;

const dev = evalStoryPairs(shared);
console.log(`dev pairs ${dev.pairs}: CV one batch ${pct(dev.crossValidated)}, pair by pair ${pct(dev.pairwise.crossValidated)}, shipped ${pct(dev.accuracy)}`);
const pairs = loadPairs(shared);
if (!quiet)
  dev.crossValidatedByPair.forEach((c, i) => {
    if (c >= 0.5) return;
    const p = pairs[i]!;
    console.log(`  wrong (${p.sameStory ? 'split' : 'joined'}, right in ${pct(c)} of shuffles) ${partsLine(dev.parts[i]!)}\n    a: ${p.a.title.slice(0, 110)}\n    b: ${p.b.title.slice(0, 110)}`);
  });
const dir = STORIES_FIXTURE_DIR;
const lab = evalLabelledSet(dir, shared);
console.log(`labelled ${lab.pairs}: CV ${pct(lab.crossValidated)}, shipped ${pct(lab.accuracy)}`);
for (const [k, e] of Object.entries(lab.byLanguage).sort()) console.log(`  ${k} ${e.pairs} ${pct(e.accuracy)}`);
for (const [k, e] of Object.entries(lab.byLabel)) console.log(`  ${k} ${e.pairs} ${pct(e.accuracy)}`);
console.log(`  copies ${lab.copies.recognised}/${lab.copies.copies}, others called copy ${lab.copies.calledCopy}/${lab.copies.others}`);
if (!quiet) {
  const { articles } = loadLabelledSet(dir, shared);
  const byId = new Map(articles.map((a) => [a.id, a]));
  for (const w of lab.wrong) {
    const a = byId.get(w.a)!;
    const b = byId.get(w.b)!;
    console.log(`  wrong by shipped: ${w.label} ${w.a} (${a.lang}) ~ ${w.b} (${b.lang}): ${(a.title || '(no title)').slice(0, 70)} | ${(b.title || '(no title)').slice(0, 70)}`);
  }
}
void readFileSync;
