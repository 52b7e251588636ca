// House rules of the source tree (issue #14): a file a reader can hold in mind, and lines a diff
// and a review can read. Data lives in data/ (YAML, TSV) and generated test fixtures in
// test/fixtures/, neither checked here. Limits: 500 lines per file, 300 characters per line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const SOURCE_DIRS = ['src', 'jobs', 'bench', 'tools'];
const MAX_LINES = 500;
const MAX_LINE_CHARS = 300;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'results') out.push(...sourceFiles(p));
    } else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));

describe('house rules of the source tree', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(100);
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
