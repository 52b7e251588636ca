// Where attribution's country words, derived from data/gazetteer.yaml (src/core/geo/
// country-words.ts), read a word differently from the older hand-written word-start patterns of
// data/speakers.yaml (`nationality`, `zh_nations`, before #14 made the gazetteer their one
// source). Run over the development corpus, every distinct word once:
//
//   git show d3d8db9:data/speakers.yaml > /tmp/speakers-old.yaml
//   node --import tsx tools/house/country-words-diff.ts /tmp/speakers-old.yaml [corpus dir]
//
// Prints the number of distinct words, those read differently grouped by (old → new) with how
// often they occur, and the Chinese forms only one side has. Research tooling: not shipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAnalyzerData, packageRoot } from '../../src/adapters/analysis-data.js';
import { compileCountryWords, countryOf } from '../../src/core/geo/country-words.js';
import { normWord } from '../../src/core/framing/attribution/roles.js';

const [oldFile, corpusArg] = process.argv.slice(2);
if (!oldFile) {
  console.error('usage: country-words-diff.ts OLD_SPEAKERS_YAML [CORPUS_DIR]');
  process.exit(2);
}
const corpus = corpusArg ?? join(packageRoot(), '..', 'shared', 'corpus');
const old = parse(readFileSync(oldFile, 'utf8')) as { nationality: Record<string, string[]>; zh_nations: [string, string][] };
// The old reading, as roles.ts compiled it: the first country whose pattern starts the word.
const oldRes = Object.entries(old.nationality).map(([k, p]): [RegExp, string] => [new RegExp(`^(${p.join('|')})`), k]);
const oldNat = (raw: string): string | null => {
  const w = normWord(raw);
  for (const [re, k] of oldRes) if (re.test(w)) return k;
  return null;
};
const words = compileCountryWords(loadAnalyzerData().gazetteer);

/** Every text of the corpus: string values of JSON lines, other files without their markup
 * (KazNERD's IOB tags are words no country pattern starts, so they read the same). */
function* texts(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      yield* texts(path);
      continue;
    }
    if (/\.(gz|zip|png|jpg|ico)$/i.test(name) || /LICENSE|README/i.test(name)) continue;
    const text = readFileSync(path, 'utf8');
    if (!name.endsWith('.jsonl')) {
      // Markup (also escaped markup inside feeds) is not text attribution reads.
      yield text.replace(/<[^>]*>|&lt;[\s\S]*?&gt;|&#?\w+;/g, ' ');
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const walk = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(walk) : []);
      yield walk(JSON.parse(line)).join('\n');
    }
  }
}

const count = new Map<string, number>();
let zhText = '';
for (const t of texts(corpus)) {
  for (const tok of t.split(/\s+/)) {
    // Attribution's words: split at white space, without surrounding punctuation.
    const w = tok.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (w && /\p{L}/u.test(w)) count.set(w, (count.get(w) ?? 0) + 1);
  }
  if (/\p{Script=Han}/u.test(t)) zhText += t;
}

const groups = new Map<string, { n: number; words: [string, number][] }>();
let differ = 0;
for (const [w, n] of count) {
  const a = oldNat(w);
  const b = countryOf(words, w);
  if (a === b) continue;
  differ++;
  const k = `${a ?? '-'} → ${b ?? '-'}`;
  const g = groups.get(k) ?? { n: 0, words: [] };
  g.n += n;
  g.words.push([w, n]);
  groups.set(k, g);
}
console.log(`distinct words: ${count.size}; read differently: ${differ}`);
for (const [k, g] of [...groups].sort((a, b) => b[1].words.length - a[1].words.length)) {
  const shown = g.words.sort((a, b) => b[1] - a[1]).map(([w, n]) => `${w} (${n})`);
  console.log(`  ${k}: ${g.words.length} words, ${g.n} occurrences: ${shown.join(', ')}`);
}
const oldZh = new Map(old.zh_nations);
const newZh = new Map(words.zh);
const zhOnly = (a: Map<string, string>, b: Map<string, string>) => [...a].filter(([z, cc]) => b.get(z) !== cc).map(([z, cc]) => `${z} ${cc} (${zhText.split(z).length - 1} in the corpus)`);
console.log(`Chinese forms only before: ${zhOnly(oldZh, newZh).join(', ') || 'none'}`);
console.log(`Chinese forms only now: ${zhOnly(newZh, oldZh).join(', ') || 'none'}`);
