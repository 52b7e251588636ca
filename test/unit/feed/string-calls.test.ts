// The poll path's per-character and per-tag loops call String.prototype's functions through
// `.call` (scan.ts's header says why: ioredis subclasses String, after which V8 stops inlining
// `s.charCodeAt(i)` and its kind, ~3 × the CPU of these loops in a worker). This keeps new code
// in those loops on the same footing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const code = (file: string, from?: string, to?: string): string => {
  let text = readFileSync(new URL(`../../../src/core/feed/parse/${file}`, import.meta.url), 'utf8');
  if (from) text = text.slice(text.indexOf(from), to ? text.indexOf(to) : undefined);
  return text
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/u.test(l))
    .join('\n');
};

describe('string calls in the poll path loops', () => {
  it('go through String.prototype functions held in module-local constants, not s.method()', () => {
    const loops = {
      'scan.ts': code('scan.ts'),
      'xml-simple.ts': code('xml-simple.ts'),
      'html-text.ts (simple path)': code('html-text.ts', '// ---- the simple path', '/** A run of whitespace within a line'),
    };
    for (const [file, text] of Object.entries(loops)) {
      expect(text, file).not.toMatch(/\b\w+\.(?:charCodeAt|indexOf|startsWith|slice|includes)\(/u);
      expect(text, file).toMatch(/\.call\(/u);
    }
  });
});
