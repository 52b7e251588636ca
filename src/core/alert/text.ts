// Plain-text rendering of alerts and replies, for the console destination and the CLI.
import { countryLine, clip, followupText, formatDaySpan, formatWhen, framingLines, affiliationBadge, storyQuoteLines, tagName } from './format.js';
import { mergeText } from './merge.js';
import type { Alert, Reply, StoryCard } from './values.js';

export function alertToText(a: Alert): string {
  if (a.kind === 'merge') return `  ⇄ [story ${a.storyId}] ${mergeText(a)}`;
  if (a.kind === 'followup') return `  ↳ [story ${a.storyId}] ${followupText(a)}\n    ${a.headline}${a.url ? `\n    ${a.url}` : ''}`;
  const lines = [
    `${countryLine(a.countries)} · ${a.headline}`,
    `${a.outlet.name}  [${affiliationBadge(a.outlet.affiliation)}]  ·  ${formatWhen(a.published)}  ·  relevance ${a.relevance.toFixed(2)}`,
    '',
    a.summary,
  ];
  if (a.framings.length) {
    lines.push('', 'Framing');
    for (const l of framingLines(a.framings, 200, a.headline)) lines.push(`• ${l}`);
  }
  lines.push('', `Story ${a.storyId}${a.url ? ` · ${a.url}` : ''}`);
  if (a.storyUrl) lines.push(`Open story: ${a.storyUrl}`);
  return lines.join('\n');
}

export function storyCardToText(s: StoryCard, n?: number): string {
  const aff = [...new Set(s.outlets.map((o) => (o.affiliation.startsWith('state:') ? `state: ${o.affiliation.slice(6)}` : o.affiliation)))];
  const head = `${n !== undefined ? `${n}. ` : ''}${s.headline} — ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'} (${aff.join(', ')}), ${formatDaySpan(s.firstSeen, s.lastSeen)}`;
  const lines = [head];
  if (s.framings.length) lines.push(`   ${s.framings.map((f) => tagName(f.tag)).join(' · ')}`);
  if (s.summary) lines.push(`   ${clip(s.summary, 300)}`);
  const order = s.outlets.map((o) => o.outlet);
  if (order.length > 1) lines.push(`   ${order[0]} first, then ${order.slice(1).join(', ')}.`);
  for (const q of storyQuoteLines(s, 160)) lines.push(`   – ${q.names}: ${q.rest}`);
  for (const o of s.outlets) if (o.url) lines.push(`   ${o.outlet}: ${o.url}`);
  if (s.storyUrl) lines.push(`   Open story: ${s.storyUrl}`);
  return lines.join('\n');
}

export function replyToText(r: Reply): string {
  const out: string[] = [];
  for (const sec of r.sections) {
    switch (sec.type) {
      case 'heading':
        out.push(sec.text);
        break;
      case 'paragraph':
        out.push(sec.text);
        break;
      case 'hint':
        out.push(sec.text);
        break;
      case 'chart':
        out.push(sec.alt);
        break;
      case 'list':
        for (const i of sec.items) out.push(`• ${i}`);
        break;
      case 'fields':
        for (const f of sec.fields) out.push(`${f.label}: ${f.value}`);
        break;
      case 'stories':
        sec.stories.forEach((s, i) => out.push(storyCardToText(s, i + 1), ''));
        break;
    }
  }
  if (out.length === 0) out.push(r.text);
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
