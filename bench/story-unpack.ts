// Unpacking stored vectors (vector-pack.ts `unpackVectors`, the assigner's members read back from
// Redis) by hand against JSON.parse (`unpackJson`), in one process, alternated round by round (not
// a test; run by hand):
//
//   npx tsx bench/story-unpack.ts [--rounds 12]
//
// The packed texts are story-core.ts's timed articles' vectors (features, idf from a fixed table),
// each unpacked from a fresh string per round as an MGET reply is; CPU µs an unpack (median and
// least of the rounds after the first two). ioredis is loaded, as in the workers (common facts:
// its `VerbatimString` slows string built-ins in the whole process).
import 'ioredis';
import { parseArgs } from 'node:util';
import { storyNames } from '../src/adapters/analysis-data.js';
import { storyFeatures } from '../src/core/story/engine.js';
import { vectors } from '../src/core/story/similarity.js';
import { packStored, storedForm, unpackJson, unpackVectors } from '../src/core/story/vector-pack.js';
import { centralAsiaItems } from './story-rate.js';

const { values: opt } = parseArgs({ options: { rounds: { type: 'string', default: '12' } } });
const names = storyNames();
const now = new Date(Date.parse('2026-11-24T12:00:00Z'));
const d = { n: 1000, df: (k: string) => (k.length * 7) % 50 };
const packed = centralAsiaItems(2000).map((x) => Buffer.from(packStored(storedForm(vectors(storyFeatures(x.article, x.analysis, now, { names }), d)))));
const byHand: number[] = [];
const json: number[] = [];
for (let r = 0; r < Number(opt.rounds); r++) {
  for (const [f, out] of [[unpackVectors, byHand], [unpackJson, json]] as const) {
    const texts = packed.map((b) => b.toString());
    const c0 = process.cpuUsage();
    for (const s of texts) f(s);
    const c = process.cpuUsage(c0);
    if (r >= 2) out.push((c.user + c.system) / texts.length);
  }
}
const med = (x: number[]) => Math.round(x.sort((p, q) => p - q)[x.length >> 1]! * 10) / 10;
const min = (x: number[]) => Math.round(Math.min(...x) * 10) / 10;
console.log(JSON.stringify({ texts: packed.length, avgChars: Math.round(packed.reduce((s, b) => s + b.toString().length, 0) / packed.length), byHandUsMedian: med(byHand), byHandUsMin: min(byHand), jsonUsMedian: med(json), jsonUsMin: min(json) }));
