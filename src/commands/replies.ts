// Reply builders shared by the handlers. Visibility rule (one place, so it stays consistent):
// errors and usage are ephemeral (only the person who typed the command needs them); answers
// that change or inform what the whole channel receives are in_channel; personal look-ups are
// ephemeral. Each handler file says which of its replies are which.
import type { Reply, ReplySection } from '../core/alert/values.js';

export function errorReply(text: string, hint?: string): Reply {
  const sections: ReplySection[] = [{ type: 'paragraph', text }];
  if (hint) sections.push({ type: 'hint', text: hint });
  return { visibility: 'ephemeral', kind: 'error', text, sections };
}

export function usageReply(problem: string, usage: string, hint?: string): Reply {
  const sections: ReplySection[] = [
    { type: 'paragraph', text: problem },
    { type: 'paragraph', text: `Usage: ${usage}` },
  ];
  if (hint) sections.push({ type: 'hint', text: hint });
  return { visibility: 'ephemeral', kind: 'usage', text: problem, sections };
}

export function okReply(visibility: Reply['visibility'], text: string, sections: ReplySection[] = [{ type: 'paragraph', text }]): Reply {
  return { visibility, kind: 'ok', text, sections };
}

export function emptyReply(text: string, sections: ReplySection[] = [{ type: 'paragraph', text }]): Reply {
  return { visibility: 'ephemeral', kind: 'empty', text, sections };
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 story`, `3 stories`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
