// A speech act: a speaker and the span of a sentence they voice; and which act voices a
// given offset.

export interface Act {
  /** The speaker phrase as written (resolved later). */
  speaker: string;
  /** The span of the sentence it voices (offsets in the sentence text). */
  from: number;
  to: number;
  /** `about`: "Об этом заявил X", "Бұл туралы X мәлімдеді", "This was stated by X" — X voices
   * the sentences before it in the paragraph (the span is empty). */
  kind: 'inner' | 'outer' | 'stance' | 'about';
  /** Only a speaker the article names as a person elsewhere ("… — Лавров", not "… — RT"). */
  strict?: boolean;
}

/** The act that voices offset `pos`: the nearest inner act before it, else the outer act
 * around it, else (`quoted`: the speaker of a quotation the sentence belongs to, if any) the
 * stance act. `ok` vets strict acts. */
export function choose(acts: Act[], pos: number, ok: (a: Act) => boolean): { inner: Act | null; outer: Act | null; stance: Act | null } {
  let inner: Act | null = null;
  let stance: Act | null = null;
  let outer: Act | null = null;
  for (const a of acts) {
    if (pos < a.from || pos >= a.to || a.kind === 'about' || (a.strict && !ok(a))) continue;
    if (a.kind === 'inner') {
      if (!inner || a.from > inner.from) inner = a;
    } else if (a.kind === 'stance') {
      if (!stance || a.from > stance.from) stance = a;
    } else if (!outer || a.to - a.from < outer.to - outer.from) outer = a;
  }
  return { inner, outer, stance };
}

export function count(s: string, re: RegExp): number {
  return (s.match(re) ?? []).length;
}
