// House rules of the source tree (issue #14): a file a reader can hold in mind, and lines a diff
// and a review can read. Checked: the code of the product, its jobs, bench, tools, bin and tests
// (test helpers and hand-written fixtures included), TypeScript, JavaScript and Lua. Not checked:
// data/ (YAML, TSV), and fixtures that are data files (XML, HTML, JSON). Limits: 500 lines per
// file, 300 characters per line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const SOURCE_DIRS = ['src', 'jobs', 'bench', 'tools', 'bin', 'test'];
const SOURCE_FILE = /\.(ts|js|mjs|cjs|lua)$/;
const MAX_LINES = 500;
const MAX_LINE_CHARS = 300;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'results') out.push(...sourceFiles(p));
    } else if (SOURCE_FILE.test(e.name)) out.push(p);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));

describe('house rules of the source tree', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const d of SOURCE_DIRS) expect(files.some((f) => relative(ROOT, f).startsWith(`${d}/`)), d).toBe(true);
    expect(files.some((f) => f.endsWith('.lua'))).toBe(true);
  });

  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').replace(/\n$/, '').split('\n').length }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.file}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });

  it(`no source line is over ${MAX_LINE_CHARS} characters`, () => {
    const wide: string[] = [];
    for (const f of files) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const chars = [...line].length;
          if (chars > MAX_LINE_CHARS) wide.push(`${relative(ROOT, f)}:${i + 1}: ${chars} characters`);
        });
    }
    expect(wide).toEqual([]);
  });
});
