// The framing lexicon as data (data/framing-lexicon.yaml) and its compiled form: token phrases
// for all tags, cues, blocks and negators (matched by the analyzer's one phrase index, with the
// gazetteer: see analyse.ts) and one Chinese substring regex per set, so an article is scanned
// once whatever the size of the lexicon.
import { TAG_IDS, type TagId } from '../types.js';
import type { SpeechLexicon } from './attribution/index.js';

export interface CuedGroup {
  /** Every list must have a phrase in the trigger's sentence. */
  when: string[][];
  p: string[];
  /** Holds in sentences about the past too (the tag's history rule does not apply). */
  timeless?: boolean;
}

export interface LexiconTag {
  strong?: string[];
  /** More strong phrases (long ones, one a line in the file). */
  more?: string[];
  medium?: string[];
  weak?: string[];
  cued?: CuedGroup[];
  context?: string[];
  article_cues?: string[];
  block?: string[];
  history?: boolean;
  near_miss?: string[];
}

export interface LexiconData {
  negation: {
    before: string[];
    before_zh?: string[];
    /** A negated verb of speech or framing ("never described … as", "не называл"): the
     * trigger it governs, up to 10 tokens on in the clause, is not voiced. */
    before_speech?: string[];
    /** Negators that follow what they negate (Kazakh, Kyrgyz, Uzbek: "… араласқан жоқ"),
     * within 6 tokens after the trigger in the clause. */
    after?: string[];
    not_negation?: string[];
    rebut_before: string[];
    rebut_after: string[];
  };
  history: { cues: string[] };
  speech: SpeechLexicon;
  tags: Partial<Record<TagId, LexiconTag>>;
}

export type Payload =
  | { kind: 'trigger'; tag: TagId; weight: number; phrase: string; cued: number; needs: number; context: boolean; timeless: boolean }
  | { kind: 'cue'; group: number; list: number }
  | { kind: 'acue'; tag: TagId }
  | { kind: 'block'; tag: TagId }
  | { kind: 'neg' }
  | { kind: 'negSpeech' }
  | { kind: 'negAfter' }
  | { kind: 'notneg' }
  | { kind: 'rebutBefore' }
  | { kind: 'rebutAfter' }
  | { kind: 'hist' };

/** Phrases of one scan: the triggers, or everything else (cues, blocks, negators), which is
 * only scanned for in articles that have a trigger. */
export interface PhraseSet {
  /** Token phrases, with where they come from (for error messages). */
  phrases: { phrase: string; payload: Payload; where: string }[];
  zh: RegExp | null;
  /** Payloads of a matched Chinese string and of every shorter key it starts with. */
  zhPayloads: Map<string, Payload[]>;
  zhPrefixes: Map<string, string[]>;
}

export interface CompiledLexicon {
  triggers: PhraseSet;
  aux: PhraseSet;
  historyTags: Set<TagId>;
  speech: LexiconData['speech'];
  nearMiss: Map<TagId, string[]>;
}

export const WEIGHTS = { strong: 1, medium: 0.6, weak: 0.3, cued: 0.8, context: 0.6 } as const;

const CJK = /[\u4e00-\u9fff]/;

export class LexiconError extends Error {
  override name = 'LexiconError';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function newSet(): PhraseSet {
  return { phrases: [], zh: null, zhPayloads: new Map(), zhPrefixes: new Map() };
}

function finishSet(set: PhraseSet): PhraseSet {
  const zhKeys = [...set.zhPayloads.keys()].sort((a, b) => b.length - a.length);
  // Chinese cues and triggers overlap (策动 in 策动颜色革命): every key at every position is
  // wanted, so callers advance one character after each match and add `zhPrefixes`.
  set.zh = zhKeys.length ? new RegExp(zhKeys.map(escapeRe).join('|'), 'g') : null;
  set.zhPrefixes = new Map(zhKeys.map((k) => [k, zhKeys.filter((o) => k.startsWith(o))]));
  return set;
}

export function compileLexicon(data: LexiconData): CompiledLexicon {
  const sets = { trigger: newSet(), aux: newSet() };
  const add = (phrase: string, payload: Payload, where: string) => {
    const set = payload.kind === 'trigger' ? sets.trigger : sets.aux;
    if (CJK.test(phrase)) {
      const list = set.zhPayloads.get(phrase) ?? [];
      list.push(payload);
      set.zhPayloads.set(phrase, list);
      return;
    }
    set.phrases.push({ phrase, payload, where });
  };
  let group = 0;
  const historyTags = new Set<TagId>();
  const nearMiss = new Map<TagId, string[]>();
  for (const [tagName, t] of Object.entries(data.tags)) {
    if (!TAG_IDS.includes(tagName as TagId)) throw new LexiconError(`unknown tag "${tagName}" in the lexicon`);
    const tag = tagName as TagId;
    if (!t) continue;
    const trig = (list: string[] | undefined, weight: number, extra: Partial<{ cued: number; needs: number; context: boolean; timeless: boolean }> = {}) => {
      for (const p of list ?? [])
        add(p, { kind: 'trigger', tag, weight, phrase: p, cued: extra.cued ?? -1, needs: extra.needs ?? 0, context: extra.context ?? false, timeless: extra.timeless ?? false }, tag);
    };
    trig(t.strong, WEIGHTS.strong);
    trig(t.more, WEIGHTS.strong);
    trig(t.medium, WEIGHTS.medium);
    trig(t.weak, WEIGHTS.weak);
    trig(t.context, WEIGHTS.context, { context: true });
    for (const c of t.cued ?? []) {
      const g = group++;
      trig(c.p, WEIGHTS.cued, { cued: g, needs: c.when.length, timeless: c.timeless ?? false });
      c.when.forEach((list, li) => {
        for (const p of list) add(p, { kind: 'cue', group: g, list: li }, `${tag} cue`);
      });
    }
    for (const p of t.article_cues ?? []) add(p, { kind: 'acue', tag }, `${tag} article cue`);
    for (const p of t.block ?? []) add(p, { kind: 'block', tag }, `${tag} block`);
    if (t.history) historyTags.add(tag);
    if (t.near_miss) nearMiss.set(tag, t.near_miss);
  }
  const n = data.negation;
  for (const p of n.before) add(p, { kind: 'neg' }, 'negation');
  for (const p of n.before_zh ?? []) add(p, { kind: 'neg' }, 'negation');
  for (const p of n.before_speech ?? []) add(p, { kind: 'negSpeech' }, 'before_speech');
  for (const p of n.after ?? []) add(p, { kind: 'negAfter' }, 'negation after');
  for (const p of n.not_negation ?? []) add(p, { kind: 'notneg' }, 'not_negation');
  for (const p of n.rebut_before) add(p, { kind: 'rebutBefore' }, 'rebut_before');
  for (const p of n.rebut_after) add(p, { kind: 'rebutAfter' }, 'rebut_after');
  for (const p of data.history.cues) add(p, { kind: 'hist' }, 'history');
  return {
    triggers: finishSet(sets.trigger),
    aux: finishSet(sets.aux),
    historyTags,
    speech: data.speech,
    nearMiss,
  };
}
