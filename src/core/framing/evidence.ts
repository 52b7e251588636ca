// From trigger hits to framings: confidence per tag and the evidence sentences, most telling
// first, with their speaker.
import { TAG_IDS, type Evidence, type Framing, type TagId } from '../types.js';
import type { Sentence } from '../text/sentences.js';
import { cutAtWord } from '../summary/summarize.js';
import type { Attributor } from './attribution.js';
import type { TriggerHit } from './detect.js';

export const QUOTE_MAX = 300;
const MAX_EVIDENCE = 3;

/**
 * confidence = 1 − e^(−1.2·raw), raw = the weights of the distinct triggers (strong 1, medium
 * 0.6, weak 0.3), + 0.25 per further sentence carrying the tag (up to 4), + 0.4 × the weight
 * of the strongest trigger in the title or lead. A lone weak trigger gives 0.30 (0.40 in the
 * lead), a lone strong one 0.70, a strong one in the lead 0.81, two distinct strong ones 0.91.
 */
export function buildFramings(hits: TriggerHit[], sentences: Sentence[], leadLast: number, attributor: Attributor): Framing[] {
  const byTag = new Map<TagId, TriggerHit[]>();
  for (const h of hits) byTag.set(h.tag, [...(byTag.get(h.tag) ?? []), h]);
  const out: Framing[] = [];
  for (const [tag, list] of byTag) {
    const phrases = new Map<string, number>();
    const perSentence = new Map<number, { weight: number; phrases: Set<string> }>();
    for (const h of list) {
      phrases.set(h.phrase, Math.max(phrases.get(h.phrase) ?? 0, h.weight));
      const ps = perSentence.get(h.sentence) ?? { weight: 0, phrases: new Set<string>() };
      ps.weight = Math.max(ps.weight, h.weight);
      ps.phrases.add(h.phrase);
      perSentence.set(h.sentence, ps);
    }
    let raw = Math.min(3, [...phrases.values()].reduce((a, b) => a + b, 0));
    raw += 0.25 * Math.min(4, perSentence.size - 1);
    const leadWeight = Math.max(0, ...[...perSentence.entries()].filter(([si]) => si <= leadLast).map(([, ps]) => ps.weight));
    raw += 0.4 * leadWeight;
    const confidence = Math.min(0.99, Math.max(0.05, Math.round((1 - Math.exp(-1.2 * raw)) * 100) / 100));
    const ranked = [...perSentence.entries()].map(([si, ps]) => {
      const speaker = attributor.speakerOf(si);
      const text = sentences[si]!.text;
      let score = ps.weight + 0.25 * (ps.phrases.size - 1);
      if (speaker) score += 0.3;
      if (/[“”"«»]/.test(text)) score += 0.1;
      if (si <= leadLast) score += 0.15;
      return { si, score, speaker };
    });
    ranked.sort((a, b) => b.score - a.score || a.si - b.si);
    const evidence: Evidence[] = ranked.slice(0, MAX_EVIDENCE).map((r) => ({
      quote: cutAtWord(sentences[r.si]!.text.replace(/\s+/g, ' ').trim(), QUOTE_MAX),
      attributedTo: r.speaker,
    }));
    out.push({ tag, confidence, evidence });
  }
  return out.sort((a, b) => b.confidence - a.confidence || TAG_IDS.indexOf(a.tag) - TAG_IDS.indexOf(b.tag));
}
