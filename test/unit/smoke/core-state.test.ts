// src/core holds no module-level mutable state (style.md; issue 14): what a core function needs
// is passed in by its caller. The one allowed kind is a bounded memo of a pure function,
// src/core/memo.ts pureMemo (its header says why). This scans core's top-level declarations for
// the usual shapes of state — a `let`/`var`, a Map/Set/array declared at the top and changed
// anywhere in the file — so a new module-level cache or registry is caught here. A heuristic
// (it reads text, not a program), tuned to have no false alarms on today's core.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

/** Known state, each with its reason; add here only with one as good. */
const ALLOWED: Record<string, string> = {
  'src/core/memo.ts': 'the bounded pure memo itself (inside pureMemo, not at the top)',
  // A process-wide term dictionary (strings → numbers, bounded, renumbered by generation) and the
  // scratch arrays indexed by term number that the cosine loops mark: an interning table and its
  // work space, which change no result, only how fast vectors are compared (the file's header;
  // test/unit/story/weighted-vector.test.ts checks the sums bit for bit across a restart).
  'src/core/story/weighted-vector.ts': 'term interning and its scratch arrays, bounded',
  // Per-vector count of its entity keys, a WeakMap memo of a pure function of an unchanging vector.
  'src/core/story/similarity.ts#ENTITY_COUNT': 'weak memo, bounded by the vectors alive',
  // Built once while the module loads (from Unicode data), read-only after.
  'src/core/text/normalize.ts#FOLD': 'a constant table built at load',
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

export function moduleState(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:export )?(?:let|var) (\w+)/gmu)) found.push(m[1]!);
  for (const m of text.matchAll(/^(?:export )?const (\w+)\s*(?::[^=\n]+)?=\s*(new (?:Map|Set|WeakMap|WeakSet|Array)\b(?:<[^\n]*?>)?\(\)|new (?:Map|Set|WeakMap|WeakSet|Array)\b|\[\])/gmu)) {
    const name = m[1]!;
    // created empty: it is there to be filled (a cache, a registry), wherever that happens
    if (m[2]!.endsWith('()') || m[2] === '[]') found.push(name);
    else if (new RegExp(`\\b${name}(?:\\.(?:set|add|delete|clear|push|pop|shift|unshift|splice|sort|reverse|length\\s*=)\\(|\\[[^\\]]+\\]\\s*=[^=])`, 'u').test(text)) found.push(name);
  }
  return found.map((n) => `${file}#${n}`).filter((k) => !(k in ALLOWED) && !(file in ALLOWED));
}

describe('core holds no module-level mutable state', () => {
  it('finds none outside the allowed list (memoise pure functions with src/core/memo.ts pureMemo)', () => {
    const found = files(join(root, 'src/core')).flatMap((f) => moduleState(relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('would catch a module-level cache, a registry and a let', () => {
    expect(moduleState('x.ts', 'const cache = new Map<string, RegExp>();\nexport function f(k: string) {\n  cache.set(k, /x/);\n}\n')).toEqual(['x.ts#cache']);
    expect(moduleState('x.ts', 'const seen: string[] = [];\nexport const add = (s: string) => seen.push(s);\n')).toEqual(['x.ts#seen']);
    expect(moduleState('x.ts', 'let compiled = null;\n')).toEqual(['x.ts#compiled']);
    // filled through a helper (text.ts had its memos so)
    expect(moduleState('x.ts', 'const STEMS = new Map<string, string>();\nfunction remember(m: Map<string, string>, k: string) {\n  m.set(k, k);\n}\n')).toEqual(['x.ts#STEMS']);
    expect(moduleState('x.ts', "const WORDS = new Set(['a', 'b']);\nexport const has = (w: string) => WORDS.has(w);\n")).toEqual([]);
  });
});
