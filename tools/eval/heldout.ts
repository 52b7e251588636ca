// The held-out story pairs: test/fixtures/stories/heldout (written before the story-quality pass
// changed anything), test/fixtures/stories/heldout-2 (written before the generalisation pass) and
// heldout-3 (written before the story-quality pass of 2026-12-07 04:00) and heldout-4 (before the
// story-quality-2 pass of 06:50, RU-RU heavy like the acceptance source; each
// committed with the engine's score on it). Never used to fit or choose, so they are scored with
// the shipped model as it is (no cross-validation needed: nothing was fitted on them). Each set is
// one stream through `clusterBatch`, as the labelled set.
// `npx tsx tools/eval/heldout.ts [--shared DIR] [--quiet]`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evalLabelledSet, loadLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';

export const HELDOUT_DIR = join(STORIES_FIXTURE_DIR, 'heldout');
export const HELDOUT_DIRS = [HELDOUT_DIR, join(STORIES_FIXTURE_DIR, 'heldout-2'), join(STORIES_FIXTURE_DIR, 'heldout-3'), join(STORIES_FIXTURE_DIR, 'heldout-4')];

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
for (const dir of HELDOUT_DIRS) {
  const { articles, pairs } = loadLabelledSet(dir, existsSync(shared) ? shared : null);
  const r = evalLabelledSet(dir, existsSync(shared) ? shared : null, { repeats: 1 });
  const lang = new Map(articles.map((a) => [a.id, a.lang]));
  const wrong = new Set(r.wrong.map((w) => `${w.a} ${w.b}`));
  const tally = new Map<string, [number, number]>();
  for (const p of pairs) {
    const ok = wrong.has(`${p.a} ${p.b}`) ? 0 : 1;
    for (const k of [[lang.get(p.a), lang.get(p.b)].sort().join('-'), p.label, 'all']) {
      const e = tally.get(k) ?? [0, 0];
      tally.set(k, [e[0] + ok, e[1] + 1]);
    }
  }
  console.log(`held-out ${dir}: ${r.pairs} pairs, shipped model: ${pct(r.accuracy)}`);
  for (const [k, [ok, n]] of [...tally].sort()) console.log(`  ${k.padEnd(12)} ${String(n).padStart(3)} ${pct(ok / n)}`);
  if (!args.includes('--quiet')) for (const w of r.wrong) console.log(`  wrong: ${w.label} ${w.a} ~ ${w.b}`);
}
