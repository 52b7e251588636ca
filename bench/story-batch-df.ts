// A batch's document frequencies on the client alone (story-assign.ts step 1 to the commit's
// argument), the way main a28c79f did them against BatchDocFreq's entries now, alternated in one
// process (ioredis loaded, as the workers have it: bench/README.md on VerbatimString):
//   npx tsx bench/story-batch-df.ts [--articles 2000] [--batch 100] [--rounds 12]
// Each way, per batch of story-core's articles (their features made once): the keys listed once an
// article and the fields to read; the counts read (synthetic: a count per field from its hash) put
// in; per article its frequencies, the weights the engine reads first (`termWeights`, the candidate
// keys and their idf); the commit's DF argument. Prints CPU µs an article (median of the rounds
// after the first) and whether both ways gave the same weights and arguments (a digest of them).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'ioredis';
import { storyBackground, storyNames } from '../src/adapters/analysis-data.js';
import { dfArgument, dfArgumentOf } from '../src/adapters/redis/story-commit.js';
import { BatchDocFreq, indexOf, type BatchKey } from '../src/adapters/redis/story-set-read.js';
import type { AssignInput } from '../src/adapters/redis/story-store.js';
import { candidateKeys } from '../src/core/story/decide.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { dfKeyLists, dfKeys, type ArticleFeatures } from '../src/core/story/features.js';
import { combineDocFreq, idf, termWeights, type DocFreq } from '../src/core/story/similarity.js';
import { centralAsiaItems } from './story-rate.js';

const { values: opt } = parseArgs({ options: { articles: { type: 'string', default: '2000' }, batch: { type: 'string', default: '100' }, rounds: { type: 'string', default: '12' } } });
const N = Number(opt.articles);
const B = Number(opt.batch);
const cache = join(tmpdir(), `steppewatch-story-core-${N}.json`);
const inputs: AssignInput[] = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8')) as AssignInput[]) : centralAsiaItems(N);
if (!existsSync(cache)) writeFileSync(cache, JSON.stringify(inputs));
const now = new Date('2026-11-24T12:00:00Z');
const names = storyNames();
const feats = inputs.map((x) => storyFeatures(x.article, x.analysis, now, { names }));
const bg = storyBackground();
/** The count "read" of a field: a small number from its text (most DF counts are small). */
const countOf = (f: string): number => (f === '#n' ? 40_000 : createHash('md5').update(f).digest()[0]! % 37);
const readCounts = new Map<string, number>();
for (const f of feats) for (const k of dfKeys(f)) readCounts.set(k, countOf(k));

/** What an article's engine reads of its frequencies first (placeSteps: termWeights, the candidate keys' idf). */
function weigh(f: ArticleFeatures, d: DocFreq, out: number[]): void {
  const w = termWeights(f, d);
  for (const l of [w.title, w.body, w.names, w.nums, w.xnames]) for (const x of l.idf) out.push(x);
  for (const k of candidateKeys(f, d, w)) out.push(idf(d, k));
}

/** main a28c79f's BatchDocFreq (story-set-read.ts), as it was. */
class OldBatchDocFreq {
  readonly #with = new Map<string, number[]>();
  #n: number;
  constructor(
    private readonly read: ReadonlyMap<string, number>,
    n: number,
  ) {
    this.#n = n;
  }
  count(i: number, fk: readonly string[]): DocFreq {
    const withKey = this.#with;
    for (const k of fk) {
      const l = withKey.get(k);
      if (l) l.push(i);
      else withKey.set(k, [i]);
    }
    const read = this.read;
    const n = this.#n;
    this.#n += 1;
    return {
      n,
      df: (k) => {
        const l = withKey.get(k);
        if (!l) return 0;
        const at = indexOf(l, i);
        return at < 0 ? 0 : (read.get(k) ?? 0) + at;
      },
    };
  }
}

/** main's way (story-assign.ts assignInTurn, story-commit.ts prepare): weights into `out`, the DF argument returned. */
function before(fs: readonly ArticleFeatures[], out: number[]): string | null {
  const lastIn = new Map<string, number>();
  const fks = fs.map((f, i) => {
    const fk: string[] = [];
    for (const k of dfKeys(f)) {
      if (lastIn.get(k) === i) continue;
      lastIn.set(k, i);
      fk.push(k);
    }
    return fk;
  });
  const fields = ['#n'];
  for (const k of lastIn.keys()) if (k !== '#n') fields.push(k);
  const counts = fields.map((f) => readCounts.get(f) ?? 0);
  const df = new Map<string, number>();
  fields.forEach((f, i) => df.set(f, Number(counts[i] ?? 0)));
  const batchDf = new OldBatchDocFreq(df, df.get('#n')!);
  fs.forEach((f, i) => weigh(f, combineDocFreq(bg, batchDf.count(i, fks[i]!)), out));
  const dfCount = new Map<string, number>();
  for (const fk of fks) for (const k of fk) dfCount.set(k, (dfCount.get(k) ?? 0) + 1);
  return dfArgument(dfCount);
}

let tallies = 0;
/** The branch's way. */
function after(fs: readonly ArticleFeatures[], out: number[]): string | null {
  const batchDf = new BatchDocFreq(bg);
  const fks = fs.map((f, i) => batchDf.keysOf(i, dfKeyLists(f)));
  const fields = batchDf.fields();
  batchDf.read(fields.map((f) => readCounts.get(f) ?? 0));
  fs.forEach((f, i) => weigh(f, batchDf.count(i, fks[i]!), out));
  const stamp = ++tallies;
  const dfFields: BatchKey[] = [];
  for (const fk of fks) {
    for (const e of fk) {
      if (e.stamp !== stamp) {
        e.stamp = stamp;
        e.n = 0;
        dfFields.push(e);
      }
      e.n++;
    }
  }
  return dfArgumentOf(dfFields);
}

const ways = { before, after };
const us: Record<string, number[]> = { before: [], after: [] };
const digests: Record<string, string> = {};
for (let r = 0; r < Number(opt.rounds); r++) {
  for (const name of r % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
    const h = createHash('sha1');
    const c0 = process.cpuUsage();
    for (let b = 0; b < N; b += B) {
      const out: number[] = [];
      const arg = ways[name](feats.slice(b, b + B), out);
      if (r === 0) h.update(new Float64Array(out)).update(arg ?? '');
    }
    const c = process.cpuUsage(c0);
    if (r === 0) digests[name] = h.digest('hex').slice(0, 12);
    else us[name]!.push((c.user + c.system) / N);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(JSON.stringify({ articles: N, batch: B, beforeUs: Math.round(median(us.before!) * 10) / 10, afterUs: Math.round(median(us.after!) * 10) / 10, digests, same: digests.before === digests.after }));
