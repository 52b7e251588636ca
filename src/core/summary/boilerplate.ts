// Boilerplate that is not the article: related links, source lines, subscription and donation
// appeals (the RT seed ends with "More on the subject – …", a paragraph asking readers to share
// because the EU blocks RT, and "Source link"). Such sentences never reach a summary, evidence
// or the country list.
import type { Paragraph } from '../text/sentences.js';

// A sentence that starts like a link or a credit line.
const LEADING = new RegExp(
  [
    String.raw`^(?:more on (?:the|this) (?:subject|topic)|read (?:more|also|the full|next)|see also|related(?: articles?| stories| news)?\s*[:–—-]|source(?: link)?\b|sources?:|subscribe\b|follow us|sign up|share (?:this|on)|click here|photo(?:s)?\s*[:©]|image\s*:|video\s*:|watch\s*:|listen\s*:|advertisement|tags?\s*:|©|copyright|all rights reserved|recommended\b|also read|you may also like|this article was (?:originally )?published|originally published|editor'?s note)`,
    String.raw`^(?:читайте (?:также|еще|ещё|нас)|подробнее\b|смотрите также|см\. также|источник\b|фото\s*[:©]|видео\s*:|реклама\b|по теме\s*:|ранее сообщалось|поделиться)`,
    String.raw`^(?:责任编辑|原标题|来源[:：]|编辑[:：]|相关阅读|延伸阅读)`,
  ].join('|'),
  'u',
);
// An appeal anywhere in the sentence.
const APPEAL = new RegExp(
  [
    String.raw`subscribe to (?:our|the)|follow us on|join us on|our telegram|telegram channel|support (?:our|independent) journalism|donat(?:e|ion)|become a (?:patron|member|subscriber)|if you (?:like|enjoy|value) our|feel free to share|share (?:them|our articles|this article)|our (?:newsletter|website|articles|posts|work|accounts)\b|sign up for`,
    String.raw`подписывайтесь|подпишитесь|наш (?:телеграм|канал)|telegram-канал|поддержите (?:нас|редакцию|проект)|пожертвова|присоединяйтесь к нам`,
    String.raw`关注我们|扫码关注|点击关注|欢迎转发|版权所有|未经授权`,
    String.raw`жазылыңыз|парақшамызға|obuna bo'ling|kanalimizga`,
  ].join('|'),
  'u',
);

/** Indexes of boilerplate paragraphs: one that starts like a link or credit line, or that
 * carries an appeal anywhere (the appeal paragraph is boilerplate as a whole). `folded` is
 * the lower-cased text (foldForMatch): the patterns are lower case, and case-sensitive
 * matching is several times faster. */
export function boilerplateParagraphs(folded: string, paragraphs: Paragraph[]): Set<number> {
  const text = folded;
  const out = new Set<number>();
  paragraphs.forEach((p, i) => {
    const t = text.slice(p.start, p.end).trim();
    if (LEADING.test(t.slice(0, 120)) || APPEAL.test(t)) out.add(i);
  });
  return out;
}
