// The analysis of one article: language, countries and entities, relevance, framings with
// evidence and speaker, summary. Pure: data in (compiled once by createAnalyzer), values out;
// the clock is a parameter.
import { COUNTRY_CODES, type AnalysisInput, type AnalysisResult } from './types.js';
import { compileGazetteer, type CompiledGazetteer, type GazetteerData } from './geo/gazetteer.js';
import { compileCountryWords } from './geo/country-words.js';
import { findGeoHits, scoreGeo } from './geo/match.js';
import { compileLexicon, type CompiledLexicon, type LexiconData } from './framing/lexicon.js';
import { detectTriggers, findHits, findTriggers } from './framing/detect.js';
import { Attributor, compileSpeech, type CompiledSpeech, type KnownName, type SpeakerLexicon } from './framing/attribution/index.js';
import { buildFramings } from './framing/evidence.js';
import { detectLanguage } from './lang/detect.js';
import { repairMojibake } from './text/mojibake.js';
import { htmlToText } from './feed/parse/html-text.js';
import { LazySentences } from './text/sentences.js';
import { tokenize } from './text/tokenize.js';
import { PhraseIndex, PhraseSyntaxError, type PhraseMatch } from './text/phrase.js';
import { GazetteerError, type CompiledEntry } from './geo/gazetteer.js';
import { LexiconError, type Payload } from './framing/lexicon.js';
import type { CountryCode } from './types.js';
import { APPEAL_PHRASES, boilerplateParagraphs } from './summary/boilerplate.js';
import { summarize } from './summary/summarize.js';
import { clip } from './text/clip.js';

/** What the analyzer is built from (data/gazetteer.yaml, data/framing-lexicon.yaml and
 * data/speakers.yaml, parsed). */
export interface AnalyzerData {
  gazetteer: GazetteerData;
  lexicon: LexiconData;
  speakers: SpeakerLexicon;
}

export interface Analyzer {
  analyze(input: AnalysisInput, now: Date): AnalysisResult;
}

const HAS_CJK = /[\u4e00-\u9fff]/;
/** Characters of the body the language detector is given (it reads at most 1,500). */
const LANG_SAMPLE = 1600;
/** A title longer than this is cut (a first sentence standing in for a missing title). */
const TITLE_MAX = 300;
/** Lead = the title and this many body sentences after it. */
const LEAD_SENTENCES = 2;

/** What a phrase of the one index stands for: a gazetteer name, a local-place pattern, a
 * framing trigger, another lexicon phrase (cue, block, negator: only read when a trigger
 * fired), or a boilerplate appeal. */
type ScanPayload =
  | { src: 'geo'; entry: CompiledEntry }
  | { src: 'local'; cc: CountryCode }
  | { src: 'trigger'; p: Payload }
  | { src: 'aux'; p: Payload }
  | { src: 'appeal' };

interface Compiled {
  gaz: CompiledGazetteer;
  lex: CompiledLexicon;
  speech: CompiledSpeech;
  /** Every token phrase of the gazetteer, the framing triggers and the boilerplate appeals:
   * the text is tokenized once and scanned once, whatever the number of phrases. */
  index: PhraseIndex<ScanPayload>;
  /** The lexicon's other phrases (cues, blocks, negators): common words ("us", "not", "не"),
   * so they are scanned for only in the few articles where a trigger fired. */
  aux: PhraseIndex<ScanPayload>;
}

function compile(data: AnalyzerData): Compiled {
  const gaz = compileGazetteer(data.gazetteer);
  const lex = compileLexicon(data.lexicon);
  // Country words for attribution come from the gazetteer (one source; see geo/country-words.ts).
  const speech = compileSpeech(data.lexicon.speech, data.speakers, compileCountryWords(data.gazetteer));
  const index = new PhraseIndex<ScanPayload>();
  const aux = new PhraseIndex<ScanPayload>();
  const add = (phrase: string, payload: ScanPayload, fail: (msg: string) => Error) => {
    try {
      (payload.src === 'aux' ? aux : index).add(phrase, payload);
    } catch (err) {
      if (err instanceof PhraseSyntaxError) throw fail(err.message);
      throw err;
    }
  };
  for (const { phrase, entry } of gaz.phrases) add(phrase, { src: 'geo', entry }, (m) => new GazetteerError(`${entry.id}: ${m}`));
  for (const { phrase, cc } of gaz.local) add(phrase, { src: 'local', cc }, (m) => new GazetteerError(`local place: ${m}`));
  for (const { phrase, payload, where } of lex.triggers.phrases) add(phrase, { src: 'trigger', p: payload }, (m) => new LexiconError(`${where}: ${m}`));
  for (const { phrase, payload, where } of lex.aux.phrases) add(phrase, { src: 'aux', p: payload }, (m) => new LexiconError(`${where}: ${m}`));
  for (const phrase of APPEAL_PHRASES) add(phrase, { src: 'appeal' }, (m) => new Error(`boilerplate appeal: ${m}`));
  return { gaz, lex, speech, index, aux };
}

export function createAnalyzer(data: AnalyzerData): Analyzer {
  const c = compile(data);
  return { analyze: (input, now) => analyzeOne(c, input, now) };
}

/** The one scan's matches, by what they stand for. */
interface Scanned {
  names: PhraseMatch<CompiledEntry>[];
  locals: PhraseMatch<CountryCode>[];
  triggers: PhraseMatch<Payload>[];
  aux: PhraseMatch<Payload>[];
  /** Offsets of boilerplate appeals. */
  appeals: number[];
}

function split(matches: PhraseMatch<ScanPayload>[], tokens: { start: Int32Array }): Scanned {
  const out: Scanned = { names: [], locals: [], triggers: [], aux: [], appeals: [] };
  for (const m of matches) {
    const p = m.payload;
    switch (p.src) {
      case 'geo':
        out.names.push({ payload: p.entry, tokStart: m.tokStart, tokEnd: m.tokEnd });
        break;
      case 'local':
        out.locals.push({ payload: p.cc, tokStart: m.tokStart, tokEnd: m.tokEnd });
        break;
      case 'trigger':
        out.triggers.push({ payload: p.p, tokStart: m.tokStart, tokEnd: m.tokEnd });
        break;
      case 'aux':
        out.aux.push({ payload: p.p, tokStart: m.tokStart, tokEnd: m.tokEnd });
        break;
      case 'appeal':
        out.appeals.push(tokens.start[m.tokStart]!);
        break;
    }
  }
  return out;
}

/** Ends of sentences and paragraphs: a stop (Latin, Chinese) before space, or a blank line. */
const SENTENCE_END = /[.!?…。！？]+["'”»’)\]]*(?:\s+|$)|[。！？]|\n\s*\n/g;

/**
 * Offsets where sentences start, for relevance (a count and positions, not text: "Mr." or an
 * initial splitting a sentence in two changes a share a little, which is all it is used for).
 */
function sentenceStarts(text: string): number[] {
  const out = [0];
  SENTENCE_END.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_END.exec(text)) !== null) {
    const next = m.index + m[0].length;
    if (m[0].length === 0) SENTENCE_END.lastIndex++;
    else if (next < text.length && next > out[out.length - 1]!) out.push(next);
  }
  return out;
}

/** The feed's home country when it is one of the five (a hint; anything else is ignored). */
function homeCountry(cc: string | undefined): CountryCode | undefined {
  const up = cc?.toUpperCase();
  return up && (COUNTRY_CODES as readonly string[]).includes(up) ? (up as CountryCode) : undefined;
}

function publicationDate(published: string | undefined, now: Date): Date {
  if (published) {
    const t = Date.parse(published);
    if (!Number.isNaN(t)) return new Date(t);
  }
  return now;
}

function analyzeOne({ gaz, lex, speech, index, aux }: Compiled, input: AnalysisInput, now: Date): AnalysisResult {
  let raw = input.text ?? (input.html ? htmlToText(input.html) : '');
  if (raw.includes('\r')) raw = raw.replace(/\r\n?/g, '\n');
  if (raw.includes('\u00a0')) raw = raw.replace(/\u00a0/g, ' ');
  const body = repairMojibake(raw).trim();
  const givenTitle = input.title ? repairMojibake(input.title).replace(/\s+/g, ' ').trim() : '';
  // Language from the start of the text (the detector reads no further).
  const lang = detectLanguage(givenTitle ? `${givenTitle}\n${body.slice(0, LANG_SAMPLE)}` : body.slice(0, LANG_SAMPLE), input.language);

  // The analysed text: the title as its own first paragraph, unless the body repeats it.
  const titleInBody = givenTitle !== '' && body.startsWith(givenTitle);
  const full = givenTitle && !titleInBody ? `${givenTitle}\n\n${body}` : body;
  const sentences = new LazySentences(full, lang);
  const tokens = tokenize(full);
  const cjk = HAS_CJK.test(full);
  const scanned = split(index.matchAll(tokens, full), tokens);
  const boilerParas = boilerplateParagraphs(full, cjk, sentences.paragraphs, scanned.appeals);
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
    title = clip(sentences.get(0)!.text.replace(/\s+/g, ' '), TITLE_MAX);
    titleSentences = 1;
  }
  const titleEnd = titleSentences > 0 ? sentences.get(titleSentences - 1)!.end : 0;
  let leadLast = titleSentences - 1 + LEAD_SENTENCES;
  while (leadLast >= 0 && !sentences.get(leadLast)) leadLast--;
  const leadEnd = leadLast >= 0 ? sentences.get(leadLast)!.end : 0;

  const geoHits = findGeoHits(gaz, full, cjk, tokens, scanned.names, scanned.locals).filter((h) => !inBoiler(h.start));
  // Relevance reads the share of sentences that name the region: their starts are found by a
  // plain scan for sentence ends (not the full splitter), only when a name was found; sentences
  // of boilerplate ("share our articles", "subscribe") do not count.
  // (A body that opens with its title: the title is the text up to the title's length, though
  // the splitter's first sentence ends a character later, at the stop.)
  const geo = scoreGeo(geoHits, titleInBody ? Math.max(titleEnd, givenTitle.length) : titleEnd, leadEnd, Math.max(1, Math.round(full.length / 150)), geoHits.length ? sentenceStarts(full).filter((p) => !inBoiler(p)) : undefined, homeCountry(input.country));

  let framings: AnalysisResult['framings'] = [];
  const triggerHits = findTriggers(lex, full, cjk, tokens, scanned.triggers, inBoiler);
  if (triggerHits.length > 0) {
    // Sentences only as far as the paragraph of the last trigger: evidence, cues and speakers
    // are found in the sentences of a trigger and those before it (a quotation is followed to
    // its paragraph's end); the rest of a long article need not be split.
    let lastPara = 0;
    const lastTrigger = Math.max(...triggerHits.map((h) => h.start));
    while (lastPara + 1 < sentences.paragraphs.length && sentences.paragraphs[lastPara + 1]!.start <= lastTrigger) lastPara++;
    const all = sentences.throughParagraph(lastPara);
    const boiler = new Set<number>();
    all.forEach((s, i) => {
      if (boilerParas.has(s.para)) boiler.add(i);
    });
    const hits = findHits(lex, full, cjk, tokens, split(aux.matchAll(tokens, full), tokens).aux, all, triggerHits);
    const pub = publicationDate(input.published, now);
    const triggers = detectTriggers(lex, full, tokens, all, hits, pub.getUTCFullYear()).filter((t) => !boiler.has(t.sentence));
    if (triggers.length > 0) {
      // Pushed, not filter().map(): map's array has another elements kind once this function is optimised (inlined map),
      // which deoptimised Attributor.build, a large function, at its loop over `known` (`node --trace-deopt-verbose`).
      const known: KnownName[] = [];
      for (const h of geoHits) {
        if (h.entry.kind !== 'block') known.push({ kind: h.entry.kind as KnownName['kind'], cc: h.entry.cc, head: h.entry.head, text: full.slice(h.start, h.end), start: h.start });
      }
      const attributor = new Attributor(speech, all, known, full);
      framings = buildFramings(triggers, all, leadLast, titleSentences, attributor, { year: pub.getUTCFullYear(), month: pub.getUTCMonth() + 1 });
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
