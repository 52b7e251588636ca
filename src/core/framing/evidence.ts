// From trigger hits to framings: confidence per tag and the evidence sentences, most telling
// first, with their speaker.
import { TAG_IDS, type Evidence, type Framing, type TagId } from '../types.js';
import type { Sentence } from '../text/sentences.js';
import { clip } from '../text/clip.js';
import type { Attributor } from './attribution/index.js';
import type { TriggerHit } from './detect.js';
import { backgroundSentences, type PublicationMonth } from './background.js';

export const QUOTE_MAX = 300;
const MAX_EVIDENCE = 3;
const SPEAKER_LOOKUPS = 12;

/**
 * confidence = 1 − e^(−1.2·raw), raw = the weights of the distinct triggers (strong 1, medium
 * 0.6, weak 0.3), + 0.25 per further sentence carrying the tag (up to 4), + 0.4 × the weight
 * of the strongest trigger in the title or lead. A lone weak trigger gives 0.30 (0.40 in the
 * lead), a lone strong one 0.70, a strong one in the lead 0.81, two distinct strong ones 0.91.
 *
 * Evidence, most telling first, is ordered by, in turn:
 *   1. the strongest trigger in the sentence (an explicit frame before an allusive one);
 *   2. a sentence of the body before the title (a headline is a compressed retelling: the body
 *      sentence is the whole statement, in its own words);
 *   2b. the story's own sentence before a background one (history, context: ./background.ts);
 *   3. a named speaker before the outlet's voice (who voices the frame is what analysts ask);
 *   4. more distinct triggers;
 *   5. the trigger inside quotation marks (the speaker's own words);
 *   6. the earlier sentence.
 * `titleSentences`: how many sentences the title is. `when`: the publication month, for telling
 * background sentences (evidence from them carries `background: true`); without it none is.
 * A framing with a trigger in the title carries `inTitle: true` (the headline's own frame).
 */
export function buildFramings(
  hits: TriggerHit[],
  sentences: Sentence[],
  leadLast: number,
  titleSentences: number,
  attributor: Attributor,
  when?: PublicationMonth,
): Framing[] {
  const background = when ? backgroundSentences(sentences, leadLast, when) : [];
  const byTag = new Map<TagId, TriggerHit[]>();
  for (const h of hits) {
    const list = byTag.get(h.tag);
    if (list) list.push(h);
    else byTag.set(h.tag, [h]);
  }
  const out: Framing[] = [];
  for (const [tag, list] of byTag) {
    const phrases = new Map<string, number>();
    const perSentence = new Map<number, { weight: number; phrases: Set<string>; hits: TriggerHit[] }>();
    for (const h of list) {
      phrases.set(h.phrase, Math.max(phrases.get(h.phrase) ?? 0, h.weight));
      const ps = perSentence.get(h.sentence);
      if (!ps) perSentence.set(h.sentence, { weight: h.weight, phrases: new Set([h.phrase]), hits: [h] });
      else {
        ps.weight = Math.max(ps.weight, h.weight);
        ps.phrases.add(h.phrase);
        ps.hits.push(h);
      }
    }
    let raw = Math.min(3, [...phrases.values()].reduce((a, b) => a + b, 0));
    raw += 0.25 * Math.min(4, perSentence.size - 1);
    let leadWeight = 0;
    for (const [si, ps] of perSentence) if (si <= leadLast) leadWeight = Math.max(leadWeight, ps.weight);
    raw += 0.4 * leadWeight;
    const confidence = Math.min(0.99, Math.max(0.05, Math.round((1 - Math.exp(-1.2 * raw)) * 100) / 100));
    // Speakers are looked for only where they can change the order of the first three: in
    // the groups of equal strength and place (title or body) that reach into them.
    const ranked = [...perSentence.entries()].map(([si, ps]) => {
      const s = sentences[si]!;
      const hits = [...ps.hits].sort((a, b) => b.weight - a.weight || a.start - b.start);
      return {
        si,
        hits,
        weight: ps.weight,
        body: si >= titleSentences,
        speaker: undefined as string | null | undefined,
        phrases: ps.phrases.size,
        quoted: insideQuotes(s.text, hits[0]!.end - 1 - s.start),
        background: background[si] === true,
      };
    });
    ranked.sort((a, b) => b.weight - a.weight || Number(b.body) - Number(a.body) || Number(a.background) - Number(b.background));
    for (let g = 0; g < ranked.length && g < MAX_EVIDENCE; ) {
      let e = g + 1;
      while (e < ranked.length && ranked[e]!.weight === ranked[g]!.weight && ranked[e]!.body === ranked[g]!.body && ranked[e]!.background === ranked[g]!.background) e++;
      // (At most SPEAKER_LOOKUPS of a group: a text with hundreds of like sentences is not
      // prose, and the earliest of them stand for it.)
      for (let k = g; k < e && k < g + SPEAKER_LOOKUPS; k++) {
        const r = ranked[k]!;
        // The speaker of the strongest trigger that has one (a trigger is voiced where it
        // ends: "The West,” Lavrov said, “is preparing a colour revolution").
        r.speaker = null;
        for (const h of r.hits) if ((r.speaker = attributor.speakerOf(r.si, h.end - 1)) !== null) break;
      }
      g = e;
    }
    ranked.sort(
      (a, b) =>
        b.weight - a.weight ||
        Number(b.body) - Number(a.body) ||
        Number(a.background) - Number(b.background) ||
        Number(b.speaker != null) - Number(a.speaker != null) ||
        b.phrases - a.phrases ||
        Number(b.quoted) - Number(a.quoted) ||
        a.si - b.si,
    );
    const evidence: Evidence[] = ranked.slice(0, MAX_EVIDENCE).map((r) => {
      const ev: Evidence = { quote: clip(sentences[r.si]!.text.replace(/\s+/g, ' ').trim(), QUOTE_MAX), attributedTo: r.speaker ?? null };
      if (r.background) ev.background = true;
      return ev;
    });
    const framing: Framing = { tag, confidence, evidence };
    if ([...perSentence.keys()].some((si) => si < titleSentences)) framing.inTitle = true;
    out.push(framing);
  }
  return out.sort((a, b) => b.confidence - a.confidence || TAG_IDS.indexOf(a.tag) - TAG_IDS.indexOf(b.tag));
}

/** True when offset `at` of `text` is inside a quotation opened in the sentence. */
function insideQuotes(text: string, at: number): boolean {
  let depth = 0;
  let straight = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    const c = text[i]!;
    if (c === '“' || c === '«' || c === '„') depth++;
    else if ((c === '”' || c === '»') && depth > 0) depth--;
    else if (c === '"') straight++;
  }
  return depth > 0 || straight % 2 === 1;
}
