// English document frequencies expected from a word-frequency list (data/ATTRIBUTION.md), for the
// measured-but-not-adopted English background variant (tools/eval/english-background.ts, README Quality).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/adapters/analysis-data.js';
import { contentTerms } from '../../src/core/story/text.js';

/** English word frequencies (data/ATTRIBUTION.md): `=total<TAB>tokens`, then `word<TAB>count` lines. */
export const ENGLISH_FREQUENCY_FILE = 'english-word-frequency.tsv';

export function readEnglishFrequencies(): string | null {
  const file = join(packageRoot(), 'data', ENGLISH_FREQUENCY_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/**
 * Document frequencies of English stems out of `n` documents of `words` words each, expected from a
 * word-frequency list: a stem whose words make up a share p of all running words appears in a
 * document of L words with probability 1 − e^(−pL) (words drawn independently: the usual model,
 * nothing fitted; L is the background documents' own mean length). The background's English part
 * is 55 feed items, too few to tell "said" or "minister" from a rare word; the list is a corpus of
 * millions of words. Each language is thus weighed against the same n documents, so the Russian
 * keys' frequencies are untouched.
 */
export function englishDocFreq(table: string, n: number, words: number): Map<string, number> {
  let total = NaN;
  const share = new Map<string, number>();
  for (const line of table.split('\n')) {
    if (!line || line.startsWith('# ')) continue;
    const [w, c] = line.split('\t');
    if (w === '=total') {
      total = Number(c);
      continue;
    }
    for (const term of contentTerms(w!)) share.set(term, (share.get(term) ?? 0) + Number(c));
  }
  if (!(total > 0)) throw new Error(`${ENGLISH_FREQUENCY_FILE}: no "=total<TAB>count" line`);
  const out = new Map<string, number>();
  for (const [k, c] of share) {
    const df = Math.round(n * (1 - Math.exp((-c / total) * words)));
    if (df > 0) out.set(k, df);
  }
  return out;
}
