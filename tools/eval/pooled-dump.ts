// Dump of the pooled pairs' parts (tools/eval/pooled-study.ts rows), one line each, for reading the
// errors by hand: `npx tsx tools/eval/pooled-dump.ts [--shared DIR] [--cross|--same]`.
import { join } from 'node:path';
import { loadPooled } from './pooled-study.js';

const args = process.argv.slice(2);
const shared = args.includes('--shared') ? args[args.indexOf('--shared') + 1]! : join(process.cwd(), '../shared');
const rows = loadPooled(shared);
const f = (x: number) => x.toFixed(2);
for (const r of rows) {
  if (args.includes('--cross') && r.p.sameLanguage) continue;
  if (args.includes('--same') && !r.p.sameLanguage) continue;
  const parts = [r.y ? 'Y' : 'n', r.set, r.langs, f(r.p.xnames), f(r.ev.xnamesShared), f(r.p.nums), r.p.sharedNums, f(r.p.numCover), r.p.sharedEntities];
  parts.push(f(r.p.entityCover), f(r.prox), f(r.p.body), f(r.p.title), f(r.p.titleBody), f(r.p.names), f(r.ev.ovl), f(r.ev.rare), r.p.countryConflict ? 'CC' : '', r.id);
  console.log(parts.join('\t'));
}
