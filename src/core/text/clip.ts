// Shortening text for display (quotes, titles, summaries in chat).
// Hand-written: a cut must fall between words, must not split a person's or place's
// name ("Kassym-Jomart | Tokayev"), nor a surrogate pair; no library we use does all three.
const CAPITALISED = /^["'“‘«(]*\p{Lu}/u;
/** Small words that join the parts of a name ("Minister of Defense", "Abu Bakr al-Baghdadi"). */
const JOINING = /^(?:of|de|da|del|der|van|von|bin|ibn|al|el|la|le|du|for)$/u;

/** Shortens at a word boundary with an ellipsis, never inside a run of capitalised words (a name). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return '…';
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const words: number[] = [];
  const re = /\s+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cut)) !== null) if (m.index > 0) words.push(m.index);
  // A cut exactly at a space (the next word starts at the limit) keeps the whole last word.
  const atBoundary = /\s/.test(s[cut.length] ?? ' ');
  let end = atBoundary ? cut.length : (words.pop() ?? -1);
  // Back over the start of a name that the cut would split: the word after the cut and the last
  // word kept are both capitalised (and the last word does not end a clause). Down to a fifth
  // of the room: a shorter quote that ends before a name reads better than half a name. Not in
  // Title Case text (English headlines), where every word is capitalised.
  const all = s.slice(0, Math.max(400, max * 2)).split(/\s+/).filter(Boolean);
  const titleCase = all.length >= 6 && all.filter((w) => CAPITALISED.test(w)).length / all.length > 0.6;
  // "Minister of | National Defense": a small joining word inside a name belongs to it.
  const ENDS_CLAUSE = /[.!?:;,)"”»]$/;
  const namePart = (w: string) => CAPITALISED.test(w) && !ENDS_CLAUSE.test(w);
  const inName = (at: number) => {
    const kept = s.slice(0, at).trimEnd().split(/\s+/);
    const last = kept.at(-1) ?? '';
    const before = kept.at(-2) ?? '';
    const [next = '', after = ''] = s.slice(at).trimStart().split(/\s+/, 2);
    const leftIn = namePart(last) || (JOINING.test(last) && namePart(before));
    const rightIn = CAPITALISED.test(next) || (JOINING.test(next) && CAPITALISED.test(after));
    return leftIn && rightIn;
  };
  while (!titleCase && end > max * 0.2 && inName(end)) {
    const prev = words.pop();
    if (prev === undefined || prev <= max * 0.2) break;
    end = prev;
  }
  // No word boundary past a fifth of the room: a run without spaces (Chinese, Japanese, a URL, a
  // token) is cut where it must be.
  const out = end > max * 0.2 ? s.slice(0, end) : cut;
  return `${out.replace(/[\s,;:–—-]+$/u, '').replace(/[\s"“‘«(]+$/u, '')}…`;
}

