// Extractive summary: the lead of the article (its first substantive sentences), 1–3
// sentences and at most 500 characters, in the article's language. News puts the essentials
// first, and a lead never misquotes; scoring sentences by keywords picked quotes out of context.
import type { LazySentences, Sentence } from '../text/sentences.js';

export const SUMMARY_MAX = 500;
/** Whitespace to collapse: anything but single spaces (sentences come trimmed). */
const SPACES = /\s\s|[^\S ]/;
const MAX_SENTENCES = 3;
const DATELINE = /^(?:\d{1,2}\s+\p{L}{3,9}\.?\s+\d{4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[\s,]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$/iu;

function substantive(s: Sentence, cjk: boolean): boolean {
  const t = s.text;
  if (DATELINE.test(t)) return false;
  if (cjk) return t.length >= 8;
  return atLeastWords(t, 5) && /\p{L}/u.test(t);
}

/** True when `t` has `n` or more whitespace-separated words (counts no further). */
function atLeastWords(t: string, n: number): boolean {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x1680 || c === 0xfeff || c === 0x85;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      if (++words >= n) return true;
    }
  }
  return false;
}

/** Cuts `text` to `max` characters at a word boundary, with an ellipsis. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, max - 1);
  const sp = slice.search(/\s\S*$/);
  const base = sp > max * 0.6 ? slice.slice(0, sp) : slice;
  return base.replace(/[\s,;:–—-]+$/, '') + '…';
}

/**
 * `skip`: sentences that are not body text (boilerplate, a title line that is its own
 * paragraph). Only the sentences needed are split.
 */
export function summarize(sentences: LazySentences, skip: (i: number, s: Sentence) => boolean, lang: string): string {
  const cjk = lang === 'zh' || lang === 'ja';
  const chosen: string[] = [];
  let total = 0;
  let firstUsable: Sentence | undefined;
  for (let i = 0; chosen.length < MAX_SENTENCES; i++) {
    const s = sentences.get(i);
    if (!s) break;
    if (skip(i, s)) continue;
    firstUsable ??= s;
    if (!substantive(s, cjk)) continue;
    const text = SPACES.test(s.text) ? s.text.replace(/\s+/g, ' ').trim() : s.text;
    const sep = chosen.length === 0 || cjk ? 0 : 1;
    if (chosen.length === 0 && text.length > SUMMARY_MAX) return cutAtWord(text, SUMMARY_MAX);
    if (total + sep + text.length > SUMMARY_MAX) break;
    chosen.push(text);
    total += sep + text.length;
  }
  // Nothing substantive: the first non-boilerplate sentence, whatever it is.
  if (chosen.length === 0) return firstUsable ? cutAtWord(firstUsable.text.replace(/\s+/g, ' ').trim(), SUMMARY_MAX) : '';
  return chosen.join(cjk ? '' : ' ');
}
