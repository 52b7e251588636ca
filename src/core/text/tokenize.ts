// Word tokens of folded text with their offsets. Hyphens and punctuation separate tokens
// ("Nur-Sultan" → nur, sultan), an apostrophe inside a word does not ("O'zbekiston").
// A hand-written scan over a letter table: it is the hottest loop of the analysis, and a
// \p{L} regex with match objects costs several times more.
import { tokenKey } from './normalize.js';

export interface Tokens {
  /** Matching keys (folded, apostrophes removed). */
  keys: string[];
  start: Int32Array;
  end: Int32Array;
  length: number;
}

/** 1 for UTF-16 units that are letters, marks or digits (BMP; astral letters are rare here). */
const WORD_UNIT = new Uint8Array(0x10000);
(function buildTable() {
  const re = /[\p{L}\p{M}\p{N}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (re.test(String.fromCharCode(c))) WORD_UNIT[c] = 1;
  }
})();

export function tokenize(folded: string): Tokens {
  const n = folded.length;
  const keys: string[] = [];
  let start = new Int32Array(Math.max(16, n >> 2));
  let end = new Int32Array(start.length);
  let count = 0;
  let i = 0;
  while (i < n) {
    if (WORD_UNIT[folded.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const s = i;
    let apos = false;
    for (;;) {
      while (i < n && WORD_UNIT[folded.charCodeAt(i)] === 1) i++;
      // An apostrophe between word characters continues the word.
      if (i + 1 < n && folded.charCodeAt(i) === 39 && WORD_UNIT[folded.charCodeAt(i + 1)] === 1) {
        apos = true;
        i++;
        continue;
      }
      break;
    }
    if (count === start.length) {
      const ns = new Int32Array(count * 2);
      ns.set(start);
      start = ns;
      const ne = new Int32Array(count * 2);
      ne.set(end);
      end = ne;
    }
    const raw = folded.slice(s, i);
    keys.push(apos ? tokenKey(raw) : raw);
    start[count] = s;
    end[count] = i;
    count++;
  }
  return { keys, start, end, length: count };
}
