// A resolved query printed back as query text that parses and resolves to the same thing:
// field values by id (`countries:KZ,UZ`, `outlets:rt`), phrases quoted, operators upper case,
// parentheses only where precedence needs them (NOT > AND > OR). Used for "Narrow it:" hints.
import type { QueryNode, TextNode } from './ast.js';

function text(n: TextNode): string {
  const body = n.words.map((w) => `${w.key}${w.prefix ? '*' : ''}`).join(' ');
  return n.words.length > 1 || n.quoted ? `"${body}"` : body;
}

const RANK = { or: 0, and: 1, not: 2 } as const;

export function formatQuery(n: QueryNode | null, parent: 'or' | 'and' | 'not' | 'top' = 'top'): string {
  if (!n) return '';
  const wrap = (s: string, own: keyof typeof RANK) => (parent !== 'top' && RANK[own] < RANK[parent] ? `(${s})` : s);
  switch (n.kind) {
    case 'and':
      return wrap(n.children.map((c) => formatQuery(c, 'and')).join(' '), 'and');
    case 'or':
      return wrap(n.children.map((c) => formatQuery(c, 'or')).join(' OR '), 'or');
    case 'not':
      return `NOT ${formatQuery(n.child, 'not')}`;
    case 'text':
      // A lone unquoted word could be read as a name by the vocabulary: keep it as typed.
      return text(n);
    case 'near':
      return `${text(n.a)} NEAR/${n.distance} ${text(n.b)}`;
    case 'field':
      return `${n.field}:${n.values.map((v) => (/[\s,()"]/.test(v) ? `"${v}"` : v)).join(',')}`;
    case 'words':
      return n.words.map((w) => w.text).join(' ');
  }
}
