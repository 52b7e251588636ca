// The analysis of one article: language, countries and entities, relevance, framings with
// evidence and speaker, summary. Pure: data in (compiled once by createAnalyzer), values out;
// the clock is a parameter.
import type { AnalysisInput, AnalysisResult } from './types.js';
import { compileGazetteer, type CompiledGazetteer, type GazetteerData } from './geo/gazetteer.js';
import { findGeoHits, scoreGeo } from './geo/match.js';
import { compileLexicon, type CompiledLexicon, type LexiconData } from './framing/lexicon.js';
import { detectTriggers, findHits, findTriggers } from './framing/detect.js';
import { Attributor, compileSpeech, type CompiledSpeech, type KnownHead } from './framing/attribution.js';
import { buildFramings } from './framing/evidence.js';
import { detectLanguage } from './lang/detect.js';
import { repairMojibake } from './text/mojibake.js';
import { htmlToText } from './feed/html-text.js';
import { foldForMatch } from './text/normalize.js';
import { LazySentences } from './text/sentences.js';
import { tokenize } from './text/tokenize.js';
import { boilerplateParagraphs } from './summary/boilerplate.js';
import { cutAtWord, summarize } from './summary/summarize.js';

/** What the analyzer is built from (data/gazetteer.yaml and data/framing-lexicon.yaml, parsed). */
export interface AnalyzerData {
  gazetteer: GazetteerData;
  lexicon: LexiconData;
}

export interface Analyzer {
  analyze(input: AnalysisInput, now: Date): AnalysisResult;
}

/** A title longer than this is cut (a first sentence standing in for a missing title). */
const TITLE_MAX = 300;
/** Lead = the title and this many body sentences after it. */
const LEAD_SENTENCES = 2;

export function createAnalyzer(data: AnalyzerData): Analyzer {
  const gaz = compileGazetteer(data.gazetteer);
  const lex = compileLexicon(data.lexicon);
  const speech = compileSpeech(data.lexicon.speech);
  return { analyze: (input, now) => analyzeOne(gaz, lex, speech, input, now) };
}

function publicationYear(published: string | undefined, now: Date): number {
  if (published) {
    const t = Date.parse(published);
    if (!Number.isNaN(t)) return new Date(t).getUTCFullYear();
  }
  return now.getUTCFullYear();
}

function analyzeOne(gaz: CompiledGazetteer, lex: CompiledLexicon, speech: CompiledSpeech, input: AnalysisInput, now: Date): AnalysisResult {
  const body = repairMojibake(
    (input.text ?? (input.html ? htmlToText(input.html) : '')).replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' '),
  ).trim();
  const givenTitle = input.title ? repairMojibake(input.title).replace(/\s+/g, ' ').trim() : '';
  const lang = detectLanguage(givenTitle ? `${givenTitle}\n${body}` : body, input.language);

  // The analysed text: the title as its own first paragraph, unless the body repeats it.
  const titleInBody = givenTitle !== '' && body.startsWith(givenTitle);
  const full = givenTitle && !titleInBody ? `${givenTitle}\n\n${body}` : body;
  const sentences = new LazySentences(full, lang);
  const folded = foldForMatch(full);
  const boilerParas = boilerplateParagraphs(folded, sentences.paragraphs);
  const inBoiler = (pos: number): boolean => {
    if (boilerParas.size === 0) return false;
    for (const i of boilerParas) {
      const p = sentences.paragraphs[i]!;
      if (p.start <= pos && pos < p.end) return true;
    }
    return false;
  };

  let titleSentences = 0;
  let title = givenTitle;
  if (givenTitle) {
    while (sentences.get(titleSentences) && sentences.get(titleSentences)!.end <= givenTitle.length) titleSentences++;
  } else if (sentences.get(0)) {
    title = cutAtWord(sentences.get(0)!.text.replace(/\s+/g, ' '), TITLE_MAX);
    titleSentences = 1;
  }
  const titleEnd = titleSentences > 0 ? sentences.get(titleSentences - 1)!.end : 0;
  let leadLast = titleSentences - 1 + LEAD_SENTENCES;
  while (leadLast >= 0 && !sentences.get(leadLast)) leadLast--;
  const leadEnd = leadLast >= 0 ? sentences.get(leadLast)!.end : 0;

  const tokens = tokenize(folded);

  const geoHits = findGeoHits(gaz, full, tokens).filter((h) => !inBoiler(h.start));
  // Sentence count for relevance: estimated from the length, so the body need not be split.
  const geo = scoreGeo(geoHits, titleEnd, leadEnd, Math.max(1, Math.round(full.length / 150)));

  let framings: AnalysisResult['framings'] = [];
  const triggerHits = findTriggers(lex, full, tokens, inBoiler);
  if (triggerHits.length > 0) {
    const all = sentences.all();
    const boiler = new Set<number>();
    all.forEach((s, i) => {
      if (boilerParas.has(s.para)) boiler.add(i);
    });
    const hits = findHits(lex, full, tokens, all, triggerHits);
    const triggers = detectTriggers(lex, full, tokens, all, hits, publicationYear(input.published, now)).filter((t) => !boiler.has(t.sentence));
    if (triggers.length > 0) {
      const heads: KnownHead[] = geoHits
        .filter((h) => h.entry.kind === 'person' && h.entry.head && h.entry.cc)
        .map((h) => ({ cc: h.entry.cc!, text: full.slice(h.start, h.end), start: h.start }));
      const attributor = new Attributor(speech, all, heads, full);
      framings = buildFramings(triggers, all, leadLast, attributor);
    }
  }

  // A title line standing alone (no sentence punctuation) is not summary material.
  const summary = summarize(
    sentences,
    (i, s) => boilerParas.has(s.para) || (i < titleSentences && (givenTitle !== '' || !/[.!?。！？]["”»’]?$/.test(s.text))),
    lang,
  );

  return {
    id: input.id,
    language: lang,
    countries: geo.countries,
    relevance: geo.relevance,
    framings,
    summary,
    title,
    entities: geo.entities,
    regional: geo.regional,
  };
}
