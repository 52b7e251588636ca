// Speech acts of a Chinese sentence, and the name after a Chinese office.
import type { Act } from './act.js';
import type { CompiledSpeech } from './speech.js';

// What may follow a Chinese name: a verb of speech or meeting, or a particle or time word.
const ZH_AFTER_NAME_STRONG = /^(?:表示|指出|强调|说|称|认为|宣布|警告|声称|提到|重申|会见|会晤|访问|出席|发表|接受|主持|参加|举行|透露|告诉|呼吁|谴责|致电|通电话)/u;
const ZH_AFTER_NAME_WEAK = /^(?:在|于|对|向|与|和|同|就|时|的|是|也|还|曾|已|将|周|今|昨|日前|近日|上午|下午|率|致|，|。|、)/u;
const ZH_NAME_END = /周[一二三四五六日末]|今天|昨天|明天|日前|近日|上午|下午|晚间|当天|本周|此前|[在于，。、：“”]/u;

/** The name at the start of `s` (after a Chinese role), or a transliteration with "·": the
 * shortest one followed by a verb of speech or meeting ("魏凤和表示"), else the shortest one
 * followed by a particle or a time word ("王毅在", "特列乌别尔季周二"). */
export function zhNameAt(text: string): string | null {
  const dot = /^[\p{Script=Han}]{1,8}·[\p{Script=Han}]{1,8}/u.exec(text);
  if (dot) return dot[0];
  // A verb or particle is not a name ("外交部发言人表示"); a time word ends one.
  if (ZH_AFTER_NAME_STRONG.test(text) || ZH_AFTER_NAME_WEAK.test(text)) return null;
  const hard = ZH_NAME_END.exec(text);
  const s = hard && hard.index >= 2 ? text.slice(0, hard.index) : text;
  for (const re of [ZH_AFTER_NAME_STRONG, ZH_AFTER_NAME_WEAK])
    for (let len = 2; len <= Math.min(10, s.length); len++) {
      const after = s.slice(len);
      if (re.test(after)) return s.slice(0, len);
    }
  return s !== text && s.length <= 10 ? s : null;
}

export function findActsZh(t: string, sp: CompiledSpeech): Act[] {
  const n = t.length;
  const acts: Act[] = [];
  const pm = sp.zhPrep.exec(t);
  if (pm) acts.push({ speaker: pm[1]!, from: 0, to: n, kind: 'outer' });
  // "新华社援引托卡耶夫的话说": the one quoted speaks.
  const cite = /援引([\p{Script=Han}·]{2,20}?)的话/u.exec(t);
  if (cite) acts.push({ speaker: cite[1]!, from: cite.index + cite[0].length, to: n, kind: 'inner' });
  const colon = /^\s*([\p{Script=Han}·]{2,12})[：:]/u.exec(t);
  if (colon && !/[表示说称]$/.test(colon[1]!)) acts.push({ speaker: colon[1]!, from: colon[0].length, to: n, kind: 'outer' });
  // Clauses between Chinese commas and colons.
  const re = /[^，,：:；;。！？!?“”「」]+/gu;
  const clauses: { at: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) clauses.push({ at: m.index, end: m.index + m[0].length });
  clauses.forEach((c, ci) => {
    const text = t.slice(c.at, c.end);
    sp.zhVerb.lastIndex = 0;
    let v: RegExpExecArray | null;
    while ((v = sp.zhVerb.exec(text)) !== null) {
      let subj = text.slice(0, v.index).trim();
      subj = subj.replace(/^(?:但|而|同时|此外|另外|并|还)/u, '');
      const cut = /(?:在|于|对|向|就|今天|昨天|日前|近日|周[一二三四五六日]|上午|下午|晚间|也|还|曾|再次|进一步|明确|同日|\d|[一二三四五六七八九十]+日)/u.exec(subj);
      if (cut && cut.index >= 1) subj = subj.slice(0, cut.index);
      if (subj.length < 1 || subj.length > 20 || /被$/.test(subj) || /援引|引述/.test(subj) || !/^[\p{Script=Han}·]+$/u.test(subj)) continue;
      const rest = text.slice(v.index + v[0].length).trim();
      const lastClause = ci === clauses.length - 1 || t.slice(c.end).replace(/[。！？!?”」\s]/g, '') === '';
      if (rest === '' && lastClause && c.at > 0) acts.push({ speaker: subj, from: 0, to: c.at, kind: 'outer' });
      else acts.push({ speaker: subj, from: c.at + v.index + v[0].length, to: n, kind: 'inner' });
      break;
    }
  });
  return acts;
}
