// Background sentences: history and context an article gives about earlier events (RT's
// paragraph on the January unrest under a story about an April visit), as opposed to the
// story's own news. Evidence from them is flagged so analysts can tell a frame the story voices
// now from one it recalls. Hand-written rules (no model here can do this offline and cheaply):
//
//  1. The title and lead are never background: they are the story's own claim.
//  2. A sentence is background when it points at an earlier time: "at the time", "three months
//     after", "last year", "ago", "previously", "напомним", "ранее", "当时", "去年"; a year before
//     the publication year; or a month name of an earlier month ("this January" in April; a
//     month with a day number only from two months back, since "on 30 April" in a 1 May article
//     is still the news). A sentence also about now ("on Monday", "today", "сегодня") or the
//     future ("will", "next") is not.
//  3. Background runs on: the rest of its paragraph, and a next paragraph that refers back to
//     the events with a definite noun ("The unrest was followed by…", "…were behind the unrest"),
//     until a sentence about now.
//  4. A paragraph that opens with a background cue ("Background:", "Справка", "背景") is background.
import type { Sentence } from '../text/sentences.js';

/** The publication date the time words are read against (month 1..12). */
export interface PublicationMonth {
  year: number;
  month: number;
}

const PAST = new RegExp(
  [
    String.raw`\b(?:at\s+the\s+time|back\s+then|back\s+in|in\s+the\s+past|previously|earlier\s+this\s+year|since\s+then|last\s+(?:year|month|spring|summer|autumn|fall|winter))\b`,
    String.raw`\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)\s+(?:years?|months?|decades?)\s+(?:ago|earlier|before|after|later)\b`,
    String.raw`(?<!\p{L})(?:напомним|ранее|в\s+прошлом\s+году|в\s+то\s+время|тогда\s+же|год\s+назад|(?:месяц\p{L}*|лет|года?)\s+назад|спустя\s+(?:\p{L}+\s+)?(?:месяц|год|лет))(?!\p{L})`,
    '当时|去年|此前|早前|回顾',
  ].join('|'),
  'iu',
);
const NOW = /\b(?:today|tonight|yesterday|this\s+week|now|currently|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b|(?<!\p{L})(?:сегодня|вчера|на\s+этой\s+неделе|сейчас|в\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))(?!\p{L})|今天|昨天|本周/iu;
const FUTURE = /\b(?:will|shall|plans?\s+to|next|upcoming|scheduled)\b|(?<!\p{L})(?:будет|будут|планиру\p{L}*|следующ\p{L}*)(?!\p{L})|将/iu;
const CUE = /^\s*(?:background|context|for\s+context|справка|предыстория|背景)\s*[:：—–-]/iu;
const REFERS_BACK =
  /\b(?:the|these|those|that)\s+(?:\w+\s+)?(?:unrest|protests?|riots?|violence|clashes|demonstrations|rallies|events|turmoil|uprising|crisis|bloodshed|massacre|coup\s+attempt)\b|(?<!\p{L})(?:эти|те|тех|этих)\s+(?:\p{L}+\s+)?(?:события|событий|беспорядк\p{L}*|протест\p{L}*|волнени\p{L}*)(?!\p{L})/iu;

// English month names capitalised ("march" is a verb), Russian in any case and inflection.
const MONTHS: [RegExp, number][] = [
  [/\bJan(?:uary|\.)|\bJanuary\b|(?<!\p{L})[Яя]нвар\p{L}*/u, 1],
  [/\bFeb(?:ruary\b|\.)|(?<!\p{L})[Фф]еврал\p{L}*/u, 2],
  [/\bMarch\b|(?<!\p{L})[Мм]арт[ае]?(?!\p{L})/u, 3],
  [/\bApril\b|(?<!\p{L})[Аа]прел\p{L}*/u, 4],
  // "May" is also a verb and a name: only after "in", "this", "last", "since", "early", "late" or a day.
  [/\b(?:in|this|last|since|early|late|mid|\d{1,2})\s+May\b|(?<!\p{L})ма[яе](?!\p{L})/u, 5],
  [/\bJune\b|(?<!\p{L})[Ии]юн[ьяе](?!\p{L})/u, 6],
  [/\bJuly\b|(?<!\p{L})[Ии]юл[ьяе](?!\p{L})/u, 7],
  [/\bAug(?:ust\b|\.)|(?<!\p{L})[Аа]вгуст[ае]?(?!\p{L})/u, 8],
  [/\bSept?(?:ember\b|\.)|(?<!\p{L})[Сс]ентябр\p{L}*/u, 9],
  [/\bOct(?:ober\b|\.)|(?<!\p{L})[Оо]ктябр\p{L}*/u, 10],
  [/\bNov(?:ember\b|\.)|(?<!\p{L})[Нн]оябр\p{L}*/u, 11],
  [/\bDec(?:ember\b|\.)|(?<!\p{L})[Дд]екабр\p{L}*/u, 12],
];
const YEAR = /(?<!\d)(19\d\d|20\d\d)(?!\d)/g;

/** Whether a sentence points at a time before the publication (rule 2, without the now/future check). */
function pointsBack(text: string, when: PublicationMonth): boolean {
  if (PAST.test(text)) return true;
  YEAR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = YEAR.exec(text)) !== null) if (Number(m[1]) < when.year) return true;
  for (const [re, month] of MONTHS) {
    const hit = re.exec(text);
    if (!hit) continue;
    const back = (when.month - month + 12) % 12;
    if (back === 0) continue;
    const around = text.slice(Math.max(0, hit.index - 4), hit.index + hit[0].length + 4);
    const withDay = /\d/.test(around);
    if (back >= 2 || !withDay) return true;
  }
  return false;
}

/**
 * For each sentence, whether it is background (see the rules above). `leadLast`: the index of
 * the lead's last sentence (title and lead are never background).
 */
export function backgroundSentences(sentences: readonly Sentence[], leadLast: number, when: PublicationMonth): boolean[] {
  const out = sentences.map(() => false);
  let cueParagraph = -1;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i]!;
    if (i <= leadLast) continue;
    const text = s.text;
    if (s.inPara === 0 && CUE.test(text)) cueParagraph = s.para;
    if (s.para === cueParagraph) {
      out[i] = true;
      continue;
    }
    if (NOW.test(text)) continue;
    if (pointsBack(text, when) && !FUTURE.test(text)) {
      out[i] = true;
      continue;
    }
    const prev = sentences[i - 1];
    if (!prev || !out[i - 1]) continue;
    // Runs on through its paragraph, and into the next one when that refers back to the events.
    if (prev.para === s.para || (s.para === prev.para + 1 && REFERS_BACK.test(text))) out[i] = true;
  }
  return out;
}
