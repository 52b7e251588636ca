// Boilerplate that is not the article: related links, source lines, subscription and donation
// appeals (the RT seed ends with "More on the subject – …", a paragraph asking readers to share
// because the EU blocks RT, and "Source link"). Such sentences never reach a summary, evidence
// or the country list.
import type { Paragraph } from '../text/sentences.js';

// A paragraph that starts like a link or a credit line. Matched in place (sticky, at the
// paragraph's start), case-insensitively, so no lower-cased copy of the text is made.
const LEADING = new RegExp(
  '[ \\t]*(?:' +
    [
      String.raw`more on (?:the|this) (?:subject|topic)|read (?:more|also|the full|next)|see also|related(?: articles?| stories| news)?\s*[:–—-]|source(?: link)?\s*(?:[:–—-]|$|[\n\r])|sources?:`,
      String.raw`subscribe\b|follow us|sign up|share (?:this|on)|click here|photo(?:s)?\s*[:©]|image\s*:|video\s*:|watch\s*:|listen\s*:|advertisement|tags?\s*:|©|copyright|all rights reserved`,
      String.raw`recommended\b|also read|you may also like|this article was (?:originally )?published|originally published|editor['’]?s note`,
      String.raw`читайте (?:также|еще|ещё|нас)|подробнее\s*[:–—-]|смотрите также|см\. также|источник\s*[:–—-]|фото\s*[:©]|видео\s*:|реклама(?!\p{L})|по теме\s*:|ранее сообщалось|поделиться`,
      String.raw`责任编辑|原标题|来源[:：]|编辑[:：]|相关阅读|延伸阅读`,
    ].join('|') +
    ')',
  'iuy',
);
// An appeal anywhere in the paragraph, as token phrases (the syntax of text/phrase.ts), matched
// by the analyzer's one scan of the text. Specific enough that news does not match them: "Russia
// donated vaccines" and "our work continues", said a minister, are not appeals.
export const APPEAL_PHRASES: string[] = [
  'subscribe to our|the',
  'follow|join us on',
  'our telegram|newsletter|website|articles|posts',
  'telegram channel',
  'support our|independent journalism',
  'support us',
  'please donate',
  'donate now|today|here|online',
  'donate to us|our',
  'make|making a donation',
  'your donation|donations',
  'become a patron|member|subscriber',
  'if you like|enjoy|value our',
  'feel free to share',
  'share them|our articles|this article',
  'sign up for our',
  'подписывайтесь',
  'подпишитесь',
  'наш телеграм*|канал',
  'telegram канал',
  'поддержите нас|редакцию|проект',
  'сделать|сделайте|ваше|ваши пожертвовани*',
  'присоединяйтесь к нам',
  'жазылыңыз',
  'парақшамызға',
  'obuna boling',
  'kanalimizga',
];
// Chinese appeals, as substrings.
const APPEAL_ZH = /关注我们|扫码关注|点击关注|欢迎转发|版权所有|未经授权/;

/** Indexes of boilerplate paragraphs: one that starts like a link or credit line, or that
 * carries an appeal anywhere (the appeal paragraph is boilerplate as a whole). `appeals`:
 * offsets in `text` where an APPEAL_PHRASES phrase matched; `cjk`: whether the text has
 * Chinese characters. */
export function boilerplateParagraphs(text: string, cjk: boolean, paragraphs: Paragraph[], appeals: number[]): Set<number> {
  const out = new Set<number>();
  let a = 0;
  paragraphs.forEach((p, i) => {
    while (a < appeals.length && appeals[a]! < p.start) a++;
    if (a < appeals.length && appeals[a]! < p.end) {
      out.add(i);
      return;
    }
    LEADING.lastIndex = p.start;
    if (LEADING.test(text) || (cjk && APPEAL_ZH.test(text.slice(p.start, p.end)))) out.add(i);
  });
  return out;
}
