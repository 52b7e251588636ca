// How much work a markup document's element nesting will cost a DOM builder. htmlparser2 keeps
// its open-element stack with Array#unshift, so each start tag costs the current depth: a body
// of 200,000 unclosed <a> or <b> tags takes minutes and then overflows recursive tree walks.
// This linear pre-scan emulates that stack (a close tag pops up to its match, an unmatched one
// is ignored) so callers can refuse or route around such documents before parsing them.
import { forEachRegion, forEachTag } from './scan.js';

/** `String.prototype.indexOf` through `.call`, module-local (why: scan.ts's header). */
const indexFrom: (this: string, search: string, position?: number) => number = String.prototype.indexOf;

const VOID_HTML = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'frame', 'isindex', 'keygen']);
export interface Nesting {
  maxDepth: number;
  /** Sum of the depth at every start tag: the DOM builder's work. */
  cost: number;
}

/** Limits under which parsing is cheap (about 20 ms of stack shuffling) and tree walks are safe. */
export const NESTING_LIMITS = { maxDepth: 2_000, cost: 5_000_000 } as const;

export function measureNesting(markup: string, mode: 'xml' | 'html', limits: { maxDepth: number; cost: number } = NESTING_LIMITS): Nesting & { exceeded: boolean } {
  const stack: string[] = [];
  const open = new Map<string, number>();
  let maxDepth = 0;
  let cost = 0;
  let exceeded = false;
  const onTag = (tag: { name: string; close: boolean; selfClosing: boolean }) => {
    if (exceeded) return;
    const name = mode === 'html' ? tag.name.toLowerCase() : tag.name;
    if (tag.close) {
      if (!open.get(name)) return;
      for (;;) {
        const top = stack.pop()!;
        open.set(top, open.get(top)! - 1);
        if (top === name) break;
      }
      return;
    }
    if (tag.selfClosing || (mode === 'html' && VOID_HTML.has(name))) return;
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    cost += stack.length;
    if (stack.length > maxDepth) maxDepth = stack.length;
    if (maxDepth > limits.maxDepth || cost > limits.cost) exceeded = true;
  };
  forEachRegion(markup, (kind, start, end) => {
    if (kind === 'text' && !exceeded) forEachTag(markup, start, end, onTag);
  });
  return { maxDepth, cost, exceeded };
}

/**
 * The nesting of `markup` when it is past the limits, else null. Every start tag begins with "<",
 * so markup with at most k of them nests at most k deep at a cost of at most k(k+1)/2: when that
 * is within the limits (k ≤ 2,000 with the defaults: every article body and most feeds) the scan
 * is skipped.
 */
export function nestsTooDeeply(markup: string, mode: 'xml' | 'html', limits: { maxDepth: number; cost: number } = NESTING_LIMITS): Nesting | null {
  // Not even a count when the markup is too short to hold that many "<" (most article bodies).
  const n = markup.length;
  if (n <= limits.maxDepth && (n * (n + 1)) / 2 <= limits.cost) return null;
  let k = 0;
  for (let i = indexFrom.call(markup, '<'); i >= 0; i = indexFrom.call(markup, '<', i + 1)) {
    if (++k > limits.maxDepth || (k * (k + 1)) / 2 > limits.cost) {
      const nesting = measureNesting(markup, mode, limits);
      return nesting.exceeded ? nesting : null;
    }
  }
  return null;
}
